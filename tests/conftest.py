"""Fixtures: hand-made evidence sets written as real files, and the bundled base.

The hand-made sets use invented interventions ("alpha-serum", "beta-cream") so that no test can pin a grade to a
real ingredient: every expected grade follows from the coded features and the documented method.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.database import Database
from skinevidence.evidence.files import load_evidence

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
MEDLINE = SHARED / "data" / "medline"
SHARED_FIXTURES = {"seed", "medline", "samples", "baseline"}
SHARED_REASON = "../shared (the seed articles and MEDLINE samples) is not beside the repository"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``shared_data``, and every test using a fixture that reads ../shared, are skipped with one
    reason when the folder is absent; in CI (``CI`` set) its absence is an error instead."""
    needing = [item for item in items if item.get_closest_marker("shared_data")
               or SHARED_FIXTURES & set(getattr(item, "fixturenames", ()))]
    if SHARED.is_dir() or not needing:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{SHARED} is missing: CI runs with shared/ beside the repository")
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=SHARED_REASON))


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SHARED_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} tests skipped because {SHARED_REASON}")

INTERVENTIONS = [
    {"id": "alpha-serum", "name": "Alpha serum", "kind": "ingredient", "aliases": ["alpha", "alfa serum"]},
    {"id": "alpha-serum-plant", "name": "Plant alpha serum", "kind": "ingredient", "parent": "alpha-serum",
     "aliases": ["plant alpha"]},
    {"id": "beta-cream", "name": "Beta cream", "kind": "ingredient", "aliases": ["beta"]},
    {"id": "gamma-peel", "name": "Gamma peel", "kind": "procedure", "aliases": ["gamma"]},
    {"id": "needling", "name": "Needling", "kind": "procedure", "aliases": ["microneedling"]},
]
OUTCOMES = [
    {"id": "wrinkles", "name": "Wrinkles", "aliases": ["fine lines"]},
    {"id": "pigmentation", "name": "Pigmentation", "aliases": ["dark spots"]},
    {"id": "melasma", "name": "Melasma", "parent": "pigmentation", "aliases": ["melasma"]},
    {"id": "collagen", "name": "Collagen", "surrogate": True, "stands_for": ["wrinkles"], "aliases": ["collagen"]},
    {"id": "adverse-events", "name": "Adverse events", "harm": True, "aliases": ["side effects"]},
]

PROVENANCE = {"urls": ["https://pubmed.ncbi.nlm.nih.gov/1/"], "read_on": "2026-11-22", "coded_by": "curated"}


def finding(**overrides) -> dict:
    base = {"intervention": "alpha-serum", "outcome": "wrinkles", "route": "topical", "comparator": "vehicle",
            "direction": "benefit"}
    base.update(overrides)
    return base


def study(study_id: str, **overrides) -> dict:
    """A well-reported, blinded, randomised vehicle-controlled trial of 500 people; override what a test needs."""
    base = {"id": study_id, "title": f"Trial {study_id}", "first_author": "Doe J", "year": 2020,
            "design": "rct", "population": "human", "participants": 500, "randomised": True,
            "blinding": "double", "funding": "non-industry", "industry_ties": False,
            "summary": "A hand-made record for a test.", "provenance": copy.deepcopy(PROVENANCE),
            "findings": [finding()]}
    base.update(overrides)
    return base


class EvidenceBuilder:
    """Writes an evidence folder: vocabularies plus the studies, facts and signals a test adds."""

    def __init__(self, root: Path):
        self.root = root
        (root / "studies").mkdir(parents=True)
        (root / "regulation").mkdir()
        (root / "safety").mkdir()
        (root / "interventions").mkdir()
        (root / "outcomes").mkdir()
        self.vocabulary("interventions", INTERVENTIONS)
        self.vocabulary("outcomes", OUTCOMES)
        self.write("inci.yaml", [{"name": "ALPHA EXTRACT", "intervention": "alpha-serum",
                                  "url": "https://example.org/inci", "read_on": "2026-11-22"}])

    def write(self, relative: str, data) -> Path:
        path = self.root / relative
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    def vocabulary(self, folder: str, records: list[dict]) -> EvidenceBuilder:
        """One file per intervention or outcome, as in the bundled base."""
        for record in records:
            self.write(f"{folder}/{record['id']}.yaml", record)
        return self

    def add(self, *studies: dict) -> EvidenceBuilder:
        for record in studies:
            self.write(f"studies/{record['id']}.yaml", record)
        return self

    def catalog(self) -> Catalog:
        evidence, issues = load_evidence(self.root)
        assert not issues, [str(i) for i in issues]
        return Catalog(evidence)


@pytest.fixture
def evidence(tmp_path) -> EvidenceBuilder:
    return EvidenceBuilder(tmp_path / "evidence")


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Database:
    """The bundled evidence base compiled into a temporary file database."""
    return Database.open(tmp_path_factory.mktemp("db") / "evidence.sqlite")


@pytest.fixture(scope="session")
def bundled(bundled_db) -> Catalog:
    return bundled_db.catalog()


@pytest.fixture
def seed():
    def read(prefix: str) -> str:
        matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
        assert matches, f"no seed {prefix} in {SEEDS}"
        return matches[0].read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="module")
def web(bundled_db):
    """The web app over the bundled base, driven in process."""
    from web_support import client_for
    return client_for(bundled_db)


@pytest.fixture
def small(evidence, tmp_path):
    """The web app over a hand-made base holding one trial with a DOI and a PMID."""
    from web_support import client_for, hand_made
    evidence.add(study("t1", doi="10.1000/t1", pmid="12"))
    return client_for(hand_made(evidence, tmp_path))
