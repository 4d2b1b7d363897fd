"""The ranking figures of bench/blocs_quality.py on a tiny hand-made conference: the pooled count of
boosted talks in the top 10% nets a talk that detection pushes out against a miss; the per-talk figure
printed beside it does not. Pure numpy, no database."""

from __future__ import annotations

import numpy as np

from apps.ballots.domain.blocs_input import BlocInput, VoteScale
from bench.blocs_quality import Counts, per_talk_ranking, top_talks

TALKS = 20  # the top 10% is two places


def _conference(scores_by_talk: dict[int, list[int]]) -> BlocInput:
    """One ticket holder per vote (nobody votes twice on a talk); talk ids 1..TALKS."""
    vote_talk = np.array([t for t, scores in scores_by_talk.items() for _ in scores], dtype=np.int32)
    vote_score = np.array([s for scores in scores_by_talk.values() for s in scores], dtype=np.int16)
    n = len(vote_score)
    none = np.full(n, -1, dtype=np.int32)
    return BlocInput(
        voter_ids=np.arange(1, n + 1, dtype=np.int64),
        voter_weight=np.ones(n),
        voter_order=none,
        voter_company=none,
        voter_domain=none,
        order_labels=(),
        company_labels=(),
        domain_labels=(),
        talk_ids=np.arange(1, TALKS + 1, dtype=np.int64),
        talk_company=np.empty((0, 2), dtype=np.int32),
        talk_domain=np.empty((0, 2), dtype=np.int32),
        vote_voter=np.arange(n, dtype=np.int32),
        vote_talk=vote_talk,
        vote_score=vote_score,
        vote_at=np.zeros(n, dtype=np.int64),
        scale=VoteScale(),
    )


def test_a_talk_pushed_out_by_detection_hides_a_miss_in_the_count_but_not_talk_by_talk():
    # Position 0 (talk 1, "A", boosted): 10 honest "want to see" and a bloc of 60 "must see".
    # Position 1 (talk 2, "B", boosted, in honestly): 25 "must see", 20 of them by honest colleagues of
    # its speaker whom detection discounts. Position 2 (talk 3, "X"): 20 "must see", 5 "want to see".
    # Every other talk: 10 "maybe".
    scores = {0: [2] * 10 + [3] * 60, 1: [3] * 25, 2: [3] * 20 + [2] * 5}
    scores |= {t: [1] * 10 for t in range(3, TALKS)}
    data = _conference(scores)
    talk = data.vote_talk
    rank_in_talk = np.concatenate([np.arange(len(s)) for s in scores.values()])
    bloc = (talk == 0) & (rank_in_talk >= 10)
    colleagues = (talk == 1) & (rank_in_talk < 20)
    honest = ~bloc
    ones = np.ones(len(talk))
    everything = np.ones(len(talk), dtype=bool)
    # Detection finds the bloc but keeps most of its weight (A stays in: a miss), and discounts B's
    # honest colleagues (B falls out although it is in with honest votes alone).
    detection = np.where(bloc, 0.9, np.where(colleagues, 0.1, 1.0))
    boosted = {1, 2}  # talk ids of A and B

    honest_top = top_talks(data, honest, ones) & boosted
    none_top = top_talks(data, everything, ones) & boosted
    detect_top = top_talks(data, everything, detection) & boosted
    assert (honest_top, none_top, detect_top) == ({2}, {1, 2}, {1})

    counts = Counts(top=[len(honest_top), len(none_top), len(detect_top), len(detect_top)])
    counts.per_talk = per_talk_ranking(honest_top, none_top, detect_top)
    assert counts.per_talk == [1, 1, 1]
    # The count sees 1 / 2 / 1: the whole excess removed. Talk by talk, the one talk the bloc brought in
    # is still in: no reduction.
    assert "| 1 / 2 / 1 / 1 | 100% |" in counts.row("hand-made")
    assert counts.per_talk_line() == (
        "boosted talks per talk: in with detection but not honestly 1 (misses); in honestly but pushed out "
        "by detection 1; excess without detection 1; per-talk reduction 0%"
    )

    # Pooled with a run where detection takes a bloc's talk out (no miss): the count says 100%, the
    # per-talk figure 50% (one of the two talks the blocs brought in is still in).
    clean = Counts(top=[0, 1, 0, 0], per_talk=per_talk_ranking(set(), {5}, set()))
    pooled = counts + clean
    assert pooled.top == [1, 3, 1, 1] and pooled.per_talk == [1, 1, 2]
    assert "| 1 / 3 / 1 / 1 | 100% |" in pooled.row("pooled")
    assert pooled.per_talk_line().endswith("excess without detection 2; per-talk reduction 50%")


def test_with_no_talk_brought_in_there_is_no_per_talk_reduction_to_state():
    assert Counts().per_talk_line().endswith("per-talk reduction n/a (no boosted talk gets in without detection)")
