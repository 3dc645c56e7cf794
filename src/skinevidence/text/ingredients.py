"""A label's ingredient list read entry by entry: what each ingredient is and the role it plays in the formula.

An entry is an active when the vocabulary knows it (an intervention's name, alias or INCI name); otherwise its role
comes from the functions the INCI dictionary states for it (``evidence/inci.py``), read through
``lexicons/inci_roles.yaml``; the names the law lets a label print ("parfum", "CI 77891") speak for themselves.
An entry no source describes has no role: it is never guessed.

Real label syntax is read: "Aqua/Water/Eau", "Aqua (Water, Eau)", "Cyclopentasiloxane (and) Dimethicone",
"Butyrospermum Parkii (Shea) Butter", "Niacinamide (10%)", "CI 77891", "May contain [+/-]: ...", trailing
asterisks and footnotes, an "Ingredients:" preamble, any case.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel

from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog, normalise, per_catalog
from skinevidence.evidence.inci import InciEntry, inci_dictionary, label_key
from skinevidence.text.lexicon import Lexicon, lexicon_file
from skinevidence.text.mapping import catalog_entries

MAX_INCI_ITEMS = 300
ACTIVE = "active"
LAW = "Regulation (EC) No 1223/2009, Article 19(1)(g)"
NOMENCLATURE = "read from the INCI name"

# commas outside parentheses and brackets, except between digits ("1,2-Hexanediol"); semicolons, lines, bullets
_SPLIT = re.compile(r"(?:(?<!\d),|,(?!\d))(?![^()\[\]]*[)\]])|;|\n|•|·")
_PREAMBLE = re.compile(r"^\s*(?:full\s+)?(?:ingredients?(?:\s+list)?|ingr[ée]dients?|inci|composition)\s*[:：]\s*", re.IGNORECASE)
_ACTIVE_HEADINGS = re.compile(r"\b(?:in)?active ingredients?\s*[:：]", re.IGNORECASE)
_MAY_CONTAIN = re.compile(r"^\s*\[?\s*(?:may contain|peut contenir|kann enthalten|\+\s*/\s*[-−]|±)\s*\]?\s*[:：]?\s*",
                          re.IGNORECASE)
_MAY_CONTAIN_INLINE = re.compile(r"\.?\s*(?=(?:may contain|peut contenir|kann enthalten)\b|\+\s*/\s*[-−])", re.IGNORECASE)
_BRACKETED_MAY_CONTAIN = re.compile(r"\[\s*((?:may contain|peut contenir|\+\s*/\s*[-−]|±)[^\]]*)\]", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(?:^|\.\s*)[*†°]+\s*[A-Za-z].*$")
_CONCENTRATION = re.compile(r"\s*\(?\s*\d+(?:[.,]\d+)?\s*%\s*\)?\s*$")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_COLOUR_INDEX = re.compile(r"^ci \d{5}$")


class LabelEntry(BaseModel):
    printed: str             # the entry as the label prints it, without markers and footnote signs
    names: list[str]         # what to look it up as, most specific first
    may_contain: bool        # listed under "may contain" / "[+/-]" (colourants of a shade range)


class IngredientRole(BaseModel):
    label_name: str
    role: str | None          # "active", or a role of lexicons/inci_roles.yaml; None when no source states one
    role_label: str | None
    roles: list[str]          # every role, the main one first
    functions: list[str]      # in the words of the dictionary source that lists the name
    functions_source: str | None  # that source: keys of the dictionary's sources.json, joined by " + "
    intervention: str | None  # for an active
    matched: str | None       # the name it was read as
    source: str | None        # what gave the role: "vocabulary", a dictionary source, or the law's article
    may_contain: bool


def read_label(inci: str | list[str]) -> list[LabelEntry]:
    """An ingredient list split into entries; commas inside parentheses stay with their ingredient."""
    if isinstance(inci, list):
        items = inci
    else:
        text = _ACTIVE_HEADINGS.sub("\n", _PREAMBLE.sub("", inci))
        text = _BRACKETED_MAY_CONTAIN.sub(lambda m: "\n" + re.sub(r",\s*", ", +/- ", m.group(1)), text)
        text = _MAY_CONTAIN_INLINE.sub("\n", re.sub(r"\s*\(and\)\s*", ", ", text, flags=re.IGNORECASE))
        items = _SPLIT.split(text)
    entries, may_contain = [], False
    for item in items:
        item = _FOOTNOTE.sub("", re.sub(r"\s+", " ", item)).strip()
        marker = _MAY_CONTAIN.match(item)
        if marker:
            may_contain, item = True, item[marker.end():]
        printed = item.strip(" .*†°:")
        if printed:
            entries.append(LabelEntry(printed=printed, names=_names(printed), may_contain=may_contain))
    if len(entries) > MAX_INCI_ITEMS:
        raise InputError(f"the ingredient list has {len(entries)} entries; at most {MAX_INCI_ITEMS} are read")
    return entries


def _names(printed: str) -> list[str]:
    """The full entry, then without its parentheses and concentration, then what the parentheses hold, then each
    of its slash-separated names ("Aqua/Water/Eau")."""
    bare = _CONCENTRATION.sub("", printed)
    outside = " ".join(_PARENTHESES.sub(" ", bare).split())
    inside = [part.strip() for group in _PARENTHESES.findall(bare) for part in group.split(",")]
    names = [printed, bare, outside, *(p for p in inside if p and not _CONCENTRATION.fullmatch(p))]
    names += [part.strip() for name in (bare, outside) for part in re.split(r"\s*[/\\]\s*", name) if "/" in name
              or "\\" in name]
    return list(dict.fromkeys(n for n in names if n))


@per_catalog
def ingredient_lexicon(catalog: Catalog) -> Lexicon:
    return Lexicon([e for e in catalog_entries(catalog) if e[1] == "intervention"])


def identify(catalog: Catalog, label_name: str) -> str | None:
    """The intervention an ingredient-list entry names (exact name, INCI name or alias, else a phrase inside it)."""
    key = normalise(re.sub(r"\([^)]*\)", " ", label_name))
    if key in catalog.intervention_names:
        return catalog.intervention_names[key]
    matches = ingredient_lexicon(catalog).find(label_name)
    return matches[0].id if matches else None


@cache
def _role_terms() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised function term -> role, role -> label), roles in their order of precedence."""
    roles = lexicon_file("inci_roles")["roles"]
    terms = {normalise(term): role for role, spec in roles.items() for term in spec["functions"]}
    return terms, {role: spec["label"] for role, spec in roles.items()}


@cache
def _label_terms() -> dict[str, tuple[str, str]]:
    """Normalised label term -> (role, the law that gives it)."""
    return {normalise(term): (group["role"], group["source"]) for group in lexicon_file("inci_roles")["label_terms"]
            for term in group["terms"]}


@cache
def _label_patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(name form, role, the law that gives it)."""
    return tuple((re.compile(p), group["role"], group["source"])
                 for group in lexicon_file("inci_roles").get("label_patterns", []) for p in group["patterns"])


def _law_term(key: str) -> tuple[str, str] | None:
    """The role the law gives a label term, also when a supplier's code follows it ("fragrance 13576"), or a name
    form the law sets ("FD&C Blue No. 1", "Red 40")."""
    terms = _label_terms()
    found = terms.get(key) or terms.get(re.sub(r"\s+[\w-]*\d[\w-]*$", "", key))
    return found or next(((role, law) for pattern, role, law in _label_patterns() if pattern.match(key)), None)


def roles_of(functions: list[str]) -> list[str]:
    """The roles a list of functions gives, in the lexicon's order of precedence."""
    terms, labels = _role_terms()
    found = {terms[normalise(f)] for f in functions if normalise(f) in terms}
    return [role for role in labels if role in found]


def role_label(role: str | None) -> str | None:
    return "active of the evidence base" if role == ACTIVE else _role_terms()[1].get(role) if role else None


def classify(catalog: Catalog, entry: LabelEntry) -> IngredientRole:
    """What a label entry is: an active of the vocabulary, or the role its dictionary functions give, or the role
    the law gives a label term; else unknown. The vocabulary is asked for the exact name first, a phrase inside the
    name ("Camellia Sinensis Leaf Extract") only when no source gives the name a role."""
    def result(role, roles, found: InciEntry | None = None, intervention=None, matched=None, source=None):
        return IngredientRole(label_name=entry.printed, role=role, role_label=role_label(role), roles=list(roles),
                              functions=found.functions if found else [],
                              functions_source=" + ".join(found.sources) if found else None, intervention=intervention,
                              matched=matched, source=source, may_contain=entry.may_contain)

    for name in entry.names:
        if normalise(name) in catalog.intervention_names:
            found = inci_dictionary().lookup(name)
            return result(ACTIVE, [ACTIVE, *roles_of(found.functions if found else [])], found,
                          catalog.intervention_names[normalise(name)], name, "vocabulary")
    known: InciEntry | None = None
    for name in entry.names:
        found = inci_dictionary().lookup(name)
        if found is None:
            continue
        intervention = _vocabulary(catalog, found)
        if intervention:
            return result(ACTIVE, [ACTIVE, *roles_of(found.functions)], found, intervention, found.name, "vocabulary")
        roles = roles_of(found.functions)
        if roles:
            return result(roles[0], roles, found, matched=found.name, source=" + ".join(found.sources))
        known = known or found
    for name in entry.names:
        key = label_key(name)
        law = _law_term(key)
        if law is not None:
            return result(law[0], [law[0]], matched=name, source=law[1])
        if _COLOUR_INDEX.match(key):
            return result("colourant", ["colourant"], matched=name, source=LAW)
    intervention = identify(catalog, entry.printed)
    if intervention:
        return result(ACTIVE, [ACTIVE], intervention=intervention, matched=entry.printed, source="vocabulary")
    for name in entry.names:
        named = nomenclature_class(name)
        if named is not None:
            chemical_class, role = named
            if role:
                return result(role, [role], known, matched=name, source=f"{NOMENCLATURE}: {chemical_class}")
            parent = parent_acid(name)
            if parent is not None:
                acid, roles, how = parent
                return result(roles[0], roles, known, matched=name, source=f"{NOMENCLATURE}: salt of {acid} ({how})")
            break
    return result(None, [], known, matched=known.name if known else None)


@cache
def _nomenclature() -> tuple[tuple[str, str, tuple[re.Pattern[str], ...]], ...]:
    return tuple((rule["class"], rule["role"], tuple(re.compile(p) for p in rule["patterns"]))
                 for rule in lexicon_file("inci_roles")["nomenclature"])


def nomenclature_class(name: str) -> tuple[str, str] | None:
    """The chemical class an INCI name's own form shows ("Steareth-21": an ethoxylated material) and the role that
    class plays in a formula ('' when the class says nothing about a role), by the first matching convention of
    ``lexicons/inci_roles.yaml``; None when the name shows no class."""
    key = normalise(name)
    for chemical_class, role, patterns in _nomenclature():
        if any(p.search(key) for p in patterns):
            return chemical_class, role
    return None


_SALT = re.compile(r"^(?:(?:mono|di|tri|tetra)?(?:sodium|potassium|calcium|magnesium|zinc|ammonium|aluminum|aluminium|"
                   r"copper|mea|tea) )+([a-z]+)ate$")


def parent_acid(name: str) -> tuple[str, list[str], str] | None:
    """A salt named "<cation> <stem>ate" does in a formula what its acid "<stem>ic acid" does, where a source or the
    acid's own name gives the acid a formulation role ("Potassium Sorbate": sorbic acid, a preservative of Annex V).
    (the acid, its roles, what gave them); None when the name is no such salt or its acid has no role."""
    match = _SALT.match(normalise(name))
    if match is None:
        return None
    acid = f"{match.group(1)}ic acid"
    found = inci_dictionary().lookup(acid)
    roles = roles_of(found.functions) if found else []
    if roles and found:
        return acid, roles, " + ".join(found.sources)
    named = nomenclature_class(acid)
    if named is not None and named[1] and named[1] != "emollient":  # a fatty acid's salt is a soap, read above
        return acid, [named[1]], named[0]
    return None


def _vocabulary(catalog: Catalog, entry: InciEntry) -> str | None:
    """The intervention a dictionary entry's name or synonyms name exactly in this evidence base."""
    return next((catalog.intervention_names[normalise(n)] for n in (entry.name, *entry.synonyms)
                 if normalise(n) in catalog.intervention_names), None)


def read_ingredients(catalog: Catalog, inci: str | list[str]) -> list[IngredientRole]:
    """Every entry of an ingredient list with its role."""
    return [classify(catalog, entry) for entry in read_label(inci)]
