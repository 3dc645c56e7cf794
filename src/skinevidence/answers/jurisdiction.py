"""Where the reader lives: the jurisdiction a report's regulation section speaks for, from an explicit choice or the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``en_GB.UTF-8`` is the UK, ``de_AT`` the EU), else the US."""

from __future__ import annotations

from collections.abc import Mapping

from skinevidence.errors import InputError
from skinevidence.evidence.jurisdictions import JURISDICTIONS

DEFAULT = "US"
#: Member states of the European Union (ISO 3166 codes), whose cosmetics law is the EU's.
EU_MEMBERS = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])
COUNTRY = {"GB": "UK", **{code: "EU" for code in EU_MEMBERS}}


def jurisdiction(chosen: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``chosen`` (checked), else the country of the locale in ``environ`` when the base knows its law, else US."""
    if chosen:
        code = chosen.strip().upper()
        code = COUNTRY.get(code, code)
        if code not in JURISDICTIONS or code == "INT":
            raise InputError(f"unknown jurisdiction {chosen!r}: use one of "
                             f"{', '.join(j for j in JURISDICTIONS if j != 'INT')}")
        return code
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ or {}).get(name, "")
        if value:
            return from_locale(value)
    return DEFAULT


def from_locale(locale: str) -> str:
    """'en_GB.UTF-8' -> 'UK', 'fr_FR' -> 'EU', 'ko_KR' -> 'KR', 'C' or an unknown country -> 'US'."""
    country = locale.split(".")[0].split("@")[0].partition("_")[2].upper()
    code = COUNTRY.get(country, country)
    return code if code in JURISDICTIONS and code != "INT" else DEFAULT
