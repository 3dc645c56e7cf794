"""Article audits: every claim checked, plus the article's quality in the spirit of DISCERN, the JAMA benchmarks and
the HealthNewsReview criteria, hype and spin, commercial signals and a citation audit, each with the sentences that
justify it. The method and its thresholds are in ``docs/audit.md``; the scores are decision support (automatic
DISCERN reached 81% accuracy against 94% for trained raters), never a verdict on their own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from skinevidence.claims.check import REQUIRED, CheckStream, Claim, ClaimCheck
from skinevidence.claims.citations import Citation, find_citations
from skinevidence.claims.reading import AUDIT_GROUPS, text_reader
from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog
from skinevidence.grading.statements import Certainty
from skinevidence.text.html import html_to_text, looks_like_html
from skinevidence.text.lexicon import lexicon_file

DISCERN_QUESTIONS = {
    1: "Are the aims clear?", 2: "Does it achieve its aims?", 3: "Is it relevant?",
    4: "Is it clear what sources of information were used?", 5: "Is it clear when the information was produced?",
    6: "Is it balanced and unbiased?", 7: "Does it give details of additional sources of support and information?",
    8: "Does it refer to areas of uncertainty?", 9: "Does it describe how each treatment works?",
    10: "Does it describe the benefits of each treatment?", 11: "Does it describe the risks of each treatment?",
    12: "Does it describe what would happen if no treatment is used?",
    13: "Does it describe how the treatment choices affect overall quality of life?",
    14: "Is it clear that there may be more than one possible treatment choice?",
    15: "Does it provide support for shared decision-making?",
    16: "Based on the answers to all of the above, rate the overall quality of the publication as a source of "
        "information about treatment choices.",
}
_CUE_ITEMS = {1: "aims", 3: "relevance", 7: "support", 8: "uncertainty", 9: "mechanism", 10: "benefits", 11: "risks",
              12: "no_treatment", 13: "quality_of_life", 14: "options", 15: "shared_decision"}
_NUMBERED_REF = re.compile(r"(?:\[\d+(?:[,–-]\s?\d+)*\]|\s\d{1,2}(?:,\s?\d{1,2})+\s*$|\s\d{1,2}\s*$)")
_BYLINE = re.compile(r"^\s*(?:-\s*)?(?:by\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*$")


class Excerpt(BaseModel):
    start: int
    end: int
    text: str


class ItemScore(BaseModel):
    item: str
    question: str
    score: int | None = None          # DISCERN 1-5
    rating: str | None = None         # JAMA met / not met; HNR satisfactory / not satisfactory / not applicable
    reason: str
    evidence: list[Excerpt] = []


class AuditFinding(BaseModel):
    kind: str
    rule: str
    explanation: str
    start: int
    end: int
    text: str


class Segment(BaseModel):
    text: str
    claim: int | None = None  # index into claims.claims
    verdict: str | None = None


class AuditReport(BaseModel):
    source: str
    title: str | None
    characters: int
    claims: ClaimCheck
    discern: list[ItemScore]
    discern_reliability: int
    discern_treatment: int
    discern_overall: int
    jama: list[ItemScore]
    jama_score: int
    hnr: list[ItemScore]
    hnr_satisfactory: int
    hnr_applicable: int
    spin: list[AuditFinding]
    commercial: list[AuditFinding]
    citations: list[Citation]
    citation_summary: dict[str, int]
    score: int
    balance: int
    balance_parts: dict[str, float]
    transparency: int
    transparency_parts: dict[str, float]
    verdict: str
    summary: str
    segments: list[Segment]
    names: dict[str, str]


@cache
def _cues() -> dict:
    return lexicon_file("audit_cues")


def audit_text(catalog: Catalog, text: str, source: str = "text", title: str | None = None,
               links: list[str] | None = None) -> AuditReport:
    """Audit an article given as text or HTML (HTML is reduced to its text; scripts never survive)."""
    audit = AuditStream(catalog, text, source, title, links)
    claims = list(audit.claims())
    return audit.report(claims)


@dataclass(frozen=True, slots=True)
class _EvidenceDigest:
    certainty: Certainty
    ocebm_level: int | None


@dataclass(frozen=True, slots=True)
class _ClaimDigest:
    """What the audit's scores read of a claim: a long article's claims are scored from these, not held whole."""

    start: int
    end: int
    text: str
    verdict: str | None
    strength: str
    stance: str
    overclaim: bool
    hype: tuple[str, ...]
    quantities: bool
    outcomes: bool
    interventions: tuple[str, ...]
    evidence: _EvidenceDigest | None
    reasons: tuple[str, ...]       # only those the scores look for
    subject: str | None

    @classmethod
    def of(cls, claim: Claim) -> _ClaimDigest:
        evidence = (_EvidenceDigest(claim.evidence.certainty, claim.evidence.ocebm_level)
                    if claim.evidence is not None else None)
        return cls(claim.start, claim.end, claim.text, claim.verdict, claim.strength, claim.stance, claim.overclaim,
                   tuple(claim.hype[:1]), bool(claim.quantities), bool(claim.outcomes), tuple(claim.interventions),
                   evidence, tuple(r for r in claim.reasons if "animal-to-human" in r), claim.subject)


class AuditStream:
    """An article audited block by block: :meth:`claims` gives each claim as it is judged (keeping only what the
    scores need), then :meth:`report` scores the whole article and :meth:`segments` cuts it for highlighting."""

    def __init__(self, catalog: Catalog, text: str, source: str = "text", title: str | None = None,
                 links: list[str] | None = None):
        self.links = list(links or [])
        if looks_like_html(text):
            text, page_title, page_links = html_to_text(text)
            title = title or page_title
            self.links += page_links
        self.title = title or next((line.strip() for line in text.splitlines() if line.strip()), None)
        if not text.strip():
            raise InputError("the text is empty: there is nothing to audit")
        self.catalog, self.text, self.source = catalog, text, source
        # read once per pass: the claims and every cue below come from the same blocks
        self.check = CheckStream(catalog, text, text_reader(catalog, text), source=source)
        self.head = {"source": source, "title": self.title, "characters": len(text),
                     "claims": {**self.check.head, "claims": []}}
        self._spans: list[tuple[int, int]] = []
        self._hits: dict[str, list[tuple[int, int]]] = {}
        self._digests: list[_ClaimDigest] = []

    def claims(self) -> Iterator[Claim]:
        groups = tuple(f"{g}." for g in AUDIT_GROUPS)
        spans, hits = self._spans, self._hits
        for document, claims in self.check.blocks():
            for sentence in document.sentences:
                spans.append((sentence.start, sentence.end))
                for match in sentence.matches:
                    if match.kind.startswith(groups):
                        found = hits.setdefault(match.kind, [])
                        if not found or found[-1] != (sentence.start, sentence.end):
                            found.append((sentence.start, sentence.end))
            for claim in claims:
                self._digests.append(_ClaimDigest.of(claim))
                yield claim

    def report(self, claims: list[Claim] | None) -> AuditReport:
        """The audit, once :meth:`claims` has run: with ``claims`` (all of them) the whole report; with None the
        report without its claims and segments (written as they come, :func:`skinevidence.render.stream`)."""
        text, spans, links = self.text, self._spans, self.links
        # the scores read only what a digest keeps of a claim, so the digests stand in for the claims
        scored = ClaimCheck.model_construct(**self.check.fields(),
                                            claims=self._digests)  # type: ignore[arg-type]  # digests as claims
        citations = find_citations(self.catalog, text, spans, links)
        numbered = [s for s in spans if _NUMBERED_REF.search(text[s[0]:s[1]])]
        context = _Context(text, spans, self._hits, scored, citations, numbered, links, self.catalog, self.source)
        discern = _discern(context)
        jama = _jama(context)
        hnr = _hnr(context)
        spin = _spin(context)
        commercial = _commercial(context)
        summary_counts = Counter(c.status for c in citations)
        citation_summary = {"specific": sum(1 for c in citations if c.kind != "vague"),
                            "vague": sum(1 for c in citations if c.kind == "vague"),
                            "numbered_markers": len(numbered),
                            "matched": summary_counts["matched"],
                            "with_problems": sum(1 for c in citations if c.problems)}
        balance, balance_parts = _balance(discern, scored, spin)
        transparency, transparency_parts = _transparency(jama, citation_summary, commercial)
        score = balance  # the headline is the content; transparency is reported beside it, never blended in
        verdict = content_verdict(balance, balance_parts["weighted overclaim share on the subject"],
                                  balance_parts["spin per claim"], int(balance_parts["claims on the subject"]))
        if scored.topic_known is False and verdict == "careful and balanced":
            # nothing in the base speaks to the topic: the content cannot be called careful on the evidence
            verdict = f"not judged: the evidence base does not cover {scored.topic}"
        return AuditReport(
            source=self.source, title=self.title, characters=len(text), claims=self.check.result(claims or []),
            discern=discern, discern_reliability=sum(_points(i) for i in discern[:8]),
            discern_treatment=sum(_points(i) for i in discern[8:15]), discern_overall=_points(discern[15]), jama=jama,
            jama_score=sum(i.rating == "met" for i in jama), hnr=hnr,
            hnr_satisfactory=sum(i.rating == "satisfactory" for i in hnr),
            hnr_applicable=sum(i.rating != "not applicable" for i in hnr), spin=spin, commercial=commercial,
            citations=citations, citation_summary=citation_summary, score=score, balance=balance,
            balance_parts=balance_parts, transparency=transparency, transparency_parts=transparency_parts,
            verdict=verdict,
            summary=_summary(balance, transparency, verdict, scored, spin, commercial, citation_summary),
            segments=list(self.segments()) if claims is not None else [], names=scored.names)

    def segments(self) -> Iterator[Segment]:
        """The article cut into plain text and claims, for highlighting in place (HTML output)."""
        text, cursor = self.text, 0
        for index, claim in enumerate(self._digests):
            if claim.start < cursor:
                continue
            if claim.start > cursor:
                yield Segment(text=text[cursor:claim.start])
            yield Segment(text=text[claim.start:claim.end], claim=index, verdict=claim.verdict)
            cursor = claim.end
        if cursor < len(text):
            yield Segment(text=text[cursor:])


class _Context:
    def __init__(self, text, spans, hits, claims, citations, numbered, links, catalog, source):
        self.text, self.spans, self.hits, self.claims = text, spans, hits, claims
        self.citations, self.numbered, self.links, self.catalog = citations, numbered, links, catalog
        self.source = source

    def excerpts(self, sentence_spans, limit: int = 3) -> list[Excerpt]:
        return [Excerpt(start=s, end=e, text=self.text[s:e][:300]) for s, e in sentence_spans[:limit]]

    def found(self, kind: str) -> list[tuple[int, int]]:
        return self.hits.get(kind, [])


def _points(item: ItemScore) -> int:
    """A DISCERN item's score: every DISCERN item has one (JAMA and HealthNewsReview items have a rating)."""
    assert item.score is not None
    return item.score


def _scale(count: int) -> int:
    """Sentences meeting a criterion -> 1 (none), 3 (one), 4 (two), 5 (three or more): a criterion is met or not,
    and length alone cannot buy a high score."""
    return (1, 3, 4)[count] if count < 3 else 5


def _discern(ctx: _Context) -> list[ItemScore]:
    items: dict[int, ItemScore] = {}
    for number, key in _CUE_ITEMS.items():
        found = ctx.found(f"discern.{key}")
        items[number] = ItemScore(item=f"Q{number}", question=DISCERN_QUESTIONS[number], score=_scale(len(found)),
                                  reason=f"{len(found)} sentence(s) meet it", evidence=ctx.excerpts(found))
    specific = [c for c in ctx.citations if c.kind != "vague"]
    vague = [c for c in ctx.citations if c.kind == "vague"]
    q4 = 5 if len(specific) >= 5 and len(specific) >= len(vague) else 4 if len(specific) >= 3 else \
        3 if specific or len(ctx.numbered) >= 3 else 2 if vague or ctx.numbered else 1
    items[4] = ItemScore(item="Q4", question=DISCERN_QUESTIONS[4], score=q4, reason=(
        f"{len(specific)} specific citation(s), {len(vague)} vague, {len(ctx.numbered)} sentence(s) with numbered "
        "reference markers"), evidence=ctx.excerpts([(c.start, c.end) for c in vague if c.start >= 0]))
    dates = _dates(ctx.text)
    q5 = 5 if dates and len(specific) >= 3 else 3 if dates or specific else 1
    items[5] = ItemScore(item="Q5", question=DISCERN_QUESTIONS[5], score=q5, reason=(
        f"{'a date is shown' if dates else 'no date is shown'}; {len(specific)} dated or linked source(s)"),
        evidence=[Excerpt(start=s, end=e, text=ctx.text[s:e]) for s, e in dates[:2]])
    claims = ctx.claims.claims
    over = sum(c.overclaim for c in claims)
    hype = sum(bool(c.hype) and c.stance == "asserted" for c in claims)
    promotional = bool(ctx.found("commercial.promotion"))
    q6 = 5 - (over / len(claims) >= 0.2 if claims else 0) - (over / len(claims) >= 0.4 if claims else 0) \
        - (hype >= 2) - promotional - (not ctx.found("discern.risks"))
    items[6] = ItemScore(item="Q6", question=DISCERN_QUESTIONS[6], score=max(1, q6), reason=(
        f"{over} overclaim(s) of {len(claims)} claims, {hype} asserted superlative(s), "
        f"{'product promotion' if promotional else 'no product promotion'}, "
        f"{'risks discussed' if ctx.found('discern.risks') else 'risks not discussed'}"),
        evidence=[Excerpt(start=c.start, end=c.end, text=c.text[:300]) for c in claims if c.overclaim][:3])
    mean_effects = round((_points(items[9]) + _points(items[10]) + _points(items[11])) / 3)
    items[2] = ItemScore(item="Q2", question=DISCERN_QUESTIONS[2], score=min(_points(items[1]), mean_effects), reason=(
        "the lower of Q1 (aims) and the mean of Q9-Q11 (how it works, benefits, risks)"))
    ordered = [items[n] for n in range(1, 16)]
    overall = round(sum(_points(i) for i in ordered) / 15)
    ordered.append(ItemScore(item="Q16", question=DISCERN_QUESTIONS[16], score=overall,
                             reason="the mean of Q1-Q15, rounded (a convention of this tool, not of DISCERN)"))
    return ordered


@cache
def _date_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _cues()["jama"]["currency_patterns"])


def _dates(text: str) -> list[tuple[int, int]]:
    head = text[:3000] + "\n" + text[-3000:]
    offset_tail = max(0, len(text) - 3000) - 3001
    spans = []
    for pattern in _date_patterns():
        for m in pattern.finditer(head):
            start = m.start() if m.start() <= 3000 else m.start() + offset_tail
            spans.append((start, start + len(m.group(0))))
    return spans


def _jama(ctx: _Context) -> list[ItemScore]:
    head = ctx.text[:800]
    byline = [s for s in ctx.found("jama.authorship") if s[0] < 1500] or \
        [(s, e) for s, e in ctx.spans[:6] if _BYLINE.match(ctx.text[s:e]) and e - s < 40 and s < len(head)]
    specific = [c for c in ctx.citations if c.kind != "vague"]
    disclosure = ctx.found("jama.disclosure")
    dates = _dates(ctx.text)

    def item(name: str, met: bool, reason: str, evidence) -> ItemScore:
        return ItemScore(item=name, question=f"JAMA benchmark: {name}", rating="met" if met else "not met",
                         reason=reason, evidence=evidence)
    return [
        item("authorship", bool(byline), "an author or credentials are named near the top" if byline else
             "no author or credentials found near the top", ctx.excerpts(byline, 2)),
        item("attribution", bool(specific or len(ctx.numbered) >= 3),
             f"{len(specific)} specific citation(s), {len(ctx.numbered)} sentence(s) with reference numbers",
             [Excerpt(start=max(c.start, 0), end=max(c.end, 0), text=c.value) for c in specific[:3]]),
        item("disclosure", bool(disclosure), "ownership, sponsorship or conflicts are disclosed" if disclosure else
             "no disclosure of ownership, sponsorship, advertising or conflicts", ctx.excerpts(disclosure, 2)),
        item("currency", bool(dates), "a date is shown" if dates else "no date of posting or update",
             [Excerpt(start=s, end=e, text=ctx.text[s:e]) for s, e in dates[:2]]),
    ]


def _hnr(ctx: _Context) -> list[ItemScore]:
    claims = ctx.claims.claims
    quantified = [(c.start, c.end) for c in claims if c.quantities and c.outcomes]
    others = {i for c in claims for i in c.interventions} - set(ctx.claims.subject)
    mongering = ctx.found("hnr.disease_mongering")
    hyped_new = [(c.start, c.end) for c in claims if c.hype and c.evidence and c.evidence.certainty.rank <= 2]

    def item(name: str, rating: str, reason: str, evidence=()) -> ItemScore:
        return ItemScore(item=name, question=f"HealthNewsReview: {name}", rating=rating, reason=reason,
                         evidence=ctx.excerpts(list(evidence), 2))

    def present(name: str, kind: str, yes: str, no: str) -> ItemScore:
        found = ctx.found(kind)
        return item(name, "satisfactory" if found else "not satisfactory", yes if found else no, found)
    press = ctx.found("hnr.press_release")
    return [
        present("costs", "hnr.costs", "costs are discussed", "costs are not discussed"),
        item("quantifies benefits", "satisfactory" if quantified else "not satisfactory",
             f"{len(quantified)} benefit claim(s) give numbers" if quantified else "benefits are not quantified",
             quantified),
        present("harms", "hnr.harms", "harms are discussed", "harms are not discussed"),
        item("quality of the evidence",
             "satisfactory" if len(ctx.found("hnr.evidence_quality")) >= 2 else "not satisfactory",
             f"{len(ctx.found('hnr.evidence_quality'))} sentence(s) describe study designs or their limits",
             ctx.found("hnr.evidence_quality")),
        item("no disease-mongering", "not satisfactory" if mongering else "satisfactory",
             "medicalises normal ageing" if mongering else "no disease-mongering found", mongering),
        present("independent sources", "hnr.independent_sources", "independent experts are quoted or named",
                "no independent expert is quoted"),
        item("compares with alternatives", "satisfactory" if len(others) >= 2 or ctx.found("discern.options")
             else "not satisfactory", f"{len(others)} other intervention(s) discussed", ctx.found("discern.options")),
        present("availability", "hnr.availability", "availability or regulatory status is stated",
                "availability and regulatory status are not stated"),
        item("true novelty", "not satisfactory" if hyped_new else "satisfactory",
             "novelty is hyped beside weak evidence" if hyped_new else "no unjustified novelty", hyped_new),
        item("not just a press release", "not satisfactory" if press else "satisfactory",
             "relies on a press release" if press else "no sign of relying on a press release", press),
    ]


def _spin(ctx: _Context) -> list[AuditFinding]:
    findings = []
    for claim in ctx.claims.claims:
        if claim.stance not in ("asserted", "hedged") or claim.evidence is None:
            continue
        weak = claim.evidence.certainty.rank <= 2
        if claim.hype and weak:
            findings.append(AuditFinding(kind="hype", rule="superlative-beside-weak-evidence", start=claim.start,
                                         end=claim.end, text=claim.text, explanation=(
                f"'{claim.hype[0]}' beside {claim.evidence.certainty.value} evidence (standards F1-F2)")))
        if claim.stance == "asserted" and claim.strength != "hedged" and claim.verdict != "supported" and \
                claim.evidence.certainty.is_human and (claim.evidence.ocebm_level or 5) >= 3:
            findings.append(AuditFinding(kind="spin", rule="causal-claim-from-non-randomised-evidence",
                                         start=claim.start, end=claim.end, text=claim.text, explanation=(
                "states an effect as fact where the best evidence is not randomised (OCEBM level "
                f"{claim.evidence.ocebm_level}; standards F3)")))
        if claim.verdict == "preclinical only" and claim.strength != "hedged" or \
                any("animal-to-human" in r for r in claim.reasons):
            findings.append(AuditFinding(kind="spin", rule="animal-to-human-leap", start=claim.start, end=claim.end,
                                         text=claim.text, explanation=(
                "states for people what only cell or animal studies show (standards F4)")))
    findings += _hype(ctx, {(f.start, f.end) for f in findings if f.kind == "hype"})
    subject = ctx.claims.subject
    weak_subject = subject and all(
        c.evidence is None or c.evidence.certainty.rank <= 2 for c in ctx.claims.claims
        if set(subject) & set(c.interventions))
    if weak_subject:
        for start, end in ctx.found("spin.recommendation"):
            findings.append(AuditFinding(kind="spin", rule="unsupported-recommendation", start=start, end=end,
                                         text=ctx.text[start:end][:300], explanation=(
                "recommends use of an intervention whose evidence is low certainty or weaker (standards F7)")))
    return findings


@cache
def _number_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _cues()["number_patterns"])


_AUTHOR_YEAR = re.compile(r"\(\s*[A-Z][\w'’-]+(?:\s+(?:et al\.?|and|&)\s*[A-Z]?[\w'’.-]*)?,?\s+(?:19|20)\d{2}\s*\)")


def _cited(ctx: _Context, start: int, end: int) -> bool:
    """The sentence gives a source: a specific citation, a reference number, or an (Author, year) citation."""
    sentence = ctx.text[start:end]
    return any(c.kind != "vague" and start <= c.start < end for c in ctx.citations) or \
        (start, end) in set(ctx.numbered) or bool(_AUTHOR_YEAR.search(sentence))


def _hype(ctx: _Context, already: set[tuple[int, int]]) -> list[AuditFinding]:
    """Hype that needs no evidence base to see: numbers promising a size of effect without a source, superlatives in
    the author's own claims, and testimonials offered as evidence."""
    findings = []
    for start, end in ctx.spans:
        sentence = ctx.text[start:end]
        number = next((m for p in _number_patterns() for m in p.finditer(sentence)), None)
        if number is not None and not _cited(ctx, start, end):
            findings.append(AuditFinding(kind="hype", rule="unsupported-number", start=start, end=end,
                                         text=sentence[:300], explanation=(
                f"'{number.group(0)}' promises a size of effect without saying where the number comes from")))
    for claim in ctx.claims.claims:
        if claim.stance in ("asserted", "hedged") and claim.hype and (claim.start, claim.end) not in already:
            findings.append(AuditFinding(kind="hype", rule="superlative", start=claim.start, end=claim.end,
                                         text=claim.text[:300], explanation=(
                f"'{claim.hype[0]}': a superlative in the author's own claim")))
    for start, end in ctx.found("commercial.testimonial")[:5]:
        findings.append(AuditFinding(kind="testimonial", rule="testimonial-as-evidence", start=start, end=end,
                                     text=ctx.text[start:end][:300], explanation=(
            "personal experience or ratings offered as evidence of an effect; testimonials are not evidence")))
    return findings


@cache
def _purchase_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _cues()["purchase_url_patterns"])


@cache
def _affiliate_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _cues()["commercial"]["affiliate_url_patterns"])


def _commercial(ctx: _Context) -> list[AuditFinding]:
    findings = []
    labels = {"commercial.promotion": ("promotion", "product promotion"),
              "commercial.discount": ("promotion", "discount code, price offer or purchase prompt"),
              "commercial.affiliate_text": ("affiliate", "affiliate or sponsored content disclosed"),
              "commercial.ai_written": ("ai-written", "says it was written with AI"),
              "commercial.social_share": ("promotion", "asks readers to share or follow")}
    for kind, (name, explanation) in labels.items():
        for start, end in ctx.found(kind)[:3]:
            findings.append(AuditFinding(kind="commercial", rule=name, explanation=explanation, start=start, end=end,
                                         text=ctx.text[start:end][:300]))
    own_page = ctx.source if re.match(r"https?://", ctx.source or "") else None
    for url in dict.fromkeys([*ctx.links, *re.findall(r"https?://\S+", ctx.text)]):
        if any(p.search(url) for p in _affiliate_patterns()):
            findings.append(AuditFinding(kind="commercial", rule="affiliate", explanation="affiliate link",
                                         start=-1, end=-1, text=url[:300]))
        elif url != own_page and any(p.search(url) for p in _purchase_patterns()):
            findings.append(AuditFinding(kind="commercial", rule="purchase-link", explanation=(
                "a link to buy a product"), start=-1, end=-1, text=url[:300]))
    if own_page and any(p.search(own_page) for p in _purchase_patterns()):
        findings.append(AuditFinding(kind="commercial", rule="shop-page", explanation=(
            "the page is a shop's own page: it sells what it writes about"), start=-1, end=-1, text=own_page[:300]))
    return findings


def overclaim_weight(claim) -> float:
    """How far a claim goes beyond its evidence: 1 for contradicted, preclinical-only, or strong wording (proven,
    quantified, superlative) beyond the evidence, or a gap of two levels or more; 0.5 for one level."""
    if not claim.overclaim:
        return 0.0
    if claim.verdict != "overstated" or claim.strength in ("proven", "quantified", "superlative"):
        return 1.0
    if claim.evidence is None:
        return 1.0
    gap = REQUIRED[claim.strength] - claim.evidence.certainty.rank
    return 1.0 if gap >= 2 else 0.5


def _balance(discern, claims: ClaimCheck, spin) -> tuple[int, dict[str, float]]:
    """Content balance, 0-100 (docs/audit.md, "Score"): accuracy of the author's own claims, weighted by how far
    each goes beyond the evidence (40), hype and spin per claim (20), uncertainty acknowledged (15), risks
    described (15), alternatives (10). Also the two shares the verdict is gated on."""
    own = [c for c in claims.claims if c.stance in ("asserted", "hedged")]
    overclaim_share = sum(overclaim_weight(c) for c in own) / len(own) if own else 0.0
    spin_share = min(1.0, len(spin) / len(own)) if own else 0.0
    # The verdict asks whether the article can be trusted on its subject: overclaims about what it is about count
    # there; asides about other treatments lower the score but do not decide the verdict.
    on_subject = [c for c in own if set(claims.subject) & set(c.interventions)
                  or (claims.topic_known is False and c.subject == claims.topic)] or own
    subject_share = sum(overclaim_weight(c) for c in on_subject) / len(on_subject) if on_subject else 0.0
    scores = {i.item: i.score for i in discern}
    parts = {
        "accuracy of own claims (40)": 40 * (1 - overclaim_share),
        "hype and spin (20)": 20 * (1 - spin_share),
        "uncertainty, DISCERN Q8 (15)": 15 * (scores["Q8"] - 1) / 4,
        "risks, DISCERN Q11 (15)": 15 * (scores["Q11"] - 1) / 4,
        "alternatives, DISCERN Q14 (10)": 10 * (scores["Q14"] - 1) / 4,
    }
    shares = {"claims on the subject": len(on_subject), "weighted overclaim share": round(overclaim_share, 2),
              "weighted overclaim share on the subject": round(subject_share, 2), "spin per claim": round(spin_share, 2)}
    return round(sum(parts.values())), {**{k: round(v, 1) for k, v in parts.items()}, **shares}


#: Verdict thresholds (docs/audit.md): careful needs a balance of 70 and at most a third of the author's own
#: claims (weighted) beyond the evidence, with little spin; half or more beyond the evidence is one-sided.
CAREFUL_BALANCE, CAREFUL_OVERCLAIMS, CAREFUL_SPIN = 70, 1 / 3, 0.3
MIXED_BALANCE, ONE_SIDED_OVERCLAIMS = 45, 0.5
ONE_SIDED_MIN_CLAIMS = 3  # fewer claims on the subject are too few to call an article one-sided


def content_verdict(balance: int, overclaim_share: float, spin_share: float, claims_on_subject: int) -> str:
    if balance >= CAREFUL_BALANCE and overclaim_share <= CAREFUL_OVERCLAIMS and spin_share <= CAREFUL_SPIN:
        return "careful and balanced"
    if (balance >= MIXED_BALANCE and overclaim_share < ONE_SIDED_OVERCLAIMS) or claims_on_subject < ONE_SIDED_MIN_CLAIMS:
        return "mixed: read with care"
    return "one-sided or unreliable"


def _transparency(jama, citations: dict, commercial) -> tuple[int, dict[str, float]]:
    """Transparency, 0-100: the JAMA benchmarks (60) and how specific the citations are (40); product promotion
    and affiliate links subtract 10 each."""
    cited = citations["specific"] + citations["vague"]
    parts = {
        "JAMA benchmarks (60)": 60 * sum(i.rating == "met" for i in jama) / 4,
        "specific citations (40)": 40 * citations["specific"] / cited if cited else
        (20.0 if citations["numbered_markers"] else 0.0),
        "commercial (-10 each)": -10.0 * len({f.rule for f in commercial if f.rule in (
            "promotion", "affiliate", "purchase-link", "shop-page")}),
    }
    return max(0, min(100, round(sum(parts.values())))), {k: round(v, 1) for k, v in parts.items()}


def _summary(balance: int, transparency: int, verdict: str, claims: ClaimCheck, spin, commercial,
             citations: dict) -> str:
    text = (f"Content: {verdict} (balance {balance}/100); transparency {transparency}/100. {len(claims.claims)} "
            f"claims, of which {claims.overclaims} go beyond the evidence")
    text += f"; {len(spin)} hype or spin finding(s)" if spin else ""
    text += f"; {citations['vague']} vague citation(s) that cannot be verified" if citations["vague"] else ""
    text += f"; commercial signals: {', '.join(sorted({f.rule for f in commercial}))}" if commercial else ""
    text += "."
    if claims.topic_known is False:
        text += (f" {claims.topic}: not in the evidence base, so its claims cannot be graded; the article cannot be "
                 "called careful on the evidence.")
    return text
