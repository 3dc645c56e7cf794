"""The OpenAPI document with a description and an example for every schema and every field.

Descriptions come from ``openapi.yaml`` (by "Schema.field", else by field name). Examples come from real answers:
the library is run once over the evidence base being served (a report, a comparison, questions, a claim check, an
audit, a product check, studies, a search) and each field's first non-empty value is its example, trimmed (one
item of a list, a few keys of a mapping, 300 characters of text); a field no answer fills takes the example in
``openapi.yaml``, else null when it may be null, else its first allowed value. Built on the first request for
``/openapi.json`` and kept.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from skinevidence.evidence.catalog import Catalog

TEXT_LIMIT = 300
REF = "#/components/schemas/"


@cache
def documentation() -> dict:
    path = resources.files("skinevidence.web") / "openapi.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def documented_openapi(app: FastAPI, catalog: Catalog) -> dict:
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
        schemas = document.get("components", {}).get("schemas", {})
        describe(schemas, harvest(schemas, samples(catalog)))
        app.openapi_schema = document
    return app.openapi_schema


def describe(schemas: dict, found: dict[tuple[str, str], Any]) -> None:
    docs = documentation()
    for name, schema in schemas.items():
        if "description" not in schema and name in docs["schemas"]:
            schema["description"] = docs["schemas"][name]
        if "enum" in schema:
            schema.setdefault("examples", [schema["enum"][0]])
        properties = schema.get("properties", {})
        for field, prop in properties.items():
            text = docs["overrides"].get(f"{name}.{field}") or docs["fields"].get(field)
            if text and "description" not in prop:
                prop["description"] = text
            if "examples" not in prop and "example" not in prop:
                value = found.get((name, field), _MISSING)
                if value is _MISSING:
                    value = docs["examples"].get(field, _MISSING)
                if value is _MISSING:
                    value = _fallback(prop, schemas)
                prop["examples"] = [value]
        if properties and "examples" not in schema:
            schema["examples"] = [{field: prop["examples"][0] for field, prop in properties.items()}]


_MISSING = object()


def _fallback(prop: dict, schemas: dict) -> Any:
    """An example no answer gave: null where null is allowed, else the first allowed value."""
    options = prop.get("anyOf", [prop])
    if any(option.get("type") == "null" for option in options):
        return None
    option = options[0]
    if "$ref" in option:
        target = schemas.get(option["$ref"].removeprefix(REF), {})
        return target.get("enum", [None])[0] if "enum" in target else {}
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}}.get(
        option.get("type"), None)


def trimmed(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= TEXT_LIMIT else value[:TEXT_LIMIT].rsplit(" ", 1)[0]
    if isinstance(value, list):
        return [trimmed(v) for v in value[:1]]
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in list(value.items())[:3]}
    return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def harvest(schemas: dict, instances: list[tuple[str, Any]]) -> dict[tuple[str, str], Any]:
    """(schema, field) -> the first non-empty value found in the instances, walking nested schemas."""
    found: dict[tuple[str, str], Any] = {}

    def walk(name: str, value: Any, depth: int = 0) -> None:
        schema = schemas.get(name)
        if schema is None or not isinstance(value, dict) or depth > 8:
            return
        for field, prop in schema.get("properties", {}).items():
            item = value.get(field)
            if _empty(item):
                continue
            found.setdefault((name, field), trimmed(item))
            for target, nested in _nested(prop, item):
                walk(target, nested, depth + 1)

    for name, value in instances:
        walk(name, value)
    return found


def _nested(prop: dict, value: Any):
    """(schema name, value) pairs for a property that holds other schemas (directly, in a list or a mapping)."""
    options = prop.get("anyOf", [prop])
    for option in options:
        if "$ref" in option and isinstance(value, dict):
            yield option["$ref"].removeprefix(REF), value
        items = option.get("items", {})
        if "$ref" in items and isinstance(value, list):
            for item in value[:20]:
                yield items["$ref"].removeprefix(REF), item
        extra = option.get("additionalProperties", {})
        if isinstance(extra, dict):
            inner = extra.get("items", {})
            if "$ref" in inner and isinstance(value, dict):
                for group in list(value.values())[:5]:
                    for item in group[:5] if isinstance(group, list) else []:
                        yield inner["$ref"].removeprefix(REF), item


def samples(catalog: Catalog) -> list[tuple[str, Any]]:
    """Real answers of the library over ``catalog``, as (schema name, JSON)."""
    from skinevidence.answers.ask import ask
    from skinevidence.answers.compare import compare
    from skinevidence.answers.listing import list_interventions, show_study
    from skinevidence.answers.report import build_report
    from skinevidence.answers.search import search
    from skinevidence.claims.audit import audit_text
    from skinevidence.claims.check import check_text
    from skinevidence.claims.product import check_product
    from skinevidence.errors import SkinEvidenceError

    def dump(model) -> Any:
        return model.model_dump(mode="json")

    out: list[tuple[str, Any]] = []
    ranked = sorted(catalog.findings_by_intervention, key=lambda i: -len(catalog.findings_by_intervention[i]))
    if not ranked:
        return out
    first, second = ranked[0], ranked[1] if len(ranked) > 1 else ranked[0]
    names = [catalog.interventions[i].name for i in (first, second)]
    outcome = catalog.outcomes[catalog.findings_by_intervention[first][0][1].outcome].name
    text = (f"{names[0]} is clinically proven to improve {outcome.lower()} in 7 days. FDA approved. "
            f"{names[1]} may help {outcome.lower()}. See doi:10.1000/example.")
    jobs = [
        ("InterventionSummary", lambda: [dump(s) for s in list_interventions(catalog)]),
        ("Outcome", lambda: [dump(o) for o in catalog.outcomes.values()]),
        *[("Report", lambda i=i: dump(build_report(catalog, i))) for i in ranked[:3]],
        ("Comparison", lambda: dump(compare(catalog, [first, second]))),
        *[("Answer", lambda q=q: dump(ask(catalog, q))) for q in (
            f"does {names[0]} help {outcome}?", f"is {names[0]} safe?", f"{names[0]} vs {names[1]}",
            f"can I use {names[0]} while pregnant?", f"is {names[0]} legal in the US?")],
        ("ClaimCheck", lambda: dump(check_text(catalog, text, source="api"))),
        ("AuditReport", lambda: dump(audit_text(catalog, text, source="api"))),
        ("ProductReport", lambda: dump(check_product(catalog, "Example serum", text, ", ".join(
            e.name for e in catalog.evidence.inci[:6])))),
        ("SearchResult", lambda: dump(search(catalog, names[0][:4]))),
        *[("StudyView", lambda s=s: dump(show_study(catalog, s))) for s in _rich_studies(catalog)],
    ]
    for name, job in jobs:
        try:
            made = job()
        except SkinEvidenceError:
            continue
        out += [(name, item) for item in (made if isinstance(made, list) else [made])]
    return out


def _rich_studies(catalog: Catalog) -> list[str]:
    """Studies whose records fill most fields, and one of each status."""
    def filled(study) -> int:
        return sum(not _empty(v) for v in study.model_dump().values()) + sum(
            not _empty(v) for f in study.findings for v in f.model_dump().values())
    studies = sorted(catalog.studies.values(), key=filled, reverse=True)
    chosen = [s.id for s in studies[:3]]
    for status in ("registered", "retracted"):
        chosen += [s.id for s in studies if s.status.value == status][:1]
    with_effect = [s.id for s in studies if any(f.effect_size for f in s.findings)][:1]
    return list(dict.fromkeys(chosen + with_effect))
