"""Audits on any topic (docs/audit.md): hype, commercial signals, testimonials and uncertainty come from general
lexicons, and an article about something the evidence base does not know is never called careful on content."""

from skinevidence.claims.audit import audit_text

CAREFUL_BUT_UNKNOWN = """Zorbanide: what the evidence says
Published 2 March 2025 by Dr Jane Roe, dermatologist.
Zorbanide is a new ingredient in some serums. There are no randomised trials of zorbanide yet, only small samples,
and more research is needed before anyone can say whether it helps. Side effects such as irritation are possible;
patch test first. Alternatives with better evidence include sunscreen. Talk to your dermatologist.
"""


def test_an_article_on_an_unknown_topic_is_not_called_careful_and_says_why(bundled):
    report = audit_text(bundled, CAREFUL_BUT_UNKNOWN)
    assert report.verdict != "careful and balanced"
    assert "zorbanide" in report.verdict.lower() and "not in the evidence base" in report.summary


def test_uncertainty_and_risk_statements_are_credited_to_discern(bundled):
    items = {i.item: i for i in audit_text(bundled, CAREFUL_BUT_UNKNOWN).discern}
    assert items["Q8"].score >= 3 and any("small samples" in e.text for e in items["Q8"].evidence)
    assert items["Q11"].score >= 3


def test_an_unsourced_multiple_is_hype_and_a_sourced_one_is_not(bundled):
    text = "This cream is five times more effective than retinol.\nIt was 2 times more effective (Roe et al., 2021)."
    numbers = [f for f in audit_text(bundled, text).spin if f.rule == "unsupported-number"]
    assert [f.text for f in numbers] == ["This cream is five times more effective than retinol."]


def test_testimonials_offered_as_evidence_are_found(bundled):
    text = "I've been using this mask for six weeks and my acne is gone. Results may vary."
    assert any(f.kind == "testimonial" for f in audit_text(bundled, text).spin)


def test_discount_codes_purchase_links_and_shop_pages_are_commercial_signals(bundled):
    report = audit_text(bundled, "Use code GLOW20 for 20% off today.", source="https://example-shop.com/blogs/glow",
                        links=["https://example.com/products/glow-serum"])
    assert {"promotion", "purchase-link", "shop-page"} <= {f.rule for f in report.commercial}


def test_an_audit_of_a_text_shorter_than_a_block_reads_it_once_for_claims_and_cues(bundled, monkeypatch):
    from skinevidence.claims import reading
    calls = []
    original = reading.read_text
    monkeypatch.setattr(reading, "read_text", lambda *a: calls.append(1) or original(*a))
    audit_text(bundled, CAREFUL_BUT_UNKNOWN)
    assert calls == [1]
