"""The catalog: what each intervention is used as, and per-catalog caches."""

from __future__ import annotations

from skinevidence.evidence.catalog import per_catalog


def test_a_class_is_used_as_most_of_its_members_are(evidence):
    evidence.vocabulary("interventions", [
        {"id": "lasers", "name": "Lasers", "kind": "class"},
        {"id": "laser-a", "name": "Laser A", "kind": "procedure", "parent": "lasers"},
        {"id": "laser-b", "name": "Laser B", "kind": "procedure", "parent": "lasers"},
        {"id": "empty-class", "name": "Empty class", "kind": "class"}])
    catalog = evidence.catalog()
    assert catalog.kinds["lasers"] == "procedure"
    assert catalog.kinds["alpha-serum"] == "ingredient"
    assert catalog.kinds["empty-class"] == "ingredient"


def test_a_per_catalog_cache_computes_once_per_catalog_and_argument(evidence):
    calls = []

    @per_catalog
    def names(catalog, prefix: str) -> list[str]:
        calls.append(prefix)
        return sorted(i for i in catalog.interventions if i.startswith(prefix))

    first, second = evidence.catalog(), evidence.catalog()
    assert names(first, "alpha") == names(first, "alpha") == ["alpha-serum", "alpha-serum-plant"]
    names(second, "alpha")
    names(first, "beta")
    assert calls == ["alpha", "alpha", "beta"]
