"""Exports: CSV for every table, BibTeX and RIS for references; each read back without loss by a standard reader
(Python's csv module, bibtexparser, rispy)."""

from __future__ import annotations

import csv
import io

import bibtexparser
import pytest
import rispy

from conftest import finding, study
from skinevidence.answers.compare import compare
from skinevidence.answers.listing import list_interventions
from skinevidence.answers.report import build_report
from skinevidence.claims.check import check_text
from skinevidence.errors import InputError
from skinevidence.render import render
from skinevidence.render.citations import LATEX
from skinevidence.render.tables import table

AWKWARD = 'Alpha & beta: 50% of "wrinkles" {fixed}, $5_000 #1 ~ ^ \\ done, naïve'


@pytest.fixture
def base(evidence):
    evidence.add(study("t1", title=AWKWARD, doi="10.1000/t1_x", pmid="12", journal="J Skin & Hair",
                       authors="Abdel Hay R, Doe J", first_author="Abdel Hay R", participants=60),
                 study("t2", findings=[finding(intervention="beta-cream")]),
                 study("t3", findings=[finding(outcome="pigmentation", route="after-microneedling")]))
    evidence.write("regulation/r1.yaml", {
        "id": "r1", "intervention": "alpha-serum", "jurisdiction": "US", "authority": "FDA", "kind": "warning",
        "date": "2024-01-02", "statement": "A warning; with a semicolon & an ampersand.",
        "provenance": {"urls": ["https://example.org/r1"], "read_on": "2026-11-22"}})
    return evidence.catalog()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("answer", ["compare", "report", "list", "check"])
def test_every_table_reads_back_from_csv_exactly(base, answer):
    made = {"compare": lambda: compare(base, ["alpha-serum", "beta-cream"]),
            "report": lambda: build_report(base, "alpha-serum"),
            "list": lambda: list_interventions(base),
            "check": lambda: check_text(base, "Alpha serum is clinically proven to erase wrinkles.")}[answer]()
    columns, rows = table(made)
    back = read_csv(render(made, "csv"))
    assert back == rows and list(back[0]) == columns


def test_a_compare_csv_row_names_the_certainty_and_the_references_by_number(base):
    comparison = compare(base, ["alpha-serum", "beta-cream"], outcome="wrinkles")
    rows = read_csv(render(comparison, "csv"))
    assert [r["intervention"] for r in rows] == [r.intervention for r in comparison.rows]
    assert [r["certainty"] for r in rows] == [r.certainty.value for r in comparison.rows]
    assert all(r["references"] for r in rows)


def unlatex(value: str) -> str:
    """The inverse of the exporter's escaping, applied to what the parser read."""
    for plain, escaped in reversed(LATEX):
        value = value.replace(escaped, plain)
    return value


def test_bibtex_references_load_back_with_every_field(base):
    report = build_report(base, "alpha-serum")
    library = bibtexparser.parse_string(render(report, "bibtex"))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {r.id for r in report.references}
    trial = entries["t1"]
    assert trial.entry_type == "article"
    assert unlatex(trial["title"]) == AWKWARD
    assert unlatex(trial["journal"]) == "J Skin & Hair"
    assert unlatex(trial["doi"]) == "10.1000/t1_x" and trial["pmid"] == "12" and trial["year"] == "2020"
    assert trial["author"] == "Abdel Hay, R and Doe, J"
    fact = entries["r1"]
    assert fact.entry_type == "misc" and fact["date"] == "2024-01-02" and fact["url"] == "https://example.org/r1"


def test_ris_references_load_back_with_every_field(base):
    report = build_report(base, "alpha-serum")
    records = rispy.loads(render(report, "ris"))
    assert [r["id"] for r in records] == [r.id for r in report.references]
    trial = next(r for r in records if r["id"] == "t1")
    assert trial["type_of_reference"] == "JOUR" and trial["title"] == AWKWARD
    assert trial["authors"] == ["Abdel Hay R", "Doe J"] and trial["secondary_title"] == "J Skin & Hair"
    assert trial["doi"] == "10.1000/t1_x" and trial["accession_number"] == "12" and trial["year"] == "2020"
    fact = next(r for r in records if r["id"] == "r1")
    assert fact["type_of_reference"] == "GOVDOC" and fact["urls"] == ["https://example.org/r1"]


def test_an_answer_without_a_table_or_references_says_which_formats_it_has(base):
    with pytest.raises(InputError, match="no references"):
        render(list_interventions(base), "bibtex")
