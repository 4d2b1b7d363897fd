"""Round 18 (docs/blocs.md): accounts created together. A batch of accounts made within minutes that
all rate one talk up is found; an honest sign-up spike (a newsletter) of the same size or larger,
whose accounts vote like everyone else, is not; accounts whose creation time is unknown are left out."""

import random
import tracemalloc
from dataclasses import replace

import numpy as np

from apps.ballots.domain.blocs import bloc_member_sentence, blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocRule
from tests.ballots.test_blocs import _blocs_on, _normal_ballot
from tests.ballots.test_blocs_cases import DAY, HOUR, START, Case

TARGET = 5
BATCH = tuple(range(1001, 1011))  # ten accounts one operator made
MADE = START - 2 * DAY + 7 * 60  # 2026-02-28 08:07 UTC


def _conference(*, batch: bool = True, newsletter: int = 0, known: bool = True, seed: int = 7) -> Case:
    """The honest background of 300 voters on 40 talks (each account made at a random time in the two
    years before voting), and: `batch`, eight accounts made within five minutes two days before voting
    that give talk 5 the top score beside an ordinary ballot, cast at their own times (no burst, no
    narrow ballot); `newsletter`, that many honest accounts made within one hour on the first day,
    voting like everyone else; `known`: the batch's creation times are known."""
    case, rng = Case(seed=seed), random.Random(seed + 100)
    for v, facts in list(case.voters.items()):
        case.voters[v] = replace(facts, joined_at=START - rng.randrange(1, 730 * DAY))
    if batch:
        for i, v in enumerate(BATCH):
            case.add_voter(v)
            case.voters[v] = replace(case.voters[v], joined_at=MADE + 37 * i if known else None)
            _normal_ballot(case, v, rng, skip=TARGET)
            case.vote(v, TARGET, 3, START + rng.randrange(10 * DAY))
    for j in range(newsletter):
        v = 2001 + j
        case.add_voter(v)
        case.voters[v] = replace(case.voters[v], joined_at=START + 9 * HOUR + rng.randrange(HOUR))
        _normal_ballot(case, v, rng, skip=-1)
    return case


def _joined_blocs(report):
    return [b for b in report.blocs if "joined" in b.signals]


def test_a_batch_of_accounts_made_together_supporting_a_talk_is_found():
    report = blocs_detect(_conference().build())
    (bloc,) = _joined_blocs(report)
    assert bloc.talk_id == TARGET and bloc.direction == "support"
    assert bloc.member_ids == BATCH and bloc.signals == ("joined",)
    assert (bloc.evidence[0].observed, bloc.evidence[0].expected < 0.5) == (10, True)
    # Nothing else in the conference is a bloc: the batch votes at its own times, on full ballots.
    assert [b.talk_id for b in report.blocs] == [TARGET]


def test_an_honest_sign_up_spike_spread_over_many_talks_is_not_a_bloc():
    # As many accounts as the batch, and ten times as many, made within one hour of a newsletter, each
    # rating eight talks like everyone else: the votes of the accounts made then predict their talks.
    for size in (len(BATCH), 10 * len(BATCH)):
        assert _joined_blocs(blocs_detect(_conference(batch=False, newsletter=size).build())) == []
    # Beside the spike, the batch is still found.
    (bloc,) = _joined_blocs(blocs_detect(_conference(newsletter=80).build()))
    assert bloc.member_ids == BATCH


def test_unknown_creation_times_are_left_out():
    assert _joined_blocs(blocs_detect(_conference(known=False).build())) == []
    # Unknown for everyone (an input built before creation times were read) is no finding and no error.
    data = _conference().build()
    assert _joined_blocs(blocs_detect(replace(data, voter_joined=np.empty(0, dtype=np.int64)))) == []
    # Two of the batch unknown: the eight known accounts made together are still more than chance puts
    # there, and only they are named.
    case = _conference()
    for v in BATCH[::5]:
        case.voters[v] = replace(case.voters[v], joined_at=None)
    (bloc,) = _joined_blocs(blocs_detect(case.build()))
    assert bloc.member_ids == tuple(v for v in BATCH if v not in BATCH[::5])


def test_the_evidence_sentence_says_when_and_against_what():
    (bloc,) = _joined_blocs(blocs_detect(_conference().build()))
    sentences = [e.sentence for e in bloc.evidence]
    assert sentences == [
        "10 voters whose accounts were created within 1 hour from 2026-02-28 08:07 UTC give this talk the top "
        "score, 'must see'; 0.4 expected from the talk's share of all votes and the votes of every account "
        "created in that time (p = 7e-10)."
    ]


def test_detection_is_deterministic_whatever_the_input_order():
    case = _conference(newsletter=20)
    first = blocs_detect(case.build())
    assert blocs_detect(case.shuffled(3).build()).blocs == first.blocs
    assert _joined_blocs(first)


def test_the_signal_is_one_of_the_rule_and_can_be_switched_off():
    assert "joined" in SIGNALS and "joined" in BlocRule().signals
    assert BlocRule.from_json({"signals": ["joined"]}).signals == ("joined",)
    data = _conference().build()
    assert _blocs_on(blocs_detect(data, BlocRule(signals=("joined",))), TARGET)
    off = BlocRule(signals=tuple(s for s in SIGNALS if s != "joined"))
    assert blocs_detect(data, off).blocs == ()


def test_a_members_receipt_names_the_kind_of_group_and_nobody_in_it():
    (bloc,) = _joined_blocs(blocs_detect(_conference().build()))
    sentence = bloc_member_sentence(size=bloc.size, signals=bloc.signals, direction="support", multiplier=0.2)
    assert sentence == (
        "Your vote on this talk counted at 0.20 of its weight because it is part of a group of 10 accounts "
        "created at the same time who rated it up together; such a group counts as 2.0 voters."
    )
    assert not any(str(v) in sentence for v in BATCH) and "2026" not in sentence


def test_decades_old_accounts_change_nothing_and_the_window_is_in_real_time():
    # Long quiet stretches between creation times are shortened before the per-minute scan: one account
    # made in 1970 and some made twenty years ago leave the finding, its p-value and its window as they
    # were, and the scan does not grow with the decades.
    plain = _joined_blocs(blocs_detect(_conference().build()))
    case = _conference()
    for v in list(case.voters)[:5]:
        case.voters[v] = replace(
            case.voters[v], joined_at=0 if v == next(iter(case.voters)) else START - 20 * 365 * DAY
        )
    data = case.build()
    tracemalloc.start()
    (bloc,) = _joined_blocs(blocs_detect(data, BlocRule(signals=("joined",))))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (bloc.member_ids, bloc.p_value) == (plain[0].member_ids, plain[0].p_value)
    assert "2026-02-28 08:07 UTC" in bloc.evidence[0].sentence
    # Minute by minute since 1970 would be about 29 million counts (over 200 MB per array).
    assert peak < 50_000_000


def test_a_promotion_explains_sign_ups_also_among_decades_old_accounts():
    # The organizers' own post featuring the talk an hour before the accounts were made explains them
    # (round 20), also when old accounts make the time axis shortened; a post three days earlier does not.
    def with_post(at):
        case = _conference()
        for v in list(case.voters)[:5]:
            case.voters[v] = replace(case.voters[v], joined_at=START - 20 * 365 * DAY)
        case.talks[TARGET] = replace(case.talks[TARGET], promoted_at=(at,))
        return _joined_blocs(blocs_detect(case.build(), BlocRule(signals=("joined",))))

    assert with_post(MADE - HOUR) == []
    (bloc,) = with_post(MADE - 3 * DAY)
    assert bloc.member_ids == BATCH
