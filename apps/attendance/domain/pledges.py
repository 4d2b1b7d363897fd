"""When a pledge is kept, and what it asks of the pledger.

A pledger promises to buy a ticket if at least a share T of the talks they want make the schedule.
"Talks they want" are the talks they scored at or above the conference's "want to see" score.
At publication each active pledge is settled: the share of their wanted talks that was accepted is
computed exactly (no rounding); at or above T the pledge is *triggered* (a ticket is due by the due
date), below T it is *released* (no obligation). Someone who wanted no talk at all is released: there
is nothing the schedule could have given them. T is the conference's threshold unless the pledger
chose a stricter (higher) one; a looser one is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from enum import StrEnum
from fractions import Fraction


class SettlementOutcome(StrEnum):
    TRIGGERED = "triggered"
    RELEASED = "released"


@dataclass(frozen=True)
class PledgeTerms:
    threshold: Decimal  # share in (0, 1]
    wanted_talk_ids: frozenset[int]


@dataclass(frozen=True)
class Settlement:
    outcome: SettlementOutcome
    wanted_count: int
    accepted_count: int
    accepted_fraction: Decimal | None  # rounded down to 3 places for display; None when nothing was wanted
    reason: str


def pledge_settle_decide(terms: PledgeTerms, accepted_talk_ids: frozenset[int] | set[int]) -> Settlement:
    wanted = len(terms.wanted_talk_ids)
    accepted = len(terms.wanted_talk_ids & frozenset(accepted_talk_ids))
    percent = percent_label(terms.threshold)
    if wanted == 0:
        return Settlement(
            SettlementOutcome.RELEASED,
            0,
            0,
            None,
            "You had not scored any talk as one you want to see, so the pledge is released.",
        )
    exact = Fraction(accepted, wanted)
    shown = (Decimal(accepted) / Decimal(wanted)).quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    summary = f"{accepted} of the {wanted} talks you want were accepted ({exact_percent(exact)})"
    if exact >= Fraction(terms.threshold):
        return Settlement(
            SettlementOutcome.TRIGGERED, wanted, accepted, shown, f"{summary}, at or above your {percent} threshold."
        )
    return Settlement(
        SettlementOutcome.RELEASED, wanted, accepted, shown, f"{summary}, below your {percent} threshold."
    )


def pledge_forecast_count(all_terms: list[PledgeTerms], accepted_talk_ids: set[int]) -> dict[str, int]:
    """How many of these pledges a schedule accepting these talks would trigger or release."""
    counts = {"triggered": 0, "released": 0, "no_wanted_talks": 0}
    accepted = frozenset(accepted_talk_ids)
    for terms in all_terms:
        if not terms.wanted_talk_ids:
            counts["no_wanted_talks"] += 1
        counts[pledge_settle_decide(terms, accepted).outcome.value] += 1
    return counts


class ThresholdError(ValueError):
    pass


def pledge_threshold_check(chosen: Decimal, conference_threshold: Decimal) -> Decimal:
    """The chosen threshold if allowed: at least the conference's, at most 100%."""
    if chosen > 1:
        raise ThresholdError("A threshold cannot be more than 100%.")
    if chosen < conference_threshold:
        raise ThresholdError(
            f"The threshold can be stricter than the conference's {percent_label(conference_threshold)}, never looser."
        )
    return chosen


def pledge_due_date(*, settled_on: dt.date, due_days: int, conference_start: dt.date) -> dt.date:
    """Due `due_days` after settlement, but never after the conference starts (and never before settlement)."""
    return max(settled_on, min(settled_on + dt.timedelta(days=due_days), conference_start))


def percent_label(share: Decimal) -> str:
    value = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_UP).normalize()
    return f"{value:f}%"


def exact_percent(share: Fraction) -> str:
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_DOWN).normalize():f}%"
