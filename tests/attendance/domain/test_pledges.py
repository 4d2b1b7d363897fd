"""The pledge rule: exact comparison at the threshold, stricter-only thresholds, due dates."""

import datetime as dt
from decimal import Decimal

import pytest

from apps.attendance.domain.pledges import (
    PledgeTerms,
    SettlementOutcome,
    ThresholdError,
    pledge_due_date,
    pledge_forecast_count,
    pledge_settle_decide,
    pledge_threshold_check,
)


def test_exactly_at_the_threshold_triggers():
    outcome = pledge_settle_decide(PledgeTerms(Decimal("0.500"), frozenset({1, 2, 3, 4})), {1, 2, 9})
    assert outcome.outcome == SettlementOutcome.TRIGGERED
    assert (outcome.wanted_count, outcome.accepted_count, outcome.accepted_fraction) == (4, 2, Decimal("0.500"))
    assert "2 of the 4" in outcome.reason and "at or above your 50% threshold" in outcome.reason


def test_just_below_the_threshold_releases():
    outcome = pledge_settle_decide(PledgeTerms(Decimal("0.500"), frozenset(range(1, 8))), {1, 2, 3})  # 3/7 = 42.9%
    assert outcome.outcome == SettlementOutcome.RELEASED
    assert outcome.accepted_fraction == Decimal("0.428")
    assert "below your 50% threshold" in outcome.reason


def test_rounding_never_decides():
    # 2/3 shown as 0.666, but compared exactly: a 0.667 threshold is not reached, 0.666 is.
    terms = frozenset({1, 2, 3})
    assert pledge_settle_decide(PledgeTerms(Decimal("0.667"), terms), {1, 2}).outcome == SettlementOutcome.RELEASED
    assert pledge_settle_decide(PledgeTerms(Decimal("0.666"), terms), {1, 2}).outcome == SettlementOutcome.TRIGGERED


def test_no_wanted_talks_releases_without_a_fraction():
    outcome = pledge_settle_decide(PledgeTerms(Decimal("0.5"), frozenset()), {1, 2})
    assert outcome.outcome == SettlementOutcome.RELEASED
    assert outcome.accepted_fraction is None
    assert "not scored any talk" in outcome.reason


def test_forecast_counts_both_ways():
    terms = [
        PledgeTerms(Decimal("0.5"), frozenset({1, 2})),
        PledgeTerms(Decimal("1"), frozenset({1, 2})),
        PledgeTerms(Decimal("0.5"), frozenset()),
    ]
    assert pledge_forecast_count(terms, {1}) == {"triggered": 1, "released": 2, "no_wanted_talks": 1}


@pytest.mark.parametrize(
    ("chosen", "ok"), [("0.5", True), ("0.75", True), ("1", True), ("0.499", False), ("1.01", False)]
)
def test_threshold_may_be_stricter_never_looser(chosen, ok):
    if ok:
        assert pledge_threshold_check(Decimal(chosen), Decimal("0.5")) == Decimal(chosen)
    else:
        with pytest.raises(ThresholdError):
            pledge_threshold_check(Decimal(chosen), Decimal("0.5"))


def test_due_date_never_after_the_conference_starts():
    settled = dt.date(2027, 3, 1)
    assert pledge_due_date(settled_on=settled, due_days=14, conference_start=dt.date(2027, 6, 1)) == dt.date(
        2027, 3, 15
    )
    assert pledge_due_date(settled_on=settled, due_days=14, conference_start=dt.date(2027, 3, 5)) == dt.date(2027, 3, 5)
    assert pledge_due_date(settled_on=settled, due_days=14, conference_start=dt.date(2027, 2, 1)) == settled
