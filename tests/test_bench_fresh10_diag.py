"""bench/blocs_fresh10_diag.py reads fresh10's ground truth: the World it rebuilds is the conference's, and what it
says a voter truly is to a talk agrees with the generator's colleague mask. Small world only, about 1 s."""

from __future__ import annotations

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing
from bench.blocs_fresh10 import fresh10_conference
from bench.blocs_fresh10_diag import honest, truth, world_of


@pytest.fixture(scope="module")
def small():
    return fresh10_conference("small", 1, plant=plant_nothing), world_of("small", 1)


def test_world_is_the_conferences(small):
    conf, w = small
    data = conf.data
    assert len(data.voter_ids) == w.V and len(data.talk_ids) == w.T
    # The conference's votes are the world's honest votes (ids 1 on), in some order.
    mine = np.sort(w.votes[:, 0] * w.T + w.votes[:, 1])
    theirs = np.sort((data.voter_ids[data.vote_voter] - 1) * w.T + data.talk_ids[data.vote_talk] - 1)
    assert np.array_equal(mine, theirs)


def test_truth_agrees_with_the_colleague_mask(small):
    conf, w = small
    data = conf.data
    labels = [truth(w, {}, int(v), int(t))[0] for v, t in zip(data.vote_voter, data.vote_talk, strict=True)]
    said = np.array([label == "speaker's organisation" for label in labels])
    assert said.any()
    assert np.array_equal(said, conf.colleague)
    assert "own charity's talk" in labels and "stranger" in labels


def test_honest_report_runs(small, capsys):
    honest("small", 1, BlocRule(), 1)
    out = capsys.readouterr().out
    assert "blocs outside colleagues" in out and "| what the members truly are (majority) |" in out
