"""Apache Spark for the large runs: ``screen --engine spark`` and ``ingest --engine spark`` run the same library
functions as the plain commands inside PySpark's ``mapPartitions``, the evidence shipped to each executor once
(a broadcast), in local mode on one machine or unchanged on a cluster (``--master``). How to run on a cluster and
what it costs: docs/spark.md.

Layer 6 (beside ``render``): may import the base modules, ``evidence``, ``text``, ``grading``, ``answers``,
``claims`` and ``ingest``. PySpark is the ``spark`` extra; it is imported only when a Spark run starts.
"""
