"""Article audits (docs/audit.md): specific findings with their spans and rules, never totals pinned."""

import pytest

from skinevidence.claims.audit import audit_text
from skinevidence.errors import InputError


@pytest.fixture
def audits(bundled, seed):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = audit_text(bundled, seed(name), source=name)
        return cache[name]
    return get


@pytest.mark.parametrize("name", ["000", "001"])
def test_careful_articles_come_out_careful_and_balanced(audits, name):
    assert audits(name).verdict == "careful and balanced"


def test_the_article_with_overclaims_is_not_rated_careful(audits):
    report = audits("003")
    assert report.verdict != "careful and balanced"
    assert report.balance < min(audits("000").balance, audits("001").balance)


def test_004_sits_between_the_careful_articles_and_003_on_overclaims(audits):
    shares = {n: audits(n).balance_parts["weighted overclaim share"] for n in ("000", "001", "003", "004")}
    assert shares["004"] < shares["003"]


def test_003_vague_citations_are_found_and_counted_unverifiable(audits):
    report = audits("003")
    vague = [c for c in report.citations if c.kind == "vague"]
    assert any(c.value.startswith("A study published in BioMed Central") for c in vague)
    assert all(c.status == "unverifiable" for c in vague)
    assert report.citation_summary["vague"] == len(vague)


def test_003_specific_citations_not_coded_are_said_so(audits):
    pmc = [c for c in audits("003").citations if c.kind == "pmcid"]
    assert pmc and all(c.status in ("matched", "not in evidence base") for c in pmc)


def test_003_timelines_are_overclaims_with_their_spans(audits, seed):
    report, text = audits("003"), seed("003")
    timeline = [c for c in report.claims.claims if c.text.startswith(("2 weeks:", "4 weeks:"))]
    assert len(timeline) == 2 and all(c.overclaim for c in timeline)
    assert all(text[c.start:c.end] == c.text for c in timeline)


def test_003_hype_beside_weak_evidence_is_spin(audits):
    spin = [f for f in audits("003").spin if f.rule == "superlative-beside-weak-evidence"]
    assert any("ideal candidates" in f.text for f in spin)


def test_003_says_it_was_written_with_ai(audits):
    assert any(f.rule == "ai-written" for f in audits("003").commercial)


def test_every_discern_item_is_scored_1_to_5_with_its_reason(audits):
    for item in audits("004").discern:
        assert 1 <= item.score <= 5 and item.reason


def test_risks_are_credited_with_the_sentences_that_discuss_them(audits, seed):
    q11 = next(i for i in audits("004").discern if i.item == "Q11")
    assert q11.score >= 3 and all(seed("004")[e.start:e.end] == e.text[:len(seed("004")[e.start:e.end])]
                                  for e in q11.evidence)


def test_an_article_without_author_or_date_fails_those_jama_benchmarks(bundled):
    report = audit_text(bundled, "Exosomes boost collagen. Buy now and use code GLOW for 20% off!")
    jama = {i.item: i.rating for i in report.jama}
    assert jama["authorship"] == "not met" and jama["currency"] == "not met"
    assert any(f.rule == "promotion" for f in report.commercial)


def test_html_is_reduced_to_text_and_scripts_never_reach_the_output(bundled):
    page = ("<html><head><title>Serum</title><script>alert('x')</script></head><body><p>Exosomes "
            "<b>boost</b> collagen.</p><a href='https://amzn.to/abc'>buy</a></body></html>")
    report = audit_text(bundled, page)
    assert report.title == "Serum" and "alert" not in "".join(s.text for s in report.segments)
    assert any(f.rule == "affiliate" for f in report.commercial)


def test_the_html_report_highlights_claims_and_stays_inert(bundled):
    from skinevidence.render import render
    report = audit_text(bundled, "Exosomes are a breakthrough <img src=x onerror=alert(1)> that erases wrinkles.")
    html = render(report, "html")
    assert '<mark class="v-' in html and "<img" not in html and "&lt;img" in html


def test_an_html_page_without_text_is_refused(bundled):
    with pytest.raises(InputError):
        audit_text(bundled, "<html><body><script>only()</script></body></html>")


def _coded(bundled, design: str):
    return next(s for s in bundled.studies.values() if s.design.value == design and s.doi)


def test_a_cell_study_cited_for_a_result_in_people_is_caught(bundled):
    cells = _coded(bundled, "in-vitro")
    page = f"<p>Exosomes reversed skin aging in patients (https://doi.org/{cells.doi}).</p>"
    citation = next(c for c in audit_text(bundled, page).citations if c.kind == "doi")
    assert citation.study == cells.id and any("for a result in people" in p for p in citation.problems)


def test_a_trial_cited_for_what_it_showed_raises_no_problem(bundled):
    trial = _coded(bundled, "split-body-rct")
    citation = next(c for c in audit_text(bundled, f"A split-face trial in patients (doi: {trial.doi}).").citations
                    if c.kind == "doi")
    assert citation.status == "matched" and citation.problems == []


def test_shop_links_are_commercial_signals_not_citations(bundled):
    report = audit_text(bundled, '<p>Exosomes boost collagen. <a href="https://amzn.to/x">Shop our pick</a></p>')
    assert all("amzn" not in c.value for c in report.citations)
    assert {f.rule for f in report.commercial} >= {"affiliate", "promotion"}


def test_line_breaks_inside_an_html_paragraph_do_not_split_its_sentences(bundled):
    report = audit_text(bundled, "<p>Exosomes boost\ncollagen in people\n(doi: 10.1000/x).</p>")
    assert any("(doi: 10.1000/x)" in c.sentence for c in report.citations)
