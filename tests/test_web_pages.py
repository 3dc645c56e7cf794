"""The HTML pages: server-rendered, usable without JavaScript, every user text escaped, uploads checked."""

from __future__ import annotations

import re

import pytest

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_home_has_a_labelled_search_box(web):
    page = web.get("/").text
    assert re.search(r'<label for="q">[^<]+</label>', page) and 'id="q" name="q"' in page


def test_search_by_alias_goes_straight_to_the_intervention(small):
    response = small.get("/search", params={"q": "Alfa Serum"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/intervention/alpha-serum"


def test_search_by_inci_name_goes_straight_to_the_intervention(small):
    response = small.get("/search", params={"q": "ALPHA EXTRACT"}, follow_redirects=False)
    assert response.headers["location"] == "/intervention/alpha-serum"


def test_a_misspelling_offers_did_you_mean(web):
    response = web.get("/search", params={"q": "exosoms"})
    assert response.status_code == 200
    assert "Did you mean" in response.text and 'href="/intervention/exosomes"' in response.text


def test_a_non_canonical_intervention_address_redirects_to_the_canonical_one(small):
    response = small.get("/intervention/Alfa%20Serum", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/intervention/alpha-serum"


def test_an_unknown_intervention_page_is_a_404_with_suggestions(small):
    response = small.get("/intervention/alpah-serum")
    assert response.status_code == 404 and 'href="/intervention/alpha-serum"' in response.text


def test_intervention_page_shows_verdict_a_card_per_outcome_and_references(small):
    page = small.get("/intervention/alpha-serum").text
    assert "Verdict." in page and page.count('<article class="card') == 1
    assert 'href="https://doi.org/10.1000/t1"' in page and 'href="/study/t1"' in page


def test_intervention_page_draws_the_design_pyramid_with_a_text_alternative(small):
    page = small.get("/intervention/alpha-serum").text
    assert re.search(r'<img src="/plots/pyramid/alpha-serum.svg" alt="Design pyramid for Alpha serum[^"]*1 '
                     r'randomised trial', page)


def test_compare_page_keeps_the_choices_in_a_shareable_address(web):
    page = web.get("/compare", params=[("i", "exosomes"), ("i", "tretinoin"), ("i", "retinol"),
                                       ("outcome", "wrinkles")]).text
    assert 'value="tretinoin"' in page and '<option value="wrinkles" selected>' in page
    assert re.search(r'href="/compare\?i=[a-z]+&amp;i=[a-z]+&amp;i=[a-z]+&amp;outcome=wrinkles"', page)
    assert '<img src="/plots/compare.svg?' in page


def test_compare_page_with_an_unknown_name_shows_the_form_and_suggestions(web):
    response = web.get("/compare", params=[("i", "exosomes"), ("i", "trettinoinn")])
    assert response.status_code == 404 and 'href="/intervention/tretinoin"' in response.text
    assert 'value="trettinoinn"' in response.text  # what was typed stays in the form


def test_pasted_script_comes_back_inert(web):
    page = web.post("/check", data={"text": f"Exosomes erase wrinkles in 7 days. {XSS}"}).text
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_claims_are_highlighted_in_place_with_their_verdicts(web):
    text = "Our story.\nExosomes are clinically proven to erase wrinkles in 7 days."
    page = web.post("/check", data={"text": text}).text
    assert ('<mark id="mark-1" class="v-overstated">Exosomes are clinically proven to erase wrinkles in 7 days.'
            '</mark>') in page
    assert 'href="#claim-1"' in page and 'id="claim-1"' in page


def test_an_uploaded_html_file_is_checked_as_its_text(web):
    html = b"<html><body><h1>Serum</h1><p>Exosomes erase wrinkles in 7 days.</p><script>evil()</script></body></html>"
    page = web.post("/check", files={"file": ("../../secret/page.html", html, "text/html")}).text
    assert '<mark id="mark-1"' in page and "evil()" not in page and "secret" not in page


def test_an_upload_of_another_type_is_refused(web):
    response = web.post("/check", files={"file": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert response.status_code == 422 and "upload a .txt, .md or .html file" in response.text


def test_a_binary_upload_with_a_text_name_is_refused(web):
    response = web.post("/check", files={"file": ("notes.txt", b"\x00\x01\x02" * 100, "text/plain")})
    assert response.status_code == 422 and "looks binary" in response.text


def test_an_empty_check_is_refused_with_the_form_again(web):
    response = web.post("/check", data={"text": "  "})
    assert response.status_code == 422 and '<textarea id="text"' in response.text


def test_a_page_post_over_the_limit_is_a_413_page(web):
    response = web.post("/check", data={"text": "a" * (1024 * 1024 + 1)})
    assert response.status_code == 413 and "text/html" in response.headers["content-type"]


def test_audit_page_highlights_the_claims_of_an_article(web):
    page = web.post("/audit", data={"text": "Exosomes are a miracle that erases wrinkles in 3 days."}).text
    assert "<mark" in page and "DISCERN" in page


def test_product_page_reads_the_ingredient_list(web):
    page = web.post("/product", data={"name": "Glow", "inci": "Water, Glycerin, Niacinamide"}).text
    assert "Niacinamide" in page and "Product check: Glow" in page


def test_study_page_by_doi_redirects_to_the_coded_record(small):
    response = small.get("/study/10.1000/t1", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/study/t1"
    assert "Trial t1" in small.get("/study/t1").text


def test_ask_page_answers_a_question(web):
    page = web.get("/ask", params={"q": "does retinol help wrinkles?"}).text
    assert "Answer." in page and "Retinol" in page


def test_method_page_explains_the_grades_in_plain_words(web):
    page = web.get("/method").text
    assert "Only studies in people count" in page and "moves a grade down" in page


def test_the_evidence_map_and_pyramid_are_svg(web):
    for address in ("/plots/map.svg", "/plots/pyramid/exosomes.svg", "/plots/compare.svg?i=exosomes&i=retinol"):
        response = web.get(address)
        assert response.headers["content-type"] == "image/svg+xml" and response.content.lstrip().startswith(b"<?xml")


@pytest.mark.parametrize("address", ["/", "/intervention/exosomes", "/compare?i=exosomes&i=retinol", "/check",
                                     "/method", "/audit", "/product"])
def test_pages_need_no_script_and_load_nothing_from_elsewhere(web, address):
    page = web.get(address).text
    assert "<script" not in page
    assert not re.search(r'<(?:link|img)[^>]+(?:href|src)="(?:https?:)?//', page)


@pytest.mark.parametrize("address", ["/", "/intervention/exosomes", "/check", "/compare"])
def test_every_form_field_has_a_label(web, address):
    page = web.get(address).text
    fields = re.findall(r'<(?:input|textarea|select)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', page)
    assert fields and all(f'for="{field}"' in page for field in fields)


def test_an_unknown_page_is_a_404_page(web):
    response = web.get("/no/such/page")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
