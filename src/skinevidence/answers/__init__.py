"""Answers built from grades: the evidence report, comparisons, questions, listings.

Layer 3: may import the base modules, ``evidence``, ``text`` and ``grading``.
"""
