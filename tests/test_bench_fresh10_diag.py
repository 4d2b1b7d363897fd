"""bench/blocs_fresh10_diag.py reads fresh10's ground truth: the World it rebuilds is the conference's, and what it
says a voter truly is to a talk agrees with the generator's colleague mask. Small world only, about 1 s."""

from __future__ import annotations

import pytest

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh10 import fresh10_conference
from bench.blocs_fresh10_diag import honest, truth, world_of
from tests.bench_worlds import assert_truth_is_the_colleague_mask, assert_world_is_the_conferences


@pytest.fixture(scope="module")
def small():
    return fresh10_conference("small", 1, plant=plant_nothing), world_of("small", 1)


def test_world_is_the_conferences(small):
    conf, w = small
    assert_world_is_the_conferences(w, conf)


def test_truth_agrees_with_the_colleague_mask(small):
    conf, w = small
    labels = assert_truth_is_the_colleague_mask(conf, lambda v, t: truth(w, {}, v, t))
    assert "own charity's talk" in labels and "stranger" in labels


def test_honest_report_runs(small, capsys):
    honest("small", 1, BlocRule(), 1)
    out = capsys.readouterr().out
    assert "blocs outside colleagues" in out and "| what the members truly are (majority) |" in out
