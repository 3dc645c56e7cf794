"""Score the claim checker on the development sets in ``devsets/claims/`` (docs/claims.md, "Development sets").

For each half of the deterministic split of ``sentences.jsonl`` (tune, holdout) it prints, per jurisdiction, the
recall of drug or medicinal claims and the share of lawful cosmetic wordings wrongly flagged, the share of reported,
quoted, negated and hedged sentences that raised any flag, and, for the articles, which of the findings written down
before the first run the audit reproduces. ``--half heldout-2`` scores the second set (``heldout-2.jsonl``, frozen
before the second round of tuning; tuning material in the third round) and ``--half heldout-3`` the third held-out
set (``heldout-3.jsonl``, collected and labelled after the third round's changes, before the checker ran on it), in
aggregate only: the misses of a held-out set are never listed.

    python scripts/claims_devset.py [--half tune|holdout|both|heldout-2|heldout-3] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from skinevidence.claims.audit import audit_text
from skinevidence.claims.check import check_text
from skinevidence.evidence.database import Database

DEVSETS = Path(__file__).resolve().parents[1] / "devsets" / "claims"
NOT_OWN = {"reported", "quoted", "negated", "question", "definition", "study-description", "regulatory",
           "disclosure", "history"}
#: The held-out sets: scored in aggregate only, so that they stay honest measures.
HELDOUT_2, HELDOUT_3 = "heldout-2", "heldout-3"
HELDOUT = (HELDOUT_2, HELDOUT_3)


def load(half: str) -> list[dict]:
    name = f"{half}.jsonl" if half in HELDOUT else "sentences.jsonl"
    rows = [json.loads(line) for line in (DEVSETS / name).open(encoding="utf-8")]
    return [r for r in rows if half == "both" or r["split"] == half]


def flags_of(catalog, row: dict) -> list:
    """The flags raised on the row's sentence; a row with a ``context`` (the list lead or heading it sits under on
    its page) is checked in that context."""
    context = row.get("context")
    text = f"{context}\n{row['text']}" if context else row["text"]
    start = len(context) + 1 if context else 0
    return [f for claim in check_text(catalog, text).claims if claim.end > start for f in claim.flags]


def drug_flag(flags, jurisdiction: str) -> bool:
    """A drug (UK: medicinal) claim: a drug_claim flag, or another flag that states a drug basis (a comparison with
    an injected drug is a structure/function claim)."""
    return any(f.jurisdiction == jurisdiction and (f.kind == "drug_claim" or (
        jurisdiction == "US" and f.basis in ("disease", "structure-function"))) for f in flags)


def kr_flag(flags) -> bool:
    return any(f.jurisdiction == "KR" and f.kind in ("drug_claim", "advertising_rule", "unsafe_route")
               for f in flags)


class Tally:
    """How often the checker flagged a group of sentences; ``wrong`` are those scored against the label."""

    def __init__(self, flagged_is_right: bool = True):
        self.hits, self.total, self.wrong = 0, 0, []
        self.flagged_is_right = flagged_is_right

    def add(self, flagged: bool, row: dict) -> None:
        self.total += 1
        self.hits += flagged
        if flagged != self.flagged_is_right:
            self.wrong.append(row)

    def share(self) -> float:
        return self.hits / self.total if self.total else float("nan")


def score_sentences(catalog, rows: list[dict]) -> dict[str, Tally]:
    t: dict[str, Tally] = defaultdict(Tally)
    for key in ("US false positives on lawful wording", "UK false positives on lawful wording",
                "KR false positives on lawful wording", "flags on reported, quoted, negated or descriptive sentences"):
        t[key] = Tally(flagged_is_right=False)
    for row in rows:
        labels = row["labels"]
        flags = flags_of(catalog, row)
        own = labels["stance"] not in NOT_OWN
        if row["lang"] == "en" and row["set"] in ("drug", "lawful"):
            if labels["us_drug_claim"]:
                t["US drug-claim recall"].add(drug_flag(flags, "US"), row)
            elif labels["us"] in ("cosmetic", "none"):
                t["US false positives on lawful wording"].add(drug_flag(flags, "US"), row)
            if labels["uk_medicinal"] and own:
                t["UK medicinal recall"].add(drug_flag(flags, "UK"), row)
            elif labels["uk_medicinal"] is False and labels["us"] in ("cosmetic", "none"):
                t["UK false positives on lawful wording"].add(drug_flag(flags, "UK"), row)
        if row["lang"] == "ko":
            if labels["kr_banned"]:
                t["KR banned-expression recall"].add(kr_flag(flags), row)
            else:
                t["KR false positives on lawful wording"].add(kr_flag(flags), row)
        if row["set"] in ("speech", "article") and not own:
            t["flags on reported, quoted, negated or descriptive sentences"].add(bool(flags), row)
        if row["set"] == "article" and own and labels["us"] is not None:
            expected = bool(labels["us_drug_claim"])
            t["article sentences: US drug-claim agreement"].add(drug_flag(flags, "US") == expected, row)
    return t


def score_articles(catalog) -> list[tuple[str, str, bool, str]]:
    """(article, expectation, met, detail) for each expectation written before the first run."""
    results = []
    for line in (DEVSETS / "articles" / "expected.jsonl").open(encoding="utf-8"):
        article = json.loads(line)
        text = (DEVSETS / "articles" / article["file"]).read_text(encoding="utf-8")
        report = audit_text(catalog, text, source=article["url"], links=[article["url"]])
        expected = article["expected"]
        name = article["id"]
        known_now = _known(catalog, expected["unknown_subject"])
        if known_now is None:
            # the expectations about an unknown topic hold while the evidence base does not cover it
            results.append((name, f"verdict is not '{expected['audit_verdict_not']}'",
                            report.verdict != expected["audit_verdict_not"], report.verdict))
            unknown = [u.lower() for u in report.claims.unknown_topics]
            wanted = expected["unknown_subject"].lower()
            results.append((name, f"names '{expected['unknown_subject']}' as not in the evidence base",
                            any(wanted in u or u in wanted for u in unknown), ", ".join(unknown) or "none named"))
        else:
            # written when the base did not know the topic; it knows it now: the topic must be that intervention
            topic = report.claims.subject
            results.append((name, f"topic '{expected['unknown_subject']}' (now in the evidence base) is the subject",
                            topic == [known_now], ", ".join(topic) or "none"))
        claims = report.claims.claims
        for item in expected.get("drug_claims_us", []):
            claim = _find(text, claims, item["text"], want_flags=True)
            ok = claim is not None and any(f.jurisdiction == "US" and f.kind == "drug_claim" for f in claim.flags)
            results.append((name, f"US drug claim: {item['text'][:70]}", ok, _show(claim)))
        for key in ("quoted", "reported_no_violation", "study_descriptions_no_violation"):
            for item in expected.get(key, []):
                text_ = item["text"] if isinstance(item, dict) else item
                claim = _find(text, claims, text_, want_flags=False)
                ok = claim is None or not claim.flags
                results.append((name, f"no violation ({key.split('_')[0]}): {text_[:60]}", ok, _show(claim)))
        for text_ in expected.get("not_claims", []):
            claim = _find(text, claims, text_, want_flags=False)
            ok = claim is None or (claim.verdict is None and not claim.flags)
            results.append((name, f"not a claim: {text_[:60]}", ok, _show(claim)))
    return results


def _known(catalog, name: str) -> str | None:
    """The intervention the evidence base now has for a name, if any (the base grows after an article's
    expectations were written)."""
    from skinevidence.errors import NotFound
    words = name.split(" (")[0].split()
    for candidate in (name, " ".join(words), " ".join(words[:2]), name.replace(" light therapy", "")):
        try:
            return catalog.resolve_intervention(candidate)
        except NotFound:
            continue
    return None


def _find(article: str, claims: list, text: str, want_flags: bool):
    """The claim reported for an expected sentence: the claims overlapping where the sentence is in the article
    (an expected line may hold several sentences); the one with flags if any, as the expectation asks."""
    start = article.find(text)
    if start < 0:
        start = article.find(text[:40])
    if start < 0:
        return None
    end = start + len(text)
    found = [c for c in claims if c.start < end and c.end > start]
    flagged = [c for c in found if c.flags]
    return (flagged or found or [None])[0] if want_flags else (flagged[0] if flagged else (found or [None])[0])


def _show(claim) -> str:
    if claim is None:
        return "not reported as a claim"
    flags = ", ".join(f"{f.jurisdiction} {f.kind}" for f in claim.flags) or "no flag"
    return f"stance {claim.stance}, verdict {claim.verdict}, {flags}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "holdout", "both", *HELDOUT), default="both")
    parser.add_argument("--misses", action="store_true",
                        help="list the sentences scored wrong (never for a held-out set)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    catalog = Database.open().catalog()
    halves = ("tune", "holdout") if args.half == "both" else (args.half,)
    figures = {}
    for half in halves:
        tallies = score_sentences(catalog, load(half))
        figures[half] = {k: {"share": round(v.share(), 3), "of": v.total} for k, v in sorted(tallies.items())}
        if not args.json:
            print(f"== {half} half")
            for key, tally in sorted(tallies.items()):
                print(f"  {key:62} {tally.share():6.1%}  ({tally.hits}/{tally.total})")
                if args.misses and half not in HELDOUT:
                    for row in tally.wrong:
                        print(f"      - [{row['labels']['us'] or row['labels'].get('kr_banned')}] {row['text'][:110]}")
    if args.half in HELDOUT:
        if args.json:
            print(json.dumps(figures, indent=2))
        return
    articles = score_articles(catalog)
    met = sum(ok for *_, ok, _ in articles)
    figures["articles"] = {"met": met, "of": len(articles)}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"== articles: {met}/{len(articles)} expectations met")
    for name, what, ok, detail in articles:
        if args.misses or not ok:
            print(f"  {'ok  ' if ok else 'MISS'} {name} {what} -> {detail}")


if __name__ == "__main__":
    main()
