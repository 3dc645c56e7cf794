"""The JSON API under /api/v1: the library's answers, errors as {"error": {code, message, suggestions}}, limits."""

from __future__ import annotations

import pytest

from web_support import client_for

ONE_MIB = 1024 * 1024


def test_report_json_has_references_with_doi_and_pmid(small):
    references = small.get("/api/v1/report/alpha-serum").json()["references"]
    assert references[0]["doi"] == "10.1000/t1" and references[0]["pmid"] == "12"


def test_report_accepts_an_alias_and_answers_the_canonical_intervention(small):
    assert small.get("/api/v1/report/alfa serum").json()["intervention"] == "alpha-serum"


def test_an_unknown_intervention_is_a_404_with_suggestions(small):
    response = small.get("/api/v1/report/alpah-serum")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "suggestions": ["alpha-serum"],
                                         "message": "no intervention called 'alpah-serum' in the evidence base."}}


def test_a_body_over_one_mebibyte_is_refused_with_413_json(web):
    response = web.post("/api/v1/check", content=b'{"text": "' + b"a" * ONE_MIB + b'"}',
                        headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"


def test_a_streamed_body_without_length_is_cut_off_at_the_limit_too(web):
    def chunks():
        yield b'{"text": "'
        for _ in range(20):
            yield b"b" * 65536
        yield b'"}'

    response = web.post("/api/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"


def test_check_returns_each_claim_with_its_span_in_the_text(web):
    text = "Intro line.\nExosomes are clinically proven to erase wrinkles in 7 days."
    claim = web.post("/api/v1/check", json={"text": text}).json()["claims"][0]
    assert text[claim["start"]:claim["end"]] == claim["text"] and claim["verdict"] == "overstated"


def test_check_keeps_only_the_flags_of_the_jurisdictions_asked_for(web):
    text = "This FDA approved exosome serum is clinically proven to regrow collagen."
    claims = web.post("/api/v1/check", json={"text": text, "jurisdictions": ["eu"]}).json()["claims"]
    assert {flag["jurisdiction"] for claim in claims for flag in claim["flags"]} <= {"EU"}


@pytest.mark.parametrize("body", [{"text": "   "}, {"text": ""}, {}, {"text": "x", "unknown": 1}])
def test_unusable_check_input_is_a_422_in_the_error_shape(web, body):
    response = web.post("/api/v1/check", json=body)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "suggestions"}


def test_compare_needs_two_interventions(web):
    response = web.get("/api/v1/compare", params={"i": "exosomes"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"


def test_compare_answers_one_row_per_intervention_on_the_outcome(web):
    answer = web.get("/api/v1/compare", params=[("i", "exosomes"), ("i", "tretinoin"), ("i", "retinol"),
                                                 ("outcome", "wrinkles")]).json()
    assert answer["outcome"] == "wrinkles"
    assert sorted(row["intervention"] for row in answer["rows"]) == ["exosomes", "retinol", "tretinoin"]


def test_ask_maps_a_question_to_intervention_and_outcome(web):
    answer = web.get("/api/v1/ask", params={"q": "does exosome microneedling help acne scars?"}).json()
    assert answer["interventions"] == ["exosomes"] and answer["outcomes"] == ["acne-scars"]


def test_search_finds_an_intervention_by_inci_name(small):
    assert small.get("/api/v1/search", params={"q": "alpha extract"}).json()["match"] == "alpha-serum"


def test_search_suggests_near_misses(web):
    result = web.get("/api/v1/search", params={"q": "exosoms"}).json()
    assert result["match"] is None and "exosomes" in [s["id"] for s in result["suggestions"]]


def test_a_study_is_found_by_its_doi(small):
    assert small.get("/api/v1/study/10.1000/t1").json()["study"]["id"] == "t1"


def test_interventions_lists_every_intervention(small):
    ids = {item["id"] for item in small.get("/api/v1/interventions").json()}
    assert {"alpha-serum", "beta-cream", "gamma-peel"} <= ids


def test_audit_reads_an_article(web):
    answer = web.post("/api/v1/audit", json={"text": "Exosomes are a miracle that erases wrinkles in 3 days."}).json()
    assert answer["claims"]["claims"] and answer["verdict"]


def test_product_reads_an_ingredient_list(web):
    answer = web.post("/api/v1/product", json={"name": "Serum", "inci": ["Water", "Niacinamide"]}).json()
    assert [i["intervention"] for i in answer["ingredients"]] == ["niacinamide"]


def test_openapi_describes_every_api_route(web):
    paths = web.get("/openapi.json").json()["paths"]
    assert {"/api/v1/report/{intervention}", "/api/v1/compare", "/api/v1/ask", "/api/v1/check", "/api/v1/search",
            "/api/v1/study/{study}", "/api/v1/interventions", "/api/v1/audit", "/api/v1/product"} <= set(paths)
    assert not any(path.startswith("/intervention") for path in paths)  # pages are not part of the API


def test_an_unknown_api_address_is_a_json_404(web):
    response = web.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_an_unexpected_error_is_a_500_without_internals(bundled_db):
    client = client_for(bundled_db, raise_server_exceptions=False)

    @client.app.get("/api/v1/broken")
    def broken():
        raise RuntimeError("secret detail at /srv/app/config.py line 7")

    response = client.get("/api/v1/broken")
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_every_answer_carries_a_strict_content_security_policy(web):
    headers = web.get("/api/v1/report/exosomes").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # no scripts at all
    assert headers["x-content-type-options"] == "nosniff"


def test_a_report_is_cached_and_revalidated_with_its_etag(web):
    first = web.get("/api/v1/report/niacinamide")
    again = web.get("/api/v1/report/niacinamide", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_every_schema_and_field_of_the_openapi_document_has_a_description_and_an_example(web):
    schemas = web.get("/openapi.json").json()["components"]["schemas"]
    undocumented = [name for name, schema in schemas.items()
                    if "description" not in schema or not (schema.get("examples") or "example" in schema)]
    fields = [f"{name}.{field}" for name, schema in schemas.items()
              for field, prop in schema.get("properties", {}).items()
              if "description" not in prop or "examples" not in prop]
    assert not undocumented and not fields, (undocumented, fields[:10])


def test_openapi_examples_come_from_real_answers(web):
    schemas = web.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["Grade"]["properties"]["certainty"]["examples"][0] in schemas["Certainty"]["enum"]
    assert schemas["Reference"]["properties"]["url"]["examples"][0].startswith("http")
