"""Generated product listings, for speed tests and benchmarks (never for correctness: that is shown on real wording).

Every claim is built from the project's own data: ingredient names and INCI names from the evidence base, outcome
names from its vocabulary, effect verbs, strength words and hedges from ``lexicons/claim_cues.yaml``, and the
drug-claim wordings regulators cite from ``lexicons/rules.yaml``. The mix, fixed by a seed (docs/screen.md):

- 70% lawful cosmetic copy ("helps reduce the look of fine lines", "hydrates dry skin"), with neutral sentences
  about texture, use and packaging;
- 20% overstated copy: proof words, superlatives, numbers and speeds of results;
- 10% drug claims: disease outcomes and the wordings of warning letters;
- a quarter of the listings are variants of an earlier one (another size or shade: same bullets, description and
  ingredients), and every brand repeats its own line, as real catalogues do;
- 300 to 1,500 characters of title, bullets and description; 10 to 40 INCI names.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from skinevidence.claims.rules import load_rules
from skinevidence.evidence.catalog import Catalog
from skinevidence.paths import atomic_output
from skinevidence.text.lexicon import lexicon_file

MIX = {"lawful": 0.7, "overstated": 0.2, "drug": 0.1}
VARIANT_SHARE = 0.25
#: Ordinary INCI names of bases, emollients and preservatives: the bulk of any ingredient list.
BASE_INCI = ("Aqua", "Glycerin", "Butylene Glycol", "Propanediol", "Pentylene Glycol", "Caprylic/Capric Triglyceride",
             "Cetearyl Alcohol", "Cetyl Alcohol", "Glyceryl Stearate", "PEG-100 Stearate", "Dimethicone",
             "Squalane", "Isononyl Isononanoate", "Carbomer", "Xanthan Gum", "Sodium Hydroxide", "Citric Acid",
             "Sodium Citrate", "Disodium EDTA", "Phenoxyethanol", "Ethylhexylglycerin", "Sodium Benzoate",
             "Potassium Sorbate", "Tocopherol", "Allantoin", "Panthenol", "Betaine", "Sodium PCA", "Parfum",
             "Linalool", "Limonene", "Polysorbate 20", "Acrylates/C10-30 Alkyl Acrylate Crosspolymer",
             "Hydroxyethylcellulose", "Caprylyl Glycol", "1,2-Hexanediol", "Behenyl Alcohol", "Shea Butter",
             "Butyrospermum Parkii Butter", "Simmondsia Chinensis Seed Oil", "Aloe Barbadensis Leaf Juice")
PRODUCTS = ("Serum", "Cream", "Gel Cream", "Essence", "Ampoule", "Lotion", "Night Cream", "Eye Cream", "Toner",
            "Face Oil", "Booster", "Mask")
SIZES = ("15 ml", "30 ml", "50 ml", "100 ml", "1 fl oz", "1.7 oz")
NEUTRAL = (
    "Apply a few drops to clean skin morning and evening.", "Massage gently until fully absorbed.",
    "Suitable for daily use under make-up.", "Comes in an airless pump bottle.", "Store in a cool, dry place.",
    "The texture is light and non-greasy.", "Fragrance-free formula.", "Packaged in recyclable glass.",
    "Avoid contact with eyes.", "Follow with your usual moisturiser.", "Vegan and cruelty-free.",
    "Made in small batches.", "Shake well before use.", "Use within twelve months of opening.",
    "A silky gel that sinks in quickly.", "Pairs well with a gentle cleanser.",
    "Our founder created the range after years in the beauty industry.", "Free from parabens and mineral oil.")
LAWFUL = ("Helps reduce the look of {o}.", "{V} the appearance of {o}.", "Leaves skin feeling soft and {a}.",
          "With {i} to help skin look {a}.", "{i} {v} dry-looking skin.", "Visibly {a} skin with regular use.",
          "Formulated with {i} for {a}-looking skin.", "Gives a {a} look to tired skin.")
OVERSTATED = ("{P} to {v0} {o} by {n}% in {d} days!", "A {S} {i} formula that {v} {o} {s2}.",
              "{i} {v} {o} in just {d} days.", "{P}: {o} {v} within {w} weeks.", "The {S} answer to {o}.",
              "{i} is {S} for {o}, with results in {d} days.")
DRUG = ("{T}.", "Our {i} {product} {T}.", "{i} {v} {disease} and prevents it coming back.",
        "Clinically formulated to heal {disease}.", "{i} treats {disease} at the source.")
ADJECTIVES = ("smooth", "radiant", "plump", "fresh", "supple", "even", "bright", "soft", "healthy")


class ListingGenerator:
    """Listings from a seed; the same seed and catalog give the same listings."""

    def __init__(self, catalog: Catalog, seed: int = 15):
        self.rng = random.Random(seed)
        cues = lexicon_file("claim_cues")
        ingredients = [catalog.interventions[k] for k in sorted(catalog.interventions)
                       if catalog.kinds[k] == "ingredient"]
        self.names = [n for i in ingredients for n in (i.name, *i.aliases[:2]) if n.isascii()] or ["Niacinamide"]
        self.inci = sorted({e.name for e in catalog.evidence.inci if e.name.isascii()}) or ["Niacinamide"]
        outcomes = [o for o in sorted(catalog.outcomes.values(), key=lambda o: o.id) if not o.harm]
        self.cosmetic = [a for o in outcomes if not o.disease for a in (o.name.lower(), *o.aliases[:2]) if a.isascii()]
        self.disease = [a for o in outcomes if o.disease for a in (o.name.lower(), *o.aliases[:1]) if a.isascii()]
        verbs = [v for v in cues["efficacy"] if v.isascii() and v.endswith("s") and " " not in v and len(v) > 4]
        self.verbs = verbs or ["reduces"]
        self.proven = [p for p in cues["strength"]["proven"] if p.isascii() and p.endswith("proven")] or ["proven"]
        self.superlatives = [s for s in cues["strength"]["superlative"] if s.isascii() and " " not in s]
        self.triggers = [t for r in load_rules() if r.kind == "drug_claim" for t in r.triggers
                         if t.isascii() and len(t.split()) >= 2]
        self.brands = [f"{a}{b}" for a in ("Lumi", "Derma", "Nova", "Pure", "Vita", "Aura", "Skin", "Bio")
                       for b in ("lab", "essence", "glow", "theory", "ritual", "cure")]
        self.brand_line = {b: f"{b} believes in {self.rng.choice(ADJECTIVES)} skin for everyone." for b in self.brands}
        self._made: list[dict] = []

    def _fill(self, template: str) -> str:
        r = self.rng
        verb = r.choice(self.verbs)
        text = template.format(
            i=r.choice(self.names), o=r.choice(self.cosmetic or ["fine lines"]), v=verb, V=verb.capitalize(),
            v0=verb.removesuffix("s"), a=r.choice(ADJECTIVES), n=r.randint(12, 95),
            d=r.choice((3, 7, 10, 14, 28)), w=r.choice((2, 4, 8)), P=r.choice(self.proven).capitalize(),
            S=r.choice(self.superlatives or ["breakthrough"]), s2=r.choice(("overnight", "instantly", "fast")),
            T=r.choice(self.triggers or ["treats acne"]).capitalize(), disease=r.choice(self.disease or ["acne"]),
            product=r.choice(PRODUCTS).lower())
        return text[0].upper() + text[1:]

    def _claims(self, kind: str, count: int) -> list[str]:
        pools = {"lawful": LAWFUL, "overstated": OVERSTATED + LAWFUL, "drug": DRUG + LAWFUL}
        return [self._fill(self.rng.choice(pools[kind])) for _ in range(count)]

    def listing(self, number: int) -> dict:
        r = self.rng
        if self._made and r.random() < VARIANT_SHARE:
            base = dict(r.choice(self._made[-500:]))
            size = base.pop("size")
            return {**base, "id": f"SKU{number:08d}", "title": base["title"].replace(size, r.choice(SIZES))}
        roll = r.random()
        kind = ("lawful" if roll < MIX["lawful"] else
                "overstated" if roll < MIX["lawful"] + MIX["overstated"] else "drug")
        brand = r.choice(self.brands)
        active = r.choice(self.names)
        size = r.choice(SIZES)
        title = f"{brand} {active.title()} {r.choice(PRODUCTS)} {size}"
        bullets = [*self._claims(kind, r.randint(1, 3)), *r.sample(NEUTRAL, r.randint(1, 2))]
        r.shuffle(bullets)
        description = [*self._claims(kind, r.randint(1, 3)), *r.sample(NEUTRAL, r.randint(2, 5)),
                       self.brand_line[brand]]
        r.shuffle(description)
        while len(title) + sum(map(len, bullets)) + sum(map(len, description)) < 300:
            description.append(r.choice(NEUTRAL))
        while len(title) + sum(map(len, bullets)) + sum(map(len, description)) > 1500 and len(description) > 1:
            description.pop()
        actives = r.sample(self.inci, min(len(self.inci), r.randint(1, 3)))
        usual = r.sample(BASE_INCI, r.randint(10, 37) - len(actives))
        inci = usual[:2] + actives + usual[2:]
        made = {"id": f"SKU{number:08d}", "title": title, "bullets": bullets, "description": " ".join(description),
                "ingredients": ", ".join(inci[:40]), "brand": brand,
                "country": r.choice(("US", "FR", "DE", "KR", "GB"))}
        self._made.append({**made, "size": size})
        if len(self._made) > 1000:
            del self._made[:500]
        return made

    def listings(self, count: int) -> Iterator[dict]:
        for number in range(1, count + 1):
            yield self.listing(number)


def write_listings(catalog: Catalog, path: Path, count: int, seed: int = 15) -> Path:
    """``count`` generated listings as JSON Lines, CSV (bullets one per line) or Parquet, by the file's suffix."""
    generator = ListingGenerator(catalog, seed)
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq
        with atomic_output(path, binary=True) as out:
            writer = None
            batch: list[dict] = []
            for listing in generator.listings(count):
                batch.append(listing)
                if len(batch) == 10_000:
                    table = pa.Table.from_pylist(batch)
                    writer = writer or pq.ParquetWriter(out, table.schema)
                    writer.write_table(table)
                    batch = []
            if batch:
                table = pa.Table.from_pylist(batch)
                writer = writer or pq.ParquetWriter(out, table.schema)
                writer.write_table(table)
            if writer is not None:
                writer.close()
        return path
    with atomic_output(path) as out:
        if path.suffix == ".csv":
            import csv
            writer_csv = csv.writer(out)
            writer_csv.writerow(["id", "title", "description", "bullets", "ingredients", "brand", "country"])
            for listing in generator.listings(count):
                writer_csv.writerow([listing["id"], listing["title"], listing["description"],
                                     "\n".join(listing["bullets"]), listing["ingredients"], listing["brand"],
                                     listing["country"]])
        else:
            for listing in generator.listings(count):
                out.write(json.dumps(listing, ensure_ascii=False) + "\n")
    return path
