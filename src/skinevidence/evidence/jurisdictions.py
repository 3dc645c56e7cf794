"""The jurisdictions the evidence base records law for (``INT``: international bodies). A module of its own, without
pydantic, so that the command line can check ``--jurisdiction`` before it loads any record."""

from __future__ import annotations

JURISDICTIONS = ("US", "EU", "UK", "KR", "CN", "TW", "JP", "AU", "CA", "INT")
