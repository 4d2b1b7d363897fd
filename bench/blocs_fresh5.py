"""A fifth independent world for bloc detection (fresh5): a regional public-sector and industry conference
("Nordhaven Digital Day") whose attendees come mostly from a few big employers and government agencies,
with a short eight-day public vote on a 0-4 scale in office hours. Nine planted campaign kinds and four
honest correlated kinds. Written before detection was run on it (pre-registered); deterministic per
(size, seed).

    fresh5_conference("small" | "medium" | "large", seed, plant=None) -> SyntheticConference

The honest world
- Talks: the size's count, in eight tracks of unequal size (public services, health IT, payments,
  security, data, cloud, accessibility, education). Quality ~ N(0, 1); a talk's draw weight is
  exp(0.7 quality + N(0, 0.6)). About 6% of talks are held in the regional language.
- Organisations: six big employers hold about 45% of voters (a savings bank, a telecom, the regional
  health service, the city, the tax agency, the university; several with two or three domains, the
  city and health service under one regional parent domain, the agencies under gov.example), small
  companies (one per 40 voters, one domain each) hold 30%, and 25% are independents on free mail.
  An employee writes from the work domain with chance 0.6 (else free mail) and fills in the company
  with chance 0.5 (the name spelled with or without a legal form).
- Classes: 30% tickets (1.0), 40% pledges (0.5), 30% none (0). Ticket holders of an organisation
  are booked on the organisation's orders of 2-30 seats with chance 0.7, the rest buy singles or
  pairs. Students of the university hold no ticket.
- Ballots: 12% light voters (1-3 votes), 2% completionists (two thirds to all of min(100, half the
  talks)), the rest lognormal (sigma 0.7), scaled so that
  ballots hold about 92% of the size's votes (loyalty and groups add the rest). Talks are drawn with
  replacement by draw weight, 40% of draws from the voter's favourite track, duplicates dropped.
- Scores: round(2 + 0.9 quality + voter bias N(0, 0.5) + 0.4 favourite track + N(0, 0.8)) clipped to
  0-4; "likely" (3) and "definitely" (4) mean want-to-see.
- Time: the vote opens Monday 07:00 UTC (09:00 local) and runs eight days. Each voter has one
  session (35% two) on a day weighted by the opening mail, a quiet weekend and a last-day reminder;
  70% of sessions in office hours (peaks at 09:30 and 12:30 UTC), 30% in the evening. A session's
  votes follow its start by exponential delays (10 min plus 1.5 min per vote on average).
- Loyalty: voters of a speaker's organisation add each colleague's talk with chance
  min(0.25, 1.5 / the organisation's talks), and rate it about one point higher: honest, labelled
  colleagues. Speakers own a voter account with chance 0.6 and half of those rate their own talk 4.
- Accounts: 70% of voters made their account at an earlier edition (up to three years before), the
  rest shortly before their first vote.

Honest correlated groups (honest votes; detection should leave them alone), one of each at small,
T // 200 of each above:
- university_course: 15-30 students of a university course (at most half the university's voters
  not yet in a group) attend one 90-minute lab session and rate the 5-8 talks of the course's track,
  with their own honest scores.
- topic_employer: 20-40 employees of a big employer (not the university) that is genuinely strong in
  one track add 4-6 of that track's best-liked talks (by other organisations) and rate that track
  about 0.8 higher.
- language_community: 15-35 speakers of the regional language (on free mail) add each talk held in
  it (at most 12) with chance 0.75 and rate them about 0.7 higher, spread over the week.
- livestream_chat: the organizers present 6 talks in a livestream on an evening of the first three
  days (recorded as a promotion of each); 25-40 viewers vote on 3-6 of them within 90 minutes.

Planted campaigns (members 3-40, one bloc each; a member is in one bloc; planted votes replace the
member's honest vote on the same talk; when an organisation has fewer than three voters left,
independents fill the group up to three), cycled to the size's bloc count:
- phd_supervisor: a professor asks their group (6-14 university voters) to rate their talk 4 (some
  3) over the next 36 hours. Colleagues of the speaker.
- recruiter_pool: a staffing agency asks 10-30 candidates (half existing independents, half new
  free-mail accounts without tickets, made in a two-day window) to rate a client's talk up; spread
  over four evenings; new accounts add 1-3 cover votes on popular talks. Not colleagues.
- slack_channel: a link in a big employer's internal channel: 10-35 of its voters rate the
  colleague's talk 4 within about three hours of the post (office hours). Colleagues.
- speaker_circuit: 4-6 conference-hopping speakers (their own voter accounts, each another talk)
  rate every talk of the circuit 4, their own included, over the whole week.
- coauthor_network: about 5-12 co-authors (at least one per organisation) from the speakers'
  organisations, the university and two more rate the paper's talk 4 and one
  or two of their other talks 3-4, over five days. Some are the speaker's colleagues.
- agency_team: a manager at the city or the tax agency tells 8-25 of the agency's voters to support
  the agency's talk (3-4) during office hours of two days. Colleagues.
- sponsor_downvote: 5-15 staff of one sponsor (a big company) rate a competing big company's talk
  0 (some 1) over two days. Opposition.
- schedule_bot: 4-12 accounts made within ten minutes by one script (free mail, no ticket) vote on a
  fixed schedule (account j at start + 15 j minutes, then every three hours to the minute): the
  target 4 and 3-6 cover talks at random scores. Campaign-only accounts.
- telegram_group: a national community's Telegram group: 12-40 members (70% existing independents,
  30% new accounts made within an hour of the message) rate a compatriot's talk 4 (some 3) within six
  hours; new accounts add up to two cover votes. Not colleagues.
Support targets are talks between the 30th and 80th percentile of quality (a circuit boosts its
weakest talk; a downvote hits a rival's talk of above-average quality).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.ballots.domain.blocs_input import TalkFacts, VoteScale, bloc_input_build
from bench.blocs_synthetic import SIZES, PlantedBloc, SyntheticConference, planted_over_honest, world_voter_facts

SCALE = VoteScale(minimum=0, maximum=4, wanted_min=3, labels=("no", "unlikely", "maybe", "likely", "definitely"))
FREE_MAIL = ("mail.example", "webpost.example", "nordmail.example", "quickbox.example")
HOUR = 3600
DAY = 24 * HOUR
OPENS = int(dt.datetime(2026, 5, 4, 7, tzinfo=dt.UTC).timestamp())
CLOSES = OPENS + 8 * DAY
DAY_WEIGHTS = np.array([0.28, 0.16, 0.12, 0.10, 0.08, 0.03, 0.03, 0.20])
TRACKS = 8
TRACK_SIZES = np.array([0.2, 0.15, 0.12, 0.14, 0.13, 0.11, 0.07, 0.08])
# name, domains, share of voters
BIG = (
    ("Nordhaven Sparbank", ("sparbank.example", "sparbank-it.example"), 0.10),
    ("Kestrel Telecom", ("kestrel.example", "kestrel-networks.example", "kestrel-labs.example"), 0.08),
    ("Region Nordhaven Health", ("health.nordhaven.example",), 0.08),
    ("City of Nordhaven", ("city.nordhaven.example", "it.city.nordhaven.example"), 0.07),
    ("Nordhaven Tax Agency", ("skatt.gov.example",), 0.06),
    ("University of Nordhaven", ("uni-nordhaven.example", "cs.uni-nordhaven.example"), 0.06),
)
UNIVERSITY, CITY, TAX = 5, 3, 4
BLOC_KINDS = (
    "phd_supervisor",
    "recruiter_pool",
    "slack_channel",
    "speaker_circuit",
    "coauthor_network",
    "agency_team",
    "sponsor_downvote",
    "schedule_bot",
    "telegram_group",
)
HONEST_KINDS = ("university_course", "topic_employer", "language_community", "livestream_chat")
_SYLLABLES = ("ar", "bo", "ken", "li", "mar", "no", "sta", "ve", "ri", "tor", "ul", "fa", "gen", "sol", "dra")


@dataclass
class World:
    V: int
    T: int
    quality: np.ndarray
    track: np.ndarray
    regional: np.ndarray  # per talk: held in the regional language
    org_names: list[str]
    org_domains: list[tuple[str, ...]]
    voter_org: np.ndarray
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray
    speaker_org: np.ndarray  # (T, 2), -1 none / independent
    speaker_voter: np.ndarray  # (T, 2), -1 none
    votes: np.ndarray = field(default_factory=lambda: np.empty((0, 4), dtype=np.int64))
    planted: list[np.ndarray] = field(default_factory=list)
    accounts: list[tuple] = field(default_factory=list)
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    featured: dict[int, list[int]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    members_of: dict[int, np.ndarray] = field(default_factory=dict)
    reserved: set[int] = field(default_factory=set)


def _office_time(rng, day: int, evening_share: float = 0.3) -> int:
    if rng.random() < evening_share:
        hour = rng.normal(12.0, 1.5)  # 19:00 local
    else:
        hour = rng.normal(2.5, 1.2) if rng.random() < 0.55 else rng.normal(5.5, 1.0)
    return int(OPENS + day * DAY + np.clip(hour, 0, 15) * HOUR)


def _clip_time(t):
    return np.clip(np.asarray(t, dtype=np.int64), OPENS, CLOSES - 1)


def _honest(rng, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    quality = rng.normal(0, 1, T)
    track = rng.choice(TRACKS, T, p=TRACK_SIZES / TRACK_SIZES.sum())
    draw = np.exp(0.7 * quality + rng.normal(0, 0.6, T))
    regional = rng.random(T) < 0.06

    # Organisations: the big six, then small companies.
    n_small = max(20, V // 40)
    org_names = [b[0] for b in BIG]
    org_domains = [b[1] for b in BIG]
    for i in range(n_small):
        word = "".join(_SYLLABLES[j] for j in rng.choice(len(_SYLLABLES), 3)).capitalize() + str(i)
        org_names.append(f"{word} {('AB', 'Oy', 'AS', 'Consulting')[i % 4]}")
        org_domains.append((f"{word.lower()}.example",))
    shares = np.r_[[b[2] for b in BIG], np.full(n_small, 0.30 / n_small), 0.25]
    org = rng.choice(len(org_names) + 1, V, p=shares / shares.sum())
    voter_org = np.where(org == len(org_names), -1, org).astype(np.int64)

    u = rng.random(V)
    weight = np.where(u < 0.3, 1.0, np.where(u < 0.7, 0.5, 0.0))
    weight[voter_org == UNIVERSITY] = np.where(rng.random((voter_org == UNIVERSITY).sum()) < 0.5, 0.0, 0.5)
    order: list[str | None] = [None] * V
    n_orders = 0
    for o in range(len(org_names)):
        holders = np.flatnonzero((voter_org == o) & (weight == 1.0))
        booked = holders[rng.random(len(holders)) < 0.7]
        rng.shuffle(booked)
        i = 0
        while i < len(booked):
            k = int(rng.integers(2, 31))
            n_orders += 1
            for v in booked[i : i + k]:
                order[int(v)] = f"NDD-{n_orders:05d}"
            i += k
    for v in np.flatnonzero(weight == 1.0):
        if order[int(v)] is None:
            n_orders += 1
            order[int(v)] = f"NDD-{n_orders:05d}"
            if rng.random() < 0.2 and v + 1 < V and weight[v + 1] == 1.0 and order[int(v) + 1] is None:
                order[int(v) + 1] = order[int(v)]
    work_mail = rng.random(V) < 0.6
    named = rng.random(V) < 0.5
    domain, company_field = [], []
    free_pick = rng.integers(0, len(FREE_MAIL), V)
    for v in range(V):
        o = int(voter_org[v])
        if o >= 0 and work_mail[v]:
            ds = org_domains[o]
            domain.append(ds[int(rng.integers(len(ds)))] if len(ds) > 1 else ds[0])
        else:
            domain.append(FREE_MAIL[free_pick[v]])
        if o >= 0 and named[v]:
            name = org_names[o]
            company_field.append(name if rng.random() < 0.6 else name.split(" ")[0] if o >= len(BIG) else name + " ")
        else:
            company_field.append(None)
    joined = np.where(
        rng.random(V) < 0.7,
        OPENS - rng.integers(30 * DAY, 3 * 365 * DAY, V),
        CLOSES,  # clamped to shortly before the first vote
    ).astype(np.int64)

    # Speakers.
    u = rng.random((T, 2))
    n_big, n_all = len(BIG), len(org_names)
    speaker_org = np.where(
        u < 0.5,
        rng.choice(n_big, (T, 2), p=shares[:n_big] / shares[:n_big].sum()),
        np.where(u < 0.75, rng.integers(n_big, n_all, (T, 2)), -1),
    ).astype(np.int64)
    speaker_org[rng.random(T) < 0.6, 1] = -2  # one speaker only
    speaker_voter = np.full((T, 2), -1, dtype=np.int64)
    by_org: dict[int, np.ndarray] = {}
    for o in range(-1, n_all):
        by_org[o] = np.flatnonzero(voter_org == o)
    taken: set[int] = set()
    for t in range(T):
        for k in range(2):
            o = int(speaker_org[t, k])
            if o == -2 or rng.random() >= 0.6:
                continue
            pool = by_org[o]
            if len(pool):
                v = int(pool[rng.integers(len(pool))])
                if v not in taken:
                    taken.add(v)
                    speaker_voter[t, k] = v

    # Ballots.
    mean = spec.votes / V
    u = rng.random(V)
    length = np.maximum(1, np.round(rng.lognormal(np.log(mean * 0.78), 0.7, V))).astype(np.int64)
    length[u < 0.12] = rng.integers(1, 4, (u < 0.12).sum())
    heavy = u > 0.98
    length[heavy] = (min(100, T // 2) * rng.uniform(0.66, 1.0, heavy.sum())).astype(np.int64)
    rest = (u >= 0.12) & ~heavy  # scaled so that ballots hold about 92% of the size's votes
    room = 0.92 * spec.votes - length[~rest].sum()
    length[rest] = np.maximum(1, np.round(length[rest] * room / length[rest].sum()))
    length = np.minimum(length, T)
    favourite = rng.choice(TRACKS, V, p=TRACK_SIZES / TRACK_SIZES.sum())
    bias = rng.normal(0, 0.5, V)
    draws = np.ceil(length * 1.3).astype(np.int64) + 1
    dv = np.repeat(np.arange(V), draws)
    fav = rng.random(len(dv)) < 0.4
    dtrack = np.where(fav, favourite[dv], rng.choice(TRACKS, len(dv), p=TRACK_SIZES / TRACK_SIZES.sum()))
    order_t = np.lexsort((np.arange(T), track))
    cum = np.zeros(T)
    for k in range(TRACKS):
        positions = np.flatnonzero(track[order_t] == k)
        if len(positions):
            w = draw[order_t[positions]]
            cum[positions] = k + np.cumsum(w) / w.sum()
    present = np.unique(track)
    dtrack = np.where(np.isin(dtrack, present), dtrack, present[0])
    pos = np.minimum(np.searchsorted(cum, dtrack + rng.random(len(dv)), side="right"), T - 1)
    dt_ = order_t[pos]
    key = dv * T + dt_
    key = np.unique(key)
    kv, kt = key // T, key % T
    prio = rng.random(len(key))
    srt = np.lexsort((prio, kv))
    kv, kt = kv[srt], kt[srt]
    start = np.searchsorted(kv, np.arange(V))
    rank = np.arange(len(kv)) - start[kv]
    keep = rank < length[kv]
    bv, bt = kv[keep], kt[keep]

    # Sessions.
    day1 = rng.choice(8, V, p=DAY_WEIGHTS)
    day2 = rng.choice(8, V, p=DAY_WEIGHTS)
    two = rng.random(V) < 0.35
    evening = rng.random((V, 2)) < 0.3
    peak = np.where(rng.random((V, 2)) < 0.55, rng.normal(2.5, 1.2, (V, 2)), rng.normal(5.5, 1.0, (V, 2)))
    hours = np.clip(np.where(evening, rng.normal(12.0, 1.5, (V, 2)), peak), 0, 15)
    starts = OPENS + np.c_[day1, day2] * DAY + (hours * HOUR).astype(np.int64)
    dur = 600 + 90 * length

    def times(v):
        s = np.where(two[v] & (rng.random(len(v)) < 0.5), 1, 0)
        return _clip_time(starts[v, s] + rng.exponential(dur[v]))

    def scores(v, t, extra=0.0):
        latent = 2 + 0.9 * quality[t] + bias[v] + 0.4 * (track[t] == favourite[v]) + rng.normal(0, 0.8, len(v))
        return np.clip(np.round(latent + extra), 0, 4).astype(np.int64)

    parts = [np.c_[bv, bt, scores(bv, bt), times(bv)]]
    # Loyalty to colleagues' talks.
    lv, lt = [], []
    org_talks = np.bincount(speaker_org[speaker_org >= 0], minlength=n_all)
    for t in range(T):
        for k in range(2):
            o = int(speaker_org[t, k])
            if o < 0:
                continue
            pool = by_org[o]
            chosen = pool[rng.random(len(pool)) < min(0.25, 1.5 / org_talks[o])]
            lv.append(chosen)
            lt.append(np.full(len(chosen), t))
    lv, lt = np.concatenate(lv), np.concatenate(lt)
    parts.append(np.c_[lv, lt, scores(lv, lt, 1.0), times(lv)])
    sv = speaker_voter[speaker_voter >= 0]
    st = np.nonzero(speaker_voter >= 0)[0]
    self_vote = rng.random(len(sv)) < 0.5
    parts.append(np.c_[sv[self_vote], st[self_vote], np.full(self_vote.sum(), 4), times(sv[self_vote])])

    world = World(
        V=V,
        T=T,
        quality=quality,
        track=track,
        regional=regional,
        org_names=org_names,
        org_domains=org_domains,
        voter_org=voter_org,
        weight=weight,
        order=order,
        domain=domain,
        company_field=company_field,
        joined=joined,
        speaker_org=speaker_org,
        speaker_voter=speaker_voter,
    )
    world.reserved = {int(v) for v in sv}  # speakers are drawn into no group (the circuit uses them)
    world.members_of = by_org

    # Honest groups.
    groups = max(1, T // 200)
    free = np.array([d in FREE_MAIL for d in domain])

    def pick(pool, k):
        pool = np.array([v for v in pool if int(v) not in world.used and int(v) not in world.reserved], dtype=np.int64)
        k = min(k, len(pool))
        chosen = rng.choice(pool, k, replace=False) if k else pool[:0]
        world.used.update(int(v) for v in chosen)
        return np.sort(chosen)

    def group(kind, members, talks):
        world.honest_groups.append(
            PlantedBloc(kind, "honest", tuple(int(t) + 1 for t in talks), tuple(int(v) + 1 for v in members), None)
        )

    for _ in range(groups):
        # university_course
        k = int(rng.integers(0, TRACKS))
        talks = np.flatnonzero(track == k)
        talks = rng.choice(talks, min(len(talks), int(rng.integers(5, 9))), replace=False)
        busy = world.used | world.reserved
        free_students = [v for v in by_org[UNIVERSITY] if int(v) not in busy]
        members = pick(by_org[UNIVERSITY], min(int(rng.integers(15, 31)), len(free_students) // 2))
        at = OPENS + int(rng.integers(0, 3)) * DAY + int(rng.uniform(1, 6) * HOUR)
        gv, gt = np.repeat(members, len(talks)), np.tile(talks, len(members))
        parts.append(np.c_[gv, gt, scores(gv, gt), _clip_time(at + rng.uniform(0, 90 * 60, len(gv)))])
        group("university_course", members, talks)
        # topic_employer
        o = int(rng.integers(0, UNIVERSITY))
        k = int(rng.integers(0, TRACKS))
        talks = np.flatnonzero((track == k) & (speaker_org[:, 0] != o) & (speaker_org[:, 1] != o))
        talks = talks[np.argsort(-quality[talks])][: int(rng.integers(4, 7))]
        members = pick(by_org[o], int(rng.integers(20, 41)))
        gv, gt = np.repeat(members, len(talks)), np.tile(talks, len(members))
        parts.append(np.c_[gv, gt, scores(gv, gt, 0.8), times(gv)])
        group("topic_employer", members, talks)
        # language_community
        talks = np.flatnonzero(regional)
        if len(talks) == 0:
            talks = np.array([int(rng.integers(T))])
        talks = talks[:12]
        members = pick(np.flatnonzero(free), int(rng.integers(15, 36)))
        gv, gt = np.repeat(members, len(talks)), np.tile(talks, len(members))
        sel = rng.random(len(gv)) < 0.75
        gv, gt = gv[sel], gt[sel]
        parts.append(np.c_[gv, gt, scores(gv, gt, 0.7), _clip_time(OPENS + rng.uniform(0, 8 * DAY, len(gv)))])
        group("language_community", members, np.unique(gt))
        # livestream_chat
        talks = rng.choice(T, 6, replace=False)
        at = OPENS + int(rng.integers(0, 3)) * DAY + 11 * HOUR + int(rng.integers(0, 4)) * 900
        for t in talks:
            world.featured.setdefault(int(t), []).append(at)
        members = pick(np.arange(V), int(rng.integers(25, 41)))
        gv, gt = [], []
        for v in members:
            n = int(rng.integers(3, 7))
            gv.extend([v] * n)
            gt.extend(rng.choice(talks, n, replace=False))
        gv, gt = np.array(gv, dtype=np.int64), np.array(gt, dtype=np.int64)
        parts.append(np.c_[gv, gt, scores(gv, gt, 0.3), _clip_time(at + rng.uniform(0, 90 * 60, len(gv)))])
        group("livestream_chat", members, talks)

    votes = np.concatenate(parts).astype(np.int64)
    keys = votes[:, 0] * T + votes[:, 1]
    _, last = np.unique(keys[::-1], return_index=True)  # later parts win
    world.votes = votes[::-1][last]
    return world


def _targets(rng, world: World, n: int, taken: set[int], where=None) -> list[int]:
    lo, hi = np.quantile(world.quality, [0.3, 0.8])
    ok = (world.quality >= lo) & (world.quality <= hi)
    if where is not None:
        ok &= where
    pool = [int(t) for t in np.flatnonzero(ok) if int(t) not in taken]
    if len(pool) < n:
        pool = [int(t) for t in np.flatnonzero(where if where is not None else ok) if int(t) not in taken]
    chosen = [int(t) for t in rng.choice(pool, min(n, len(pool)), replace=False)] if pool else []
    taken.update(chosen)
    return chosen


def plant_fresh5(rng, world: World, n: int):
    """Plants n campaigns, the kinds cycled (module docstring). Returns (blocs, accounts)."""
    blocs: list[PlantedBloc] = []
    taken: set[int] = set()
    V, T = world.V, world.T
    spk = world.speaker_org
    free_pool = np.flatnonzero(world.voter_org == -1)

    def pick(pool, k):
        pool = np.array([v for v in pool if int(v) not in world.used and int(v) not in world.reserved], dtype=np.int64)
        if len(pool) < 3:  # the organisation has too few voters left: independents fill up to three
            rest = [v for v in free_pool if int(v) not in world.used and int(v) not in world.reserved]
            pool = np.r_[pool, rng.choice(rest, 3 - len(pool), replace=False)].astype(np.int64)
            k = max(k, 3)
        k = min(k, len(pool))
        chosen = rng.choice(pool, k, replace=False) if k else pool[:0]
        world.used.update(int(v) for v in chosen)
        return [int(v) for v in chosen]

    def account(weight, joined, domain=None, org=-1):
        world.accounts.append((weight, None, domain or FREE_MAIL[int(rng.integers(len(FREE_MAIL)))], None, org, joined))
        return V + len(world.accounts) - 1

    def add(kind, direction, members, rows, boosted):
        rows = np.array(rows, dtype=np.int64).reshape(-1, 4)
        rows[:, 3] = _clip_time(rows[:, 3])
        world.planted.append(rows)
        talks = tuple(sorted({int(t) + 1 for t in rows[:, 1]}))
        ids = tuple(sorted(int(v) + 1 for v in members))
        blocs.append(PlantedBloc(kind, direction, talks, ids, None if boosted is None else int(boosted) + 1))

    def of_org(o):
        return (spk[:, 0] == o) | (spk[:, 1] == o)

    for i in range(n):
        kind = BLOC_KINDS[i % len(BLOC_KINDS)]
        if kind == "phd_supervisor":
            (t,) = _targets(rng, world, 1, taken, of_org(UNIVERSITY)) or _targets(rng, world, 1, taken)
            members = pick(world.members_of[UNIVERSITY], int(rng.integers(6, 15)))
            at = _office_time(rng, int(rng.integers(0, 6)))
            rows = [(v, t, 4 if rng.random() < 0.8 else 3, at + rng.uniform(0, 36 * HOUR)) for v in members]
            add(kind, "support", members, rows, t)
        elif kind == "recruiter_pool":
            (t,) = _targets(rng, world, 1, taken)
            k = int(rng.integers(10, 31))
            members = pick(free_pool, k // 2)
            day0 = int(rng.integers(0, 4))
            base = OPENS + day0 * DAY
            rows = []
            popular = np.argsort(-world.quality)[: max(10, T // 10)]
            for _ in range(k - len(members)):
                joined = base + int(rng.uniform(0, 2 * DAY))
                a = account(0.0, joined)
                members.append(a)
                for c in rng.choice(popular, int(rng.integers(1, 4)), replace=False):
                    if int(c) != t:
                        score = int(np.clip(round(2.5 + world.quality[c]), 0, 4))
                        rows.append((a, int(c), score, joined + rng.uniform(600, DAY)))
            for v in members:
                at = base + int(rng.integers(0, 4)) * DAY + int(rng.normal(12, 1.5) * HOUR)
                rows.append((v, t, 4 if rng.random() < 0.75 else 3, at))
            add(kind, "support", members, rows, t)
        elif kind == "slack_channel":
            o = int(rng.integers(0, 3))
            (t,) = _targets(rng, world, 1, taken, of_org(o)) or _targets(rng, world, 1, taken)
            if not of_org(o)[t] and spk[t, 0] >= 0:  # no talk of a big employer left: the speaker's own
                o = int(spk[t, 0])
            members = pick(world.members_of[o], int(rng.integers(10, 36)))
            at = _office_time(rng, int(rng.integers(0, 7)), 0.0)
            rows = [(v, t, 4, at + rng.exponential(40 * 60)) for v in members]
            add(kind, "support", members, rows, t)
        elif kind == "speaker_circuit":
            has = np.flatnonzero(world.speaker_voter[:, 0] >= 0)
            cand = [int(t) for t in has if int(t) not in taken and int(world.speaker_voter[t, 0]) not in world.used]
            k = min(len(cand), int(rng.integers(4, 7)))
            talks = [int(t) for t in rng.choice(cand, k, replace=False)]
            taken.update(talks)
            members = [int(world.speaker_voter[t, 0]) for t in talks]
            world.used.update(members)
            rows = [(v, t, 4, OPENS + rng.uniform(0, 8 * DAY)) for v in members for t in talks]
            add(kind, "support", members, rows, min(talks, key=lambda t: world.quality[t]))
        elif kind == "coauthor_network":
            (t,) = _targets(rng, world, 1, taken)
            orgs = [int(o) for o in spk[t] if o >= 0] + [UNIVERSITY]
            orgs += [int(o) for o in rng.choice(len(world.org_names), 2, replace=False)]
            members = []
            total = int(rng.integers(5, 13))
            for o in orgs:
                members += pick(world.members_of[o], max(1, total // len(orgs)))
            others = _targets(rng, world, int(rng.integers(1, 3)), taken)
            at = OPENS + int(rng.integers(0, 3)) * DAY
            rows = [(v, t, 4, at + rng.uniform(0, 5 * DAY)) for v in members]
            rows += [
                (v, c, int(rng.integers(3, 5)), at + rng.uniform(0, 5 * DAY))
                for v in members
                for c in others
                if rng.random() < 0.7
            ]
            add(kind, "support", members, rows, t)
        elif kind == "agency_team":
            o = CITY if rng.random() < 0.5 else TAX
            (t,) = _targets(rng, world, 1, taken, of_org(o)) or _targets(rng, world, 1, taken)
            members = pick(world.members_of[o], int(rng.integers(8, 26)))
            day = int(rng.integers(0, 4))
            rows = [
                (v, t, int(rng.integers(3, 5)), _office_time(rng, day + int(rng.integers(0, 2)), 0.0)) for v in members
            ]
            add(kind, "support", members, rows, t)
        elif kind == "sponsor_downvote":
            o = int(rng.integers(0, 3))
            rival = [r for r in range(3) if r != o]
            where = of_org(rival[0]) | of_org(rival[1])
            pool = [int(t) for t in np.flatnonzero(where & (world.quality > 0)) if int(t) not in taken]
            t = int(rng.choice(pool)) if pool else _targets(rng, world, 1, taken)[0]
            taken.add(t)
            members = pick(world.members_of[o], int(rng.integers(5, 16)))
            day = int(rng.integers(0, 6))
            rows = [
                (v, t, 0 if j == 0 or rng.random() < 0.75 else 1, _office_time(rng, day + int(rng.integers(0, 2))))
                for j, v in enumerate(members)
            ]
            add(kind, "oppose", members, rows, None)
        elif kind == "schedule_bot":
            (t,) = _targets(rng, world, 1, taken)
            k = int(rng.integers(4, 13))
            start = OPENS + int(rng.integers(0, 5)) * DAY + int(rng.integers(0, 24)) * HOUR
            domain = FREE_MAIL[int(rng.integers(len(FREE_MAIL)))]
            members = [account(0.0, start - 600 + 60 * j, domain) for j in range(k)]
            rows = []
            for j, a in enumerate(members):
                covers = [int(c) for c in rng.choice(T, int(rng.integers(3, 7)), replace=False) if int(c) != t]
                slots = [t, *covers]
                rng.shuffle(slots)
                for s, c in enumerate(slots):
                    rows.append((a, c, 4 if c == t else int(rng.integers(0, 5)), start + 900 * j + 3 * HOUR * s))
            add(kind, "support", members, rows, t)
        elif kind == "telegram_group":
            where = (spk[:, 0] == -1) | (spk[:, 0] >= len(BIG))
            (t,) = _targets(rng, world, 1, taken, where) or _targets(rng, world, 1, taken)
            k = int(rng.integers(12, 41))
            members = pick(free_pool, round(k * 0.7))
            at = OPENS + int(rng.integers(0, 7)) * DAY + int(rng.uniform(1, 14) * HOUR)
            rows = []
            for _ in range(k - len(members)):
                a = account(float(rng.choice([0.0, 0.5])), at + int(rng.uniform(0, HOUR)))
                members.append(a)
                for c in rng.choice(T, int(rng.integers(0, 3)), replace=False):
                    if int(c) != t:
                        rows.append((a, int(c), int(rng.integers(1, 5)), at + rng.uniform(HOUR, 6 * HOUR)))
            rows += [(v, t, 4 if rng.random() < 0.8 else 3, at + rng.uniform(0, 6 * HOUR)) for v in members]
            add(kind, "support", members, rows, t)
    return blocs, world.accounts


def fresh5_conference(size: str = "small", seed: int = 1, plant=None) -> SyntheticConference:
    """The fresh5 conference of `size` for `seed` (module docstring). `plant(rng, world, n)` returns
    (blocs, accounts); bench.blocs_calibration.plant_nothing gives the honest conference alone."""
    spec = SIZES[size]
    index = list(SIZES).index(size)
    world = _honest(np.random.default_rng([seed, index, 50]), size)
    plant = plant or plant_fresh5
    blocs, _ = plant(np.random.default_rng([seed, index, 51]), world, max(spec.blocs, len(BLOC_KINDS)))
    V, T = world.V, world.T
    arr, is_planted = planted_over_honest(world.votes, world.planted, T)

    voters, true_org = world_voter_facts(world, arr, CLOSES)
    srng = np.random.default_rng([seed, index, 52])
    talks = []
    for t in range(T):
        domains, companies = [], []
        for k in range(2):
            o = int(world.speaker_org[t, k])
            if o >= 0:
                if srng.random() < 0.8:
                    companies.append(world.org_names[o])
                ds = world.org_domains[o]
                domains.append(ds[t % len(ds)] if srng.random() < 0.5 else FREE_MAIL[(t + k) % len(FREE_MAIL)])
            elif o == -1:
                domains.append(FREE_MAIL[t % len(FREE_MAIL)])
        talks.append(
            TalkFacts(
                talk_id=t + 1,
                speaker_email_domains=tuple(domains),
                speaker_companies=tuple(companies),
                speaker_voter_ids=tuple(int(s) + 1 for s in world.speaker_voter[t] if s >= 0),
                promoted_at=tuple(world.featured.get(t, ())),
            )
        )
    data = bloc_input_build(
        voter_ids=arr[:, 0] + 1,
        talk_ids=arr[:, 1] + 1,
        scores=arr[:, 2],
        at_seconds=arr[:, 3],
        voters=voters,
        talks=talks,
        scale=SCALE,
        free_mail_domains=FREE_MAIL,
    )
    vo = true_org[arr[:, 0]]
    so = world.speaker_org[arr[:, 1]]
    colleague = (vo >= 0) & ((vo == so[:, 0]) | (vo == so[:, 1]))
    honest = ~is_planted & (arr[:, 0] < V)
    return SyntheticConference(
        data, tuple(blocs), is_planted, colleague, honest, world.quality.copy(), tuple(world.honest_groups)
    )
