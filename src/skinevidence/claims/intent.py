"""Intended use: does a sentence claim to treat a disease or to act on the body's structure or function?

This is the first of the two judgements made on every sentence, independent of any ingredient: "heals eczema" on a
cosmetic is a drug claim whatever is in the bottle. The reading is data (``lexicons/intended_use.yaml``): families of
actions and objects, their escapes ("the appearance of", "acne-prone") and the words that claim an action on their
own ("anti-inflammatory"). The rules that state each basis, per jurisdiction, are in ``lexicons/rules.yaml``
(``match: intended-use``). A finding here is a :class:`Use`; the claim checker turns it into flags.

Words inside quotation marks are someone else's (an advert quoted in an article, a slogan being criticised) and make
no finding of the author's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from skinevidence.text.lexicon import Match, lexicon_file
from skinevidence.text.reading import Sentence

KIND = "iu"                 # lexicon kind of every intended-use entry; the id says "<language>.<family>"
DISEASE, STRUCTURE, MISLEADING = "disease", "structure-function", "misleading"
GAP = 70                    # characters between an action and its object (English)
POST_GAP = 14               # characters between an object and a nominal action after it ("acne ... control")
PURPOSE_GAP = 14            # "for" must sit right before the condition ("ideal for rosacea")
SUFFERERS_GAP = 30          # "for those suffering from" may name a short list first ("... from dry skin or eczema")
NOMINAL_GAP = 24            # a nominal action before its object ("improvement in the number of acne lesions")
RESULT_GAP = 24             # a condition and the result stated of it ("my acne had completely disappeared")
COMPARISON_GAP = 40         # a comparison cue and the medicine after it ("as effective as a steroid cream")
ESCAPE_BEFORE = 20          # an escape this close before the object or the action covers them ("the look of")
ESCAPE_AFTER = 9            # "acne-prone", "thicker-looking"
KO_GAP = 22                 # characters between a Korean object and its action, either side
KO_ESCAPE_BEFORE = 12       # a Korean escape this close before a finding qualifies it ("커버에 의한 일시적 ... 감소")
_SUFFIXES = frozenset({"prone", "prone to", "looking", "look", "looks"})
#: Nominal actions that act on hair and lashes (growth) and on wrinkles or spots (removal); others do not
_GROWTH_POST = frozenset({"growth", "regrowth", "stimulation", "activation", "stimulated", "activated",
                          "restoration", "restorer"})
_REMOVAL_POST = frozenset({"removal", "remover", "reduction", "elimination", "fading", "buster", "busting", "zapper",
                           "correcting", "correction", "corrector", "lightening"})
#: Therapeutic verbs: skin that is merely prone to a condition is still treated ("heals eczema-prone skin").
_THERAPEUTIC = frozenset({"treat", "cure", "heal", "relieve", "alleviate", "prevent", "remedy"})
#: Escapes that qualify only the word right after them ("dead skin cells", not "Dead Sea clay ... circulation")
_ADJACENT = frozenset({"dead"})
ADJACENT_GAP = 12
#: Nominal actions that remove or reduce (for the objects only removal makes a claim: "fewer wrinkles")
_REMOVAL_NOMINAL = frozenset({"reduction", "reductions", "decrease", "elimination", "removal", "disappearance",
                              "fewer", "less"})
#: Quantity words act only on the word right after them ("fewer breakouts", not "less likely to cause breakouts")
_CLOSE_NOMINAL = frozenset({"fewer", "less"})
#: Product forms too general to name a purpose ("acne products" is a shelf, "acne cream" a product for acne)
_GENERIC_FORMS = frozenset({"product", "products", "skincare", "skin care", "formula", "formulas", "extract",
                            "filtrate", "ferment", "infusion", "treatment", "treatments", "therapy", "therapies"})
FORM_GAP = 2                # a condition right before a product form names the product's purpose ("eczema balm")
_WILL = re.compile(r"\b(?:will|shall)\b|['’]ll\b", re.IGNORECASE)
_PRONOUN = frozenset({"they", "them", "it", "these", "those"})
PRONOUN_GAP = 2             # an action right before a pronoun for the condition ("cleared it", "got rid of them")
#: Verbs that make a claim even on skin in general ("heals dry, cracked skin")
_HEALING = frozenset({"heal", "cure"})
_HEALING_POST = frozenset({"healing", "heals", "healer", "cure", "cures"})
#: Verbs that make a claim on a symptom ("relieves irritated skin"; "soothes irritated skin" is cosmetic)
_SYMPTOM_VERBS = frozenset({"treat", "cure", "heal", "relieve", "alleviate", "remedy"})
_SYMPTOM_POST = frozenset({"relief", "treatment", "treatments", "cure", "cures", "healing", "remedy"})
_SYMPTOM_RESULTS = frozenset({"relieved", "healed", "was cured", "were cured", "is cured", "are cured"})
#: Phrases whose head is a noun: a finding they make names a kind of treatment ("a treatment for", "cure for")
_NOUN_HEADS = frozenset({"treatment", "treatments", "therapy", "remedy", "relief", "cure", "solution", "the"})
MENTION_GAP = 12            # a word that makes a named treatment a mention, right before it ("several acne treatments")
_OWNED = re.compile(r"\b(?:our|this|my|your|the)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Use:
    """One intended-use finding: its language, basis, and the words (span in the sentence) that make it."""

    language: str
    basis: str
    start: int
    end: int
    words: str
    nominal: bool = False   # named as a thing ("acne treatments", "skin whitening"), not stated with a verb


def inflect(verb: str) -> set[str]:
    """A verb base and its -s, -es, -ed and -ing forms ("reduce" -> reduces, reduced, reducing); for a phrase the
    first word is inflected ("speed up" -> speeds up). Over-generation is harmless: unused forms never match."""
    head, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head}
    if head.endswith("e"):
        forms |= {head + "s", head + "d", head[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", head):
        forms |= {head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    elif re.search(r"(?:s|sh|ch|x|z)$", head):
        forms |= {head + "es", head + "ed", head + "ing"}
    else:
        forms |= {head + "s", head + "ed", head + "ing"}
        if len(head) <= 4 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", head):
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    return {form + tail for form in forms}


_INFLECTED = frozenset({"actions", "removal_actions", "disease_actions"})


@cache
def _data() -> dict:
    return lexicon_file("intended_use")


def entries() -> Iterator[tuple[str, str, str]]:
    """(phrase, kind, id) for the shared lexicon: every family of both languages."""
    data = _data()
    for language, families in data.items():
        for family, phrases in families.items():
            if family == "breaks":
                continue
            for phrase in phrases:
                forms = inflect(phrase) if family in _INFLECTED and language == "en" else {phrase}
                for form in forms:
                    yield form, KIND, f"{language}.{family}"


@cache
def _breaks() -> re.Pattern:
    return re.compile("|".join(re.escape(b) for b in _data()["en"]["breaks"]), re.IGNORECASE)


def uses(sentence: Sentence, negated: list[tuple[int, int]], lead: list[Match] | None = None,
         antecedent: bool = False) -> list[Use]:
    """The intended-use findings in one sentence (the author's own words; the caller decides the stance).
    ``negated`` are spans under negation; ``lead`` are the actions of a list's lead ("relieves: - eczema");
    ``antecedent`` says that the sentence before, in the same paragraph, named a condition ("I had two cysts. Within
    a week they were healed.")."""
    own = sentence.of(KIND)
    if sentence.quotes:
        own = [m for m in own if not sentence.in_quotes(m.start, m.end)]
    inert = [m for m in own if m.id == "en.inert"]
    if inert:   # "regenerative medicine", "stop use": the words inside claim nothing
        own = [m for m in own if m.id == "en.inert" or not any(n.start <= m.start and m.end <= n.end for n in inert)]
    if not own:
        return []
    harms = harm_scopes(sentence, negated)
    found = _english(sentence, own, negated + harms, lead or [], antecedent) + _korean(sentence, own, negated)
    if harms or sentence.has("mention"):
        found = [u for u in found if not (u.nominal and mentioned(sentence, u.start, u.end, harms))]
    unique: dict[tuple[str, str], Use] = {}
    for use in found:
        unique.setdefault((use.language, use.basis), use)
    return list(unique.values())


def harm_scopes(sentence: Sentence, negated: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that speak of harms: from each harm cue ("can cause", "risks include") to the end of its clause. A
    cue inside an action ("reduces the risk of infection") is the action's; a denied harm ("without any side
    effects") is none."""
    if not sentence.has("harm"):
        return []
    phrases = [m for m in sentence.of(KIND) if m.id == "en.phrases"]
    spans = []
    for h in sentence.of("harm"):
        if any(p.start <= h.start and h.end <= p.end for p in phrases) or _under(negated, h):
            continue
        stop = _breaks().search(sentence.text, h.end)
        spans.append((h.start, stop.start() if stop else len(sentence.text)))
    return spans


def mentioned(sentence: Sentence, start: int, end: int, harms: list[tuple[int, int]]) -> bool:
    """Whether the words [start, end) name a kind of treatment without claiming it: a class ("several acne
    treatments", "any skin whitening product"), a product in directions for use ("while using acne treatment"), or
    what a harm is said of ("treatment of moles could lead to ...")."""
    text = sentence.text
    for a, b in harms:
        if a <= start < b or (end <= a and not _breaks().search(text, end, a)):
            return True
    for m in sentence.of("mention"):
        if m.end <= start and start - m.end <= MENTION_GAP and not _OWNED.search(text, m.end, start):
            return True
    return False


def names_condition(sentence: Sentence) -> bool:
    """Whether the sentence names a condition (a disease, or what only removal makes a claim on) that a pronoun in
    the next sentence may refer to."""
    return any(m.id in ("en.disease", "en.removal") for m in sentence.of(KIND))


def lead_actions(sentence: Sentence) -> list[Match]:
    """Actions of a sentence that introduces a list (it ends with ':'): its items inherit them."""
    if not sentence.text.rstrip().endswith(":"):
        return []
    return [m for m in sentence.matches if m.kind == KIND and m.id in ("en.actions", "en.phrases", "en.purpose")]


def _under(spans: list[tuple[int, int]], match: Match) -> bool:
    return any(a <= match.start < b for a, b in spans)


def _english(sentence: Sentence, own: list[Match], negated, lead: list[Match], antecedent: bool) -> list[Use]:
    by = _group(own, "en")
    actions = by["actions"] + by["phrases"]
    escapes = by["escapes"]
    text = sentence.text
    found: list[Use] = []

    def escaped(a_start: int, o_start: int, o_end: int, therapeutic: bool = False) -> bool:
        """An escape between the action (or just before it) and the object, on the object, or right after it."""
        lo = max(min(a_start, o_start) - ESCAPE_BEFORE, 0)
        for e in escapes:
            word = e.text.lower()
            if therapeutic and word.startswith("prone"):
                continue
            if word in _ADJACENT:
                if e.end <= o_start and o_start - e.end <= ADJACENT_GAP:
                    return True
                continue
            if lo <= e.start < o_start or (e.start < o_end and e.end > o_start):
                return True
            if o_end <= e.start < o_end + ESCAPE_AFTER and word in _SUFFIXES:
                return True
        return False

    def broken(a: int, b: int) -> bool:
        return bool(_breaks().search(text, a, b))

    def pair(objects: list[Match], verbs: list[Match], basis: str, purpose: bool = False,
             post: frozenset[str] | None = None) -> None:
        for o in objects:
            if _under(negated, o):
                continue
            for a in [*verbs, *(by["purpose"] if purpose else [])]:
                close = GAP if a.id != "en.purpose" else SUFFERERS_GAP if " " in a.text.strip() else PURPOSE_GAP
                therapeutic = _base(a.text) in _THERAPEUTIC
                if a.end <= o.start and o.start - a.end <= close and not _under(negated, a) \
                        and not broken(a.end, o.start) and not escaped(a.start, o.start, o.end, therapeutic):
                    noun = a.id == "en.phrases" and a.text.lower().split()[0] in _NOUN_HEADS
                    found.append(Use("en", basis, a.start, o.end, text[a.start:o.end], noun))
                    break
            else:
                for p in by["post"]:
                    if post is not None and p.text.lower() not in post:
                        continue
                    if o.end <= p.start and p.start - o.end <= POST_GAP and not _under(negated, p) \
                            and not broken(o.end, p.start) and not escaped(o.start, o.start, o.end):
                        found.append(Use("en", basis, o.start, p.end, text[o.start:p.end], True))
                        break
        if lead:   # a list item under a lead that carries the action ("relieves the symptoms of: - eczema")
            for o in objects:
                if not _under(negated, o) and not escaped(o.start, o.start, o.end):
                    found.append(Use("en", basis, o.start, o.end, text[o.start:o.end]))
                    break

    def before(objects: list[Match], words: list[Match], gap: int, basis: str) -> None:
        """A nominal action before its object ("83% improvement in acne lesions", "fewer breakouts"); not one that
        is part of a product's name ("Rapid Reduction Cream smooths fine lines")."""
        for o in objects:
            for a in words:
                reach = PURPOSE_GAP if a.text.lower() in _CLOSE_NOMINAL else gap
                if a.end <= o.start and o.start - a.end <= reach and not _under(negated, a) \
                        and not _under(negated, o) and not broken(a.end, o.start) \
                        and not escaped(a.start, o.start, o.end) and not any(0 <= f.start - a.end <= FORM_GAP
                                                                                for f in forms):
                    found.append(Use("en", basis, a.start, o.end, text[a.start:o.end], True))
                    return

    def results(objects: list[Match], basis: str, only: frozenset[str] | None = None) -> None:
        """A result stated of the condition after it: "my acne had disappeared", "your warts will drop off"."""
        for o in objects:
            for r in (*by["results"], *by["results_future"]):
                if only is not None and r.text.lower() not in only:
                    continue
                if not (o.end <= r.start and r.start - o.end <= RESULT_GAP) or _under(negated, r) \
                        or _under(negated, o) or broken(o.end, r.start) or escaped(o.start, o.start, o.end):
                    continue
                if r.id == "en.results_future" and not _WILL.search(text, o.end, r.start):
                    continue
                found.append(Use("en", basis, o.start, r.end, text[o.start:r.end]))
                return

    nominal = by["nominal"]
    forms = [f for f in sentence.of("form") if f.text.lower() not in _GENERIC_FORMS]
    pair(by["disease"], actions + by["removal_actions"] + by["disease_actions"], DISEASE, purpose=True)
    for o in by["disease"]:   # "eczema balm", "psoriasis shampoo": a product named for a condition
        if not _under(negated, o) and not escaped(o.start, o.start, o.end) and \
                any(0 <= f.start - o.end <= FORM_GAP for f in forms):
            form = next(f for f in forms if 0 <= f.start - o.end <= FORM_GAP)
            found.append(Use("en", DISEASE, o.start, form.end, text[o.start:form.end], True))
            break
    before(by["disease"], nominal, NOMINAL_GAP, DISEASE)
    results(by["disease"], DISEASE)
    pair(by["structure"], actions, STRUCTURE)
    before(by["structure"], nominal, NOMINAL_GAP, STRUCTURE)
    pair(by["removal"], by["removal_actions"], STRUCTURE, post=_REMOVAL_POST)
    before(by["removal"], [a for a in nominal if a.text.lower() in _REMOVAL_NOMINAL], NOMINAL_GAP, STRUCTURE)
    results(by["removal"], STRUCTURE)
    pair(by["growth"], by["growth_actions"], STRUCTURE, post=_GROWTH_POST)
    pair(by["healable"], [a for a in actions if _base(a.text) in _HEALING], DISEASE, post=_HEALING_POST)
    pair(by["symptoms"], [a for a in actions if _base(a.text) in _SYMPTOM_VERBS], DISEASE, post=_SYMPTOM_POST)
    results(by["symptoms"], DISEASE, _SYMPTOM_RESULTS)
    _compared(sentence, by, negated, found)
    conditions = [o.end for o in (*by["disease"], *by["removal"]) if not _under(negated, o)]
    if antecedent or conditions:   # "I had two cysts ... Within a week they were healed", "Scars: treat them and
        # they will fade": a pronoun for a condition named in the sentence before or earlier in this one
        pronouns = [m for m in sentence.of("refers_back") if m.text.lower() in _PRONOUN and not _under(negated, m)
                    and (antecedent or any(end <= m.start for end in conditions))]
        for r in by["results"]:
            if any(p.end <= r.start and r.start - p.end <= RESULT_GAP and not broken(p.end, r.start)
                   for p in pronouns) and not _under(negated, r):
                found.append(Use("en", DISEASE, r.start, r.end, text[r.start:r.end]))
                break
        for a in actions + by["removal_actions"]:
            p = next((p for p in pronouns if 0 < p.start - a.end <= PRONOUN_GAP), None)
            if p is not None and not _under(negated, a):
                found.append(Use("en", DISEASE, a.start, p.end, text[a.start:p.end]))
                break
    for m in by["self_disease"]:
        if not _under(negated, m) and not escaped(m.start, m.start, m.end):
            found.append(Use("en", DISEASE, m.start, m.end, m.text, True))
    if actions or by["purpose"] or lead:
        for m in by["self_structure"]:
            if not _under(negated, m) and not escaped(m.start, m.start, m.end):
                found.append(Use("en", STRUCTURE, m.start, m.end, m.text, True))
    return found


def _compared(sentence: Sentence, by: dict[str, list[Match]], negated, found: list[Use]) -> None:
    """A comparison that claims to match or replace a medicine claims the medicine's use: "as effective as a steroid
    cream" (a disease), "works like Botox" (the body's structure)."""
    cues = [m for m in sentence.of("comparison") if m.text.lower() != "than"]
    if not cues:
        return
    for family, basis in (("medicines_disease", DISEASE), ("medicines_structure", STRUCTURE)):
        for medicine in by[family]:
            if _under(negated, medicine) or sentence.in_quotes(medicine.start, medicine.end):
                continue
            cue = next((c for c in cues if c.end <= medicine.start and medicine.start - c.end <= COMPARISON_GAP),
                       None)
            if cue is not None:
                found.append(Use("en", basis, cue.start, medicine.end, sentence.text[cue.start:medicine.end]))
                break


def _korean(sentence: Sentence, own: list[Match], negated) -> list[Use]:
    by = _group(own, "ko")
    if not any(by.values()):
        return []
    text = sentence.text
    found: list[Use] = []

    def near(o: Match, verbs: list[Match]) -> Match | None:
        for a in verbs:
            if (0 <= a.start - o.end <= KO_GAP or 0 <= o.start - a.end <= KO_GAP or a.start == o.end) \
                    and not _under(negated, a):
                return a
        return None

    def escaped(o: Match, a: Match, helps: bool = False) -> bool:
        lo, hi = min(o.start, a.start), max(o.end, a.end)
        for e in by["escapes"]:
            if e.text == "도움" and not helps:
                continue
            if lo - KO_ESCAPE_BEFORE <= e.start <= hi + 12 or (e.start < o.end and e.end > o.start):
                return True
        return False

    def add(o: Match, a: Match, basis: str) -> None:
        s, e = min(o.start, a.start), max(o.end, a.end)
        found.append(Use("ko", basis, s, e, text[s:e]))

    functional = by["functional"]
    for o in by["disease"]:
        if any(f.start <= o.start and o.end <= f.end for f in functional):
            continue  # "탈모 증상": the functional-cosmetic reading below applies
        a = near(o, by["actions"])
        if a is not None and not _under(negated, o) and not escaped(o, a):
            add(o, a, DISEASE)
    for o in by["structure"]:
        a = near(o, by["actions"])
        if a is not None and not _under(negated, o) and not escaped(o, a):
            add(o, a, STRUCTURE)
    for o in by["removal"]:
        a = near(o, by["removal_actions"])
        if a is not None and not _under(negated, o) and not escaped(o, a):
            add(o, a, STRUCTURE)
    for o in functional:
        a = near(o, by["actions"])
        if a is not None and not _under(negated, o) and not escaped(o, a, helps=True):
            add(o, a, STRUCTURE)
    for m in by["self_disease"]:
        if not _under(negated, m) and not any(e.start < m.end and e.end > m.start for e in by["escapes"]):
            found.append(Use("ko", DISEASE, m.start, m.end, m.text))
    for m in by["self_misleading"]:
        if not _under(negated, m):
            found.append(Use("ko", MISLEADING, m.start, m.end, m.text))
    return found


def _base(word: str) -> str:
    """The base of an inflected English verb, enough to tell the therapeutic ones ("heals" -> "heal")."""
    w = word.lower()
    for suffix, repl in (("ing", ""), ("ies", "y"), ("ied", "y"), ("es", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and w[:-len(suffix)] + repl in _THERAPEUTIC:
            return w[:-len(suffix)] + repl
        if w.endswith(suffix) and w[:-len(suffix)] + "e" in _THERAPEUTIC:
            return w[:-len(suffix)] + "e"
    return w


def _group(own: list[Match], language: str) -> dict[str, list[Match]]:
    prefix = f"{language}."
    groups: dict[str, list[Match]] = {family: [] for family in _data()[language]}
    for m in own:
        if m.id.startswith(prefix):
            groups[m.id[len(prefix):]].append(m)
    return groups
