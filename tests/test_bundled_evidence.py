"""The bundled evidence base: valid, sourced, and usable end to end."""

from skinevidence.answers.report import build_report
from skinevidence.evidence.files import bundled_evidence_dir, load_evidence
from skinevidence.render import render


def test_the_bundled_base_validates():
    _, issues = load_evidence(bundled_evidence_dir())
    assert [str(i) for i in issues] == []


def test_every_record_keeps_a_public_address_and_no_record_cites_the_seeds(bundled):
    records = [*bundled.studies.values(), *bundled.evidence.regulation, *bundled.evidence.safety]
    for record in records:
        assert record.provenance.urls, record.id
        for url in record.provenance.urls:
            assert url.startswith("http") and "shared/seeds" not in url, (record.id, url)


def test_every_intervention_gets_a_report_in_every_format(bundled):
    for intervention in bundled.interventions:
        report = build_report(bundled, intervention)
        for fmt in ("text", "md", "html", "json"):
            assert render(report, fmt)


def test_every_reference_in_a_report_resolves_to_a_record(bundled):
    report = build_report(bundled, "exosomes")
    known = set(bundled.studies) | {f.id for f in bundled.evidence.regulation} | {s.id for s in bundled.evidence.safety}
    assert {r.id for r in report.references} <= known
