"""The web answers a person can keep and act on: permalinks and downloads for posted results, cards filtered and
sorted without a script, HEAD, paginated lists and plain error messages."""

from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import finding, study

TEXT = "Alpha serum is clinically proven to erase wrinkles in 7 days."


@pytest.fixture
def site(evidence, tmp_path):
    from web_support import client_for, hand_made
    evidence.add(study("t1"), study("t2", findings=[finding(route="after-microneedling", outcome="pigmentation")]),
                 study("b1", findings=[finding(intervention="beta-cream")]))
    return client_for(hand_made(evidence, tmp_path))


def test_a_posted_check_gets_a_permalink_named_by_its_content(site):
    first = site.post("/check", data={"text": TEXT}, follow_redirects=False)
    again = site.post("/check", data={"text": TEXT}, follow_redirects=False)
    assert first.status_code == 303 and re.fullmatch(r"/check/[0-9a-f]{40}", first.headers["location"])
    assert again.headers["location"] == first.headers["location"]
    page = site.get(first.headers["location"]).text
    assert "clinically proven" in page and f'href="{first.headers["location"]}"' in page


def test_a_saved_check_downloads_as_csv_json_and_markdown(site):
    address = site.post("/check", data={"text": TEXT}, follow_redirects=False).headers["location"]
    rows = list(csv.DictReader(io.StringIO(site.get(f"{address}.csv").text)))
    assert rows and rows[0]["text"] == TEXT
    assert site.get(f"{address}.json").json()["claims"][0]["text"] == TEXT
    markdown = site.get(f"{address}.md")
    assert markdown.headers["content-disposition"].startswith("attachment") and "# Claims" in markdown.text


def test_audit_and_product_results_have_permalinks_too(site):
    audit = site.post("/audit", data={"text": TEXT}, follow_redirects=False)
    product = site.post("/product", data={"name": "Alpha", "claims": TEXT, "inci": "Aqua, Alpha extract"},
                        follow_redirects=False)
    assert re.fullmatch(r"/audit/[0-9a-f]{40}", audit.headers["location"])
    assert re.fullmatch(r"/product/[0-9a-f]{40}", product.headers["location"])
    assert site.get(product.headers["location"]).status_code == 200


def test_an_unknown_permalink_is_a_404(site):
    assert site.get("/check/" + "0" * 40).status_code == 404


def test_cards_are_filtered_by_route_and_sorted_by_certainty(site):
    everything = site.get("/intervention/alpha-serum").text.count('<article class="card')
    topical = site.get("/intervention/alpha-serum", params={"route": "topical", "sort": "certainty"}).text
    assert everything == 2 and topical.count('<article class="card') == 1
    assert '<option value="topical" selected>' in topical


def test_an_unknown_filter_value_is_ignored(site):
    page = site.get("/intervention/alpha-serum", params={"route": "no-such-route", "sort": "x"})
    assert page.status_code == 200 and page.text.count('<article class="card') == 2


def test_the_report_downloads_as_csv_and_bibtex(site):
    rows = list(csv.DictReader(io.StringIO(site.get("/api/v1/report/alpha-serum.csv").text)))
    assert {r["outcome"] for r in rows} >= {"wrinkles", "pigmentation"}
    assert "@article{t1," in site.get("/api/v1/report/alpha-serum.bib").text or \
        "@misc{t1," in site.get("/api/v1/report/alpha-serum.bib").text


@pytest.mark.parametrize("address", ["/api/v1/report/alpha-serum", "/intervention/alpha-serum", "/healthz"])
def test_head_answers_the_get_headers_without_a_body(site, address):
    head, get = site.head(address), site.get(address)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers.get("etag") == get.headers.get("etag")


def test_lists_are_paginated_with_a_total_and_links(site):
    page = site.get("/api/v1/interventions", params={"limit": 2, "offset": 1})
    assert len(page.json()) == 2 and page.headers["x-total-count"] == "5"
    assert 'offset=3&limit=2>; rel="next"' in page.headers["link"] and 'rel="prev"' in page.headers["link"]


def test_a_validation_error_reads_plainly(site):
    error = site.get("/api/v1/compare", params={"i": "alpha-serum"}).json()["error"]
    assert error == {"code": "invalid_input", "message": "invalid input: query parameter 'i' needs at least 2",
                     "suggestions": []}


def test_a_wrong_method_names_the_method_and_allows_the_right_one(site):
    response = site.post("/api/v1/report/alpha-serum")
    assert response.status_code == 405 and "POST" in response.json()["error"]["message"]
    assert response.headers["allow"] == "GET"


def test_a_cached_page_is_sent_gzipped_to_a_client_that_accepts_it_with_its_own_etag(site):
    plain = site.get("/intervention/alpha-serum", headers={"accept-encoding": "identity"})
    packed = site.get("/intervention/alpha-serum", headers={"accept-encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.text == plain.text
    assert packed.headers["etag"] != plain.headers["etag"] and packed.headers["vary"] == "Accept-Encoding"
    again = site.get("/intervention/alpha-serum", headers={"accept-encoding": "gzip",
                                                           "if-none-match": packed.headers["etag"]})
    assert again.status_code == 304


ADDRESSES = ["/intervention/alpha-serum", "/intervention/alpha-serum?sort=certainty", "/api/v1/report/alpha-serum",
             "/api/v1/report/alpha-serum.csv", "/api/v1/interventions?limit=2&offset=1", "/plots/pyramid/alpha-serum.svg"]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_an_answer_given_again_by_its_address_is_the_same_status_headers_and_body(site, address, encoding):
    first = site.get(address, headers={"accept-encoding": encoding})
    again = site.get(address, headers={"accept-encoding": encoding})
    assert first.status_code == again.status_code == 200
    assert again.headers.multi_items() == first.headers.multi_items() and again.content == first.content


def test_head_on_an_answer_given_again_has_the_headers_of_get_and_no_body(site):
    get = site.get("/intervention/alpha-serum")
    head = site.head("/intervention/alpha-serum")
    assert head.status_code == 200 and not head.content
    assert head.headers["content-length"] == get.headers["content-length"] and head.headers["etag"] == get.headers["etag"]


def test_an_answer_is_given_again_only_for_its_own_address_and_encoding(site):
    other = site.get("/intervention/beta-cream").text
    site.get("/intervention/alpha-serum", headers={"accept-encoding": "gzip"})
    plain = site.get("/intervention/alpha-serum", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and "Alpha serum" in plain.text and plain.text != other


def test_an_error_is_never_given_again_as_if_it_were_an_answer(site):
    assert site.get("/intervention/no-such-thing").status_code == 404
    assert site.get("/intervention/no-such-thing").status_code == 404
    assert site.get("/api/v1/interventions?limit=0").status_code == 422
    assert site.get("/api/v1/interventions?limit=0").status_code == 422
