"""ClinicalTrials.gov through its API v2 (https://clinicaltrials.gov/data-api/api): studies found by condition,
intervention and other terms, page by page (``nextPageToken``), each read into a :class:`Citation` carrying a
:class:`Registration` (status, results posted, allocation, enrolment) so that registered trials reach the review
queue without hand-typing. Only what the record shows is read; a missing module leaves its fields empty.

``SKINEVIDENCE_CTGOV_URL`` points the client at another server (the tests' local replay).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

from skinevidence.errors import InputError
from skinevidence.evidence.models import REGISTRY_RE
from skinevidence.ingest.http import FetchError, Polite
from skinevidence.ingest.records import Citation, Registration, Source

CTGOV = "https://clinicaltrials.gov/api/v2/"
PAGE_SIZE = 100
REGISTRY = "ClinicalTrials.gov"


@dataclass
class TrialQuery:
    """What to ask the registry: any of condition, intervention and other terms (Essie syntax)."""

    condition: str | None = None
    intervention: str | None = None
    term: str | None = None

    def params(self, updated_since: dt.date | None = None) -> dict[str, str | None]:
        if not (self.condition or self.intervention or self.term):
            raise InputError("a ClinicalTrials.gov search needs a condition, an intervention or other terms")
        term = self.term
        if updated_since is not None:  # the API's own example of a date range on a field
            since = f"AREA[LastUpdatePostDate]RANGE[{updated_since.isoformat()},MAX]"
            term = f"({term}) AND {since}" if term else since
        return {"query.cond": self.condition, "query.intr": self.intervention, "query.term": term}


@dataclass
class ClinicalTrials:
    base: str = CTGOV
    http: Polite | None = None

    @classmethod
    def from_environment(cls, **overrides) -> ClinicalTrials:
        return cls(base=os.environ.get("SKINEVIDENCE_CTGOV_URL") or CTGOV, **overrides)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/") + "/"
        if self.http is None:
            self.http = Polite(per_second=1.0)  # the registry asks for moderate use; one request a second

    def studies(self, query: TrialQuery, updated_since: dt.date | None = None,
                page_size: int = PAGE_SIZE) -> Iterator[Citation]:
        """Every study the query finds, one page at a time (a page may be empty; the last has no token)."""
        params = {**query.params(updated_since), "format": "json", "pageSize": str(page_size),
                  "countTotal": "true"}
        token: str | None = None
        page = 0
        while True:
            page += 1
            url = self.base + "studies"
            assert self.http is not None  # set in __post_init__
            body = self.http.get(url, {**params, "pageToken": token})
            try:
                data = json.loads(body)
            except ValueError:
                raise FetchError(f"ClinicalTrials.gov answered something that is not JSON: {body[:120]!r}") from None
            if not isinstance(data, dict) or not isinstance(data.get("studies", []), list):
                raise FetchError("ClinicalTrials.gov answered JSON without a list of studies")
            for study in data.get("studies", []):
                citation = study_citation(study, Source(f"{url} (page {page})", None, "clinicaltrials-json"))
                if citation is not None:
                    yield citation
            token = data.get("nextPageToken")
            if not token:
                return


def study_citation(study: dict, source: Source | None = None) -> Citation | None:
    """One study of the API's JSON as a citation with its registration; None without a well-formed NCT number."""
    protocol = _dict(study.get("protocolSection"))
    ident = _dict(protocol.get("identificationModule"))
    nct = ident.get("nctId")
    if not isinstance(nct, str) or not REGISTRY_RE.match(nct):
        return None
    status = _dict(protocol.get("statusModule"))
    design = _dict(protocol.get("designModule"))
    info = _dict(design.get("designInfo"))
    enrollment = _dict(design.get("enrollmentInfo"))
    count = enrollment.get("count")
    start = _dict(status.get("startDateStruct")).get("date")
    registration = Registration(
        registry=REGISTRY,
        status=_text(status.get("overallStatus")),
        has_results=study.get("hasResults") if isinstance(study.get("hasResults"), bool) else None,
        study_type=_text(design.get("studyType")),
        allocation=_text(info.get("allocation")),
        model=_text(info.get("interventionModel")),
        masking=_text(_dict(info.get("maskingInfo")).get("masking")),
        enrollment=count if isinstance(count, int) and count > 0 else None,
        enrollment_type=_text(enrollment.get("type")),
        conditions=tuple(c for c in _list(_dict(protocol.get("conditionsModule")).get("conditions")) if _text(c)),
        interventions=tuple(n for n in (_text(_dict(i).get("name")) for i in _list(
            _dict(protocol.get("armsInterventionsModule")).get("interventions"))) if n),
        last_update=_text(_dict(status.get("lastUpdatePostDateStruct")).get("date")),
    )
    return Citation(
        pmid=None,
        title=_text(ident.get("briefTitle")) or _text(ident.get("officialTitle")),
        abstract=_text(_dict(protocol.get("descriptionModule")).get("briefSummary")),
        year=int(start[:4]) if isinstance(start, str) and start[:4].isdigit() else None,
        registry_ids=(nct,),
        registration=registration,
        source=source,
    )


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None
