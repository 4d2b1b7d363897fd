"""Pure voting rules: the voter's stable order, the window and the scale, chart geometry."""

import datetime as dt

from apps.ballots.domain.charts import bar_chart
from apps.ballots.domain.ordering import ballot_order
from apps.ballots.domain.voting import score_refusal, voting_refusal

NOW = dt.datetime(2027, 5, 1, 12, 0, tzinfo=dt.UTC)


def test_each_voter_has_an_own_stable_order_of_the_same_talks():
    talks = list(range(1, 41))
    first = ballot_order(voter_id=7, talk_ids=talks)
    assert first == ballot_order(voter_id=7, talk_ids=reversed(talks))  # input order does not matter
    assert sorted(first) == talks and first != talks
    others = {tuple(ballot_order(voter_id=v, talk_ids=talks)) for v in range(20)}
    assert len(others) == 20
    # Every talk is first for somebody: no talk is always on top.
    firsts = {ballot_order(voter_id=v, talk_ids=talks)[0] for v in range(400)}
    assert len(firsts) > 30


def test_voting_window_and_status():
    hour = dt.timedelta(hours=1)
    assert voting_refusal(is_open_status=True, opens_at=NOW - hour, closes_at=NOW + hour, now=NOW) is None
    assert voting_refusal(is_open_status=True, opens_at=None, closes_at=None, now=NOW) is None
    assert "not opened yet" in voting_refusal(is_open_status=True, opens_at=NOW + hour, closes_at=None, now=NOW)
    assert "Voting closed" in voting_refusal(is_open_status=True, opens_at=None, closes_at=NOW, now=NOW)
    assert "not open" in voting_refusal(is_open_status=False, opens_at=None, closes_at=None, now=NOW)


def test_scores_must_be_whole_numbers_on_the_scale():
    assert score_refusal(raw="3", scale_min=1, scale_max=5) == (3, None)
    assert score_refusal(raw=" 5 ", scale_min=1, scale_max=5) == (5, None)
    for raw in ("0", "6", "2.0", "", None, "x", "1e1"):
        assert score_refusal(raw=raw, scale_min=1, scale_max=5) == (None, "Choose a score from 1 to 5.")


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart(title="t", values=[("a", 10), ("b", 5), ("c", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == chart.bar_area and widths[1] == chart.bar_area / 2 and widths[2] == 0
    assert [bar.value_text for bar in chart.bars] == ["10", "5", "0"]
    assert bar_chart(title="empty", values=[]).bars == ()
    assert all(bar.width == 0 for bar in bar_chart(title="zeros", values=[("a", 0)]).bars)
