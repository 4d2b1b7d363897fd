"""A deterministic, realistic demo conference, as plain data (no Django).

Everything comes from one `random.Random(seed)` and one anchor date, so the same scale, seed and
date give the same conference byte for byte. Votes are produced lazily (a large demo has a million).

What it plants, on purpose, so later features have something to find:
- group orders (a company buys several tickets in one order), cancelled tickets, stream-only and
  sprint-only tickets that may not vote, users with no ticket, and pledgers;
- speakers with companies and company email domains, some of whom have accounts and vote;
- corporate blocs: employees of a speaker's company, on one group order, who all give the
  colleague's talk the top score within a few hours and rate little else;
- a reminder email half-way through voting, so site-wide activity has a spike.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

FREE_MAIL_DOMAIN = "freemail.example"
ORGANIZER_EMAIL = "organizer@confvote.example"
ATTENDEE_EMAIL = "attendee@confvote.example"


@dataclass(frozen=True)
class Scale:
    talks: int
    users: int
    votes: int
    blocs: int


SCALES = {
    "small": Scale(talks=60, users=500, votes=6_000, blocs=1),
    "medium": Scale(talks=300, users=5_000, votes=60_000, blocs=2),
    "large": Scale(talks=5_000, users=100_000, votes=1_000_000, blocs=5),
}

TRACKS = [
    ("Web", "web", "#3b6ea5"),
    ("Data & ML", "data-ml", "#8a4fbf"),
    ("Core language", "core-language", "#c2562d"),
    ("DevOps & Cloud", "devops-cloud", "#2d8a5f"),
    ("Community", "community", "#b8860b"),
    ("Security", "security", "#a33a3a"),
    ("Testing & Quality", "testing-quality", "#3a7f99"),
]
TICKET_TYPES = [  # name, may vote, share of tickets
    ("Conference", True, 0.78),
    ("Conference + Sprints", True, 0.12),
    ("Sprints only", False, 0.05),
    ("Online stream", False, 0.05),
]
ROOMS = [("Main Hall", 800), ("Room A", 400), ("Room B", 250), ("Room C", 150), ("Room D", 100), ("Room E", 60)]
PERIODS = [(9, 30), (10, 30), (11, 30), (13, 30), (14, 30), (15, 45), (16, 45)]  # 45-minute slots
DAYS = 3
SCALE_LABELS = ["not interested", "maybe", "want to see", "must see"]

FIRST = (
    "Ada Alan Amara Anders Aiko Bea Bruno Carla Chen Dario Dmitri Elif Emeka Eva Farah Felix Gita Hana Hugo Ines "
    "Ivan Jana Jonas Kai Kemal Lara Leon Lina Luca Maya Mateo Mei Nadia Nils Noor Omar Olga Paula Priya Quinn "
    "Rafael Rosa Sami Sara Sven Tara Theo Uma Vera Wei Yara Yusuf Zoe"
).split()
LAST = (
    "Abbott Baker Becker Costa Dubois Eriksen Fischer Garcia Haddad Ito Jansen Kaur Kowalski Larsen Li Moreau "
    "Nakamura Novak Okafor Olsen Patel Quispe Rossi Schmidt Silva Tanaka Usman Varga Weber Xu Yilmaz Zhang"
).split()
COMPANIES = [
    ("Initech", "initech.example"),
    ("Globex", "globex.example"),
    ("Hooli", "hooli.example"),
    ("Umbrella Labs", "umbrella.example"),
    ("Stark Data", "starkdata.example"),
    ("Acme Cloud", "acmecloud.example"),
    ("Vandelay Industries", "vandelay.example"),
    ("Wonka Analytics", "wonka.example"),
    ("Soylent Systems", "soylent.example"),
    ("Tyrell Software", "tyrell.example"),
    ("Pied Piper", "piedpiper.example"),
    ("Massive Dynamic", "massive.example"),
]
TOPICS = {
    "web": ["async views", "HTMX", "web accessibility", "REST API design", "GraphQL", "WebSockets", "caching"],
    "data-ml": ["dataframes", "model serving", "feature stores", "vector search", "data pipelines", "notebooks"],
    "core-language": ["type hints", "the GIL", "pattern matching", "packaging", "C extensions", "async/await"],
    "devops-cloud": ["Kubernetes", "observability", "zero-downtime deploys", "serverless", "infrastructure as code"],
    "community": ["mentoring", "open-source maintenance", "conference organizing", "documentation", "inclusion"],
    "security": ["supply-chain security", "secrets management", "threat modelling", "authentication", "fuzzing"],
    "testing-quality": ["property-based testing", "flaky tests", "code review", "refactoring", "mutation testing"],
}
TITLE_SHAPES = [
    "{Topic} in production: lessons from {n} years",
    "A practical guide to {topic}",
    "What nobody tells you about {topic}",
    "{Topic} from scratch",
    "Scaling {topic} without losing your mind",
    "{Topic}: the good, the bad and the ugly",
    "Beyond the basics of {topic}",
    "How we rebuilt our stack around {topic}",
    "Ten mistakes we made with {topic}",
    "{Topic} for the rest of us",
]
ABSTRACT_SENTENCES = [
    "We walk through real examples and the trade-offs behind each decision.",
    "You will leave with a checklist you can apply on Monday morning.",
    "The talk assumes basic familiarity with the language, nothing more.",
    "We compare three approaches and measure them on the same workload.",
    "Expect live demos, honest failure stories and a few benchmarks.",
    "We show how a small team kept the system simple while it grew tenfold.",
    "Along the way we debunk common myths and point to better defaults.",
    "Finally we look at where the ecosystem is heading next year.",
]


@dataclass(frozen=True)
class PlannedUser:
    email: str
    name: str
    is_staff: bool = False


@dataclass(frozen=True)
class PlannedSpeaker:
    name: str
    email: str
    company: str
    user_index: int | None  # index into DemoPlan.users when the speaker has an account


@dataclass(frozen=True)
class PlannedTalk:
    title: str
    abstract: str
    track_slug: str
    format: str
    duration_minutes: int
    speaker_indexes: tuple[int, ...]
    quality: float  # latent appeal in [0, 1]; honest voters' scores follow it


@dataclass(frozen=True)
class PlannedTicket:
    order_code: str
    secret: str
    type_name: str
    holder_email: str
    holder_name: str
    cancelled: bool
    user_index: int | None  # the account that claimed it, if any
    holder_company: str = ""  # a company booking's invoice names the company on each of its tickets


@dataclass(frozen=True)
class PlannedBloc:
    company: str
    talk_index: int
    member_indexes: tuple[int, ...]
    burst_start: dt.datetime


@dataclass
class DemoPlan:
    scale_name: str
    seed: int
    today: dt.date
    conference_name: str
    conference_slug: str
    start_date: dt.date
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime
    reminder_at: dt.datetime
    users: list[PlannedUser] = field(default_factory=list)
    speakers: list[PlannedSpeaker] = field(default_factory=list)
    talks: list[PlannedTalk] = field(default_factory=list)
    tickets: list[PlannedTicket] = field(default_factory=list)
    pledger_indexes: list[int] = field(default_factory=list)
    voter_indexes: list[int] = field(default_factory=list)
    blocs: list[PlannedBloc] = field(default_factory=list)

    @property
    def slots(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """(room name, start, end) in the conference's local time (Europe/Berlin, naive)."""
        out = []
        for day in range(DAYS):
            date = self.start_date + dt.timedelta(days=day)
            for hour, minute in PERIODS:
                start = dt.datetime.combine(date, dt.time(hour, minute))
                for room, _ in ROOMS:
                    out.append((room, start, start + dt.timedelta(minutes=45)))
        return out

    def votes(self) -> Iterator[tuple[int, int, int, dt.datetime]]:
        """(user index, talk index, score, time), in voting order per user; deterministic."""
        yield from _votes(self)


def _code(rng: random.Random, length: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _person(rng: random.Random, serial: int, domain: str | None = None) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    domain = domain or FREE_MAIL_DOMAIN
    return f"{first} {last}", f"{first.lower()}.{last.lower()}.{serial}@{domain}"


def demo_plan(*, scale: str, seed: int, today: dt.date) -> DemoPlan:
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}.")
    size = SCALES[scale]
    rng = random.Random(f"confvote-demo:{scale}:{seed}")
    opens = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(8, 0), tzinfo=dt.UTC)
    plan = DemoPlan(
        scale_name=scale,
        seed=seed,
        today=today,
        conference_name=f"ConfVote Demo {today.year + 1}",
        conference_slug="demo",
        start_date=today + dt.timedelta(days=60),
        voting_opens_at=opens,
        voting_closes_at=opens + dt.timedelta(days=24),
        reminder_at=opens + dt.timedelta(days=6, hours=1),
    )

    # Accounts: the two named logins first, then everyone else.
    plan.users.append(PlannedUser(ORGANIZER_EMAIL, "Olivia Organizer", is_staff=True))
    plan.users.append(PlannedUser(ATTENDEE_EMAIL, "Alex Attendee"))
    company_of_user: dict[int, int] = {}
    while len(plan.users) < size.users:
        serial = len(plan.users)
        company = rng.randrange(len(COMPANIES)) if rng.random() < 0.45 else None
        domain = COMPANIES[company][1] if company is not None else None
        name, email = _person(rng, serial, domain)
        if company is not None:
            company_of_user[serial] = company
        plan.users.append(PlannedUser(email, name))

    # Speakers: about 0.9 per talk; a third have accounts (and vote).
    n_speakers = max(4, round(size.talks * 0.9))
    account_pool = list(range(2, len(plan.users)))
    rng.shuffle(account_pool)
    for i in range(n_speakers):
        if i < n_speakers // 3 and account_pool:
            user_index = account_pool.pop()
            user = plan.users[user_index]
            company_index = company_of_user.get(user_index)
            company = COMPANIES[company_index][0] if company_index is not None else ""
            plan.speakers.append(PlannedSpeaker(user.name, user.email, company, user_index))
        else:
            company_index = rng.randrange(len(COMPANIES)) if rng.random() < 0.6 else None
            domain = COMPANIES[company_index][1] if company_index is not None else None
            name, email = _person(rng, 1_000_000 + i, domain)
            company = COMPANIES[company_index][0] if company_index is not None else ""
            plan.speakers.append(PlannedSpeaker(name, email, company, None))

    # Talks: titles from shapes and topics, popularity skewed (a few crowd-pleasers, a long tail).
    for i in range(size.talks):
        track_name, track_slug, _ = TRACKS[rng.randrange(len(TRACKS))]
        topic = rng.choice(TOPICS[track_slug])
        shape = rng.choice(TITLE_SHAPES)
        title = shape.format(topic=topic, Topic=topic[0].upper() + topic[1:], n=rng.randint(2, 12))
        if i >= len(TITLE_SHAPES) * 3:
            title = f"{title} (#{i + 1})"
        sentences = rng.sample(ABSTRACT_SENTENCES, 3)
        abstract = f"This talk is about {topic} in {track_name.lower()} work. " + " ".join(sentences)
        fmt, duration = rng.choices(
            [("talk", 30), ("talk", 45), ("keynote", 45), ("panel", 45)], weights=[60, 30, 3, 7]
        )[0]
        n_talk_speakers = 2 if rng.random() < 0.15 else 1
        speakers = tuple(sorted(rng.sample(range(len(plan.speakers)), n_talk_speakers)))
        quality = min(1.0, max(0.0, rng.betavariate(2.2, 2.8)))
        plan.talks.append(PlannedTalk(title, abstract, track_slug, fmt, duration, speakers, quality))

    _plan_tickets_and_pledges(plan, rng, company_of_user)
    _plan_blocs(plan, rng, size.blocs)
    return plan


def _plan_tickets_and_pledges(plan: DemoPlan, rng: random.Random, company_of_user: dict[int, int]) -> None:
    """About 70% of accounts hold a claimed ticket, bought alone or in a group order; 10% pledge."""
    type_names = [t[0] for t in TICKET_TYPES]
    type_weights = [t[2] for t in TICKET_TYPES]
    everyone = list(range(1, len(plan.users)))  # the organizer holds no ticket
    rng.shuffle(everyone)
    n_holders = round(len(everyone) * 0.70)
    holders, rest = everyone[:n_holders], everyone[n_holders:]
    if 1 not in holders:  # the named attendee always has a ticket to show
        holders.append(1)
        rest.remove(1)
    n_pledgers = round(len(plan.users) * 0.10)
    plan.pledger_indexes = sorted(rest[:n_pledgers])
    holders.sort()

    # Colleagues tend to be on one company order; everyone else buys alone or with a few friends.
    by_company: dict[int | None, list[int]] = {}
    for u in holders:
        by_company.setdefault(company_of_user.get(u), []).append(u)
    orders: list[tuple[list[int], str]] = []  # members, and the company that booked them ("" for none)
    for company, members in sorted(by_company.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        i = 0
        while i < len(members):
            booking = company is not None and rng.random() < 0.5
            size = rng.choice([3, 5, 8, 12, 20]) if booking else rng.choice([1, 1, 1, 1, 2, 3])
            orders.append((members[i : i + size], COMPANIES[company][0] if booking else ""))
            i += size
    used_codes: set[str] = set()
    for members, booked_by in orders:
        code = _code(rng, 5)
        while code in used_codes:
            code = _code(rng, 5)
        used_codes.add(code)
        for u in members:
            user = plan.users[u]
            type_name = "Conference" if u == 1 else rng.choices(type_names, weights=type_weights)[0]
            cancelled = u != 1 and rng.random() < 0.02
            plan.tickets.append(
                PlannedTicket(
                    code,
                    _code(rng, 24, string.ascii_lowercase + string.digits),
                    type_name,
                    user.email,
                    user.name,
                    cancelled,
                    u,
                    booked_by,
                )
            )
    # Tickets sold to people who never made an account (about 8% more).
    for i in range(round(len(holders) * 0.08)):
        name, email = _person(rng, 2_000_000 + i)
        plan.tickets.append(
            PlannedTicket(
                _code(rng, 5),
                _code(rng, 24, string.ascii_lowercase + string.digits),
                "Conference",
                email,
                name,
                False,
                None,
            )
        )

    voters = [u for u in range(1, len(plan.users)) if u == 1 or rng.random() < 0.85]
    plan.voter_indexes = voters


def _plan_blocs(plan: DemoPlan, rng: random.Random, n_blocs: int) -> None:
    """A company rallies colleagues for a weak talk by one of its own speakers."""
    used_talks: set[int] = set()
    taken: set[int] = {1}
    for b in range(n_blocs):
        company, domain = COMPANIES[b % len(COMPANIES)]
        # The talk: the weakest-rated talk by a speaker of that company, or a weak talk given to them.
        candidates = [
            t
            for t, talk in enumerate(plan.talks)
            if t not in used_talks and any(plan.speakers[s].company == company for s in talk.speaker_indexes)
        ]
        if not candidates:
            candidates = [t for t in range(len(plan.talks)) if t not in used_talks]
        talk_index = min(candidates, key=lambda t: (plan.talks[t].quality, t))
        used_talks.add(talk_index)
        members = [
            u
            for u, user in enumerate(plan.users)
            if u not in taken and user.email.endswith("@" + domain) and u in set(plan.voter_indexes)
        ]
        size = min(len(members), 25 - 7 * (b % 3))
        chosen = tuple(members[:size])
        taken.update(chosen)
        day = 2 + b % 6
        burst = plan.voting_opens_at + dt.timedelta(days=day, hours=rng.randint(1, 12))
        plan.blocs.append(PlannedBloc(company, talk_index, chosen, burst))


def _activity_time(plan: DemoPlan, rng: random.Random) -> dt.datetime:
    """When a typical vote is cast: a spike at opening and after the reminder email, a trickle otherwise."""
    r = rng.random()
    if r < 0.30:
        base, spread = plan.voting_opens_at, 36
    elif r < 0.55:
        base, spread = plan.reminder_at, 30
    else:
        base, spread = plan.voting_opens_at, (plan.today - plan.voting_opens_at.date()).days * 24
    offset = rng.expovariate(1 / (spread / 3)) if r < 0.55 else rng.uniform(0, spread)
    offset = min(offset, max(1.0, (plan.today - plan.voting_opens_at.date()).days * 24 - 9))
    return base + dt.timedelta(hours=offset)


def _votes(plan: DemoPlan) -> Iterator[tuple[int, int, int, dt.datetime]]:
    rng = random.Random(f"confvote-demo-votes:{plan.scale_name}:{plan.seed}")
    size = SCALES[plan.scale_name]
    n_talks = len(plan.talks)
    # Popularity: a Zipf-like skew over a shuffled order, nudged by quality.
    order = list(range(n_talks))
    rng.shuffle(order)
    popularity = [0.0] * n_talks
    for rank, t in enumerate(order):
        popularity[t] = (1.0 / (rank + 1) ** 0.6) * (0.5 + plan.talks[t].quality)
    cumulative, total = [], 0.0
    for p in popularity:
        total += p
        cumulative.append(total)
    own_talks: dict[int, set[int]] = {}
    for t, talk in enumerate(plan.talks):
        for s in talk.speaker_indexes:
            user_index = plan.speakers[s].user_index
            if user_index is not None:
                own_talks.setdefault(user_index, set()).add(t)
    bloc_of: dict[int, PlannedBloc] = {u: b for b in plan.blocs for u in b.member_indexes}
    bloc_votes = sum(len(b.member_indexes) for b in plan.blocs) * 3
    mean = max(1.0, (size.votes - bloc_votes) / max(1, len(plan.voter_indexes)))

    for u in plan.voter_indexes:
        bloc = bloc_of.get(u)
        if bloc is not None:
            # Narrow ballot: the colleague's talk at the top score inside the burst, and a couple of others.
            yield u, bloc.talk_index, 3, bloc.burst_start + dt.timedelta(minutes=rng.uniform(0, 360))
            k = rng.randint(1, 3)
        else:
            k = max(1, min(n_talks - 1, round(rng.expovariate(1 / mean))))
        picked: list[int] = []
        seen = {bloc.talk_index} if bloc else set()
        seen |= own_talks.get(u, set())
        attempts = 0
        while len(picked) < k and attempts < k * 6:
            attempts += 1
            t = rng.choices(range(n_talks), cum_weights=cumulative)[0]
            if t not in seen:
                seen.add(t)
                picked.append(t)
        at = _activity_time(plan, rng)
        for t in picked:
            quality = plan.talks[t].quality
            score = min(3, max(0, round(quality * 3.4 + rng.gauss(0, 0.8))))
            yield u, t, score, at
            at += dt.timedelta(seconds=rng.randint(5, 90))


class DemoVotes:
    """A plan's votes drawn once and kept as four integer columns (times as microseconds after voting
    opens), so the seeder reads each account's first vote before it writes the accounts and still
    writes the very same votes without drawing them again: drawing a million votes takes seconds, and
    a list of a million tuples of datetimes would take 150 MB where the columns take 25."""

    def __init__(self, plan: DemoPlan) -> None:
        self.origin = plan.voting_opens_at
        self.users, self.talks, self.scores, self.offsets = array("q"), array("q"), array("b"), array("q")
        tick = dt.timedelta(microseconds=1)
        for u, t, score, at in plan.votes():
            self.users.append(u)
            self.talks.append(t)
            self.scores.append(score)
            self.offsets.append((at - self.origin) // tick)  # exact: datetimes count whole microseconds

    def __len__(self) -> int:
        return len(self.users)

    def __iter__(self) -> Iterator[tuple[int, int, int, dt.datetime]]:
        """The votes as plan.votes() yields them, in the same order and with equal times."""
        origin, tick = self.origin, dt.timedelta(microseconds=1)
        for u, t, score, offset in zip(self.users, self.talks, self.scores, self.offsets, strict=True):
            yield u, t, score, origin + offset * tick

    def first_cast(self) -> dict[int, dt.datetime]:
        """user index → when they cast their first vote (users who never vote are absent)."""
        first: dict[int, int] = {}
        for u, offset in zip(self.users, self.offsets, strict=True):
            if u not in first or offset < first[u]:
                first[u] = offset
        return {u: self.origin + dt.timedelta(microseconds=offset) for u, offset in first.items()}


def demo_joined(plan: DemoPlan, votes: DemoVotes | None = None) -> list[dt.datetime]:
    """When each planned user's account was created (User.date_joined), per user index; deterministic,
    from its own random stream, so the plan and its votes are unchanged.

    The honest model of the bloc benchmarks (bench/blocs_joined.py, round 18 in docs/blocs.md): of the
    accounts that vote, 30% are returning accounts created uniformly over the 730 days before voting
    opens, 20% were created in the 60 days before it (a ticket purchase, the call for papers), 50%
    when their owner first came to vote (their first vote minus Exp(mean 3 minutes)). Accounts that
    never vote were made before voting opened: 60% over the 730 days, 40% in the 60 days. The demo's
    corporate blocs are colleagues on their own, existing accounts, so the same rule applies to them
    (for those who made their account when they came to vote, that is the colleague's call to vote).

    `votes`: the plan's votes when the caller has drawn them already (the seeder writes them later)."""
    rng = random.Random(f"confvote-demo-joined:{plan.scale_name}:{plan.seed}")
    first = (votes if votes is not None else DemoVotes(plan)).first_cast()
    opens = plan.voting_opens_at
    out = []
    for u in range(len(plan.users)):
        pick, back = rng.random(), rng.random()
        vote = first.get(u)
        if vote is None:
            days = 730 if pick < 0.6 else 60
            out.append(opens - dt.timedelta(seconds=1 + round(back * (days * 86_400 - 1))))
        elif pick < 0.3:
            out.append(opens - dt.timedelta(seconds=1 + round(back * (730 * 86_400 - 1))))
        elif pick < 0.5:
            out.append(opens - dt.timedelta(seconds=1 + round(back * (60 * 86_400 - 1))))
        else:
            out.append(vote - dt.timedelta(seconds=math.ceil(rng.expovariate(1 / 180))))
    return out
