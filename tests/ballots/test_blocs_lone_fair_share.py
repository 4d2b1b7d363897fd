"""Round 41 (docs/blocs.md): what a lone-vote window predicts in its bloc's fair share (`lone_fair_share`).

Since round 38 a lone window is tested given the talk's other lone votes, and its evidence states that test's
expectation (each of the talk's other such votes falls in the window with the window's share of the site's). Under
`plugin` (rounds 38-40) the bloc's fair share kept the plug-in prediction the window was tested against before,
so the weight and the evidence told two stories. Under `conditional` a bloc made of lone windows only takes the
expectation its evidence states; beside a finding over all votes a lone window keeps its plug-in prediction (there
the conditional expectation is mostly the campaign's own votes). The numbers are recounted from the votes."""

import re
from dataclasses import replace

import pytest

from apps.ballots.domain.blocs import bloc_counts_as, blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, votes_only
from apps.ballots.domain.blocs_lone import isolated_votes, lone_votes
from apps.ballots.domain.blocs_signals import SUPPORT, context_build
from tests.ballots.test_blocs_lone import CALLED
from tests.ballots.test_blocs_lone_bar import CAMPAIGNS
from tests.ballots.test_blocs_lone_share import _lone
from tests.ballots.test_blocs_lone_test import CONDITIONAL, _quiet_talk_s_day


def _bloc(data, rule: dict, talk_id: int):
    (bloc,) = [b for b in blocs_detect(data, BlocRule.from_json(rule)).blocs if b.talk_id == talk_id]
    return bloc


def _tested(evidence) -> str:
    """A lone window's sentence without its last clause, the fair share its bloc keeps."""
    tested, kept, _ = evidence.sentence.partition(" For its fair share the bloc keeps ")
    assert kept, evidence.sentence
    return tested


def _recounted_expectation(data, rule: dict, f) -> float:
    """The conditional test's expectation, from the votes: the talk's other lone votes rating it up (the
    window's first given) times the window's share of the site's lone votes (whole vote, every talk and way)."""
    lone = context_build(votes_only(data, isolated_votes(data, lone_votes(data))), BlocRule.from_json(rule))
    at, talk = lone.data.vote_at, lone.data.vote_talk
    lo, hi = f.window
    trials = int((talk[lone.votes_in(SUPPORT)] == f.talk).sum()) - 1
    return trials * int(((at >= lo) & (at < hi)).sum()) / lone.n_votes


@pytest.mark.parametrize("talk_id", [CALLED, CAMPAIGNS[1]])
def test_a_lone_only_bloc_s_fair_share_is_the_plug_in_or_the_stated_expectation(talk_id):
    """Round 31's call (22 voters) and round 34's second campaign (12) are blocs of lone windows only."""
    data = _quiet_talk_s_day().build()
    lone = _lone(data, CONDITIONAL)[talk_id]
    assert all(f.lone_minutes and f.conditional is not None for f in lone)
    plugin = _bloc(data, {**CONDITIONAL, "lone_fair_share": "plugin"}, talk_id)
    conditional = _bloc(data, {**CONDITIONAL, "lone_fair_share": "conditional"}, talk_id)
    assert plugin.member_ids == conditional.member_ids
    # The evidence is the same but for the sentence's last clause, which says which fair share the bloc keeps.
    assert [replace(e, sentence=_tested(e)) for e in plugin.evidence] == [
        replace(e, sentence=_tested(e)) for e in conditional.evidence
    ]
    assert all(e.sentence.endswith("For its fair share the bloc keeps that expectation.") for e in conditional.evidence)
    assert plugin.fair_share == pytest.approx(max(f.expected for f in lone), abs=1e-6)
    stated = max(_recounted_expectation(data, CONDITIONAL, f) for f in lone)
    assert conditional.fair_share == pytest.approx(stated, abs=1e-6)
    assert conditional.fair_share == pytest.approx(max(e.expected for e in conditional.evidence), abs=1e-6)
    assert conditional.fair_share > plugin.fair_share  # a few lone votes' share taken as known predicts less


def test_the_weight_is_the_larger_of_the_allowance_and_the_stated_expectation():
    """The call: 22 members of weight 1, 23 other lone votes on the talk, the window holding 20 of the site's 192.
    The allowance 22 ** (0.25 / strength) is 1.86 voters; the plug-in share (1.20) is below it, the stated
    expectation (2.40) above."""
    data = _quiet_talk_s_day().build()
    (f,) = _lone(data, CONDITIONAL)[CALLED]
    assert (f.conditional.trials, f.conditional.in_window, f.conditional.in_span) == (23, 20, 192)
    for word, fair in (("plugin", f.expected), ("conditional", 23 * 20 / 192)):
        rule = {**CONDITIONAL, "lone_fair_share": word}
        bloc = _bloc(data, rule, CALLED)
        k = len(bloc.member_ids)
        assert (k, bloc.weight) == (22, 22.0)
        allowance = k ** (0.25 / bloc.strength)
        assert allowance == pytest.approx(1.864, abs=1e-3)
        assert bloc.fair_share == pytest.approx(fair, abs=1e-6)
        assert bloc_counts_as(bloc, BlocRule.from_json(rule)) == pytest.approx(max(allowance, fair), abs=1e-5)
    assert f.expected == pytest.approx(1.198, abs=1e-3)


KEPT = re.compile(
    r"For its fair share the bloc keeps ([\d.]+) voters from these hours: the talk's share of the site's such votes "
    r"outside them \((\d+) of (\d+) over the whole vote, with half a vote added to every talk's\) times the site's "
    r"(\d+) in them\.$"
)


@pytest.mark.parametrize("talk_id", [CALLED, CAMPAIGNS[1]])
def test_a_lone_window_s_sentence_states_the_fair_share_its_bloc_keeps(talk_id):
    """Under `plugin` the sentence states the plug-in prediction the bloc's fair share keeps, with counts an
    organizer can redo: the talk's lone votes outside the window over the site's (half a vote added to each of
    the 40 talks' counts) times the site's lone votes in the window. Recounted from the votes."""
    data = _quiet_talk_s_day().build()
    (f,) = _lone(data, CONDITIONAL)[talk_id]
    bloc = _bloc(data, {**CONDITIONAL, "lone_fair_share": "plugin"}, talk_id)
    (evidence,) = bloc.evidence
    m = KEPT.search(evidence.sentence)
    assert m, evidence.sentence
    kept, outside, site, in_window = float(m[1]), int(m[2]), int(m[3]), int(m[4])
    # The stated number is the finding's prediction, which is the bloc's fair share (its only finding).
    assert bloc.fair_share == pytest.approx(f.expected, abs=1e-6)
    assert kept == pytest.approx(bloc.fair_share, rel=0.05)
    # The counts, from the votes.
    lone = context_build(votes_only(data, isolated_votes(data, lone_votes(data))), BlocRule.from_json(CONDITIONAL))
    at, talk = lone.data.vote_at, lone.data.vote_talk
    lo, hi = f.window
    inside = (at >= lo) & (at < hi)
    up = lone.votes_in(SUPPORT)
    assert outside == int((talk[up][~inside[up]] == f.talk).sum())
    assert (site, in_window) == (lone.n_votes - int(inside.sum()), int(inside.sum()))
    assert data.n_talks == 40
    assert bloc.fair_share == pytest.approx(in_window * (outside + 0.5) / (site + 0.5 * 40), abs=1e-6)
    # The test's own expectation (stored in the evidence) is another number, unchanged by the clause.
    assert evidence.expected == pytest.approx(_recounted_expectation(data, CONDITIONAL, f), abs=1e-6)
    assert evidence.expected != pytest.approx(bloc.fair_share, rel=0.05)


def test_beside_a_finding_over_all_votes_a_lone_window_keeps_its_plug_in_prediction():
    """Under the default rule the first campaign's bloc holds its lone window and a site-wide burst: its fair share
    is the site-wide burst's prediction under both values, not the lone window's stated expectation."""
    data = _quiet_talk_s_day().build()
    talk_id = CAMPAIGNS[0]
    plugin = _bloc(data, {"lone_fair_share": "plugin"}, talk_id)
    conditional = _bloc(data, {"lone_fair_share": "conditional"}, talk_id)
    assert plugin == conditional
    (lone,) = [e for e in conditional.evidence if "votes cast so on any talk" in e.sentence]
    assert conditional.fair_share != pytest.approx(lone.expected, rel=0.05)
    # The lone sentence states the window's own plug-in prediction under both values; the bloc's fair share is
    # the most generous of its findings' (here the site-wide burst's), so never below it.
    (f,) = _lone(data, {})[talk_id]
    kept = re.search(r"For its fair share the bloc keeps ([\d.]+) voters from these hours: ", lone.sentence)
    assert kept, lone.sentence
    assert float(kept[1]) == pytest.approx(f.expected, rel=0.05)
    assert conditional.fair_share >= f.expected


def test_the_key_is_validated():
    for word in ("plugin", "conditional"):
        assert BlocRule.from_json({"lone_fair_share": word}).to_json()["lone_fair_share"] == word
    with pytest.raises(ValueError, match="lone_fair_share must be one of"):
        BlocRule.from_json({"lone_fair_share": "stated"})
