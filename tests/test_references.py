"""References lead a reader to the study: its DOI, PubMed or PMC page, else its registry record, else the page read."""

from conftest import study
from skinevidence.evidence.models import Study
from skinevidence.evidence.references import study_url

AGGREGATOR = {"urls": ["https://trial-mirror.example/NCT01234567"], "read_on": "2026-12-02", "coded_by": "curated"}


def registered(**overrides) -> Study:
    record = study("r1", status="registered", provenance=AGGREGATOR,
                   findings=[{"intervention": "alpha-serum", "outcome": "wrinkles", "route": "topical",
                              "comparator": "vehicle", "direction": "not-reported"}])
    record.update(overrides)
    return Study.model_validate(record)


def test_a_registered_trial_links_to_its_clinicaltrials_gov_record_not_the_mirror_it_was_read_on():
    assert study_url(registered(registry_ids=["NCT01234567"])) == "https://clinicaltrials.gov/study/NCT01234567"


def test_an_isrctn_trial_links_to_the_isrctn_registry():
    assert study_url(registered(registry_ids=["ISRCTN12345678"])) == "https://www.isrctn.com/ISRCTN12345678"


def test_a_registry_without_an_id_based_address_keeps_the_page_read():
    assert study_url(registered(registry_ids=["IRCT20200127046282N44"])) == AGGREGATOR["urls"][0]


def test_a_doi_comes_before_the_registry():
    assert study_url(registered(registry_ids=["NCT01234567"], doi="10.1000/r1")) == "https://doi.org/10.1000/r1"
