"""`skinevidence plot`: the evidence map and a design pyramid written as SVG or PNG."""

from __future__ import annotations

import pytest

from conftest import finding, study
from skinevidence.answers.evidence_map import map_data, pyramid_data
from skinevidence.errors import InputError
from skinevidence.render.plots import render_plot
from test_cli import run


def test_plot_map_writes_an_svg(tmp_path):
    out = tmp_path / "map.svg"
    result = run("plot", "map", "--out", str(out))
    assert result.returncode == 0 and out.read_bytes().lstrip().startswith(b"<?xml")


def test_plot_pyramid_writes_a_png(tmp_path):
    out = tmp_path / "pyramid.png"
    assert run("plot", "pyramid", "exosomes", "--out", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_plot_refuses_an_unknown_file_type(tmp_path):
    result = run("plot", "map", "--out", str(tmp_path / "map.gif"))
    assert result.returncode == 5 and "must end in .svg or .png" in result.stderr


def test_a_pyramid_needs_an_intervention(bundled):
    with pytest.raises(InputError, match="one intervention"):
        render_plot(bundled, "pyramid", None, "svg")


def test_the_pyramid_counts_published_studies_by_design(evidence):
    evidence.add(study("t1"), study("t2", design="case-report", participants=1))
    data = pyramid_data(evidence.catalog(), "alpha-serum")
    counts = {label: n for label, n, _ in data.levels}
    assert counts["randomised trial"] == 1 and counts["case report"] == 1 and data.total == 2


def test_the_map_has_a_cell_per_graded_intervention_and_outcome(evidence):
    evidence.add(study("t1", findings=[finding(), finding(outcome="pigmentation")]))
    data = map_data(evidence.catalog())
    graded = {("alpha-serum", "wrinkles"), ("alpha-serum", "pigmentation")}
    borrowed = {("alpha-serum-plant", "wrinkles"), ("alpha-serum-plant", "pigmentation")}  # a member inherits
    assert {(c.intervention, c.outcome) for c in data.cells} == graded | borrowed
    assert sorted(data.interventions) == [("alpha-serum", "Alpha serum"), ("alpha-serum-plant", "Plant alpha serum")]
