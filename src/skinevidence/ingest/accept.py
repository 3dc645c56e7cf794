"""Accepting a queued citation: a study file in the exact format of docs/data.md, every auto-filled value with a
comment saying how it was derived, checked by the project's own validator before it is kept.

The record says ``coded_by: auto``. Each finding's direction is written ``not-reported`` (the direction guess is a
comment beside it), so an accepted record is listed at once but enters no grade until a person sets what the paper
found. The summary says that the record was auto-ingested and awaits curation; no sentence of the abstract is
copied.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml

from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.files import EvidenceSet, Issue, load_evidence
from skinevidence.evidence.models import Comparator, Design, Direction, Population, Route, Status
from skinevidence.ingest.classify import Classification, classify
from skinevidence.ingest.derived import Derived
from skinevidence.ingest.records import Citation
from skinevidence.paths import atomic_write, record_path, remove_stale

_STOPWORDS = frozenset(["a", "an", "the", "of", "in", "on", "for", "and", "or", "with", "without", "to", "from", "by", "at", "as", "is", "are", "was", "were", "be", "vs", "versus", "its", "their", "into", "after", "before", "between", "among", "using", "use", "effect", "effects", "study", "trial", "randomized", "randomised", "controlled", "clinical"])


class RecordRefused(SkinEvidenceError):
    """The record would not pass ``skinevidence db validate``: nothing was written. ``problems`` lists why."""

    exit_code = 4

    def __init__(self, message: str, problems: list[Issue]):
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        super().__init__(f"{message}:\n{shown}{more}")


def pubmed_url(citation: Citation) -> str | None:
    """The record's own page: PubMed, else the DOI, else the registry's page of a registered trial."""
    if citation.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{citation.pmid}/"
    if citation.doi:
        return f"https://doi.org/{citation.doi}"
    if citation.registration is not None and citation.registry_ids:
        return f"https://clinicaltrials.gov/study/{citation.registry_ids[0]}"
    return None


_NOTICE_PMID = re.compile(r"\(PMID (\d{1,9})\)")


def _retraction_url(citation: Citation, fallback: str | None) -> str | None:
    """The retraction notice's PubMed page when the record cites it, else the record's own page."""
    for notice in citation.retracted_in:
        found = _NOTICE_PMID.search(notice)
        if found:
            return f"https://pubmed.ncbi.nlm.nih.gov/{found.group(1)}/"
    return fallback


@dataclass(frozen=True)
class Curation:
    """What a curator supplies when accepting a record whose text does not show it (ids of the vocabulary)."""

    design: Design | None = None
    population: Population | None = None
    interventions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()

    def apply(self, classification: Classification, catalog: Catalog) -> Classification:
        unknown = [f"intervention {i!r}" for i in self.interventions if i not in catalog.interventions]
        unknown += [f"outcome {o!r}" for o in self.outcomes if o not in catalog.outcomes]
        if unknown:
            raise InputError(f"not in the vocabulary: {', '.join(unknown)} ('skinevidence list' shows the "
                             "interventions)")
        update: dict[str, Derived] = {}
        given = "set by the curator at acceptance"
        if self.design is not None:
            update["design"] = Derived(value=self.design, why=given)
        if self.population is not None:
            update["population"] = Derived(value=self.population, why=given)
        if self.interventions:
            update["interventions"] = Derived(value=list(self.interventions), why=given)
        if self.outcomes:
            update["outcomes"] = Derived(value=list(self.outcomes), why=given)
        return classification.model_copy(update=update)


def missing_to_accept(classification: Classification) -> list[Issue]:
    """What a study file needs and the record does not show, each with the option that supplies it."""
    c, problems = classification, []
    if c.design.value is None:
        problems.append(("design", (f"not derived ({c.design.why}); give --design, one of "
                                   f"{', '.join(d.value for d in Design)}")))
    if c.population.value is None:
        problems.append(("population", (f"not derived ({c.population.why}); give --population, one of "
                                       f"{', '.join(p.value for p in Population)}")))
    if not c.interventions.value:
        problems.append(("findings", (f"no intervention of the vocabulary ({c.interventions.why}); give "
                                     "--intervention ID")))
    if not c.outcomes.value:
        problems.append(("findings", f"no outcome of the vocabulary ({c.outcomes.why}); give --outcome ID"))
    return [Issue("(not written)", "", field, message) for field, message in problems]


def left_for_the_curator(classification: Classification) -> list[str]:
    """Fields written empty (or as not-reported) that a person reads from the paper before it counts."""
    c = classification
    missing = [name for name in ("participants", "randomised", "blinding") if getattr(c, name).value is None]
    missing += ["completed", "condition", "duration_weeks", "funding", "industry_ties"]
    if c.route.value in (None, Route.NOT_REPORTED):
        missing.append("route of each finding")
    if c.comparator.value in (None, Comparator.NOT_REPORTED):
        missing.append("comparator of each finding")
    missing += ["measure, direction and effect of each finding ('skinevidence review edit')",
                "summary in your own words"]
    return missing


def study_id_for(citation: Citation, taken: AbstractSet[str] = frozenset()) -> str:
    """'<first author's surname>-<year>-<a few title words>', e.g. 'kwon-2020-exosomes-fractional-co2-laser'."""
    surname = (citation.first_author or "").rsplit(" ", 1)[0] if citation.first_author and " " in \
        citation.first_author else (citation.first_author or "")
    words = [w for w in _ascii(citation.title or "").split() if w not in _STOPWORDS][:4]
    parts = [_ascii(surname).replace(" ", ""), str(citation.year or ""), *words]
    slug = "-".join(p for p in parts if p)[:100].strip("-") or f"pmid-{citation.pmid or 'unknown'}"
    if slug in taken:
        slug = f"{slug}-{citation.pmid or citation.fingerprint()[:8]}"
    return slug


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


# the YAML -------------------------------------------------------------------------------------------------------
def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _comment(text: str | None) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def _line(key: str, value, why: str | None = None, indent: str = "") -> str:
    return f"{indent}{key}: {scalar(value)}{_comment(why)}"


def _derived(key: str, derived: Derived, indent: str = "") -> str:
    value = derived.value
    if isinstance(value, list) and not value:
        value = [] if key == "registry_ids" else None
    found = value is not None and value != []
    return _line(key, value, ("derived: " if found else "not derived: ") + derived.why, indent)


def study_yaml(citation: Citation, classification: Classification, study_id: str, read_on: dt.date) -> str:
    """The study file's text: every field of docs/data.md in its order, with a comment on each derived value."""
    c = classification
    url = pubmed_url(citation)
    record = "PubMed record" if citation.pmid else \
        f"{citation.registration.registry} record" if citation.registration else "citation export"
    shown = f"as in the {record}"
    retraction = registration = None
    if c.status.value is Status.RETRACTED:
        notice = _retraction_url(citation, url)
        retraction = f"{{date: null, url: {notice}, reason: {scalar('PubMed marks it retracted')}}}"
    trial = citation.registration
    if trial is not None:
        planned = trial.enrollment if (trial.enrollment_type or "").upper() == "ESTIMATED" else None
        registration = (f"{{registry: {scalar(trial.registry)}, recruitment: {scalar(trial.status)}, "
                        f"planned_participants: {scalar(planned)}}}")
        if planned is not None:
            c = c.model_copy(update={"participants": Derived(why=f"{trial.registry}: {planned} planned, not yet "
                                                                 "enrolled (registration.planned_participants)")})
    title = citation.title[:-1] if citation.title and citation.title.endswith(".") \
        and not citation.title.endswith("..") else citation.title
    design = c.design.value
    lines = [
        (f"# Auto-ingested by skinevidence from {Path(citation.source.file).name if citation.source else 'a file'}"
        f"{', line ' + str(citation.source.line) if citation.source and citation.source.line else ''}"
        f" and accepted on {read_on.isoformat()}; awaiting curation."),
        "# Check every value against the page in provenance.urls (the comment beside it says how it was derived),",
        "# fill what is empty, set each finding's direction, write the summary in your own words, then set",
        "# coded_by: curated.",
        _line("id", study_id),
        _line("title", title, shown),
        _line("first_author", citation.first_author, shown if citation.first_author else "not in the record"),
        _line("authors", ", ".join(citation.authors) or None, shown if citation.authors else "not in the record"),
        _line("year", citation.year, "publication year " + shown if citation.year else "not in the record"),
        _line("journal", citation.journal, shown if citation.journal else "not in the record"),
        _line("doi", citation.doi, shown if citation.doi else "not in the record"),
        _line("pmid", citation.pmid, shown if citation.pmid else "not in the record"),
        _line("pmcid", citation.pmcid, shown if citation.pmcid else "not in the record"),
        _derived("registry_ids", c.registry_ids),
        _derived("status", c.status),
        _derived("design", c.design),
        _derived("population", c.population),
        _derived("participants", c.participants),
        _line("completed", None, "not derived: read it from the paper"),
        _line("condition", None, "not derived: who took part, in a few words"),
        _line("duration_weeks", None, "not derived"),
        _derived("randomised", c.randomised),
        _derived("blinding", c.blinding),
        _line("funding", "not-reported", "not derived: read the funding statement"),
        _line("industry_ties", None, "not derived"),
        _line("funding_note", None, "not derived"),
        _line("included_in", [], "not derived: ids of coded reviews that include this study"),
        _derived("review_of", c.review_of),
        _derived("studies_included", c.studies_included),
        _derived("i_squared", c.i_squared),
        (f"registration: {registration}  # as in the {record}" if registration else _line("registration", None)),
        f"retraction: {retraction}  # derived: {c.status.why}" if retraction else _line("retraction", None),
        "summary: >-",
        *(f"  {line}" for line in _wrap(_summary(citation, c, read_on))),
        "provenance:",
        "  urls:",
        f"    - {url}",
        f"  read_on: {read_on.isoformat()}",
        "  coded_by: auto",
        *_findings(c, design),
    ]
    return "\n".join(lines) + "\n"


def _summary(citation: Citation, c: Classification, read_on: dt.date) -> str:
    what = f"Classified automatically as a {c.design.value.label}" if c.design.value else \
        "Its design could not be classified automatically"
    people = f" of {c.participants.value} participants ({c.participants.why})" if c.participants.value else ""
    record = "PubMed record" if citation.pmid else \
        f"{citation.registration.registry} record" if citation.registration else "citation export"
    return (f"Auto-ingested from the {record} on "
            f"{read_on.isoformat()} and awaiting curation: nobody has yet read the paper, checked these fields or "
            f"written a summary. {what}{people}; the findings list what the title and abstract name, with no "
            "direction until a curator reads the results.")


def _wrap(text: str, width: int = 112) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


def _findings(c: Classification, design: Design | None) -> list[str]:
    interventions, outcomes = c.interventions.value or [], c.outcomes.value or []
    pairs = [(i, o) for i in interventions for o in outcomes]
    if not pairs:
        why = "the title and abstract name no intervention" if not interventions else \
            "the title and abstract name no outcome"
        return [f"findings: []  # not derived: {why} of the vocabulary"]
    guess = c.direction_guess
    direction_note = (f"guess {guess.value.value}, not recorded: {guess.why}" if guess.value is not None
                      else f"no guess: {guess.why}")
    if design is Design.IN_VITRO:  # the data rules tie the two both ways (docs/data.md, "Routes")
        route = _line("route", Route.LABORATORY.value, "in-vitro work is always on route 'laboratory'", "    ")
    elif c.route.value and c.route.value is not Route.LABORATORY:
        route = _derived("route", c.route, "    ")
    else:
        route = _line("route", "not-reported", "not derived: " + (
            "route 'laboratory' is only for in-vitro work" if c.route.value else c.route.why), "    ")
    lines = ["findings:"]
    for intervention, outcome in pairs:
        lines += [
            f"  - intervention: {intervention}{_comment('derived: ' + c.interventions.why)}",
            f"    outcome: {outcome}{_comment('derived: ' + c.outcomes.why)}",
            route,
            _derived("co_interventions", c.co_interventions, "    "),
            _line("co_interventions_controlled", None, "not derived", "    "),
            _derived("comparator", c.comparator, "    ") if c.comparator.value else
            _line("comparator", "not-reported", "not derived: " + c.comparator.why, "    "),
            _line("measure", None, "not derived", "    "),
            _line("direction", Direction.NOT_REPORTED.value, direction_note, "    "),
            _line("effect", None, "not derived", "    "),
        ]
    return lines


# accepting --------------------------------------------------------------------------------------------------------
def _written_before(citation: Citation, evidence: EvidenceSet) -> str | None:
    """The study an earlier accept of ``citation`` wrote (coded_by: auto, with its PMID, DOI or registry number)."""
    for study in evidence.studies:
        if study.provenance.coded_by != "auto":
            continue
        if (citation.pmid and study.pmid == citation.pmid) or \
                (citation.doi and study.doi and study.doi.lower() == citation.doi.lower()) or \
                (not citation.pmid and not citation.doi and set(citation.registry_ids) & set(study.registry_ids)):
            return study.id
    return None


def write_study(citation: Citation, evidence_dir: Path, study_id: str | None = None,
                today: dt.date | None = None, curation: Curation = Curation()) -> tuple[str, Path, Classification]:
    """Write the study file for ``citation`` into ``evidence_dir/studies`` if, and only if, the evidence folder
    then passes validation. Returns the record's id, path and classification; raises :class:`RecordRefused`
    (listing exactly what is missing and how to supply it) otherwise. When an earlier accept already wrote the
    record's file (it was killed before the queue recorded the decision), that file is returned and nothing is
    written: running an accept again never codes a paper twice."""
    evidence_dir = Path(evidence_dir)
    folder = evidence_dir / "studies"
    remove_stale(folder)  # what an accept killed outright left behind
    evidence, before = load_evidence(evidence_dir)
    if before:
        raise RecordRefused(f"the evidence folder {evidence_dir} already has {len(before)} problem(s); fix them "
                            "first ('skinevidence db validate'), nothing was written", before)
    catalog = Catalog(evidence)
    classification = curation.apply(classify(citation, catalog), catalog)
    earlier = _written_before(citation, evidence)
    if earlier is not None:  # an accept killed after writing the file and before the queue recorded it
        return earlier, record_path(folder, earlier), classification
    missing = missing_to_accept(classification)
    if missing:
        raise RecordRefused(f"{citation.key} cannot become a valid study file yet; nothing was written", missing)
    taken = {s.id for s in evidence.studies}
    if study_id is not None and study_id in taken:
        raise RecordRefused("nothing was written", [Issue(f"studies/{study_id}.yaml", study_id, "id",
                                                          "a study with this id already exists")])
    study_id = study_id_for(citation, taken) if study_id is None else study_id
    target = record_path(folder, study_id)
    text = study_yaml(citation, classification, study_id, today or dt.date.today())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise RecordRefused("nothing was written", [Issue(f"studies/{target.name}", study_id, "id",
                                                              "a file with this name already exists")])
        atomic_write(target, text)
    except OSError as exc:
        raise SkinEvidenceError(f"cannot write {target}: {exc.strerror}") from None
    _, issues = load_evidence(evidence_dir)
    if issues:
        target.unlink(missing_ok=True)
        raise RecordRefused(f"the record for {citation.key} would not pass 'skinevidence db validate', so nothing "
                            "was written", issues)
    return study_id, target, classification
