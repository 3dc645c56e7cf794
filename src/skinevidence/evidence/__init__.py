"""The evidence base: typed records (models), the files they are read from and validated (files), the in-memory
index with its name look-up (catalog), and the SQLite database compiled from the files (database). The bundled
records live in ``data/``.

Layer 1: may import only the base modules (``errors``, ``paths``).
"""
