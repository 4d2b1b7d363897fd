"""The demo conference (apps/talks/demo/plan.py) as bloc-detection input, with its planted blocs as truth.

The demo's generator was written before bloc detection and is not tuned to it: its corporate blocs
(colleagues of a speaker on group orders, top score within a few hours, narrow ballots) are a pattern
the synthetic generator did not produce, which is why the benchmark runs on it too.

Accounts' creation times (round 18) are `demo_joined`'s, the ones seed_demo stores as User.date_joined:
the honest model of bench/blocs_joined.py for everyone, the corporate blocs' members included (they
vote on their own, existing accounts).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocInput, TalkFacts, VoterFacts, VoteScale, bloc_input_build
from apps.talks.demo.plan import FREE_MAIL_DOMAIN, TICKET_TYPES, demo_joined, demo_plan


@dataclass(frozen=True)
class DemoConference:
    data: BlocInput
    planted: np.ndarray
    colleague: np.ndarray
    honest: np.ndarray
    boosted: set[int]
    n_blocs: int


def demo_conference(scale: str = "medium", seed: int = 1) -> DemoConference:
    plan = demo_plan(scale=scale, seed=seed, today=dt.date(2026, 11, 21))
    may_vote = {name for name, votes, _ in TICKET_TYPES if votes}
    ticket_of = {t.user_index: t for t in plan.tickets if t.user_index is not None}
    pledgers = set(plan.pledger_indexes)
    joined = demo_joined(plan)  # the accounts' creation times, as seed_demo stores them (round 18)
    voters = []
    for u, user in enumerate(plan.users):
        ticket = ticket_of.get(u)
        if ticket is not None and not ticket.cancelled and ticket.type_name in may_vote:
            weight = 1.0
        elif u in pledgers:
            weight = 0.5
        else:
            weight = 0.0
        voters.append(
            VoterFacts(
                voter_id=u + 1,
                weight=weight,
                order_code=ticket.order_code if ticket is not None else None,
                email_domain=user.email.rsplit("@", 1)[1],
                company=(ticket.holder_company or None) if ticket is not None and not ticket.cancelled else None,
                joined_at=int(joined[u].timestamp()),
            )
        )
    talks = [
        TalkFacts(
            talk_id=t + 1,
            speaker_email_domains=tuple(plan.speakers[s].email.rsplit("@", 1)[1] for s in talk.speaker_indexes),
            speaker_companies=tuple(plan.speakers[s].company for s in talk.speaker_indexes if plan.speakers[s].company),
        )
        for t, talk in enumerate(plan.talks)
    ]
    rows = np.array([(u, t, s, int(at.timestamp())) for u, t, s, at in plan.votes()], dtype=np.int64)
    data = bloc_input_build(
        voter_ids=rows[:, 0] + 1,
        talk_ids=rows[:, 1] + 1,
        scores=rows[:, 2],
        at_seconds=rows[:, 3],
        voters=voters,
        talks=talks,
        scale=VoteScale(),
        free_mail_domains=(FREE_MAIL_DOMAIN,),
    )
    # Align truth with data's vote order (bloc_input_build keeps the given order).
    truth = {(u, b.talk_index) for b in plan.blocs for u in b.member_indexes}
    planted = np.array([(int(u), int(t)) in truth for u, t in rows[:, :2]])
    user_domain = np.array([v.email_domain for v in voters])
    speaker_domains = [set(tf.speaker_email_domains) - {FREE_MAIL_DOMAIN} for tf in talks]
    colleague = np.array([user_domain[u] in speaker_domains[t] for u, t in rows[:, :2]])
    honest = ~planted  # bloc members' other votes are drawn like everyone's
    boosted = {b.talk_index + 1 for b in plan.blocs}
    return DemoConference(data, planted, colleague, honest, boosted, len(plan.blocs))
