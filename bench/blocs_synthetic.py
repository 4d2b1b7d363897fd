"""Synthetic conferences with planted blocs, for measuring bloc detection (deterministic per seed).

Honest voters: a Zipf-like popularity skew nudged by talk quality, a favourite track per voter,
ballot lengths from a long-tailed distribution (many people rate one or two talks), and votes cast in
sessions that follow a realistic activity curve — an opening rush, a daily rhythm, two reminder
emails that make everyone vote at once, and a last-day rush. Honest correlation is planted on
purpose so detection has something to wrongly flag: colleagues of speakers who genuinely like their
colleague's talk (and vote on it more often, a little higher), friends on small group orders who
vote in the same session with the same favourite track, and company group orders.

Planted blocs (3 to 40 members), each with ground truth:
- coworkers: employees of a speaker's company give a contender talk (quality between the 70th and
  90th percentile, close to the accepted 10%) the top score, ballots otherwise normal, in a burst or
  spread over their own sessions;
- order: people on one ticket order (not colleagues) push a contender;
- friends_burst: unrelated people mobilised at once (within two hours), ballots otherwise normal;
- friends_spread: new accounts with one- or two-talk ballots, spread over the whole vote;
- sockpuppets: accounts with nearly identical ballots of 6–12 talks;
- opposition: an order or a rival company rates a strong talk down.

Account creation times (round 18), drawn from their own random stream so that every vote and plant
above is unchanged: the model of bench/blocs_joined.py. Honest voters and the existing voters of a
bloc (coworkers, order, friends_burst, opposition): 30% joined uniformly over the 730 days before
voting opens, 20% in the 60 days before it, 50% at their first vote (minus Exp(3 min)). Sockpuppets
(one operator's accounts) are made in batches of 3-8, each batch within 5 minutes, 0-7 days before
the batch's first vote. friends_spread's new accounts (people asked to vote, who had no account)
join at their first vote.

`synthetic_conference(size, seed, plant=...)` plants other patterns into the same honest conference
(bench/blocs_unseen.py); the default `_plant` gives the conference above, unchanged.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import (
    BlocInput,
    TalkFacts,
    VoterFacts,
    VoteScale,
    bloc_input_build,
)
from bench.blocs_joined import HONEST, MOBILISED, OPERATED, first_vote_times, join_times
from confvote.free_mail import FREE_MAIL_DOMAINS

# Kinds whose bloc-only accounts one operator made (they are created in batches; bench/blocs_joined.py).
OPERATED_KINDS = frozenset({"sockpuppets"})
FREE_MAIL = ("mail.example", "freemail.example", "post.example", "inbox.example")
KINDS = ("coworkers", "coworkers", "order", "friends_burst", "friends_spread", "sockpuppets", "opposition")
HOUR = 3600
VOTING_HOURS = 24 * 24
OPENS = int(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC).timestamp())


@dataclass(frozen=True)
class Size:
    voters: int
    talks: int
    votes: int
    blocs: int


SIZES = {
    "small": Size(voters=1_000, talks=200, votes=20_000, blocs=10),
    "medium": Size(voters=20_000, talks=1_000, votes=200_000, blocs=40),
    "large": Size(voters=100_000, talks=5_000, votes=1_000_000, blocs=120),
}


@dataclass(frozen=True)
class PlantedBloc:
    kind: str
    direction: str  # support | oppose
    talk_ids: tuple[int, ...]
    member_ids: tuple[int, ...]
    boosted_talk: int | None  # the talk the bloc pushes up, for the ranking figure


@dataclass(frozen=True)
class SyntheticConference:
    data: BlocInput
    blocs: tuple[PlantedBloc, ...]
    planted: np.ndarray  # bool per vote of data: cast by a bloc member as part of the bloc
    colleague: np.ndarray  # bool per vote: the voter works where one of the talk's speakers works
    honest: np.ndarray  # bool per vote: neither planted nor cast by a bloc-only account
    quality: np.ndarray  # per talk position
    # Honest groups with correlated votes that detection should leave alone (kind, members, the talks
    # they share; direction "honest", no boosted talk); their votes are honest above.
    honest_groups: tuple[PlantedBloc, ...] = ()


def world_voter_facts(world, votes: np.ndarray, closes: int) -> tuple[list[VoterFacts], np.ndarray]:
    """The voters of a fresh world (fresh4, fresh5) as detection sees them, and each one's true
    organisation: the world's V voters (`weight`, `order`, `domain`, `company_field`, `joined`,
    `voter_org`), then its campaign-only `accounts` ((weight, order code, domain, company, organisation,
    made) each), ids 1 on. An account exists two minutes before its first vote in `votes` (rows of
    voter, talk, score, at) at the latest; `closes` stands for "no vote"."""
    V, accounts = world.V, world.accounts
    first = np.full(V + len(accounts), closes, dtype=np.int64)
    np.minimum.at(first, votes[:, 0], votes[:, 3])
    made = np.array([a[5] for a in accounts], dtype=np.int64)
    joined = np.minimum(np.r_[world.joined, made], first - 120)
    true_org = np.r_[world.voter_org, np.array([a[4] for a in accounts], dtype=np.int64)]
    voters = [
        VoterFacts(
            voter_id=v + 1,
            weight=float(world.weight[v]),
            order_code=world.order[v],
            email_domain=world.domain[v],
            company=world.company_field[v],
            joined_at=int(joined[v]),
        )
        for v in range(V)
    ]
    voters += [
        VoterFacts(
            voter_id=V + j + 1,
            weight=weight,
            order_code=code,
            email_domain=domain,
            company=name,
            joined_at=int(joined[V + j]),
        )
        for j, (weight, code, domain, name, _org, _made) in enumerate(accounts)
    ]
    return voters, true_org


def planted_over_honest(honest_votes: np.ndarray, planted_parts: list[np.ndarray], n_talks: int):
    """The conference's votes from a world's honest votes and its campaigns' planted ones (rows of
    voter, talk, score, at... positions): a planted vote replaces the honest vote of the same voter on
    the same talk, and of two planted votes on one (voter, talk) the later part's wins. Returns the
    rows ordered by voter, then talk, and which of them are planted (the fresh worlds assemble their
    conference this way)."""
    if planted_parts:
        planted = np.concatenate(planted_parts)
        pkeys = planted[:, 0] * n_talks + planted[:, 1]
        _, last = np.unique(pkeys[::-1], return_index=True)  # a later campaign's vote wins
        planted = planted[::-1][last]
        keep = ~np.isin(honest_votes[:, 0] * n_talks + honest_votes[:, 1], pkeys)
        votes = np.concatenate([honest_votes[keep], planted])
        is_planted = np.r_[np.zeros(int(keep.sum()), bool), np.ones(len(planted), bool)]
    else:
        votes, is_planted = honest_votes, np.zeros(len(honest_votes), bool)
    order = np.lexsort((votes[:, 1], votes[:, 0]))
    return votes[order], is_planted[order]


def weighted_segments(keys: np.ndarray, talks: np.ndarray, weight: np.ndarray, n_keys: int):
    """(key, talk) pairs grouped by key, for weighted draws within a key (`draw_in_segments`): the talks
    in key order, their cumulative weight, and per key its first position and total (fresh7, fresh8, fresh9,
    fresh10)."""
    order = np.lexsort((talks, keys))
    keys, talks = keys[order], talks[order]
    cum = np.cumsum(weight[talks])
    start = np.searchsorted(keys, np.arange(n_keys + 1))
    before = np.r_[0.0, cum][start[:-1]]
    total = np.r_[0.0, cum][start[1:]] - before
    return talks, cum, start, before, total


def draw_in_segments(rng, seg, key: np.ndarray) -> np.ndarray:
    """One talk per entry of `key` from that key's talks ∝ weight (`weighted_segments`); -1 where the
    key has none."""
    talks, cum, start, before, total = seg
    ok = (key >= 0) & (total[np.maximum(key, 0)] > 0)
    out = np.full(len(key), -1, dtype=np.int64)
    k = key[ok]
    target = before[k] + rng.random(len(k)) * total[k]
    pos = np.clip(np.searchsorted(cum, target, side="right"), start[k], start[k + 1] - 1)
    out[ok] = talks[pos]
    return out


def weighted_choice(rng, p, n: int) -> np.ndarray:
    """`n` positions drawn with replacement in proportion to the weights `p` (fresh7, fresh8, fresh9, fresh10)."""
    p = np.asarray(p, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum())


def members_of(group: np.ndarray, n: int) -> list[np.ndarray]:
    """Per group 0..n-1, the positions whose (integer) `group` is it, in order; other values (-1: none)
    belong to no group (fresh7, fresh8, fresh9, fresh10)."""
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(n + 1))
    return [order[starts[g] : starts[g + 1]] for g in range(n)]


def world_conference(
    world,
    blocs: list[PlantedBloc],
    parts: list[np.ndarray],
    accounts: list[tuple],
    *,
    voter_org: np.ndarray,
    speaker_org: np.ndarray,
    closes: int,
    scale: VoteScale,
    free_mail_domains,
) -> SyntheticConference:
    """A fresh world's conference (fresh7, fresh8, fresh9, fresh10): its campaigns' `blocs`, their planted `parts`
    over the world's honest votes (`planted_over_honest`), its voters and `accounts` as detection sees them
    (`world_voter_facts`; accounts are (weight, order, domain, company, true organisation, made)), its talks'
    speakers' facts and promotions, and the ground truth. The world holds V, T, votes, weight, order, domain,
    company_field, joined, speaker (voter positions or -1), speaker_domains, speaker_company_field,
    promoted (talk -> times), quality and honest_groups; `voter_org` is each voter's true organisation
    and `speaker_org` each talk's speakers' (-1 none): a vote is a colleague's when they meet."""
    V, T = world.V, world.T
    votes, planted = planted_over_honest(world.votes, parts, T)
    facts = SimpleNamespace(
        V=V,
        accounts=accounts,
        weight=world.weight,
        order=world.order,
        domain=world.domain,
        company_field=world.company_field,
        joined=world.joined,
        voter_org=voter_org,
    )
    voters, true_org = world_voter_facts(facts, votes, closes)
    talks = [
        TalkFacts(
            talk_id=t + 1,
            speaker_email_domains=world.speaker_domains[t],
            speaker_companies=world.speaker_company_field[t],
            speaker_voter_ids=tuple(int(v) + 1 for v in world.speaker[t] if v >= 0),
            promoted_at=tuple(float(x) for x in world.promoted.get(t, ())),
        )
        for t in range(T)
    ]
    data = bloc_input_build(
        voter_ids=votes[:, 0] + 1,
        talk_ids=votes[:, 1] + 1,
        scores=votes[:, 2],
        at_seconds=votes[:, 3],
        voters=voters,
        talks=talks,
        scale=scale,
        free_mail_domains=free_mail_domains,
    )
    org = true_org[votes[:, 0]]
    colleague = (org[:, None] == speaker_org[votes[:, 1]]).any(axis=1) & (org >= 0)
    return SyntheticConference(
        data=data,
        blocs=tuple(blocs),
        planted=planted,
        colleague=colleague,
        honest=~planted & (votes[:, 0] < V),
        quality=world.quality,
        honest_groups=tuple(world.honest_groups),
    )


@dataclass
class HonestWorld:
    """What a planting function may read of the honest conference beyond `_plant`'s arguments, and
    what it may change (positions, 0-based). `_plant` reads none of it; the arrays are the ones the
    conference is assembled from, so a change shows in the voters' facts."""

    track: np.ndarray  # per talk, 0..6
    popularity: np.ndarray  # per talk, the honest draw weight
    favourite: np.ndarray  # per voter, the favourite track
    bias: np.ndarray  # per voter, added to every honest score before rounding
    session: np.ndarray  # per voter, when their (first) voting session starts
    weight: np.ndarray  # per voter, 1.0 / 0.5 / 0.0
    uses_work_mail: np.ndarray  # per voter: the email domain is the company's
    company_known: np.ndarray  # per voter: the company field is filled in
    email_domains: dict[int, str] = field(default_factory=dict)  # voter -> email domain, overriding the above
    company_names: dict[int, str] = field(default_factory=dict)  # voter -> company field, overriding the above
    honest_groups: list[PlantedBloc] = field(default_factory=list)  # filled by the planting function


# plant(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world) -> (blocs, extra):
# adds votes to `votes` ((voter, talk) -> [score, at, planted]) and returns the planted blocs and the
# bloc-only accounts (weight, order code), which become voters V, V + 1, ...
Plant = Callable[..., tuple[list[PlantedBloc], list[tuple[float, str | None]]]]


def _activity_weights(rng: np.random.Generator) -> np.ndarray:
    """Relative voting activity per hour of the vote."""
    h = np.arange(VOTING_HOURS, dtype=np.float64)
    local = (h + 8) % 24  # the vote opens at 08:00
    daily = 0.25 + np.clip(np.sin((local - 6) / 16 * np.pi), 0, None)
    opening = 6.0 * np.exp(-h / 18)
    reminders = sum(5.0 * np.exp(-np.clip(h - r, 0, None) / 8) * (h >= r) for r in (6 * 24 + 1, 17 * 24 + 3))
    rush = 2.0 * np.exp(-(VOTING_HOURS - h) / 20)
    return (daily * (1 + opening + reminders + rush)) * rng.uniform(0.85, 1.15, size=len(h))


def _sample_times(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    hours = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return OPENS + hours * HOUR + rng.integers(0, HOUR, size=n)


def synthetic_conference(
    size: str = "small", seed: int = 1, plant: Plant | None = None, operated: frozenset[str] = OPERATED_KINDS
) -> SyntheticConference:
    spec = SIZES[size]
    rng = np.random.default_rng([seed, spec.voters, spec.talks])
    V, T = spec.voters, spec.talks
    activity = _activity_weights(rng)

    # Companies with skewed sizes; 40% of voters work at one. Email domain and company are each known
    # only sometimes (people vote with private addresses and leave the company field empty).
    n_companies = max(6, T // 5)
    company_p = 1 / np.arange(1, n_companies + 1) ** 1.1
    company_p /= company_p.sum()
    employed = rng.random(V) < 0.40
    company = np.where(employed, rng.choice(n_companies, size=V, p=company_p), -1)
    uses_work_mail = employed & (rng.random(V) < 0.7)
    company_known = employed & (rng.random(V) < 0.6)
    free_pick = rng.integers(0, len(FREE_MAIL), size=V)
    personal = ~employed & (rng.random(V) < 0.08)
    weight = rng.choice([1.0, 0.5, 0.0], size=V, p=[0.75, 0.10, 0.15])

    # Orders: half of the employees with tickets buy in company orders of 3–20, everyone else alone
    # or with one or two friends (who then vote together, honestly).
    order = np.full(V, -1, dtype=np.int64)
    holders = np.nonzero(weight == 1.0)[0]
    next_order = 0
    by_company = holders[employed[holders] & (rng.random(len(holders)) < 0.5)]
    by_company = by_company[np.argsort(company[by_company], kind="stable")]
    i = 0
    while i < len(by_company):
        n = int(rng.choice([3, 5, 8, 12, 20]))
        chunk = by_company[i : i + n]
        chunk = chunk[company[chunk] == company[chunk[0]]]
        order[chunk] = next_order
        next_order += 1
        i += len(chunk)
    rest = holders[order[holders] < 0]
    rng.shuffle(rest)
    i = 0
    friends_of: list[np.ndarray] = []
    while i < len(rest):
        n = int(rng.choice([1, 1, 1, 1, 2, 3]))
        chunk = rest[i : i + n]
        order[chunk] = next_order
        next_order += 1
        if n > 1:
            friends_of.append(chunk)
        i += n

    # Talks: quality, tracks, a popularity skew, speakers (60% from a company, weighted by size).
    quality = np.clip(rng.beta(2.2, 2.8, size=T), 0, 1)
    track = rng.integers(0, 7, size=T)
    rank = rng.permutation(T)
    popularity = (1 / (rank + 1) ** 0.8) * (0.4 + quality)
    speaker_company = np.where(rng.random(T) < 0.6, rng.choice(n_companies, size=T, p=company_p), -1)
    speaker_work_mail = rng.random(T) < 0.8

    # Honest ballots.
    favourite = rng.integers(0, 7, size=V)
    for chunk in friends_of:
        favourite[chunk] = favourite[chunk[0]]
    mean_votes = spec.votes / V * (1 + 0.8 * spec.votes / V / T)  # a voter's duplicate draws are dropped below
    sigma = 1.0
    n_votes = np.clip(np.round(rng.lognormal(np.log(mean_votes) - sigma**2 / 2, sigma, size=V)), 1, min(T, 200))
    n_votes = n_votes.astype(np.int64)
    draws = np.repeat(np.arange(V), n_votes + n_votes // 3 + 2)
    talk = rng.choice(T, size=len(draws), p=popularity / popularity.sum())
    by_track = rng.random(len(draws)) < 0.35
    for k in range(7):
        in_k = np.nonzero(track == k)[0]
        rows = np.nonzero(by_track & (favourite[draws] == k))[0]
        if len(in_k) and len(rows):
            p = popularity[in_k] / popularity[in_k].sum()
            talk[rows] = in_k[rng.choice(len(in_k), size=len(rows), p=p)]
    # Honest colleagues: a third of the employees also rate a talk by their company's speaker.
    talks_of_company = {
        c: np.nonzero(speaker_company == c)[0] for c in np.unique(speaker_company[speaker_company >= 0])
    }
    fans = np.nonzero(employed & (rng.random(V) < 0.33))[0]
    fan_voters, fan_talks = [], []
    for v in fans:
        own = talks_of_company.get(int(company[v]))
        if own is not None and len(own):
            fan_voters.append(v)
            fan_talks.append(int(own[rng.integers(len(own))]))
    draws = np.concatenate([draws, np.array(fan_voters, dtype=np.int64)])
    talk = np.concatenate([talk, np.array(fan_talks, dtype=np.int64)])
    priority = rng.random(len(draws))
    priority[len(priority) - len(fan_voters) :] = -1.0  # a fan's colleague vote is always kept
    order_idx = np.lexsort((priority, talk, draws))
    draws, talk, priority = draws[order_idx], talk[order_idx], priority[order_idx]
    first = np.ones(len(draws), dtype=bool)
    first[1:] = (draws[1:] != draws[:-1]) | (talk[1:] != talk[:-1])
    draws, talk, priority = draws[first], talk[first], priority[first]
    order_idx = np.lexsort((priority, draws))
    draws, talk = draws[order_idx], talk[order_idx]
    starts = np.searchsorted(draws, np.arange(V))
    rank_in_voter = np.arange(len(draws)) - starts[draws]
    keep = rank_in_voter < n_votes[draws]
    voter_of, talk_of, rank_in_voter = draws[keep], talk[keep], rank_in_voter[keep]
    bias = rng.normal(0, 0.3, size=V)
    is_fan_vote = np.zeros(len(voter_of), dtype=bool)
    fan_key = set(zip(fan_voters, fan_talks, strict=True))
    if fan_key:
        keys = voter_of * T + talk_of
        fan_keys = np.array(sorted(v * T + t for v, t in fan_key), dtype=np.int64)
        is_fan_vote = np.isin(keys, fan_keys)
    raw = quality[talk_of] * 3.4 + rng.normal(0, 0.8, size=len(voter_of)) + bias[voter_of] + 0.8 * is_fan_vote
    score = np.clip(np.round(raw), 0, 3).astype(np.int64)
    session = _sample_times(rng, activity, V)
    second = _sample_times(rng, activity, V)
    for chunk in friends_of:  # friends vote together
        session[chunk] = session[chunk[0]] + rng.integers(0, 1800, size=len(chunk))
    use_second = (rng.random(V) < 0.3)[voter_of] & (rank_in_voter >= n_votes[voter_of] // 2)
    at = np.where(use_second, second[voter_of], session[voter_of]) + rank_in_voter * rng.integers(
        5, 90, size=len(voter_of)
    )

    votes = {(int(v), int(t)): [int(s), int(a), False] for v, t, s, a in zip(voter_of, talk_of, score, at, strict=True)}
    world = HonestWorld(track, popularity, favourite, bias, session, weight, uses_work_mail, company_known)
    blocs, extra_voters = (plant or _plant)(
        rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world
    )

    # Assemble.
    keys = sorted(votes)
    arr = np.array([(v, t, *votes[(v, t)][:2], votes[(v, t)][2]) for v, t in keys], dtype=np.int64)
    joined = _joined(seed, spec, arr, V + len(extra_voters), blocs, operated)
    voter_facts = []
    for v in range(V):
        if v in world.email_domains:
            domain = world.email_domains[v]
        elif uses_work_mail[v]:
            domain = f"co{company[v]}.example"
        elif personal[v]:
            domain = f"home{v}.example"
        else:
            domain = FREE_MAIL[free_pick[v]]
        voter_facts.append(
            VoterFacts(
                voter_id=v + 1,
                weight=float(weight[v]),
                order_code=f"ORD{order[v]:06d}" if order[v] >= 0 else None,
                email_domain=domain,
                company=world.company_names.get(v, f"Company {company[v]}" if company_known[v] else None),
                joined_at=int(joined[v]),
            )
        )
    for j, (w, code) in enumerate(extra_voters):
        voter_facts.append(
            VoterFacts(
                voter_id=V + j + 1,
                weight=w,
                order_code=code,
                email_domain=FREE_MAIL[j % 4],
                joined_at=int(joined[V + j]),
            )
        )
    talk_facts = [
        TalkFacts(
            talk_id=t + 1,
            speaker_email_domains=(
                (f"co{speaker_company[t]}.example",) if speaker_company[t] >= 0 and speaker_work_mail[t] else ()
            )
            + (FREE_MAIL[t % 4],),
            speaker_companies=(f"Company {speaker_company[t]}",) if speaker_company[t] >= 0 else (),
        )
        for t in range(T)
    ]
    data = bloc_input_build(
        voter_ids=arr[:, 0] + 1,
        talk_ids=arr[:, 1] + 1,
        scores=arr[:, 2],
        at_seconds=arr[:, 3],
        voters=voter_facts,
        talks=talk_facts,
        scale=VoteScale(),
        free_mail_domains=FREE_MAIL,
    )
    planted = arr[:, 4].astype(bool)
    vote_company = np.full(len(arr), -1)
    real = arr[:, 0] < V
    vote_company[real] = company[arr[real, 0]]  # the truth, whether or not the facts show it
    colleague = (vote_company >= 0) & (vote_company == speaker_company[arr[:, 1]])
    honest = ~planted & (arr[:, 0] < V)
    return SyntheticConference(data, tuple(blocs), planted, colleague, honest, quality, tuple(world.honest_groups))


def _joined(seed: int, spec: Size, arr: np.ndarray, n_voters: int, blocs, operated: frozenset[str]) -> np.ndarray:
    """Account creation times (bench/blocs_joined.py's model), from their own random stream: honest
    voters and existing voters in a bloc as honest; accounts made only for a bloc of a kind in
    `operated` (one operator made them) in batches of 3-8; other bloc-only accounts (mobilised people
    with no account) at their first vote."""
    first = first_vote_times(arr[:, 0], arr[:, 3], n_voters, OPENS)
    story = np.full(n_voters, HONEST, dtype=np.int8)
    V = spec.voters
    story[V:] = MOBILISED
    for bloc in blocs:
        made = [m - 1 for m in bloc.member_ids if m - 1 >= V]
        if made and bloc.kind in operated:
            story[made] = OPERATED
    return join_times(np.random.default_rng([seed, spec.voters, spec.talks, 18]), first, OPENS, story)


def _plant(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world=None):
    """Adds the planted blocs' votes to `votes` ((voter, talk) -> [score, at, planted]); `world` is
    not used here."""
    blocs: list[PlantedBloc] = []
    extra: list[tuple[float, str | None]] = []
    used_voters: set[int] = set()
    used_talks: set[int] = set()
    # Targets are contenders: good enough that a push can carry them into the accepted top 10%.
    low, high = np.quantile(quality, [0.7, 0.9])
    weak = [int(t) for t in np.argsort(quality) if low <= quality[t] < high]
    strong = [int(t) for t in np.argsort(-quality)[: max(10, T // 10)]]
    employees = {int(c): [int(v) for v in np.nonzero(company == c)[0]] for c in np.unique(company[company >= 0])}
    next_order = int(order.max()) + 1

    def free_voters(k: int, pool: list[int] | None = None) -> list[int]:
        pool = pool if pool is not None else [int(v) for v in rng.permutation(V)[: 4 * k + 40]]
        return [v for v in pool if v not in used_voters][:k]

    def weak_talk(candidates: list[int]) -> int | None:
        options = [t for t in candidates if t not in used_talks]
        return options[int(rng.integers(len(options)))] if options else None

    def cast(members, t, score, times):
        for v, a in zip(members, times, strict=True):
            votes[(v, t)] = [score, int(a), True]
        used_voters.update(members)

    def times_for(k: int, bursty: bool) -> np.ndarray:
        if bursty:
            start = _sample_times(rng, activity, 1)[0]
            return start + rng.integers(0, 2 * HOUR, size=k)
        return _sample_times(rng, activity, k)

    for b in range(spec.blocs):
        kind = KINDS[b % len(KINDS)]
        k = int(np.clip(np.round(np.exp(rng.uniform(np.log(3), np.log(40)))), 3, 40))
        if kind == "coworkers":
            fits = [
                t for t in weak if speaker_company[t] >= 0 and len(employees.get(int(speaker_company[t]), [])) >= k + 5
            ]
            t = weak_talk(fits)
            if t is None:
                continue
            pool = [int(v) for v in rng.permutation(employees[int(speaker_company[t])])]
            members = free_voters(k, pool)
            cast(members, t, 3, times_for(len(members), bursty=rng.random() < 0.5))
        elif kind in ("order", "friends_burst"):
            t = weak_talk(weak)
            if t is None:
                continue
            members = free_voters(k)
            if kind == "order":
                order[members] = next_order
                next_order += 1
            cast(members, t, 3, times_for(len(members), bursty=kind == "friends_burst"))
        elif kind == "friends_spread":
            t = weak_talk(weak)
            if t is None:
                continue
            members = list(range(V + len(extra), V + len(extra) + k))
            extra.extend((float(rng.choice([1.0, 0.5, 0.0], p=[0.5, 0.3, 0.2])), None) for _ in members)
            cast(members, t, 3, times_for(k, bursty=False))
            popular = int(rng.choice(strong))
            for v in members:
                if rng.random() < 0.5 and popular != t:
                    votes[(v, popular)] = [int(rng.integers(1, 4)), int(_sample_times(rng, activity, 1)[0]), False]
        elif kind == "sockpuppets":
            t = weak_talk(weak)
            if t is None:
                continue
            m = int(rng.integers(6, 13))
            others = [int(x) for x in rng.choice(T, size=m + 4, replace=False) if int(x) != t][: m - 1]
            ballot = {t: 3, **{o: int(rng.integers(0, 4)) for o in others}}
            members = list(range(V + len(extra), V + len(extra) + k))
            extra.extend((float(rng.choice([0.0, 0.5, 1.0], p=[0.5, 0.3, 0.2])), None) for _ in members)
            start = _sample_times(rng, activity, 1)[0]
            talks_of_bloc = set()
            for v in members:
                mine = dict(ballot)
                if rng.random() < 0.5:
                    drop = others[int(rng.integers(len(others)))]
                    mine.pop(drop, None)
                if rng.random() < 0.3:
                    change = others[int(rng.integers(len(others)))]
                    if change in mine:
                        mine[change] = int(rng.integers(0, 4))
                when = start + int(rng.integers(0, 3 * 24 * HOUR))
                for i, (x, s) in enumerate(sorted(mine.items())):
                    votes[(v, x)] = [s, when + 20 * i, True]
                    talks_of_bloc.add(x)
            used_talks.add(t)
            blocs.append(
                PlantedBloc(
                    kind, "support", tuple(x + 1 for x in sorted(talks_of_bloc)), tuple(v + 1 for v in members), t + 1
                )
            )
            continue
        else:  # opposition: an order ring or a rival company rates a strong talk down
            options = [t for t in strong if t not in used_talks]
            if not options:
                continue
            t = options[int(rng.integers(len(options)))]
            big = [c for c, e in employees.items() if len(e) >= k + 5 and c != speaker_company[t]]
            if big and rng.random() < 0.5:
                members = free_voters(k, [int(v) for v in rng.permutation(employees[big[int(rng.integers(len(big)))]])])
            else:
                members = free_voters(k)
                order[members] = next_order
                next_order += 1
            cast(members, t, 0, times_for(len(members), bursty=rng.random() < 0.5))
            used_talks.add(t)
            blocs.append(PlantedBloc(kind, "oppose", (t + 1,), tuple(v + 1 for v in members), None))
            continue
        used_talks.add(t)
        blocs.append(PlantedBloc(kind, "support", (t + 1,), tuple(v + 1 for v in members), t + 1))
    return blocs, extra


def pick_mail(rng, table, n: int) -> list[str]:
    """`n` mail domains drawn from `table` ((domain, weight) pairs) (fresh9, fresh10)."""
    names = [d for d, _ in table]
    return [names[i] for i in weighted_choice(rng, [x for _, x in table], n)]


def free_mail(rng, region: np.ndarray, common, regional: dict) -> np.ndarray:
    """A free-mail domain per voter: from `common`, except that a voter of a region in `regional` takes one of that
    region's providers with the chance their weights add up to, in percent (fresh9, fresh10)."""
    out = np.array(pick_mail(rng, common, len(region)), dtype=object)
    for r, table in regional.items():
        rows = np.flatnonzero((region == r) & (rng.random(len(region)) < sum(x for _, x in table) / 100))
        if len(rows):
            out[rows] = pick_mail(rng, table, len(rows))
    return out


class WorldCampaigns:
    """What the campaigns of a fresh world share (fresh9, fresh10): the voters already used (honest groups, earlier
    blocs), the campaign-only accounts made, the talks a campaign aims at, the target pools by quality (contenders
    between the 65th and 90th percentile, middling between the 40th and 90th, strong from the 85th) and the bloc
    records. A world's subclass sets the vote's `opens`, `closes` and `vote_days`, its top score `top` and the free
    mail of new accounts `common_mail`, and adds its kinds as methods."""

    opens: int
    closes: int
    vote_days: int
    top: int
    common_mail: tuple

    def __init__(self, rng, w):
        self.rng, self.w = rng, w
        self.used = np.zeros(w.V, dtype=bool)
        for g in w.honest_groups:
            self.used[np.asarray(g.member_ids) - 1] = True
        self.accounts: list[tuple[float, str | None, str, str | None, int, int]] = []
        ranks = np.argsort(np.argsort(w.quality)) / w.T
        self.contenders = np.flatnonzero((ranks >= 0.65) & (ranks < 0.90))
        self.middling = np.flatnonzero((ranks >= 0.40) & (ranks < 0.90))
        self.strong = np.flatnonzero(ranks >= 0.85)
        self.taken: set[int] = set()  # talks a campaign aims at

    def size(self, lo: int = 3, hi: int = 40) -> int:
        """A bloc's size, log-uniform from `lo` to `hi`."""
        return int(np.clip(round(np.exp(self.rng.uniform(np.log(lo), np.log(hi)))), lo, hi))

    def eligible(self, mask: np.ndarray, at: float) -> np.ndarray:
        """The voters of `mask` in no group or bloc yet whose account existed two minutes before `at`."""
        return np.flatnonzero(mask & ~self.used & (self.w.joined <= at - 120))

    def pick(self, pool: np.ndarray, k: int) -> np.ndarray:
        return np.sort(self.rng.choice(pool, size=min(k, len(pool)), replace=False))

    def start(self, width: float) -> int:
        """When a campaign that lasts about `width` seconds begins: uniformly over the vote, from two hours in."""
        return int(self.opens + 7_200 + self.rng.random() * max(3_600, self.vote_days * 86_400 - width - 10_800))

    def free_targets(self, talks) -> list[int]:
        return [int(t) for t in self.rng.permutation(np.asarray(talks, dtype=np.int64)) if int(t) not in self.taken]

    def burst_or_spread(self, n: int, p_burst: float, mean: float, cut: float, spread: float) -> np.ndarray:
        """Delays after a post: Exp(`mean`) cut at `cut` with chance `p_burst`, else uniform over `spread`."""
        burst = self.rng.random(n) < p_burst
        return np.where(burst, np.minimum(self.rng.exponential(mean, n), cut), self.rng.random(n) * spread)

    def account(self, at: int, lo: int, hi: int, mail: str | None = None, company=None, org: int = -1) -> int:
        """A new free account (no ticket) made `lo`-`hi` seconds before `at`, on free mail by default."""
        v = self.w.V + len(self.accounts)
        domain = mail or pick_mail(self.rng, self.common_mail, 1)[0]
        self.accounts.append((0.0, None, domain, company, org, int(at - self.rng.integers(lo, hi + 1))))
        return v

    def rows(self, voters, talks, scores, at) -> np.ndarray:
        """Vote rows (voter, talk, score, at), the times kept within the vote."""
        at = np.clip(np.asarray(at, dtype=np.int64).ravel(), self.opens, self.closes - 1)
        cols = [np.asarray(voters).ravel(), np.asarray(talks).ravel(), np.asarray(scores).ravel(), at]
        return np.stack(cols, axis=1).astype(np.int64)

    def done(self, kind: str, direction: str, members, rows: np.ndarray, boosted):
        """The bloc of `members` whose planted votes are `rows`; its members and talks are taken."""
        members = np.asarray(members)
        self.used[members[members < self.w.V]] = True
        if boosted is not None:
            self.taken.add(int(boosted))
        else:
            self.taken.update(int(t) for t in np.unique(rows[:, 1]))
        bloc = PlantedBloc(
            kind=kind,
            direction=direction,
            talk_ids=tuple(sorted({int(t) + 1 for t in rows[:, 1]})),
            member_ids=tuple(sorted((members + 1).tolist())),
            boosted_talk=None if boosted is None else int(boosted) + 1,
        )
        return [(bloc, rows)]

    def support(self, kind: str, members, t: int, at, extra: list[np.ndarray] = ()):
        """Every member rates `t` the top score at `at`, plus the `extra` rows (cover votes)."""
        rows = self.rows(members, [t] * len(members), [self.top] * len(members), at)
        return self.done(kind, "support", members, np.concatenate([rows, *extra]) if extra else rows, t)


def run_campaigns(campaigns: WorldCampaigns, rng, kinds: tuple[str, ...], kind_p, n_blocs: int):
    """Each kind (a method of `campaigns`) once, then kinds drawn ∝ `kind_p` until there are `n_blocs` blocs (at
    most 4 × `n_blocs` tries; a kind that finds no instance plants nothing). Returns the blocs, their vote rows and
    the accounts made (fresh8, fresh9, fresh10)."""
    blocs, parts = [], []
    for attempt in range(4 * n_blocs):
        if attempt < len(kinds):
            kind = kinds[attempt]
        elif len(blocs) >= n_blocs:
            break
        else:
            kind = kinds[int(weighted_choice(rng, kind_p, 1)[0])]
        for bloc, rows in getattr(campaigns, kind)() or []:
            blocs.append(bloc)
            parts.append(rows)
    return blocs, parts, campaigns.accounts


def fresh_world_conference(
    size: str, seed: int, plant, *, name: str, salt: int, honest, campaigns, kinds, kind_p, closes, scale, check=None
) -> SyntheticConference:
    """A fresh world's conference (fresh8, fresh9, fresh10): the honest world `honest(rng, size)` from the stream
    (seed, size's index, `salt` + 1), then its campaigns (`campaigns(rng, world)`, whose methods are the `kinds`
    `run_campaigns` draws up to max(size's blocs, kinds)) from the stream (seed, index, `salt` + 2); `plant`
    (honest-only runs, e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant
    nothing. `check(world, conference)`, when given, raises if the conference breaks a rule of the world."""
    index = tuple(SIZES).index(size)
    world = honest(np.random.default_rng([seed, index, salt + 1]), size)
    spec = SIZES[size]
    rng = np.random.default_rng([seed, index, salt + 2])
    if plant is None:
        blocs, parts, accounts = run_campaigns(campaigns(rng, world), rng, kinds, kind_p, max(spec.blocs, len(kinds)))
    else:
        blocs, accounts = plant(rng, spec, world)
        if blocs or accounts:
            raise ValueError(f"{name} plants its own campaigns: `plant` may only plant nothing")
        parts = []
    conf = world_conference(
        world,
        blocs,
        parts,
        accounts,
        voter_org=world.org,
        speaker_org=world.speaker_org,
        closes=closes,
        scale=scale,
        free_mail_domains=FREE_MAIL_DOMAINS,
    )
    if check is not None:
        check(world, conf)
    return conf
