"""Screening catalogues (docs/screen.md): one row per listing in input order, the findings of the one claim checker,
the same with and without the prefilter, every listing exactly once however often the run is killed, and bad rows
reported by number while the rest is screened."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from killing import cli, cli_env, kill_after
from skinevidence.claims.check import check_text
from skinevidence.claims.listings import Columns, Listing, RowError, read_listings
from skinevidence.claims.screen import Screener, Settings, jurisdictions_for, screen_file, state_path
from skinevidence.claims.synthetic import ListingGenerator, write_listings
from skinevidence.errors import InputError
from skinevidence.evidence.database import Database

ROOT = Path(__file__).resolve().parents[1]


def settings(fmt: str = "jsonl", **overrides) -> Settings:
    return Settings(columns=Columns().names, input_format=None, output_format=fmt, **overrides)


def run_cli(*args: str, db: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SKINEVIDENCE_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "skinevidence", *args], check=False, capture_output=True, text=True,
                          env=env, timeout=timeout)


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("screen-db") / "evidence.sqlite"
    Database.open(path).close()
    return path


def real_listings() -> list[Listing]:
    """Listings made of real wording: each paragraph of the seed articles (marketing copy, clinic pages, news) as a
    description, its first line as the title."""
    made = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for number, paragraph in enumerate(paragraphs):
            lines = paragraph.splitlines()
            made.append(Listing(row=len(made) + 1, id=f"{path.stem}-{number}", title=lines[0][:200],
                                description="\n".join(lines[1:]) or lines[0], bullets=""))
    return made


@pytest.mark.shared_data
def test_prefiltered_and_unfiltered_screening_give_identical_findings(bundled, tmp_path):
    generated = write_listings(bundled, tmp_path / "listings.jsonl", 2500, seed=3)
    listings = [*(r for r in read_listings(generated, Columns()) if isinstance(r, Listing)), *real_listings()]
    assert len(listings) >= 2500
    fast = Screener(bundled, use_prefilter=True, use_cache=True)
    plain = Screener(bundled, use_prefilter=False, use_cache=False)
    differing = [listing.id for listing in listings if fast.screen(listing) != plain.screen(listing)]
    assert differing == []
    assert sum(plain.screen(listing)["claims"] for listing in listings) > 2500  # the listings do make claims


def test_the_prefilter_passes_a_text_with_a_cue_or_a_digit_and_stops_one_with_neither(bundled):
    from skinevidence.claims.reading import read_text
    from skinevidence.claims.screen import has_cue
    assert has_cue(read_text(bundled, "Store in a cool place. Niacinamide reduces wrinkles."))
    assert has_cue(read_text(bundled, "Batch 4 wks."))
    assert not has_cue(read_text(bundled, "Store in a cool, dry place. Made in small batches."))


def test_a_finding_is_the_claim_checkers_judgement_of_the_same_words(bundled):
    listing = Listing(row=1, id="a", title="Niacinamide serum",
                      description="Clinically proven to erase wrinkles in 7 days. Treats acne.")
    row = Screener(bundled).screen(listing)
    checked = check_text(bundled, listing.description, subject=["niacinamide"], product_copy=True)
    assert all(f["subject"] == "niacinamide" for f in row["findings"])
    found = [(f["start"], f["end"], f["verdict"], [x["rule"] for x in f["flags"]])
             for f in row["findings"] if f["field"] == "description"]
    assert found == [(c.start, c.end, c.verdict, [x.rule for x in c.flags]) for c in checked.claims]
    assert row["claims"] == len(row["findings"]) and row["verdict"] is not None


def test_the_worst_flag_per_jurisdiction_and_the_worst_verdict_are_summarised_per_row(bundled):
    listing = Listing(row=7, id="b", title="Niacinamide gel", description="Treats acne. Clinically proven results.")
    row = Screener(bundled).screen(listing)
    kinds = {(f["jurisdiction"], f["kind"]) for x in row["findings"] for f in x["flags"]}
    assert row["flags"]["US"] == "drug_claim" and ("US", "drug_claim") in kinds
    assert row["row"] == 7 and row["id"] == "b"


def test_a_listing_sold_in_one_country_gets_only_its_jurisdictions_flags(bundled):
    text = "Niacinamide treats acne and is clinically proven."
    everywhere = Screener(bundled).screen(Listing(row=1, id="x", description=text))
    france = Screener(bundled).screen(Listing(row=1, id="x", description=text, country="en:france"))
    assert "US" in everywhere["flags"]
    assert set(france["flags"]) <= {"EU"}
    assert jurisdictions_for("en:france,en:united-states") == {"EU", "US"}
    assert jurisdictions_for("Narnia") is None


def test_two_workers_write_the_same_rows_in_the_same_order_as_one(bundled, db_file, tmp_path):
    source = write_listings(bundled, tmp_path / "in.jsonl", 600, seed=5)
    screen_file(source, tmp_path / "one.jsonl", settings(), workers=1, catalog=bundled)
    screen_file(source, tmp_path / "two.jsonl", settings(), workers=2, db=db_file)
    assert rows(tmp_path / "two.jsonl") == rows(tmp_path / "one.jsonl")
    assert [r["row"] for r in rows(tmp_path / "one.jsonl")] == list(range(1, 601))


def test_csv_and_parquet_outputs_hold_the_same_rows(bundled, tmp_path):
    import pyarrow.parquet as pq
    source = write_listings(bundled, tmp_path / "in.csv", 120, seed=9)
    screen_file(source, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)
    screen_file(source, tmp_path / "out.parquet", settings("parquet"), workers=1, catalog=bundled, chunk=50)
    screen_file(source, tmp_path / "out.csv", settings("csv"), workers=1, catalog=bundled)
    expected = rows(tmp_path / "out.jsonl")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [{**r, "flags": dict(r["flags"])} for r in table] == expected
    import csv
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [(r["id"], json.loads(r["findings"])) for r in read] == [(r["id"], r["findings"]) for r in expected]
    assert not (tmp_path / "out.parquet.parts").exists()


def test_a_finished_run_is_not_screened_again(bundled, tmp_path):
    source = write_listings(bundled, tmp_path / "in.jsonl", 50, seed=1)
    first = screen_file(source, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)
    again = screen_file(source, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)
    assert first.complete and again.complete and again.screened == 50
    assert len(rows(tmp_path / "out.jsonl")) == 50


def test_a_state_file_of_another_input_is_refused(bundled, tmp_path):
    one = write_listings(bundled, tmp_path / "one.jsonl", 20, seed=1)
    two = write_listings(bundled, tmp_path / "two.jsonl", 30, seed=2)
    screen_file(one, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)
    with pytest.raises(InputError, match="another input"):
        screen_file(two, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)
    assert screen_file(two, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled, restart=True).screened == 30


def written_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq
        return pq.read_table(path).to_pylist()
    return rows(path)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_killed_at_random_points_and_resumed_every_listing_appears_exactly_once(bundled, db_file, tmp_path, fmt):
    source = write_listings(bundled, tmp_path / "in.jsonl", 6000, seed=11)
    output = tmp_path / "run" / f"out.{fmt}"
    output.parent.mkdir()
    env = cli_env(db_file)
    command = cli("screen", str(source), "-o", str(output), "--format", fmt, "--workers", "2")
    rng = random.Random(15)
    # four runs killed at random points (those that finish first are not killed)
    kills = kill_after(command, env, [rng.uniform(2.0, 5.0) for _ in range(4)], tmp_path / "stderr.txt")
    final = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    written = written_rows(output)
    assert kills >= 1
    assert [r["id"] for r in written] == [f"SKU{n:08d}" for n in range(1, 6001)]
    reference = tmp_path / f"reference.{fmt}"
    screen_file(source, reference, settings(fmt), workers=1, catalog=bundled)
    assert written == written_rows(reference)
    # nothing left of the killed runs: no temporary file, no Parquet parts, only the output and its state
    assert sorted(p.name for p in output.parent.iterdir()) == [output.name, state_path(output).name]


# bad input -------------------------------------------------------------------------------------------------------

def write_csv(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def screened(bundled, path: Path, tmp_path: Path, **overrides):
    out = tmp_path / "out.jsonl"
    summary = screen_file(path, out, settings(**overrides), workers=1, catalog=bundled, restart=True)
    return summary, rows(out)


def test_a_row_with_too_many_fields_is_reported_by_number_and_the_rest_screened(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title,description\n1,Serum,Boosts collagen.\n2,Cream,x,y\n"
                                            "3,Gel,Reduces wrinkles.\n")
    summary, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1", "3"]
    assert summary.errors == 1 and summary.error_rows[0]["row"] == 2
    assert "4 field(s) where the header has 3" in summary.error_rows[0]["message"]


def test_invalid_utf8_in_one_row_is_reported_and_the_rest_screened(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", b"id,title,description\n1,Serum,Boosts collagen.\n"
                                            b"2,Cr\xe8me,Hydrates.\n3,Gel,Reduces wrinkles.\n")
    summary, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1", "3"]
    assert summary.error_rows == [{"row": 2, "message": "title is not valid UTF-8 text"}]


def test_a_50_mb_description_is_reported_and_the_rest_screened(bundled, tmp_path):
    huge = "Boosts collagen. " * (50 * 1024 * 1024 // 17)
    source = write_csv(tmp_path / "in.csv", f"id,title,description\n1,Serum,Hydrates.\n2,Big,{huge}\n3,Gel,Soothes.\n")
    summary, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1", "3"]
    assert summary.error_rows[0]["row"] == 2 and "50.0 MB" in summary.error_rows[0]["message"]


def test_a_wrong_delimiter_is_a_clear_error_naming_the_delimiter(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title,description\n1,Serum,Boosts collagen.\n")
    with pytest.raises(InputError, match=r"delimiter"):
        screen_file(source, tmp_path / "out.jsonl", settings(delimiter=";"), workers=1, catalog=bundled)


def test_a_row_written_with_another_delimiter_is_reported_by_number_and_the_rest_screened(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title,description\n1,Serum,Hydrates.\n2;Cream;Soothes.\n"
                                            "3,Gel,Reduces wrinkles.\n")
    summary, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1", "3"]
    assert summary.error_rows[0]["row"] == 2 and "1 field(s) where the header has 3" in summary.error_rows[0]["message"]


def test_semicolons_are_read_from_the_header_when_no_delimiter_is_given(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id;title;description\n1;Serum;Boosts collagen.\n")
    _, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1"]


def test_a_missing_id_column_is_a_clear_error_listing_the_columns(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "sku,title\n1,Serum\n")
    with pytest.raises(InputError, match=r"no column 'id' \(its columns: 'sku', 'title'\)"):
        screen_file(source, tmp_path / "out.jsonl", settings(), workers=1, catalog=bundled)


def test_a_column_named_on_the_command_line_must_exist(bundled, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title\n1,Serum\n")
    columns = Columns.build(brand="maker").names
    with pytest.raises(InputError, match="no column 'maker'"):
        screen_file(source, tmp_path / "out.jsonl", Settings(columns=columns, input_format=None, output_format="jsonl",
                                                             explicit=["brand"]), workers=1, catalog=bundled)


def test_bad_json_lines_are_reported_by_number_and_the_rest_screened(bundled, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": "1", "title": "Boosts collagen"}\n{"id": 2, oops\n[1, 2]\n'
                       b'{"id": "4", "title": "Cr\xe8me"}\n{"title": "no id"}\n'
                       b'{"id": "6", "description": "Soothes."}\n')
    summary, written = screened(bundled, source, tmp_path)
    assert [r["id"] for r in written] == ["1", "6"]
    assert [e["row"] for e in summary.error_rows] == [2, 3, 4, 5]


def test_the_open_beauty_facts_export_is_read_with_its_own_columns(bundled, tmp_path):
    header = "code\turl\tproduct_name\tgeneric_name\tbrands\tcountries_tags\tingredients_text"
    line = "3600\thttps://x\tNiacinamide serum\tReduces the look of pores.\tAcme\ten:france\tAqua, Niacinamide"
    source = write_csv(tmp_path / "obf.csv", f"{header}\n{line}\n")
    from skinevidence.claims.listings import OPEN_BEAUTY_FACTS
    with pytest.raises(InputError, match="no column 'id'"):
        screened(bundled, source, tmp_path, delimiter="\t")
    out = tmp_path / "obf.jsonl"
    screen_file(source, out, Settings(columns=OPEN_BEAUTY_FACTS, input_format=None, output_format="jsonl",
                                      delimiter="\t"), workers=1, catalog=bundled)
    assert [(r["id"], r["brand"], r["country"]) for r in rows(out)] == [("3600", "Acme", "en:france")]


def test_the_generator_is_fixed_by_its_seed_and_keeps_to_its_stated_shape(bundled):
    one = list(ListingGenerator(bundled, 4).listings(300))
    assert one == list(ListingGenerator(bundled, 4).listings(300))
    sizes = [len(x["title"]) + sum(map(len, x["bullets"])) + len(x["description"]) for x in one]
    names = [len(x["ingredients"].split(", ")) for x in one]
    assert 300 <= min(sizes) and max(sizes) <= 1500 + 400  # bullets are joined with line breaks
    assert 10 <= min(names) and max(names) <= 40


def test_the_cli_screens_to_standard_output_and_summarises_on_standard_error(bundled, db_file, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title,description,brand\n1,Niacinamide gel,Treats acne.,Acme\n"
                                            "2,Serum,x,y,z\n")
    done = run_cli("screen", str(source), db=db_file)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["1"]
    assert "row 2:" in done.stderr and "top offending brands: Acme 1" in done.stderr


def test_the_cli_names_a_missing_column_with_exit_code_5(db_file, tmp_path):
    source = write_csv(tmp_path / "in.csv", "sku,title\n1,Serum\n")
    done = run_cli("screen", str(source), db=db_file)
    assert done.returncode == 5 and "no column 'id'" in done.stderr and "Traceback" not in done.stderr


def test_row_errors_keep_their_numbers_after_a_resume(bundled, tmp_path):
    stream = read_listings(write_csv(tmp_path / "in.csv", "id,title\n1,a\n2,b,c\n3,c\n"), Columns(), skip=1)
    assert [(type(r).__name__, r.row) for r in stream] == [(RowError.__name__, 2), (Listing.__name__, 3)]
    assert state_path(tmp_path / "x.jsonl").name == "x.jsonl.screen-state.json"


def test_parquet_to_standard_output_and_csv_on_spark_are_refused_with_exit_code_5(db_file, tmp_path):
    source = write_csv(tmp_path / "in.csv", "id,title\n1,Serum\n")
    to_stdout = run_cli("screen", str(source), "--format", "parquet", db=db_file)
    on_spark = run_cli("screen", str(source), "--engine", "spark", "-o", str(tmp_path / "out"), db=db_file)
    assert to_stdout.returncode == 5 and "Parquet output needs a file" in to_stdout.stderr
    assert on_spark.returncode == 5 and "Parquet or JSON Lines" in on_spark.stderr
