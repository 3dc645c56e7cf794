"""The one lexicon a text is read with: the vocabulary of the evidence base (interventions, outcomes, INCI names),
route cues, claim cues (strength, efficacy, negation, speech...), the intended-use families, the rules' triggers
and the audit's cues, compiled once per evidence base into one automaton. :func:`read_text` splits a text once and
scans it once; the check, the rules, the audit and the product check all work from the resulting document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from skinevidence.claims import intent, rules
from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.text.lexicon import Lexicon, file_entries, lexicon_file
from skinevidence.text.mapping import catalog_entries
from skinevidence.text.reading import BLOCK, Document, read, read_blocks

#: Groups of ``lexicons/claim_cues.yaml`` whose phrases are matched (kind = group name; strength levels too).
CUE_GROUPS = ("efficacy", "efficacy_generic", "negation", "reported", "preclinical_context", "human_context",
              "safety", "conditional", "off_topic", "refers_back", "speech", "speech_that", "study", "history",
              "regulatory_context", "popularity", "comparison", "definition", "first_person", "not_negation",
              "mention", "harm", "procedure")
#: Groups of ``lexicons/audit_cues.yaml`` matched for the audit (kind = "<group>.<key>").
AUDIT_GROUPS = ("discern", "jama", "hnr", "commercial", "spin", "misev")


def claim_cue_entries() -> Iterator[tuple[str, str, str]]:
    cues = lexicon_file("claim_cues")
    for level, phrases in cues["strength"].items():
        for phrase in phrases:
            yield phrase, level, level
    for group in CUE_GROUPS:
        for phrase in cues[group]:
            yield phrase, group, group


def audit_cue_entries() -> Iterator[tuple[str, str, str]]:
    cues = lexicon_file("audit_cues")
    for group in AUDIT_GROUPS:
        for key, phrases in cues[group].items():
            if isinstance(phrases, list) and not key.endswith("patterns"):
                for phrase in phrases:
                    yield phrase, f"{group}.{key}", key


def form_entries() -> Iterator[tuple[str, str, str]]:
    """Product forms ("serum", "supplements"): the words before one may name an ingredient (claims/subject.py)."""
    for phrase in lexicon_file("subjects")["forms"]:
        yield phrase, "form", "form"


@per_catalog
def reading_lexicon(catalog: Catalog) -> Lexicon:
    """Everything a text is read for, in one automaton (compiled once per evidence base)."""
    return Lexicon([*catalog_entries(catalog), *file_entries("routes", "route"), *claim_cue_entries(),
                    *intent.entries(), *rules.entries(), *audit_cue_entries(), *form_entries()])


def read_text(catalog: Catalog, text: str) -> Document:
    """``text`` split into sentences once and scanned once."""
    return read(text, reading_lexicon(catalog))


def text_reader(catalog: Catalog, text: str, block: int = BLOCK) -> Callable[[], Iterable[Document]]:
    """What gives ``text`` read, each time it is called: the document read once for a text of at most ``block``
    characters, else its blocks read again on each call (only one held at a time)."""
    if len(text) <= block:
        document = read_text(catalog, text)
        return lambda: [document]
    lexicon = reading_lexicon(catalog)
    return lambda: read_blocks(text, lexicon, block)
