"""A lone-vote window's evidence states what its test used (docs/blocs.md, rounds 31 and 38). Under `lone_test:
conditional` (the default) the window is judged given the talk's other lone votes, each falling in it with the
window's share of the site's lone votes over a reference span (the whole vote, and under `lone_share: local`
also the days around the window; the larger p is reported). The sentence gives those counts, the share, and the
expected number of the span that gave the reported p-value, and the evidence stores that expectation; under
`lone_test: poisson` the plug-in prediction keeps its own sentence. The numbers are recounted here from the
votes, not read back from the code under test."""

import datetime as dt
import re

import numpy as np
import pytest
from scipy.stats import binom

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, votes_only
from apps.ballots.domain.blocs_lone import LOCAL_DAYS, isolated_votes, lone_votes
from apps.ballots.domain.blocs_signals import SUPPORT, context_build
from tests.ballots.test_blocs_lone_bar import CAMPAIGNS
from tests.ballots.test_blocs_lone_share import _lone
from tests.ballots.test_blocs_lone_test import CONDITIONAL, FAMILYWISE, _quiet_talk_s_day

LOCAL = {**CONDITIONAL, "lone_share": "local"}
NUMBERS = re.compile(
    r"These hours hold (\d+) of the (\d+) votes cast so on any talk, with any score, (.*?) \(a share of ([\d.]+)\); "
    r"of the talk's (\d+) other such votes(?: in that span)?, each falling in these hours with that chance, "
    r"([\d.]+) were expected here besides the first, and (\d+) came \(p = ([\de.+-]+)\)\."
)


def _utc(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _stated(sentence: str) -> dict:
    m = NUMBERS.search(sentence)
    assert m, sentence
    in_window, in_span, where, share, trials, expected, came, p = m.groups()
    return {
        "in_window": int(in_window),
        "in_span": int(in_span),
        "where": where,
        "share": float(share),
        "trials": int(trials),
        "expected": float(expected),
        "came": int(came),
        "p": float(p),
    }


def _lone_input(data, rule: dict):
    """The lone votes the test scans (isolated ones under the rule these tests use), as plain arrays."""
    lone = context_build(votes_only(data, isolated_votes(data, lone_votes(data))), BlocRule.from_json(rule))
    return lone, lone.data.vote_at, lone.data.vote_talk


def _evidence_of(data, rule: dict, talk_id: int):
    (bloc,) = [b for b in blocs_detect(data, BlocRule.from_json(rule)).blocs if b.talk_id == talk_id]
    (evidence,) = [e for e in bloc.evidence if "votes cast so on any talk" in e.sentence]
    return evidence


def test_the_sentence_states_the_whole_vote_s_trials_share_and_expected_number_the_test_used():
    data = _quiet_talk_s_day().build()
    talk_id = CAMPAIGNS[0]
    (f,) = _lone(data, CONDITIONAL)[talk_id]
    lone, at, talk = _lone_input(data, CONDITIONAL)
    lo, hi = f.window
    # Recounted from the votes: the talk's lone votes rating it up but the window's first, and the site's lone
    # votes (every talk, every score) in the window and over the whole vote.
    trials = int((talk[lone.votes_in(SUPPORT)] == f.talk).sum()) - 1
    in_window, in_span = int(((at >= lo) & (at < hi)).sum()), lone.n_votes
    evidence = _evidence_of(data, CONDITIONAL, talk_id)
    stated = _stated(evidence.sentence)
    assert (stated["trials"], stated["in_window"], stated["in_span"]) == (trials, in_window, in_span)
    assert stated["where"] == "over the whole vote"
    assert stated["came"] == f.observed - 1 == 11
    chance = in_window / in_span
    assert stated["share"] == pytest.approx(chance, rel=5e-3)
    # The expected number is the binomial mean of the test's trials, in the sentence and in the stored evidence.
    assert evidence.expected == pytest.approx(trials * chance, abs=1e-6)
    assert stated["expected"] == pytest.approx(trials * chance, abs=0.05)
    # ... and those are the numbers the reported p-value comes from.
    assert np.log(evidence.p_value) == pytest.approx(float(binom.logsf(f.observed - 2, trials, chance)), rel=1e-6)
    assert stated["p"] == pytest.approx(evidence.p_value, rel=0.5)
    # Not the plug-in prediction the merge and the fair share keep.
    assert f.expected != pytest.approx(evidence.expected, rel=0.05)
    assert "The test also judged" not in evidence.sentence  # one span only under `lone_share: whole`


def test_under_a_local_share_the_sentence_gives_the_span_that_gave_the_reported_p_value():
    data = _quiet_talk_s_day().build()
    lone, at, talk = _lone_input(data, LOCAL)
    t0 = int(at.min())  # the lone scan's minutes count from its first vote
    checked = 0
    for talk_id in CAMPAIGNS:
        (f,) = _lone(data, LOCAL)[talk_id]
        lo, hi = f.window
        evidence = _evidence_of(data, LOCAL, talk_id)
        stated = _stated(evidence.sentence)
        came = f.observed - 2
        # Both spans, recounted from the votes: the whole vote, and the window with LOCAL_DAYS either side (the
        # site's votes counted by whole minutes from the first vote, as the test's running totals are).
        in_window = int(((at >= lo) & (at < hi)).sum())
        up = talk[lone.votes_in(SUPPORT)] == f.talk
        up_at = at[lone.votes_in(SUPPORT)][up]
        whole = (int(up.sum()) - 1, lone.n_votes)
        a, b = max(lo - LOCAL_DAYS * 86400, t0), hi + LOCAL_DAYS * 86400
        minute = (at - t0) // 60
        site = int(((minute >= (a - t0) // 60) & (minute < (b - t0) // 60)).sum())
        local = (int(((up_at >= a) & (up_at < b)).sum()) - 1, site)
        spans = {"whole": whole, "local": local}
        log_ps = {k: float(binom.logsf(came, n, in_window / s)) for k, (n, s) in spans.items()}
        taken = max(log_ps, key=log_ps.get)
        assert np.log(evidence.p_value) == pytest.approx(log_ps[taken], rel=1e-6)
        trials, in_span = spans[taken]
        assert (stated["trials"], stated["in_window"], stated["in_span"]) == (trials, in_window, in_span)
        assert evidence.expected == pytest.approx(trials * in_window / in_span, abs=1e-6)
        assert stated["expected"] == pytest.approx(trials * in_window / in_span, abs=0.05)
        # The test's sentence ends there; the fair share the bloc keeps follows (test_blocs_lone_fair_share.py).
        assert "and took the less unusual of the two. For its fair share the bloc keeps " in evidence.sentence
        if taken == "local":
            assert stated["where"] == f"from {_utc(a)} to {_utc(b)}, these hours and the days around them"
            assert "against the whole vote and took" in evidence.sentence
        else:
            assert stated["where"] == "over the whole vote"
            assert "against the days around them and took" in evidence.sentence
        checked += taken == "local"
    assert checked  # the days around a campaign are where it is judged on this conference


def test_the_plug_in_test_keeps_its_own_sentence_and_prediction():
    data = _quiet_talk_s_day().build()
    rule = {**FAMILYWISE, "lone_test": "poisson"}
    talk_id = CAMPAIGNS[0]
    (f,) = _lone(data, rule)[talk_id]
    assert f.conditional is None
    (bloc,) = [b for b in blocs_detect(data, BlocRule.from_json(rule)).blocs if b.talk_id == talk_id]
    (evidence,) = [e for e in bloc.evidence if "within 30 minutes" in e.sentence]
    assert "expected from the talk's share of such votes and site-wide such votes at that time" in evidence.sentence
    assert evidence.expected == round(f.expected, 6)
