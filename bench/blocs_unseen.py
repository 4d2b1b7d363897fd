"""Held-out bloc patterns: the honest conference of bench/blocs_synthetic.py with other kinds of
organised voting planted in it (deterministic per size and seed), to judge detection on patterns it
was not developed against. Written without reading the detector: each kind leaves the traces a real
campaign of its kind leaves, no more and no fewer.

Planted blocs (3 to 40 members), each with ground truth as in bench/blocs_synthetic.py:
- alliance: vote trading between two companies. Employees of company A give company B's speaker's
  contender talk the top score and B's employees do the same for A's talk (one bloc per talk).
  Each side votes within 3–12 hours of an internal message. Trace: the members' company or work
  domain (as the facts happen to show it), which is not the company of the talk they push; timing.
- split_booking: employees of a speaker's company push their colleague's contender, booked in
  several ticket orders of 2–3, most on free-mail addresses but with the company field filled in.
  Each votes in their own voting session, ballots otherwise normal. Trace: the company field and
  many small orders of one company on one talk.
- waves: a mobilisation of unrelated voters (a newsletter, a meetup) in 2–3 waves of 4–8 votes
  each within 30–60 minutes, 2–5 days apart, for a contender; ballots otherwise normal. Trace: the
  short bursts on one talk.
- random_cover: new accounts, each rating the contender with the top score plus 3–6 other talks
  drawn like an honest voter's (by popularity, scored by quality), so no two ballots are alike; all
  cast within 2–5 hours. Trace: new accounts, the burst, the one talk they all share at the top.
- tactical / tactical_down: employees of a speaker's company rate their colleague's contender top
  AND 2–4 rival talks of the same track (contenders or better, by other companies) with the lowest
  score, all in their own voting session. One support bloc (the contender) and one oppose bloc (the
  rivals). Trace: the company, the same down-votes on the same rivals.
- soft_push: a larger group (15–40; about half the speaker's colleagues, the rest anyone) gives
  the contender the second-highest score ("want to see"), to look natural, after a call to vote:
  times decay from the call with a mean of 3–8 hours. Trace: the company share, the time pattern.
- puppet_opposition: new accounts with near-identical ballots of 6–10 talks that rate a strong talk
  with the lowest score (each copy changes a score by one, drops a talk or adds one or two of its
  own now and then), spread over 1–5 days. Trace: new accounts, similar ballots.
- two_talks: a company pushes two talks of its speakers at once (a contender and another of its
  talks of at least median quality): most members rate both with the top score, the rest one of
  them; in one burst after a company email (within 4 hours) or in their own sessions.

Account creation times (round 18; bench/blocs_joined.py's model, its own random stream): honest
voters and every existing voter in a bloc as honest (30% over the 730 days before voting opens, 20%
in the 60 days before, 50% at their first vote). The new accounts of random_cover and
puppet_opposition are one operator's made-up accounts: batches of 3-8 consecutive accounts, each
batch within 5 minutes, 0-7 days before its first vote. No held-out kind has mobilised new accounts.

Honest but correlated groups (their votes are honest in the ground truth; detection should not take
weight from them), in `SyntheticConference.honest_groups`:
- university: 15–40 voters without a company who share a university email domain (half also write
  the university in the company field) and genuinely like a niche track (one of the three with the
  fewest votes): each adds 2–6 votes on it, scored like any honest vote, in their own session.
- friends_order: 5–8 ticket holders on one new group order who vote in one sitting (within 45
  minutes of each other, all their votes) and each rate 3–6 of a shortlist of 4–6 talks of a track
  they like, scored like any honest vote.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.blocs_synthetic import (
    HOUR,
    OPENS,
    VOTING_HOURS,
    HonestWorld,
    PlantedBloc,
    SyntheticConference,
    _sample_times,
    synthetic_conference,
)

# Kinds whose new accounts one operator made (created in batches; bench/blocs_joined.py).
OPERATED_KINDS = frozenset({"random_cover", "puppet_opposition"})
KINDS = (
    "alliance",
    "split_booking",
    "waves",
    "random_cover",
    "tactical",
    "soft_push",
    "puppet_opposition",
    "two_talks",
)
CLOSES = OPENS + VOTING_HOURS * HOUR - 1


def unseen_conference(size: str = "small", seed: int = 1) -> SyntheticConference:
    """The honest conference of `synthetic_conference(size, seed)` with the held-out patterns planted."""
    return synthetic_conference(size, seed, plant=_plant_unseen, operated=OPERATED_KINDS)


def _plant_unseen(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world):
    planter = _Planter(rng, votes, V, T, quality, speaker_company, company, order, activity, world)
    for g in range(max(1, spec.blocs // 20)):
        planter.university(g)
    for _ in range(max(1, spec.blocs // 10)):
        planter.friends_order()
    for b in range(spec.blocs):
        getattr(planter, KINDS[b % len(KINDS)])()
    return planter.blocs, planter.extra


class _Planter:
    """The state shared by the planting of one conference; one method per kind."""

    def __init__(self, rng, votes, V, T, quality, speaker_company, company, order, activity, world: HonestWorld):
        self.rng, self.votes, self.V, self.T = rng, votes, V, T
        self.quality, self.speaker_company, self.company = quality, speaker_company, company
        self.order, self.activity, self.world = order, activity, world
        self.blocs: list[PlantedBloc] = []
        self.extra: list[tuple[float, str | None]] = []
        self.used_voters: set[int] = set()
        self.used_talks: set[int] = set()
        self.next_order = int(order.max()) + 1
        low, high = np.quantile(quality, [0.7, 0.9])
        self.contenders = [int(t) for t in np.argsort(quality) if low <= quality[t] < high]
        self.strong = [int(t) for t in np.argsort(-quality)[: max(10, T // 10)]]
        self.good = set(np.nonzero(quality >= low)[0].tolist())
        self.median = float(np.median(quality))
        self.employees = {int(c): np.nonzero(company == c)[0] for c in np.unique(company[company >= 0])}
        self.p_talk = world.popularity / world.popularity.sum()

    # Helpers.

    def size(self, low: int = 3, high: int = 40) -> int:
        return int(np.clip(np.round(np.exp(self.rng.uniform(np.log(low), np.log(high)))), low, high))

    def choose(self, options):
        return options[int(self.rng.integers(len(options)))] if len(options) else None

    def free(self, pool, k: int) -> list[int]:
        """Up to k voters of pool (in a random order) not in another bloc or honest group."""
        out: list[int] = []
        if k <= 0:
            return out
        for v in self.rng.permutation(pool):
            if int(v) not in self.used_voters:
                out.append(int(v))
                if len(out) == k:
                    break
        self.used_voters.update(out)
        return out

    def anyone(self, k: int) -> list[int]:
        return self.free(self.rng.choice(self.V, size=min(self.V, 4 * k + 40), replace=False), k)

    def colleagues(self, c: int, k: int) -> list[int]:
        return self.free(self.employees.get(c, np.zeros(0, dtype=np.int64)), k)

    def free_count(self, c: int) -> int:
        return sum(int(v) not in self.used_voters for v in self.employees.get(c, ()))

    def company_contender(self, k: int, *, extra=None) -> int | None:
        """A contender by a company's speaker, preferring companies with k free employees; `extra`
        filters further."""
        options = [
            t
            for t in self.contenders
            if t not in self.used_talks and self.speaker_company[t] >= 0 and (extra is None or extra(t))
        ]
        counts = {t: self.free_count(int(self.speaker_company[t])) for t in options}
        options = [t for t in options if counts[t] >= 3]
        fits = [t for t in options if counts[t] >= k]
        return self.choose(fits or [t for t in options if counts[t] == max(counts[t] for t in options)])

    def contender(self) -> int | None:
        return self.choose([t for t in self.contenders if t not in self.used_talks])

    def new_accounts(self, k: int, p: tuple[float, float, float]) -> list[int]:
        first = self.V + len(self.extra)
        self.extra.extend((float(self.rng.choice([0.0, 0.5, 1.0], p=p)), None) for _ in range(k))
        return list(range(first, first + k))

    def new_order(self, members) -> None:
        self.order[list(members)] = self.next_order
        self.next_order += 1

    def honest_score(self, v: int, t: int) -> int:
        bias = self.world.bias[v] if v < self.V else self.rng.normal(0, 0.3)
        return int(np.clip(np.round(self.quality[t] * 3.4 + self.rng.normal(0, 0.8) + bias), 0, 3))

    def sitting(self, start: int, n: int) -> np.ndarray:
        """Times of n votes cast one after another from start, as an honest voter casts them."""
        return np.minimum(start + np.cumsum(self.rng.integers(5, 90, size=n)), CLOSES)

    def own_session(self, v: int) -> int:
        return int(self.world.session[v]) + int(self.rng.integers(0, 600))

    def popular_talks(self, n: int, exclude=(), among=None) -> list[int]:
        """n distinct talks drawn as honest voters draw them (by popularity), optionally within `among`."""
        pool = np.arange(self.T) if among is None else np.asarray(among)
        pool = pool[~np.isin(pool, list(exclude))]
        if not len(pool):
            return []
        p = self.p_talk[pool] / self.p_talk[pool].sum()
        return [int(t) for t in self.rng.choice(pool, size=min(n, len(pool)), replace=False, p=p)]

    def cast(self, v: int, t: int, score: int, at, *, planted: bool = True) -> None:
        self.votes[(v, t)] = [int(score), int(min(at, CLOSES)), planted]

    def add(self, kind: str, direction: str, talks, members, boosted: int | None) -> None:
        bloc = PlantedBloc(kind, direction, tuple(sorted(t + 1 for t in talks)), tuple(v + 1 for v in members), boosted)
        self.blocs.append(bloc)

    def call(self, hours: float) -> int:
        """When a call to vote goes out: a time of the activity curve, early enough that `hours` after
        it the vote is still open."""
        return min(int(_sample_times(self.rng, self.activity, 1)[0]), CLOSES - int(hours * HOUR))

    def after_call(self, k: int, hours: float) -> np.ndarray:
        """k times within `hours` of a call to vote."""
        return self.call(hours) + self.rng.integers(0, int(hours * HOUR), size=k)

    # Planted kinds.

    def alliance(self) -> None:
        k = self.size()
        a_talk = self.company_contender(k)
        if a_talk is None:
            return
        self.used_talks.add(a_talk)
        a = int(self.speaker_company[a_talk])
        b_talk = self.company_contender(k, extra=lambda t: self.speaker_company[t] != a)
        if b_talk is None:
            self.used_talks.discard(a_talk)
            return
        self.used_talks.add(b_talk)
        b = int(self.speaker_company[b_talk])
        for own, partner_talk in ((a, b_talk), (b, a_talk)):
            members = self.colleagues(own, max(3, round(k * self.rng.uniform(0.6, 1.0))))
            for v, at in zip(members, self.after_call(len(members), self.rng.uniform(3, 12)), strict=True):
                self.cast(v, partner_talk, 3, at)
            self.add("alliance", "support", (partner_talk,), members, partner_talk + 1)

    def split_booking(self) -> None:
        k = self.size(4, 40)
        t = self.company_contender(k)
        if t is None:
            return
        self.used_talks.add(t)
        c = int(self.speaker_company[t])
        pool = self.employees[c]
        # People who bought tickets first: the ring books tickets.
        holders = [v for v in pool if self.world.weight[v] == 1.0 and v not in self.used_voters]
        members = self.free(holders, k)
        members += self.colleagues(c, k - len(members))
        self.world.weight[members] = 1.0
        i = 0
        while i < len(members):
            n = int(self.rng.choice([2, 3]))
            self.new_order(members[i : i + n])
            i += n
        for v in members:
            self.world.uses_work_mail[v] = self.rng.random() < 0.2
            self.world.company_known[v] = self.rng.random() < 0.9
            self.cast(v, t, 3, self.own_session(v))
        self.add("split_booking", "support", (t,), members, t + 1)

    def waves(self) -> None:
        t = self.contender()
        if t is None:
            return
        self.used_talks.add(t)
        n = int(self.rng.integers(2, 4))
        gaps = self.rng.integers(2, 6, size=n - 1)
        first_day = int(self.rng.integers(0, VOTING_HOURS // 24 - int(gaps.sum())))
        members = []
        for day in first_day + np.concatenate([[0], np.cumsum(gaps)]):
            # A wave starts between 09:00 and 21:00 (the vote opens at 08:00).
            start = OPENS + int(day) * 24 * HOUR + int(self.rng.integers(1 * HOUR, 13 * HOUR))
            length = int(self.rng.integers(30, 61)) * 60
            wave = self.anyone(int(self.rng.integers(4, 9)))
            for v in wave:
                self.cast(v, t, 3, start + int(self.rng.integers(0, length)))
            members += wave
        self.add("waves", "support", (t,), members, t + 1)

    def random_cover(self) -> None:
        t = self.contender()
        if t is None:
            return
        self.used_talks.add(t)
        members = self.new_accounts(self.size(), p=(0.3, 0.4, 0.3))
        talks = {t}
        for v, start in zip(members, self.after_call(len(members), self.rng.uniform(2, 5)), strict=True):
            cover = self.popular_talks(int(self.rng.integers(3, 7)), exclude=(t,))
            ballot = [*cover, t]
            self.rng.shuffle(ballot)
            for x, at in zip(ballot, self.sitting(int(start), len(ballot)), strict=True):
                self.cast(v, x, 3 if x == t else self.honest_score(v, x), at)
            talks.update(cover)
        self.add("random_cover", "support", talks, members, t + 1)

    def tactical(self) -> None:
        def rivals_of(t: int) -> list[int]:
            return [
                int(x)
                for x in np.nonzero(self.world.track == self.world.track[t])[0]
                if x != t
                and int(x) in self.good
                and int(x) not in self.used_talks
                and self.speaker_company[x] != self.speaker_company[t]
            ]

        k = self.size()
        t = self.company_contender(k, extra=lambda t: len(rivals_of(t)) >= 2)
        if t is None:
            return
        options = rivals_of(t)
        rivals = [int(x) for x in self.rng.permutation(options)[: int(self.rng.integers(2, 5))]]
        self.used_talks.update([t, *rivals])
        members = self.colleagues(int(self.speaker_company[t]), k)
        down: set[int] = set()
        downed: set[int] = set()
        for v in members:
            mine = [x for x in rivals if self.rng.random() < 0.85] or rivals[:1]
            ballot = [t, *mine]
            for x, at in zip(ballot, self.sitting(self.own_session(v), len(ballot)), strict=True):
                self.cast(v, x, 3 if x == t else 0, at)
            down.add(v)
            downed.update(mine)
        self.add("tactical", "support", (t,), members, t + 1)
        self.add("tactical_down", "oppose", downed, sorted(down), None)

    def soft_push(self) -> None:
        t = self.contender()
        if t is None:
            return
        self.used_talks.add(t)
        k = self.size(15, 40)
        c = int(self.speaker_company[t])
        members = self.colleagues(c, k // 2) if c >= 0 else []
        members += self.anyone(k - len(members))
        call = self.call(48)
        delays = self.rng.exponential(self.rng.uniform(3, 8) * HOUR, size=len(members))
        for v, delay in zip(members, delays, strict=True):
            self.cast(v, t, 2, call + int(delay))
        self.add("soft_push", "support", (t,), members, t + 1)

    def puppet_opposition(self) -> None:
        t = self.choose([x for x in self.strong if x not in self.used_talks])
        if t is None:
            return
        self.used_talks.add(t)
        members = self.new_accounts(self.size(), p=(0.4, 0.4, 0.2))
        others = self.popular_talks(int(self.rng.integers(5, 10)), exclude=(t,))
        template = {t: 0, **{x: self.honest_score(self.V, x) for x in others}}
        span = int(self.rng.uniform(1, 5) * 24 * HOUR)
        start = self.call(span / HOUR)
        talks = set(template)
        for v in members:
            mine = dict(template)
            if self.rng.random() < 0.4:
                x = self.choose(others)
                mine[x] = int(np.clip(mine[x] + self.rng.choice([-1, 1]), 0, 3))
            if self.rng.random() < 0.3:
                mine.pop(self.choose(others))
            if self.rng.random() < 0.5:
                for x in self.popular_talks(int(self.rng.integers(1, 3)), exclude=list(template)):
                    mine[x] = self.honest_score(v, x)
            when = start + int(self.rng.integers(0, span))
            for (x, s), at in zip(sorted(mine.items()), self.sitting(when, len(mine)), strict=True):
                self.cast(v, x, s, at)
            talks.update(mine)
        self.add("puppet_opposition", "oppose", talks, members, None)

    def two_talks(self) -> None:
        def second_of(t: int) -> list[int]:
            c = self.speaker_company[t]
            return [
                int(x)
                for x in np.nonzero(self.speaker_company == c)[0]
                if x != t and int(x) not in self.used_talks and self.quality[x] >= self.median
            ]

        k = self.size()
        first = self.company_contender(k, extra=lambda t: len(second_of(t)) > 0)
        if first is None:
            return
        options = second_of(first)
        contenders = [x for x in options if x in set(self.contenders)]
        second = self.choose(contenders or options)
        self.used_talks.update([first, second])
        members = self.colleagues(int(self.speaker_company[first]), k)
        bursty = self.rng.random() < 0.5
        starts = self.after_call(len(members), 4) if bursty else [self.own_session(v) for v in members]
        backers: dict[int, list[int]] = {first: [], second: []}
        for v, start in zip(members, starts, strict=True):
            roll = self.rng.random()
            mine = [first, second] if roll < 0.85 else [first] if roll < 0.925 else [second]
            for x, at in zip(mine, self.sitting(int(start), len(mine)), strict=True):
                self.cast(v, x, 3, at)
                backers[x].append(v)
        for x, who in backers.items():
            if who:
                self.add("two_talks", "support", (x,), who, x + 1)

    # Honest correlated groups.

    def university(self, g: int) -> None:
        votes_per_track = np.bincount(self.world.track[[t for _, t in self.votes]], minlength=7)
        niche = int(self.choose(np.argsort(votes_per_track, kind="stable")[:3]))
        in_track = np.nonzero(self.world.track == niche)[0]
        members = self.free(np.nonzero(self.company < 0)[0], self.size(15, 40))
        domain = f"univ{g}.example"
        talks: set[int] = set()
        for v in members:
            self.world.email_domains[v] = domain
            if self.rng.random() < 0.5:
                self.world.company_names[v] = f"University {g}"
            mine = [
                x for x in self.popular_talks(int(self.rng.integers(2, 7)), among=in_track) if (v, x) not in self.votes
            ]
            for x, at in zip(mine, self.sitting(self.own_session(v), len(mine)), strict=True):
                self.cast(v, x, self.honest_score(v, x), at, planted=False)
            talks.update(mine)
        self.world.honest_groups.append(
            PlantedBloc(
                "university", "honest", tuple(sorted(x + 1 for x in talks)), tuple(v + 1 for v in members), None
            )
        )

    def friends_order(self) -> None:
        holders = np.nonzero(self.world.weight == 1.0)[0]
        members = self.free(holders, int(self.rng.integers(5, 9)))
        self.new_order(members)
        track = self.world.favourite[members[0]]
        shortlist = self.popular_talks(int(self.rng.integers(4, 7)), among=np.nonzero(self.world.track == track)[0])
        start = self.call(2)
        mine_of = {v: [] for v in members}
        for v, t in self.votes:
            if v in mine_of:
                mine_of[v].append(t)
        for v in members:
            picked = self.rng.permutation(shortlist)[
                : int(self.rng.integers(min(3, len(shortlist)), len(shortlist) + 1))
            ]
            for x in picked:
                if (v, int(x)) not in self.votes:
                    self.votes[(v, int(x))] = [self.honest_score(v, int(x)), 0, False]
                    mine_of[v].append(int(x))
            # Everything this friend votes on, in one sitting with the others.
            ballot = sorted(mine_of[v], key=lambda x: self.votes[(v, x)][1])
            at = self.sitting(start + int(self.rng.integers(0, 45 * 60)), len(ballot))
            for x, when in zip(ballot, at, strict=True):
                self.votes[(v, x)][1] = int(when)
        self.world.honest_groups.append(
            PlantedBloc(
                "friends_order", "honest", tuple(sorted(x + 1 for x in shortlist)), tuple(v + 1 for v in members), None
            )
        )
