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


def test_every_intervention_has_its_own_pregnancy_and_lactation_record(bundled):
    """A statement with its source, or a 'no information found' record naming the pages checked (issue 12)."""
    covered = {(s.intervention, s.kind.value) for s in bundled.evidence.safety}
    missing = [(i, kind) for i in bundled.interventions for kind in ("pregnancy", "lactation")
               if (i, kind) not in covered]
    assert missing == []


def test_every_intervention_has_a_regulatory_fact_or_a_no_statement_record_for_itself_or_its_family(bundled):
    """A member is covered by a fact about itself or its class; a class by the facts about its members."""
    about = {f.intervention for f in bundled.evidence.regulation}
    assert [i for i in bundled.interventions if not about & bundled.related(i)] == []


def test_every_summary_states_pregnancy_breastfeeding_and_the_regulators_position(bundled):
    for intervention in ("retinoids", "squalane", "red-light-therapy", "exosomes"):
        summary = build_report(bundled, intervention).summary
        texts = [p.text for p in summary.safety]
        assert any(t.startswith("Pregnancy") for t in texts) and any(t.startswith("Breastfeeding") for t in texts)
