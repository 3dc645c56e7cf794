"""Claims in a text judged for intended use and against the evidence (check, rules), article audits (audit,
citations), product checks (product) and catalogue screening (screen, listings, synthetic).

Layer 4: may import the base modules, ``evidence``, ``text``, ``grading`` and ``answers``.
"""
