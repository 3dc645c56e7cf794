"""What a text, and each sentence of it, is about: interventions of the evidence base, and names it does not know.

The evidence verdict of a claim is about its subject: the intervention the sentence names; else the one a pronoun,
a list lead or a heading refers to; else the product under check or the text's topic. A name the evidence base does
not know ("PDRN", "snail mucin", "LED light therapy") is found from general cues (``lexicons/subjects.yaml``): an
abbreviation, the words before a product form ("X serum", "X supplements"), an INCI-style name ("... Extract",
"... Filtrate"), a chemical-looking word. Such a subject is reported as unknown, never replaced by another
intervention. A mention that is negated, compared or merely an ingredient of something else ("unlike retinol",
"rich in hyaluronic acid") is never the subject.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from skinevidence.evidence.catalog import Catalog, normalise, per_catalog
from skinevidence.text.lexicon import lexicon_file
from skinevidence.text.reading import Document, Sentence

LEAD_LINES = 3          # the first lines of a text (title, headline) weigh more when counting mentions
LEAD_WEIGHT = 3
MIN_TOPIC_MENTIONS = 2  # an unknown name must recur to be what a text is about
EXCLUDING = re.compile(
    r"(?:\b(?:than|unlike|instead\s+of|rather\s+than|not|isn't|aren't|compared\s+(?:to|with)|versus|vs\.?|like|"
    r"alternative\s+to|alternatives\s+to|replaces?|replacing|such\s+as|rich\s+in|contains?|containing|with\s+its|"
    r"thanks\s+to|due\s+to|including|includes?)\s+(?:\w+\s+){0,2}$)", re.IGNORECASE)
EXCLUDED_AFTER = re.compile(r"^\s*(?:is|are)\s+not\b", re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    """What a text is about: a known intervention, or a name the evidence base does not know."""

    name: str
    intervention: str | None
    mentions: int


@dataclass(frozen=True)
class Mention:
    start: int            # offsets in the document
    end: int
    intervention: str | None
    name: str


@cache
def _cues() -> dict:
    return lexicon_file("subjects")


@cache
def _not_names() -> frozenset[str]:
    return frozenset(w.lower() for w in _cues()["not_names"])


@cache
def _not_acronyms() -> frozenset[str]:
    return frozenset(_cues()["not_acronyms"])


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    cues = _cues()
    acronym = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5}\+?)(?:s|’s|'s)?(?![\w-])")
    heads = "|".join(re.escape(h) for h in cues["inci_heads"])
    inci = re.compile(rf"\b((?:[A-Z][a-z]+\s+){{1,3}}(?:{heads}))\b")
    endings = "|".join(sorted(cues["chemical_endings"], key=len, reverse=True))
    chemical = re.compile(rf"\b([a-z]{{6,}}(?:{endings}))\b", re.IGNORECASE)
    return acronym, inci, chemical


@per_catalog
def _known(catalog: Catalog) -> tuple[dict[str, str], frozenset[str]]:
    """Normalised names of interventions (with their ids) and of outcomes."""
    outcomes = frozenset(normalise(p) for o in catalog.outcomes.values() for p in (o.id, o.name, *o.aliases))
    return catalog.intervention_names, outcomes


def unknown_names(catalog: Catalog, document: Document) -> tuple[Counter[str], dict[int, list[Mention]]]:
    """Names in the text that look like what is applied but that the evidence base does not know, with how often
    each is mentioned (mentions in the first lines count more), and where they occur, by sentence index (offsets
    relative to the sentence). Product forms come from the document's lexicon matches ("form")."""
    counts, occurrences = unknown_counts(catalog, document.text, form_mentions(document))
    return counts, mentions_by_sentence(document, counts, occurrences)


def form_mentions(document: Document) -> list[tuple[int, str]]:
    """Where the document's sentences name a product form ("serum"), with offsets in the text."""
    return [(s.start + m.start, m.text) for s in document.sentences for m in s.matches if m.kind == "form"]


def unknown_counts(catalog: Catalog, text: str, forms: list[tuple[int, str]]) -> tuple[Counter[str], list[Mention]]:
    """The unknown names of :func:`unknown_names` with their weighted counts, and every occurrence of a name found
    (offsets in the text), given the product forms of the whole text (:func:`form_mentions`, block by block)."""
    acronym, inci, chemical = _patterns()
    interventions, outcomes = _known(catalog)
    stop = _not_names()
    not_acronyms = _not_acronyms()
    found: dict[str, str] = {}   # key -> the cue that found it ("weak": a chemical-looking word only)
    routes = {"oral", "topical", "injectable", "ingested", "drinkable"}

    def consider(name: str, how: str) -> None:
        key = normalise(name)
        words = key.split()
        if not key or key in interventions or len(key) < 2 or key in outcomes or \
                any(w in stop for w in words if w not in routes):
            return
        if any(w in interventions or " ".join(words[i:i + 2]) in interventions for i, w in enumerate(words)):
            return   # "while exosome ...", "retinol cream": a known name inside it
        found.setdefault(key, how)

    for start, form_word in forms:
        before = text[max(0, start - 60):start]
        words = re.findall(r"[A-Za-z][\w'’+-]*", before.split("\n")[-1])[-2:]
        while words and words[0].lower() not in routes and (
                words[0].lower().strip("'’") in stop or re.search(r"(?:ing|ed|ly)$", words[0].lower())):
            words = words[1:]
        capitals = [w for w in words if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", w)]
        if capitals:   # "sleek LED face mask": the abbreviation names it
            words = capitals[-1:]
        if words and words[0].lower() in routes and len(words) > 1:
            route, words = words[0], words[1:]
        else:
            route = ""
        if not words or any(w.lower() in stop for w in words):
            continue
        name = " ".join(words)
        key = normalise(name)
        if key in outcomes and not any(w.lower() in stop for w in words):
            # "(oral) collagen supplements": an outcome word names the product only with its form (and route)
            consider(f"{route} {name} {form_word}".strip(), "form")
        else:
            consider(name, "form")
    for m in acronym.finditer(text):
        token = m.group(1)
        before, after = text[max(0, m.start() - 2):m.start()], text[m.end():m.end() + 2]
        if token in not_acronyms or re.match(r"^[IVXL]+$", token) or \
                re.search(r"[A-Z]{2}\s$", before) or re.match(r"^\s[A-Z]{2}", after):
            continue   # part of a run of capitals (a shouted heading), a roman numeral, or a common abbreviation
        consider(token, "acronym")
    for m in inci.finditer(text):
        consider(m.group(1), "inci")
    for m in chemical.finditer(text):
        consider(m.group(1), "weak")
    title = re.match(r"\s*([A-Za-z][\w'’+-]*(?:\s+[A-Za-z][\w'’+-]*){0,2})\s*(?:[:?!|–—-]|$)", _first_line(text))
    if title:   # a title that is a name ("Zorbanide: what the evidence says") names the topic if it recurs
        consider(title.group(1), "weak")
    counts: Counter[str] = Counter()
    lead = lead_end(text)
    occurrences = _occurrences(text, list(found))
    for mention in occurrences:
        counts[mention.name] += LEAD_WEIGHT if mention.start < lead else 1
    for key, how in found.items():
        if how == "weak" and counts[key] < MIN_TOPIC_MENTIONS:
            del counts[key]   # a chemical-looking word must recur to count as a name
    return counts, occurrences


def mentions_by_sentence(document: Document, names: Collection[str],
                         occurrences: list[Mention]) -> dict[int, list[Mention]]:
    """The occurrences of the counted unknown ``names`` inside the document's sentences (a block of the text suffices), by
    sentence index, with offsets relative to the sentence."""
    by_sentence: dict[int, list[Mention]] = {}
    if not document.sentences or not occurrences:
        return by_sentence
    starts = [o.start for o in occurrences]
    first = bisect.bisect_left(starts, document.sentences[0].start)
    last = bisect.bisect_left(starts, document.sentences[-1].end)
    for occurrence in occurrences[first:last]:
        sentence = document.sentence_at(occurrence.start)
        if occurrence.name in names and sentence is not None and occurrence.end <= sentence.end:
            by_sentence.setdefault(sentence.index, []).append(Mention(
                occurrence.start - sentence.start, occurrence.end - sentence.start, None, occurrence.name))
    return by_sentence


def _occurrences(text: str, keys: list[str]) -> list[Mention]:
    """Every occurrence of the names in one pass (longest name first where they overlap)."""
    if not keys:
        return []
    ordered = sorted(keys, key=len, reverse=True)
    lookup = {k: k for k in keys}
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(_flexible(k) for k in ordered) + r")(?![\w])", re.IGNORECASE)
    found = []
    for hit in pattern.finditer(text):
        key = normalise(hit.group())
        name = lookup.get(key) or lookup.get(key.removesuffix("s")) or \
            next((k for k in ordered if key.startswith(k)), key)
        found.append(Mention(hit.start(), hit.end(), None, name))
    return found


def _flexible(key: str) -> str:
    """A regular expression for a normalised name: spaces match spaces or hyphens, an 's' may follow."""
    return r"[\s-]+".join(re.escape(part) for part in key.split()) + r"s?"


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def lead_end(text: str) -> int:
    """The end of the text's first lines (title, headline), when they are short."""
    end = 0
    for count, line in enumerate(re.finditer(r"[^\n]+", text)):
        if count >= LEAD_LINES or len(line.group()) > 140:
            break
        end = line.end()
    return end


def topic(catalog: Catalog, document: Document, unknown: Counter[str]) -> Topic | None:
    """The text's topic: the intervention or unknown name it mentions most (first lines weigh more); an unknown name
    must be mentioned at least twice. Ties go to the intervention the base knows."""
    return topic_of(catalog, known_mentions(document, lead_end(document.text)), unknown)


def known_mentions(document: Document, lead: int) -> Counter[str]:
    """How often the document's sentences (a block of the text suffices) name each intervention of the base, the
    mentions before ``lead`` (:func:`lead_end`) weighted more."""
    known: Counter[str] = Counter()
    for sentence in document.sentences:
        for m in sentence.matches:
            if m.kind == "intervention":
                known[m.id] += LEAD_WEIGHT if sentence.start + m.start < lead else 1
    return known


def topic_of(catalog: Catalog, known: Counter[str], unknown: Counter[str]) -> Topic | None:
    """:func:`topic` from the counts of the whole text."""
    best_known = known.most_common(1)[0] if known else None
    best_unknown = unknown.most_common(1)[0] if unknown else None
    if best_unknown and best_unknown[1] >= MIN_TOPIC_MENTIONS and (
            best_known is None or best_unknown[1] > best_known[1]):
        return Topic(name=best_unknown[0], intervention=None, mentions=best_unknown[1])
    if best_known:
        return Topic(name=catalog.interventions[best_known[0]].name, intervention=best_known[0],
                     mentions=best_known[1])
    return None


def excluded(sentence_text: str, start: int, end: int) -> bool:
    """A mention that is negated, compared or merely contained in something else is never the sentence's subject."""
    before = sentence_text[max(0, start - 40):start]
    return bool(EXCLUDING.search(before) or EXCLUDED_AFTER.match(sentence_text[end:end + 12]))


def first_subject(sentence: Sentence, known: list[tuple[int, int, str]], unknown: list[Mention]) -> Mention | None:
    """The sentence's own subject: the first mention (known or unknown, ``unknown`` relative to the sentence) that
    is not excluded."""
    candidates = [Mention(s, e, i, i) for s, e, i in known] + unknown
    for mention in sorted(candidates, key=lambda m: m.start):
        if not excluded(sentence.text, mention.start, mention.end):
            return mention
    return None
