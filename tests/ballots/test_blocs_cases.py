"""Small hand-made conferences for the bloc tests: a background of honest voters plus whatever a test
adds. The test here checks the background itself: honest voters alone form no bloc."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from apps.ballots.domain.blocs_input import (
    BlocInput,
    DeclaredOrganisation,
    TalkFacts,
    VoterFacts,
    VoteScale,
    bloc_input_build,
)

DAY = 86_400
HOUR = 3_600
START = 1_772_438_400  # 2026-03-02 08:00 UTC
FREE_MAIL = ("freemail.example",)


@dataclass
class Case:
    """Honest background: `n_voters` people rating `ratings` random talks each, spread over 10 days."""

    n_talks: int = 40
    n_voters: int = 300
    ratings: int = 8
    seed: int = 7
    votes: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (voter, talk) -> (score, at)
    voters: dict[int, VoterFacts] = field(default_factory=dict)
    talks: dict[int, TalkFacts] = field(default_factory=dict)
    organisations: tuple[DeclaredOrganisation, ...] = ()  # what the organizers declared

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        for t in range(1, self.n_talks + 1):
            self.talks[t] = TalkFacts(talk_id=t, speaker_email_domains=(f"speaker{t}.example",))
        for v in range(1, self.n_voters + 1):
            self.voters[v] = VoterFacts(voter_id=v, weight=1.0, email_domain="freemail.example")
            for t in rng.sample(range(1, self.n_talks + 1), self.ratings):
                self.votes[(v, t)] = (rng.choice([0, 1, 1, 2, 2, 3]), START + rng.randrange(10 * DAY))

    def add_voter(self, v: int, *, weight: float = 1.0, order: str | None = None, domain: str = "freemail.example",
                  company: str | None = None) -> None:  # fmt: skip
        self.voters[v] = VoterFacts(voter_id=v, weight=weight, order_code=order, email_domain=domain, company=company)

    def vote(self, v: int, t: int, score: int, at: int) -> None:
        self.votes[(v, t)] = (score, at)

    def shuffled(self, seed: int) -> Case:
        """The same conference with its votes, voters and talks given in another order."""
        rng = random.Random(seed)
        keys, voters = list(self.votes), list(self.voters.values())
        rng.shuffle(keys)
        rng.shuffle(voters)
        other = copy.copy(self)  # not dataclasses.replace: that would draw the background again
        other.votes = {k: self.votes[k] for k in keys}
        other.voters = {v.voter_id: v for v in voters}
        other.talks = dict(reversed(list(self.talks.items())))
        return other

    def build(self, *, wide_links: bool = True) -> BlocInput:
        keys = sorted(self.votes)
        return bloc_input_build(
            voter_ids=[v for v, _ in keys],
            talk_ids=[t for _, t in keys],
            scores=[self.votes[k][0] for k in keys],
            at_seconds=[self.votes[k][1] for k in keys],
            voters=list(self.voters.values()),
            talks=list(self.talks.values()),
            scale=VoteScale(),
            free_mail_domains=FREE_MAIL,
            organisations=self.organisations,
            wide_links=wide_links,
        )


def test_the_honest_background_alone_forms_no_bloc():
    from apps.ballots.domain.blocs import blocs_detect

    for seed in range(5):
        assert blocs_detect(Case(seed=seed).build()).blocs == ()


def test_the_synthetic_benchmark_conference_is_deterministic_and_its_blocs_are_found():
    """Guards the recorded benchmark configuration (small, seed 1: recall 0.92 in docs/blocs.md)."""
    import numpy as np

    from apps.ballots.domain.blocs import bloc_discounts, blocs_detect
    from bench.blocs_synthetic import synthetic_conference

    first, second = synthetic_conference("small", 1), synthetic_conference("small", 1)
    for column in ("vote_voter", "vote_talk", "vote_score", "vote_at", "voter_order", "voter_domain"):
        assert np.array_equal(getattr(first.data, column), getattr(second.data, column))
    assert first.blocs == second.blocs

    data = first.data
    report = blocs_detect(data)
    discounts = bloc_discounts(report.blocs, report.rule)
    span = int(data.talk_ids.max()) + 1
    detected = np.isin(
        data.voter_ids[data.vote_voter] * span + data.talk_ids[data.vote_talk],
        discounts.voter_ids * span + discounts.talk_ids,
    )
    reduced = np.isin(
        data.voter_ids[data.vote_voter] * span + data.talk_ids[data.vote_talk],
        (discounts.voter_ids * span + discounts.talk_ids)[discounts.multipliers < 1],
    )
    assert (detected & first.planted).sum() / first.planted.sum() >= 0.85
    assert (reduced & first.honest).sum() / first.honest.sum() < 0.01
