"""Evidence helpers: text similarity for "too similar" exclusions, sensitivity of decisions to the
weights, and the worst-overflow model checked against brute force."""

import datetime as dt
import itertools

from apps.scheduling.domain.model import Override, OverrideKind, Parameters
from apps.scheduling.domain.sensitivity import Scenario, decisions_sensitivity
from apps.scheduling.domain.similarity import most_similar, similarity_evidence, text_index, text_similarity
from apps.scheduling.domain.worst_overflow import EquityEvent, EquitySlot, worst_overflow_minimise
from tests.scheduling.test_domain_engine import ballots, conference, talk

TEXTS = {
    1: "Property-based testing with Hypothesis: finding bugs your unit tests miss",
    2: "Finding bugs with property-based testing and Hypothesis strategies",
    3: "Zero-downtime deploys on Kubernetes with blue-green releases",
    4: "Mentoring new open-source maintainers",
}


def test_text_similarity_ranks_near_duplicates_highest():
    index = text_index(TEXTS)
    assert text_similarity(index, 1, 1) == 1.0
    assert text_similarity(index, 1, 2) > 0.4
    assert text_similarity(index, 1, 3) == 0.0
    assert most_similar(index, 1, top=1)[0][0] == 2


def test_similarity_evidence_backs_an_exclusion_with_a_figure():
    excl = Override(2, OverrideKind.EXCLUDE, "Too similar to talk 1", similar_to=1)
    (evidence,) = similarity_evidence(TEXTS, (excl, Override(3, OverrideKind.EXCLUDE, "Off topic")))
    assert (evidence.talk_id, evidence.similar_to) == (2, 1)
    assert evidence.percentile == 5 / 6  # more similar than every other pair of the four talks
    assert evidence.sentence().startswith("Text similarity with talk 1: 0.")


def test_sensitivity_lists_the_decisions_that_flip():
    inp = conference([100], 2, [talk(i) for i in range(1, 5)], ballots([1, 2, 3, 4]))
    scenarios = (
        Scenario("pledge weight 0.3", ()),  # same scores: nothing flips
        Scenario("pledge weight 0.7", ((3, 150.0),)),  # talk 3 overtakes talk 2
    )
    flips = decisions_sensitivity(inp, scenarios, Parameters(time_limit_seconds=10))
    assert [(f.talk_id, f.accepted_now, f.accepted_in, f.rejected_in) for f in flips] == [
        (2, True, ("pledge weight 0.3",), ("pledge weight 0.7",)),
        (3, False, ("pledge weight 0.7",), ("pledge weight 0.3",)),
    ]


def _worst(events, slots, assignment) -> int:
    cap = {s.id: s.capacity for s in slots}
    demand = {e.id: e.demand for e in events}
    return max([-min(cap.values())] + [demand[e] - cap[s] for e, s in assignment])


def test_worst_overflow_matches_brute_force_and_keeps_tags_apart():
    start = dt.datetime(2027, 6, 1, 9, 0)
    slots = [
        EquitySlot(i + 1, venue, start + dt.timedelta(hours=h), 30, cap)
        for i, (venue, h, cap) in enumerate([("A", 0, 100), ("B", 0, 40), ("A", 1, 100), ("B", 1, 40)])
    ]
    events = [
        EquityEvent(1, 30, 120, ("web",)),
        EquityEvent(2, 30, 90, ("web",)),  # cannot run beside event 1
        EquityEvent(3, 30, 50, ("data",), unavailable_slots=(1,)),
        EquityEvent(4, 30, 10, ("ops",), unavailable_events=(3,)),
    ]
    result = worst_overflow_minimise(events, slots, time_limit=20, workers=1)
    best = None
    for perm in itertools.permutations([s.id for s in slots]):
        pairs = list(zip([e.id for e in events], perm, strict=True))
        at = {e: (s - 1) // 2 for e, s in pairs}  # slots 1, 2 run together, so do 3, 4
        if at[1] == at[2] or at[3] == at[4] or perm[2] == 1:
            continue
        best = _worst(events, slots, pairs) if best is None else min(best, _worst(events, slots, pairs))
    assert result.optimal and result.worst_overflow == result.bound == best == 20
    assert _worst(events, slots, result.assignment) == best
