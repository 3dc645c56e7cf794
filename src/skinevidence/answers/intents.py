"""What a plain question asks (its intent), where (a jurisdiction it names) and which words name something the
evidence base does not hold. Read from general question wording in ``lexicons/intents.yaml``; the order of
:data:`INTENT_ORDER` settles questions that carry several cues (docs/answers.md, "Questions")."""

from __future__ import annotations

import re
from enum import StrEnum

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.text.lexicon import Lexicon, Match, fold, lexicon_file
from skinevidence.text.mapping import Mapping, text_lexicon


class Intent(StrEnum):
    EFFICACY = "efficacy"            # does it work (for Y)?
    SAFETY = "safety"                # is it safe, what are the side effects?
    PREGNANCY = "pregnancy"          # can I use it while pregnant?
    LACTATION = "lactation"          # ... while breastfeeding?
    REGULATION = "regulation"        # is it legal or approved where I live?
    BEST_FOR = "best-for"            # what works best for Y?
    VERSUS = "versus"                # X or Y, X versus Y?
    TIME = "time"                    # how long until results?
    USAGE = "usage"                  # how do I use it, how often?


#: Cue kinds checked first win: a pregnancy question about safety is a pregnancy question.
INTENT_ORDER = [Intent.PREGNANCY, Intent.LACTATION, Intent.REGULATION, Intent.TIME, Intent.USAGE, Intent.SAFETY]
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@per_catalog
def _cue_lexicon(catalog: Catalog) -> Lexicon:
    data = lexicon_file("intents")
    entries = [(phrase, "intent", kind) for kind, phrases in data.items()
               if kind not in ("jurisdictions", "ignore") for phrase in phrases]
    entries += [(phrase, "jurisdiction", code) for code, phrases in data["jurisdictions"].items() for phrase in phrases]
    return Lexicon(entries)


def _ignored() -> frozenset[str]:
    return frozenset(fold(word) for word in lexicon_file("intents")["ignore"])


class Reading:
    """A question read: its cues, the jurisdiction it names, and the words left over once every known name,
    outcome, route and cue is taken out (the name of something the base may not hold)."""

    def __init__(self, catalog: Catalog, question: str, mapping: Mapping):
        self.cues: list[Match] = _cue_lexicon(catalog).find(question)
        self.kinds = {m.id for m in self.cues if m.kind == "intent"}
        places = [m.id for m in self.cues if m.kind == "jurisdiction"]
        self.jurisdiction = places[0] if places else None
        known = [(m.start, m.end) for m in text_lexicon(catalog).find(question)] + [(m.start, m.end) for m in self.cues]
        ignored = _ignored()
        self.leftover = [w.group() for w in _WORD.finditer(question)
                         if not any(start <= w.start() < end for start, end in known)
                         and fold(w.group()) not in ignored and not w.group().isdigit()]
        self.mapping = mapping

    def intent(self) -> Intent | None:
        """The question's intent, or None when it names nothing the base can answer about."""
        named = self.mapping.interventions
        others = self.kinds & {k.value for k in INTENT_ORDER}
        if len(named) >= 2 and (Intent.VERSUS.value in self.kinds or not others) \
                and not others & {k.value for k in INTENT_ORDER[:3]}:
            return Intent.VERSUS  # two names: a comparison, unless the question asks about pregnancy, law, mixing
        for kind in INTENT_ORDER:
            if kind.value in self.kinds and (named or kind is Intent.REGULATION and self.leftover):
                return kind
        if not named and self.mapping.outcomes and (Intent.BEST_FOR.value in self.kinds or not self.leftover):
            return Intent.BEST_FOR
        if named:
            return Intent.EFFICACY
        return None

    @property
    def unknown_name(self) -> str | None:
        """The words that seem to name an ingredient or treatment the base does not hold ("snail mucin"), when
        the question asks something the base could answer about a known one."""
        if not self.leftover or not (self.kinds or self.mapping.outcomes):
            return None
        return " ".join(self.leftover)
