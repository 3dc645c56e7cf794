"""The command line: thin shell, clean errors, meaningful exit codes, no tracebacks for user mistakes."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import study


def run(*args, evidence=None, db=None, stdin=None, python=(), columns=None, env=None):
    environment = {**os.environ, **({"SKINEVIDENCE_DB": str(db)} if db else {}), **(env or {})}
    if columns:
        environment["COLUMNS"] = str(columns)
    prefix = ["--evidence", str(evidence)] if evidence else []
    return subprocess.run([sys.executable, *python, "-m", "skinevidence", *prefix, *args], capture_output=True,
                          text=True, env=environment, input=stdin, timeout=60, check=False)


@pytest.fixture
def base(evidence, tmp_path):
    evidence.add(study("t1", doi="10.1000/t1", pmid="12"))
    return {"evidence": evidence.root, "db": tmp_path / "db.sqlite"}


def test_report_prints_a_verdict(base):
    result = run("report", "alpha", **base)
    assert result.returncode == 0 and "Verdict" not in result.stderr
    assert "Alpha serum" in result.stdout and "Bottom line" in result.stdout


def test_report_json_has_references_with_doi_and_pmid(base):
    result = run("report", "alpha-serum", "--format", "json", **base)
    references = json.loads(result.stdout)["references"]
    assert references[0]["doi"] == "10.1000/t1" and references[0]["pmid"] == "12"


def test_list_json_is_an_array_of_objects_with_id(base):
    items = json.loads(run("list", "--format", "json", **base).stdout)
    assert isinstance(items, list) and all("id" in item for item in items)


def test_an_unknown_intervention_exits_3_with_did_you_mean(base):
    result = run("report", "alpah-serum", **base)
    assert result.returncode == 3
    assert "Did you mean: alpha-serum?" in result.stderr and "Traceback" not in result.stderr


def test_an_unmappable_question_exits_3(base):
    result = run("ask", "what is the capital of France?", **base)
    assert result.returncode == 3 and "could not tell" in result.stderr


def test_invalid_evidence_exits_4_and_names_the_file(base, evidence):
    evidence.add(study("t2", pmid="x1"))
    result = run("db", "validate", **base)
    assert result.returncode == 4 and "studies/t2.yaml: t2: pmid" in result.stdout


def test_a_command_on_invalid_evidence_exits_4_without_traceback(base, evidence):
    evidence.add(study("t2", pmid="x1"))
    result = run("report", "alpha-serum", **base)
    assert result.returncode == 4 and "nothing was rebuilt" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_format_is_a_usage_error(base):
    assert run("report", "alpha-serum", "--format", "pdf", **base).returncode == 2


def test_show_finds_a_study_by_doi(base):
    result = run("show", "10.1000/t1", **base)
    assert result.returncode == 0 and "Trial t1" in result.stdout


def test_db_stats_json_counts_records(base):
    stats = json.loads(run("db", "stats", "--format", "json", **base).stdout)
    assert stats["counts"]["records"]["studies"] == 1


def test_every_command_has_help_text():
    import typer.main

    from skinevidence.cli import app
    group = typer.main.get_command(app)
    stack = [group]
    while stack:
        command = stack.pop()
        assert command.help, f"{command.name} has no help text"
        stack.extend(getattr(command, "commands", {}).values())


# check: input of every bad kind gets a clear error and exit 5 ----------------------------------------------------

def test_check_reads_standard_input_and_prints_json_claims(base):
    result = run("check", "--format", "json", stdin="Alpha serum is clinically proven to erase wrinkles.", **base)
    claim = json.loads(result.stdout)["claims"][0]
    assert {"text", "start", "end", "interventions", "outcomes", "route", "strength", "verdict", "grade", "reasons",
            "flags"} <= set(claim)


def test_check_refuses_empty_text(base):
    result = run("check", "   ", **base)
    assert result.returncode == 5 and "empty" in result.stderr and "Traceback" not in result.stderr


def test_check_refuses_a_binary_file(base, tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run("check", "--file", str(path), **base)
    assert result.returncode == 5 and "binary" in result.stderr


def test_check_refuses_text_that_is_not_utf8(base, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le sérum réduit les rides.".encode("latin-1"))
    result = run("check", "--file", str(path), **base)
    assert result.returncode == 5 and "not UTF-8" in result.stderr


def test_check_refuses_a_100_mb_single_line_without_reading_it(base, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    result = run("check", "--file", str(path), **base)
    assert result.returncode == 5 and "the limit is" in result.stderr


def test_check_names_a_missing_file(base, tmp_path):
    result = run("check", "--file", str(tmp_path / "nope.txt"), **base)
    assert result.returncode == 5 and "no such file" in result.stderr


# manners ------------------------------------------------------------------------------------------------------------

def test_version_prints_the_version():
    from skinevidence import __version__
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"skinevidence {__version__}"


def test_every_command_shows_examples_in_its_help():
    import typer.main

    from skinevidence.cli import app
    group = typer.main.get_command(app)
    stack = [("skinevidence", group)]
    while stack:
        path, command = stack.pop()
        assert "Examples:" in (command.epilog or ""), f"{path} has no examples in its help"
        stack.extend((f"{path} {name}", sub) for name, sub in getattr(command, "commands", {}).items())


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_report_loads_neither_rich_nor_jinja2(base, fmt):
    result = run("report", "alpha-serum", "--format", fmt, python=["-X", "importtime"], **base)
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time")}
    assert not {m for m in imported if m.split(".")[0] in ("rich", "jinja2")}


def words_of(text: str) -> set[str]:
    return {w.strip(".,;:()[]") for w in text.split()}


def test_a_narrow_terminal_never_cuts_a_word_of_a_comparison(base, evidence):
    evidence.add(study("t2", findings=[{"intervention": "beta-cream", "outcome": "wrinkles", "route": "topical",
                                        "comparator": "vehicle", "direction": "benefit"}]))
    wide = run("compare", "alpha-serum", "beta-cream", "--format", "md", **base).stdout
    narrow = run("compare", "alpha-serum", "beta-cream", columns=40, **base).stdout
    for phrase in ("Alpha serum", "Beta cream", "randomised trial", "at-home topical"):
        assert phrase in wide and all(word in words_of(narrow) for word in phrase.split()), phrase


def test_no_color_turns_colour_off_and_usage_errors_exit_2(base):
    assert "\x1b[" not in run("report", "alpha-serum", env={"NO_COLOR": "1"}, **base).stdout
    assert run("report", "alpha-serum", "--jurisdiction", "XX", **base).returncode == 2
    assert run("compare", "alpha-serum", **base).returncode == 2


def test_validate_prints_warnings_after_errors_and_still_exits_0(evidence, tmp_path):
    evidence.add(study("t3", pmid="99", first_author=None))
    result = run("db", "validate", evidence=evidence.root, db=tmp_path / "db.sqlite")
    assert result.returncode == 0
    assert result.stdout.startswith("warning: studies/t3.yaml: t3: first_author: no authors")
    assert "0 problem(s) and 1 warning(s)" in result.stderr


def test_validate_json_marks_each_item_error_or_warning(evidence, tmp_path):
    evidence.add(study("t3", pmid="99", first_author=None), study("t4", pmid="x1"))
    result = run("db", "validate", "--format", "json", evidence=evidence.root, db=tmp_path / "db.sqlite")
    items = json.loads(result.stdout)
    assert result.returncode == 4
    assert {(item["record"], item["severity"]) for item in items} == {("t4", "error"), ("t3", "warning")}


def test_a_report_run_again_prints_the_same_text_and_json_from_the_kept_answer(base):
    first = [run("report", "alpha-serum", "--format", fmt, **base).stdout for fmt in ("text", "json")]
    again = [run("report", "alpha-serum", "--format", fmt, **base).stdout for fmt in ("text", "json")]
    assert again == first and "Alpha serum" in first[0] and json.loads(first[1])["intervention"] == "alpha-serum"
    kept = sqlite3.connect(base["db"]).execute("SELECT count(*) FROM answers WHERE kind = 'report'").fetchone()[0]
    assert kept == 2


def test_a_report_after_an_evidence_file_changes_reads_the_changed_file(base, evidence):
    before = json.loads(run("report", "alpha-serum", "--format", "json", **base).stdout)
    evidence.add(study("t1", doi="10.1000/t1", pmid="12", participants=700))
    after = json.loads(run("report", "alpha-serum", "--format", "json", **base).stdout)
    assert [g["participants"] for g in before["grades"]] == [500]
    assert [g["participants"] for g in after["grades"]] == [700]


def test_a_report_asked_for_again_loads_no_record_yaml_or_grading(base):
    run("report", "alpha-serum", **base)
    result = run("report", "alpha-serum", python=["-X", "importtime"], **base)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time")}
    assert result.returncode == 0 and "Alpha serum" in result.stdout
    assert not imported & {"yaml", "skinevidence.evidence.models", "skinevidence.grading.grade",
                           "skinevidence.answers.report"}
