"""A ninth synthetic world for bloc detection: a game-developers' conference whose community votes on the
programme with a three-level "hype" button, in the days after a big summer games showcase.

Written apart from the detector (it reads only blocs_synthetic's dataclasses, SIZES, its weighted draws and
`world_conference`, BlocInput's format and confvote's free-mail list), and committed before anything measured it:
an out-of-sample test. Deterministic per (size, seed); pure numpy. Why this world: the eight before it are tech,
research, public-sector, open-source and hacker conferences whose voters are mostly employees and academics. A
games conference's voters are players, students and one-person studios as much as staff, its communities live on
Discord servers and streams rather than in companies, audiences are mobilised live by creators, layoffs scatter
colleagues, and publishers push studios that are not their own. Its scale is coarse: three levels. The model,
pre-registered:

Event. A GDC/Develop-like conference: AAA postmortems, indie postmortems, publisher and business talks, engine and
tool talks, academic talks from game-design programmes, creator talks by streamers, independent talks. The
community vote opens Thursday 2027-06-10 17:00 UTC (after the showcase stream) and runs 12 days on a three-level
scale 1 "skip", 2 "curious", 3 "must see" (wanted from 3: only "must see" says "I want to see this talk").
Sizes as SIZES: small 1,000 voters / 200 talks / ~20k votes, medium 20,000 / 1,000 / ~200k, large 100,000 /
5,000 / ~1M; campaign-only accounts come on top of the voters.

Structure (small / medium / large). Tracks 8 / 12 / 16 (design, programming, art, audio, narrative, production,
business, indie, XR, community, tech art, QA, live ops, accessibility, esports, education; weights Dirichlet(1.5),
a hype factor lognormal(0, 0.3) each); AAA studios 4 / 12 / 30 (size ∝ rank^-0.9, names "<Name> Interactive|
Entertainment|Studios|Games", domain "<name>.com"; the two largest also "<name><city>.com" for 35% of their work
mail); indie studios 30 / 300 / 1200 (size Pareto(1.5) + 1, at most 15; "<Name> Games|Studio|Collective|Works",
domains "<name>games.io", "<name>.games" or "<name>studio.com"); publishers 3 / 8 / 20 ("<Name> Publishing|Digital",
"<name>.com", size ∝ rank^-1.0; each indie studio is signed to one w.p. 0.35); tool and engine vendors 3 / 8 / 20
("<Name> Engine|Tools|Audio|Middleware", "<name>.dev" or "<name>.com"); universities with game-design programmes
4 / 15 / 40 (size Pareto(1.0) + 1, "University of <Name>", "<name>.edu", "<name>.ac.uk" or "uni-<name>.de"); Discord
servers 8 / 40 / 120 (size Pareto(1.2) + 1, a track each); streamers 6 / 30 / 100 (voters, audience Pareto(1.0) + 1);
game-jam teams of 2-5 taken from 12% of indie devs, students and others. Organisations are numbered AAA, indie,
publishers, vendors, universities.

Voters. Region (UTC offsets in June): North America west 20% (-7), east 18% (-4), Europe 28% (+1/+2/+3), East Asia
14% (+8/+9), Latin America 10% (-3/-5), Oceania 5% (+10), elsewhere 5% (+3/+5.5); an organisation's members take its
region w.p. 0.65. Role: AAA staff 28%, indie dev 25%, publisher staff 4%, vendor staff 4%, game-design student
14%, other (players, press, hobbyists, content creators) 25%; an organisation drawn ∝ size within the role. 6% of
voters (indie devs and others) were laid off by one of the AAA studios with layoffs (half of them, the larger
first): their former studio. Discord: 0 / 1 / 2 servers (50/35/15%, ∝ size). 30% of others, students and indie
devs and 10% of the rest follow a streamer (∝ audience). Favourite tracks: two by weight; a server member's first is
the server's track w.p. 0.5. Email, the first rule that applies: AAA staff 50% work mail, indie devs 40% their
studio's, publisher staff 70%, vendor staff 60%, students 65% the university's (half "student.<domain>"), 6% of the
rest a personal domain "<handle>.gg" or "<handle>.dev", else free mail by region (gmail, outlook, hotmail, yahoo,
icloud, proton.me, duck.com; Europe adds gmx.de/web.de/mail.ru, East Asia qq.com/naver.com/yahoo.co.jp, Latin
America uol.com.br/bol.com.br). Company field: AAA 45% (canonical, with "Inc.", lower-case short, upper-case,
"<Name> <City>"), indie 40% (name, lower-case, "LLC", or "Indie"/"Self-employed"), publishers 55%, vendors 50%,
students 40% ("University of X", "X University", "X Uni - Game Design"), others 12% ("Indie dev", "Student",
"Gamer", "-", "Content creator", "Freelance"); a laid-off voter whose field is still empty 25% "ex-<Studio>",
"Formerly <Studio>" or "<Studio> (laid off)". True organisation: the organisation of the role (others none; a
laid-off voter's is their current one, not the former studio). Tickets: all-access 1.0 / expo pass 0.5 / free
account 0.0 by role (AAA .60/.25/.15, indie .40/.30/.30, publisher .80/.10/.10, vendor .70/.20/.10, student
.20/.50/.30, other .15/.30/.55). Orders: AAA all-access holders 50% on studio packs ("STU-", chunks of 10, 20 or 40
per studio); students with an expo pass 50% on the university's group order ("EDU-", chunks of 25); half of the jam
teams buy their tickets on one order ("JAM-"); the rest alone ("REG-" all-access, "EXP-" expo). Accounts: ticket
holders returning 35% (1-6 years before), registered 45% (in the 90 days before), during the vote 20%; free
accounts 25/15/60%; made during the vote 1-45 min before the first vote (70%) or 1 h-2 days; always two minutes
before it.

Talks. Format: AAA 25% (a studio ∝ size), indie 25% (∝ size^0.5), business 8% (a publisher; track business), tools
10% (a vendor), academic 10% (a university; track education when there is one), creator 7% (one of the first half of
the streamers ∝ audience^0.5; track community), independent 15%; other tracks by weight. Quality q ~ N(0, 1).
Popularity = exp(0.7 q + N(0, 0.6)) × hype × (AAA 1.8, indie 1.0, business 0.6, tools 0.8, academic 0.6, creator
2.0, independent 0.9). Speakers 1 (65%), 2 (25%) or 3 (10%): an organisation's talk's first speaker is a voter of it
w.p. 0.7 (else an outside one of it), further ones of it 80% (voters 60%), else 50% of another organisation
uniformly (a voter of it half the time), else an outside speaker of none; a creator talk's first speaker is the
streamer; an independent talk's a voter among indie devs and others w.p. 0.6. Speaker facts: the organisation's
canonical name 75% when it has one; domain: a voter speaker's own, an outside one's organisation's mail 60%, else
gmail.com.

Honest ballots. Length: 18% light (1-3), 1.5% completionists (U(0.2, 0.5)·min(T, 150)), the rest lognormal (σ 1.1)
with the mean that brings the ballots to 103% of the size's votes (duplicates and the cap take some); at most T / 2.
Talks: each draw from the whole programme ∝ popularity (50%), a favourite track (0.65/0.35) ∝ popularity (35%), or
an affiliation's talks (15%: the organisation's, or the followed streamer's, half and half when both; none falls
back); first n distinct; completionists by Gumbel keys. Score: latent = 0.85 q + 0.5·(a favourite track) + 0.8·(own
organisation's or followed streamer's talk: loyalty) + bias + N(0, 1), bias N(0, 0.45) (5% harsh -0.8, 4% hyped
+0.8); cut at 0.1 / 1.5 into 1-3. Time: 1 + min(Poisson(n / 12), 5) sittings per voter; a vote's sitting
floor(U^1.3·s); a sitting's local day ∝ 1 (day 0 ×3: showcase night, day 1 ×2, weekend days ×1.5, day 6 ×1.8: the
"one week left" mail, days 11-12 ×2.2: last call) and local hour by the gamer curve (evening 19-23 peak, nights
00-02 still busy) plus office hours 10-17 for AAA, publisher and vendor staff; a sitting before the opening starts
U(0, 4 h) after it, one past the close whole days earlier; votes 5 s + Exp(25 s) apart.

Honest correlated groups (honest stream; each voter in one group at most, in no bloc; their votes replace the
members' own draws of the same talks). Per kind small 1, medium 3, large 7; one newsletter.
- jam_night: a game-jam team (at least 3 members) rates 4-8 talks of one track together one evening (20:00 local,
  within 2 h), each w.p. 0.75; shared taste N(0.3, 0.8) per talk.
- studio_lunch: 8-25 staff of a large AAA studio rate 4-8 talks of one track by other organisations at lunch (12:00
  local + U(0, 90 min)) on one weekday, each w.p. 0.6; shared taste N(0.4, 0.6).
- discord_watch_party: 8-30 members of a Discord server in a voice channel one evening (21:00 local, within 2 h) go
  through 6-12 talks (60% from the server's track) each w.p. 0.7; shared taste N(0.2, 0.9).
- stream_feature (NOT recorded: not the organizers'): a streamer with no talk shows the vote page on stream (20:00
  UTC on day 2-9); min(followers, max(10, 2% of V)) followers rate each of 6 talks on screen w.p. c/6 (c uniform
  1-3, at least one) Exp(40 min) after (cut at 3 h); taste N(0.2, 0.5).
- newsletter_spotlight: the organizers' "Dev Spotlight" newsletter (RECORDED as a promotion of its talks) on day 4
  at 15:00 UTC with 5 talks (popularity 40-90th percentile); per talk 1.5% of the voters (at least 5) rate it
  Exp(10 h) after (cut at 48 h), own scores.

Planted campaigns (their own random stream: the honest world is the same with or without them). A bloc has 3-40
members (log-uniform in the kind's range, then what the kind finds); members are voters in no honest group and no
other bloc whose account existed two minutes before the campaign began. A contender has quality between the 65th
and 90th percentile, a strong talk is in the top 15%. Campaigns: each kind once, then kinds drawn at random (an
upvote ring, which makes one bloc per studio, with a third of the others' chance) until there are max(size's blocs,
12) blocs. Support votes are 3 ("must see"); opposition votes 1 ("skip", a rival studio's 10% 2).
- coworkers: 3-40 staff of the organisation of a contender's speaker: 55% within Exp(45 min) of a Slack post (cut
  at 3 h), 45% spread over three days.
- order: the eligible members (at least 3, at most 40) of one STU, EDU or JAM order push a contender by another
  organisation over two days.
- friends_burst: a group chat of unrelated existing voters (one per order at most), within 75 min.
- friends_spread: a dev's posts over six days: 50% existing voters, 50% new free-mail accounts (free; joined 2-30 min
  before their vote; 40% also rate 1-2 talks of the target's track, plausibly scored).
- sockpuppets: one person's 3-12 free-mail accounts made within 30 minutes 1-3 days before the first sitting; a
  common ballot (the target 3 and 4-8 cover talks scored plausibly), each account moving 0-2 cover scores by one;
  one account per sitting, sittings U(3 h, 16 h) apart, each within 8 minutes.
- streamer_raid (new): a streaming speaker (a creator talk, else any talk with a streamer among its speakers,
  contenders first) tells chat to vote during a stream (20:00 the streamer's local time): 10-40 viewers, 40%
  existing followers, 60% new free-mail accounts (free, joined 1-15 min before); Exp(25 min) after the call (cut at
  2.5 h); half also rate 1-3 of 3 talks shown on screen, plausibly scored.
- publisher_portfolio (new): a publisher's marketing pushes its portfolio (2-4 talks of its signed studios, its own
  talk if fewer than 2) over three days in office hours: 5-40 of its staff and the signed studios' staff rate every
  portfolio talk (the boosted one, a contender first, 3; the others 3 w.p. 0.85, else 2).
- upvote_ring (new): a "vote4vote" thread in an indie Discord: 3-5 indie studios with a talk each, 3-8 staff of
  each, rate every other ring studio's talk 3 over four days; one bloc per studio (its talks: the others'; boosted:
  the next studio's).
- discord_rally (new): a server's mods pin "vote for our member's talk": 10-40 members of the server rate a
  contender (one by a member first) in their own evening (19-23 local) on one of four days (0.4/0.3/0.2/0.1).
- layoff_alumni (new): 3-25 former staff of one AAA studio (laid off, now at no speaker's organisation: not
  colleagues) push the talk of a former colleague (a talk with a speaker laid off by the same studio, contenders
  first) after a post in their alumni channel: 50% within Exp(2 h) (cut at 6 h), 50% over two days.
- rival_studio (oppose): 5-25 staff of a studio rate a strong talk of another studio in the same track (else any
  strong talk) 1 (90%) or 2 over two days.
- review_bomb (new, oppose): a streamer's community angry at a speaker: 10-40 members, 50% existing followers, 50%
  new free-mail accounts (free, joined 1-20 min before); within Exp(1.5 h) of the video (cut at 6 h); all 1.
A kind that finds no instance is skipped. Campaign-only accounts' votes are all planted (cover votes too); an
existing member's planted vote replaces their honest vote of that talk.

Ground truth (`fresh9_conference(size, seed)`, a SyntheticConference): the blocs (kind, direction, every talk the
bloc's planted votes are on, members, boosted talk; an opposition bloc has none), which votes are planted, which are
a colleague's (the voter's true organisation is one of a speaker's), which are honest (not planted, cast by a real
voter) and the honest groups (direction "honest"). Voters are ids 1..V, campaign-only accounts V + 1 on. `plant`
(e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import VoteScale
from bench.blocs_synthetic import (
    SIZES,
    PlantedBloc,
    SyntheticConference,
    WorldCampaigns,
    draw_in_segments,
    free_mail,
    fresh_world_conference,
    members_of,
    pick_mail,
    planted_over_honest,
    weighted_choice,
    weighted_segments,
)

DAY, HOUR, MINUTE = 86_400, 3_600, 60
OPENS = int(dt.datetime(2027, 6, 10, 17, tzinfo=dt.UTC).timestamp())  # a Thursday, after the showcase
VOTE_DAYS = 12
CLOSES = OPENS + VOTE_DAYS * DAY
MIDNIGHT = OPENS - OPENS % DAY
SCALE = VoteScale(minimum=1, maximum=3, wanted_min=3, labels=("skip", "curious", "must see"))
CUTS = np.array([0.1, 1.5])
TRACKS = (
    "design", "programming", "art", "audio", "narrative", "production", "business", "indie", "XR", "community",
    "tech art", "QA", "live ops", "accessibility", "esports", "education",
)  # fmt: skip
BUSINESS, COMMUNITY, EDUCATION = 6, 9, 15
# Talk formats and their organisation kinds (AAA, indie, publisher, vendor, university; -1 creator/independent).
FORMATS = ("aaa", "indie", "business", "tools", "academic", "creator", "independent")
FORMAT_P = (0.25, 0.25, 0.08, 0.10, 0.10, 0.07, 0.15)
FORMAT_POP = np.array([1.8, 1.0, 0.6, 0.8, 0.6, 2.0, 0.9])
ROLES = ("aaa", "indie", "publisher", "vendor", "student", "other")
ROLE_P = (0.28, 0.25, 0.04, 0.04, 0.14, 0.25)
TICKETS = {0: (0.60, 0.25, 0.15), 1: (0.40, 0.30, 0.30), 2: (0.80, 0.10, 0.10), 3: (0.70, 0.20, 0.10)}
TICKETS |= {4: (0.20, 0.50, 0.30), 5: (0.15, 0.30, 0.55)}
WORK_MAIL = (0.50, 0.40, 0.70, 0.60, 0.65, 0.0)
FIELD_P = (0.45, 0.40, 0.55, 0.50, 0.40, 0.12)
REGIONS = (  # share, UTC offsets in hours (June)
    (0.20, (-7,)),
    (0.18, (-4,)),
    (0.28, (1, 2, 3)),
    (0.14, (8, 9)),
    (0.10, (-3, -5)),
    (0.05, (10,)),
    (0.05, (3, 5.5)),
)
COMMON_MAIL = (("gmail.com", 50), ("outlook.com", 12), ("hotmail.com", 6), ("yahoo.com", 6), ("icloud.com", 10))
COMMON_MAIL += (("proton.me", 5), ("duck.com", 3))
REGIONAL_MAIL = {
    2: (("gmx.de", 6), ("web.de", 3), ("mail.ru", 2)),
    3: (("qq.com", 15), ("naver.com", 8), ("yahoo.co.jp", 6)),
    4: (("uol.com.br", 6), ("bol.com.br", 3)),
}
FREE_MAIL = tuple(sorted({d for d, _ in COMMON_MAIL} | {d for m in REGIONAL_MAIL.values() for d, _ in m}))
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "streamer_raid",
    "publisher_portfolio",
    "upvote_ring",
    "discord_rally",
    "layoff_alumni",
    "rival_studio",
    "review_bomb",
)
KIND_P = np.array([1 / 3 if k == "upvote_ring" else 1.0 for k in BLOC_KINDS])
ACCOUNT_KINDS = frozenset({"friends_spread", "sockpuppets", "streamer_raid", "review_bomb"})
HONEST_KINDS = ("jam_night", "studio_lunch", "discord_watch_party", "stream_feature", "newsletter_spotlight")
# tracks, AAA, indie, publishers, vendors, universities, Discord servers, streamers, groups per honest kind
WORLD = {
    "small": (8, 4, 30, 3, 3, 4, 8, 6, 1),
    "medium": (12, 12, 300, 8, 8, 15, 40, 30, 3),
    "large": (16, 30, 1200, 20, 20, 40, 120, 100, 7),
}
# fmt: off
HEADS = (
    "iron", "moss", "pixel", "star", "night", "ember", "frost", "hollow", "lantern", "rune", "quill", "thorn",
    "velvet", "cobalt", "ash", "bramble", "copper", "drift", "echo", "fable", "glimmer", "harbor", "ivory", "jade",
    "kite", "lumen", "maple", "nova", "onyx", "pine", "quartz", "raven", "salt", "tide", "umber", "vale", "wisp",
    "yarrow", "zephyr", "cinder", "dusk", "flint", "grove", "heron",
)
TAILS = (
    "forge", "byte", "light", "fall", "wood", "stone", "field", "wind", "gate", "moon", "crest", "brook", "spark",
    "vault", "hollow", "peak", "loom", "weave", "craft", "bloom", "shard", "tale", "wave", "fox", "wing", "bell",
    "drum", "glass", "path", "root", "shore", "helm", "keep", "mark", "ridge", "song", "thread", "well", "yard",
    "haven", "mill", "cove", "reach", "frame",
)
CITIES = ("montreal", "austin", "kyiv", "warsaw", "seattle", "tokyo")
# fmt: on
AAA_SUFFIX = ("Interactive", "Entertainment", "Studios", "Games")
INDIE_SUFFIX = ("Games", "Studio", "Collective", "Works")
OTHER_FIELD = ("Indie dev", "Student", "Gamer", "-", "Content creator", "Freelance")
OFFICE_ROLES = (0, 2, 3)
# Relative chance of starting a sitting at each local hour: gamers vote in the evening and late at night.
GAMER_HOURS = np.array(
    [
        *(0.6, 0.4, 0.2, 0.08, 0.05, 0.05, 0.06, 0.1, 0.15, 0.25, 0.3, 0.3),
        *(0.5, 0.5, 0.4, 0.4, 0.4, 0.45, 0.6, 1.0, 1.0, 1.0, 1.0, 0.8),
    ]
)
OFFICE_HOURS = GAMER_HOURS + np.where((np.arange(24) >= 10) & (np.arange(24) < 18), 0.5, 0.0)


def _day_weights() -> np.ndarray:
    """Relative chance of a sitting on each calendar day (UTC day 0 is the opening Thursday)."""
    w = np.ones(VOTE_DAYS + 1)
    w[0], w[1], w[6] = 3.0, 2.0, 1.8
    w[[2, 3, 9, 10]] *= 1.5  # weekends
    w[11:] *= 2.2
    return w


@dataclass
class World:
    """The honest conference (positions 0-based): what the campaigns read, and the honest votes."""

    V: int
    T: int
    n_org: tuple[int, ...]  # AAA, indie, publishers, vendors, universities
    org_kind: np.ndarray  # per organisation, 0..4
    org_names: list[str]
    org_domains: list[str]
    org_size: np.ndarray
    publisher_of: np.ndarray  # per organisation: the publisher an indie studio is signed to, or -1
    track: np.ndarray
    fmt: np.ndarray
    quality: np.ndarray
    popularity: np.ndarray
    talk_org: np.ndarray  # the organisation a talk is from, or -1
    talk_streamer: np.ndarray  # a creator talk's streamer (index), or -1
    speaker: np.ndarray  # (T, 3) voter positions or -1
    speaker_org: np.ndarray  # (T, 3) organisations or -1 (outside speakers too)
    speaker_company_field: list[tuple[str, ...]]
    speaker_domains: list[tuple[str, ...]]
    role: np.ndarray
    org: np.ndarray  # the true organisation, or -1
    former: np.ndarray  # the AAA studio that laid the voter off, or -1
    server: np.ndarray  # (V, 2) Discord servers or -1
    server_track: np.ndarray
    follows: np.ndarray  # the streamer (index) followed, or -1
    streamers: np.ndarray  # voter position of each streamer
    jam: np.ndarray  # jam team or -1
    region: np.ndarray
    offset: np.ndarray  # seconds
    favourite: np.ndarray  # (V, 2)
    bias: np.ndarray
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    votes: np.ndarray = field(default_factory=lambda: np.empty((0, 4), dtype=np.int64))
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    promoted: dict[int, list[int]] = field(default_factory=dict)


def _names(rng, counts: tuple[int, ...]):
    """Names, domains and the spellings of each organisation: AAA, indie, publishers, vendors, universities."""
    total = sum(counts)
    combos = rng.choice(len(HEADS) * len(TAILS), size=total, replace=False)
    stems = [HEADS[c // len(TAILS)] + TAILS[c % len(TAILS)] for c in combos.tolist()]
    names, domains, kinds = [], [], []
    for kind, n in enumerate(counts):
        for _ in range(n):
            stem = stems[len(names)]
            cap = stem.capitalize()
            r = int(rng.integers(0, 4))
            if kind == 0:
                name, domain = f"{cap} {AAA_SUFFIX[r]}", f"{stem}.com"
            elif kind == 1:
                name = f"{cap} {INDIE_SUFFIX[r]}"
                domain = (f"{stem}games.io", f"{stem}.games", f"{stem}studio.com", f"{stem}games.io")[r]
            elif kind == 2:
                name, domain = f"{cap} {('Publishing', 'Digital')[r % 2]}", f"{stem}.com"
            elif kind == 3:
                name = f"{cap} {('Engine', 'Tools', 'Audio', 'Middleware')[r]}"
                domain = f"{stem}.dev" if r % 2 else f"{stem}.com"
            else:
                name, domain = (
                    f"University of {cap}",
                    (f"{stem}.edu", f"{stem}.ac.uk", f"uni-{stem}.de", f"{stem}.edu")[r],
                )
            names.append(name)
            domains.append(domain)
            kinds.append(kind)
    return names, domains, np.array(kinds, dtype=np.int64)


def _spelling(rng, name: str, kind: int) -> str:
    """One way a voter types their organisation's name."""
    head = name.split()[0]
    r = rng.random()
    if kind == 4:
        return (name, f"{name.split()[-1]} University", f"{name.split()[-1]} Uni - Game Design")[int(r * 3)]
    if r < 0.4:
        return name
    if r < 0.55:
        return f"{name} {'LLC' if kind == 1 else 'Inc.'}"
    if r < 0.75:
        return head.lower()
    if r < 0.9:
        return name.upper()
    return f"{name} {CITIES[int(rng.integers(len(CITIES)))].capitalize()}" if kind == 0 else "Indie"


def _structure(rng, size: str) -> dict:
    V = SIZES[size].voters
    D, A, ID, P, K, U, S, ST, _ = WORLD[size]
    counts = (A, ID, P, K, U)
    names, domains, org_kind = _names(rng, counts)
    n_org = len(names)
    base = np.cumsum((0, *counts))
    size_w = np.empty(n_org)
    size_w[base[0] : base[1]] = np.arange(1, A + 1) ** -0.9
    size_w[base[1] : base[2]] = np.minimum(rng.pareto(1.5, ID) + 1, 15)
    size_w[base[2] : base[3]] = np.arange(1, P + 1) ** -1.0
    size_w[base[3] : base[4]] = np.arange(1, K + 1) ** -1.0
    size_w[base[4] : base[5]] = rng.pareto(1.0, U) + 1
    publisher_of = np.full(n_org, -1, dtype=np.int64)
    signed = base[1] + np.flatnonzero(rng.random(ID) < 0.35)
    publisher_of[signed] = base[2] + weighted_choice(rng, size_w[base[2] : base[3]], len(signed))
    org_region = weighted_choice(rng, [p for p, _ in REGIONS], n_org)

    role = weighted_choice(rng, ROLE_P, V)
    org = np.full(V, -1, dtype=np.int64)
    for kind in range(5):
        rows = np.flatnonzero(role == kind)
        org[rows] = base[kind] + weighted_choice(rng, size_w[base[kind] : base[kind + 1]], len(rows))
    region = weighted_choice(rng, [p for p, _ in REGIONS], V)
    take = (org >= 0) & (rng.random(V) < 0.65)
    region[take] = org_region[org[take]]
    offset = np.array(
        [REGIONS[r][1][i % len(REGIONS[r][1])] for r, i in zip(region, rng.integers(0, 6, V), strict=True)]
    )
    offset = np.round(offset * HOUR).astype(np.int64)

    layoffs = np.arange(A)[np.argsort(-size_w[:A], kind="stable")][: max(1, A // 2)]
    former = np.full(V, -1, dtype=np.int64)
    cand = np.flatnonzero((role == 1) | (role == 5))
    gone = rng.choice(cand, size=min(len(cand), round(0.06 * V)), replace=False)
    former[gone] = layoffs[weighted_choice(rng, size_w[layoffs], len(gone))]

    server_track = weighted_choice(rng, np.ones(D), S)
    server_w = rng.pareto(1.2, S) + 1
    n_servers = weighted_choice(rng, [0.5, 0.35, 0.15], V)
    server = np.full((V, 2), -1, dtype=np.int64)
    for slot in (0, 1):
        rows = np.flatnonzero(n_servers > slot)
        server[rows, slot] = weighted_choice(rng, server_w, len(rows))
    server[server[:, 1] == server[:, 0], 1] = -1

    streamers = np.sort(rng.choice(np.flatnonzero((role == 1) | (role == 5)), size=ST, replace=False))
    audience = rng.pareto(1.0, ST) + 1
    p_follow = np.where(np.isin(role, (1, 4, 5)), 0.30, 0.10)
    follows = np.where(rng.random(V) < p_follow, weighted_choice(rng, audience, V), -1)
    follows[streamers] = -1

    jam = np.full(V, -1, dtype=np.int64)
    jammers = np.flatnonzero(np.isin(role, (1, 4, 5)) & (rng.random(V) < 0.12))
    rng.shuffle(jammers)
    i, team = 0, 0
    while i + 1 < len(jammers):
        n = int(rng.integers(2, 6))
        jam[jammers[i : i + n]] = team
        team += 1
        i += n

    track_w = rng.dirichlet(np.full(D, 1.5))
    favourite = np.stack([weighted_choice(rng, track_w, V), weighted_choice(rng, track_w, V)], axis=1)
    lean = (server[:, 0] >= 0) & (rng.random(V) < 0.5)
    favourite[lean, 0] = server_track[server[lean, 0]]
    return {
        "D": D,
        "counts": counts,
        "base": base,
        "names": names,
        "domains": domains,
        "org_kind": org_kind,
        "size_w": size_w,
        "publisher_of": publisher_of,
        "role": role,
        "org": org,
        "region": region,
        "offset": offset,
        "former": former,
        "server": server,
        "server_track": server_track,
        "follows": follows,
        "streamers": streamers,
        "audience": audience,
        "jam": jam,
        "track_w": track_w,
        "favourite": favourite,
        "hype": rng.lognormal(0, 0.3, D),
    }


def _facts(rng, s: dict) -> dict:
    """Email domains, company fields, tickets and orders of the voters."""
    role, org, V = s["role"], s["org"], len(s["role"])
    names, domains = s["names"], s["domains"]
    domain = free_mail(rng, s["region"], COMMON_MAIL, REGIONAL_MAIL)
    work = (org >= 0) & (rng.random(V) < np.array(WORK_MAIL)[role])
    for v in np.flatnonzero(work).tolist():
        d = domains[org[v]]
        if role[v] == 0 and org[v] < 2 and rng.random() < 0.35:
            d = d.replace(".com", f"{CITIES[int(org[v]) * 3 % len(CITIES)]}.com")  # a regional studio's domain
        elif role[v] == 4 and rng.random() < 0.5:
            d = f"student.{d}"
        domain[v] = d
    personal = ~work & (rng.random(V) < 0.06)
    for v in np.flatnonzero(personal).tolist():
        domain[v] = f"{HEADS[v % len(HEADS)]}{v}.{'gg' if v % 2 else 'dev'}"
    company: list[str | None] = [None] * V
    filled = rng.random(V) < np.array(FIELD_P)[role]
    for v in np.flatnonzero(filled).tolist():
        company[v] = _spelling(rng, names[org[v]], int(role[v])) if org[v] >= 0 else OTHER_FIELD[v % len(OTHER_FIELD)]
    laid = np.flatnonzero((s["former"] >= 0) & (rng.random(V) < 0.25))
    for v in laid.tolist():
        if company[v] is None:
            studio = names[s["former"][v]]
            company[v] = (f"ex-{studio}", f"Formerly {studio}", f"{studio} (laid off)")[v % 3]

    ticket = np.empty(V, dtype=np.int64)
    for r, p in TICKETS.items():
        rows = np.flatnonzero(role == r)
        ticket[rows] = weighted_choice(rng, p, len(rows))
    weight = np.array([1.0, 0.5, 0.0])[ticket]
    order: list[str | None] = [None] * V

    def packs(rows: np.ndarray, key: np.ndarray, prefix: str, sizes) -> None:
        rows = rows[np.argsort(key[rows], kind="stable")]
        for k in np.unique(key[rows]).tolist():
            mine = rows[key[rows] == k]
            chunk = int(rng.choice(sizes))
            for j, v in enumerate(mine.tolist()):
                order[v] = f"{prefix}-{k:04d}-{j // chunk:02d}"

    packs(np.flatnonzero((role == 0) & (ticket == 0) & (rng.random(V) < 0.5)), org, "STU", (10, 20, 40))
    packs(np.flatnonzero((role == 4) & (ticket == 1) & (rng.random(V) < 0.5)), org, "EDU", (25,))
    jam = s["jam"]
    buyers = np.flatnonzero((jam >= 0) & (ticket < 2))
    together = rng.random(int(jam.max()) + 1 if (jam >= 0).any() else 0) < 0.5
    buyers = buyers[together[jam[buyers]]] if len(buyers) else buyers
    packs(buyers, jam, "JAM", (10,))
    for v in range(V):
        if order[v] is None and ticket[v] < 2:
            order[v] = f"{'REG' if ticket[v] == 0 else 'EXP'}-{v:07d}"
    return {"domain": domain.tolist(), "company": company, "weight": weight, "order": order}


def _talks(rng, s: dict, T: int) -> dict:
    D, base, size_w = s["D"], s["base"], s["size_w"]
    fmt = weighted_choice(rng, FORMAT_P, T)
    track = weighted_choice(rng, s["track_w"], T)
    track[fmt == 2] = BUSINESS if D > BUSINESS else track[fmt == 2]
    track[fmt == 5] = COMMUNITY if D > COMMUNITY else track[fmt == 5]
    track[fmt == 4] = EDUCATION if D > EDUCATION else track[fmt == 4]
    talk_org = np.full(T, -1, dtype=np.int64)
    for f, kind, power in ((0, 0, 1.0), (1, 1, 0.5), (2, 2, 1.0), (3, 3, 1.0), (4, 4, 1.0)):
        rows = np.flatnonzero(fmt == f)
        talk_org[rows] = base[kind] + weighted_choice(rng, size_w[base[kind] : base[kind + 1]] ** power, len(rows))
    speaking = s["audience"] ** 0.5 * (np.arange(len(s["audience"])) < (len(s["audience"]) + 1) // 2)
    talk_streamer = np.where(fmt == 5, weighted_choice(rng, speaking, T), -1)
    quality = rng.normal(0, 1, T)
    popularity = np.exp(0.7 * quality + rng.normal(0, 0.6, T)) * s["hype"][track] * FORMAT_POP[fmt]

    role, org = s["role"], s["org"]
    staff = members_of(org, len(s["names"]))
    n_speakers = 1 + weighted_choice(rng, [0.65, 0.25, 0.10], T)
    speaker = np.full((T, 3), -1, dtype=np.int64)
    speaker_org = np.full((T, 3), -1, dtype=np.int64)
    independents = np.flatnonzero((role == 1) | (role == 5))
    for t in range(T):
        o = int(talk_org[t])
        for slot in range(int(n_speakers[t])):
            if fmt[t] == 5 and slot == 0:
                v = int(s["streamers"][talk_streamer[t]])
                speaker[t, 0], speaker_org[t, 0] = v, org[v]
                continue
            if fmt[t] == 6 and slot == 0:
                if rng.random() < 0.6:
                    v = int(rng.choice(independents))
                    speaker[t, 0], speaker_org[t, 0] = v, org[v]
                continue
            same = o >= 0 and (slot == 0 or rng.random() < 0.8)
            if same:
                as_voter = len(staff[o]) and rng.random() < (0.7 if slot == 0 else 0.6)
                if as_voter:
                    v = int(rng.choice(staff[o]))
                    if v not in speaker[t]:
                        speaker[t, slot] = v
                speaker_org[t, slot] = o
            elif rng.random() < 0.5:
                other = int(rng.integers(len(s["names"])))
                speaker_org[t, slot] = other
                if len(staff[other]) and rng.random() < 0.5:
                    v = int(rng.choice(staff[other]))
                    if v not in speaker[t]:
                        speaker[t, slot] = v
    return {
        "fmt": fmt,
        "track": track,
        "talk_org": talk_org,
        "talk_streamer": talk_streamer,
        "quality": quality,
        "popularity": popularity,
        "speaker": speaker,
        "speaker_org": speaker_org,
    }


def _speaker_facts(rng, t: dict, s: dict, domain: list[str]):
    companies, mails = [], []
    for x in range(len(t["fmt"])):
        c, m = [], []
        for slot in range(3):
            o, v = int(t["speaker_org"][x, slot]), int(t["speaker"][x, slot])
            if o < 0 and v < 0:
                continue
            if o >= 0 and rng.random() < 0.75:
                c.append(s["names"][o])
            if v >= 0:
                m.append(domain[v])
            elif o >= 0 and rng.random() < 0.6:
                m.append(s["domains"][o])
            else:
                m.append("gmail.com")
        companies.append(tuple(dict.fromkeys(c)))
        mails.append(tuple(dict.fromkeys(m)))
    return companies, mails


def _ballot_lengths(rng, V: int, T: int, target: float) -> np.ndarray:
    kind = weighted_choice(rng, [0.18, 0.015, 0.805], V)
    light = 1 + weighted_choice(rng, [0.5, 0.3, 0.2], V)
    completionist = np.round(rng.uniform(0.2, 0.5, V) * min(T, 150)).astype(np.int64)
    rest_target = (target - light[kind == 0].sum() - completionist[kind == 1].sum()) / max(1, (kind == 2).sum())
    sigma = 1.1
    lengths = np.round(rng.lognormal(np.log(max(rest_target, 1.5)) - sigma**2 / 2, sigma, V)).astype(np.int64)
    n = np.where(kind == 0, light, np.where(kind == 1, completionist, lengths))
    return np.clip(n, 1, T // 2)


def _draw_talks(rng, w: World, n: np.ndarray) -> np.ndarray:
    """(voter, talk) pairs of the honest ballots: `n` distinct talks per voter."""
    V, T = w.V, w.T
    heavy = n > 0.15 * T
    m = np.where(heavy, 0, 2 * n + 4)
    voter = np.repeat(np.arange(V), m)
    u = rng.random(len(voter))
    talk = weighted_choice(rng, w.popularity, len(voter))
    tracks = weighted_segments(w.track, np.arange(T), w.popularity, int(max(w.track.max(), w.favourite.max())) + 1)
    slot = (rng.random(len(voter)) >= 0.65).astype(np.int64)
    by_track = draw_in_segments(rng, tracks, w.favourite[voter, slot])
    talk = np.where((u >= 0.5) & (u < 0.85) & (by_track >= 0), by_track, talk)
    pairs = np.stack([w.speaker_org.ravel(), np.repeat(np.arange(T), 3)], axis=1)
    pairs = np.unique(np.r_[pairs, np.stack([w.talk_org, np.arange(T)], axis=1)], axis=0)
    pairs = pairs[pairs[:, 0] >= 0]
    orgs = weighted_segments(pairs[:, 0], pairs[:, 1], w.popularity, len(w.org_names))
    creators = np.flatnonzero(w.talk_streamer >= 0)
    streams = weighted_segments(w.talk_streamer[creators], creators, w.popularity, len(w.streamers))
    by_org = draw_in_segments(rng, orgs, w.org[voter])
    by_stream = draw_in_segments(rng, streams, w.follows[voter])
    use_stream = (by_stream >= 0) & ((by_org < 0) | (rng.random(len(voter)) < 0.5))
    aff = np.where(use_stream, by_stream, by_org)
    talk = np.where((u >= 0.85) & (aff >= 0), aff, talk)
    priority = rng.random(len(voter))
    o = np.lexsort((priority, talk, voter))
    voter, talk, priority = voter[o], talk[o], priority[o]
    first = np.r_[True, (voter[1:] != voter[:-1]) | (talk[1:] != talk[:-1])]
    voter, talk, priority = voter[first], talk[first], priority[first]
    o = np.lexsort((priority, voter))
    voter, talk = voter[o], talk[o]
    rank = np.arange(len(voter)) - np.searchsorted(voter, voter)
    keep = rank < n[voter]
    out = [np.stack([voter[keep], talk[keep]], axis=1)]
    for v in np.flatnonzero(heavy).tolist():
        keys = np.log(w.popularity) + rng.gumbel(size=T)
        out.append(np.stack([np.full(n[v], v), np.argsort(-keys)[: n[v]]], axis=1))
    pairs = np.concatenate(out).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def _affiliated(w: World, voters: np.ndarray, talks: np.ndarray) -> np.ndarray:
    own = (w.org[voters, None] == w.speaker_org[talks]).any(axis=1) & (w.org[voters] >= 0)
    fan = (w.follows[voters] >= 0) & (w.follows[voters] == w.talk_streamer[talks])
    return own | fan


def _scores(rng, w: World, voters, talks, shift=None) -> np.ndarray:
    voters, talks = np.asarray(voters), np.asarray(talks)
    fav = (w.favourite[voters] == w.track[talks, None]).any(axis=1)
    latent = 0.85 * w.quality[talks] + 0.5 * fav + 0.8 * _affiliated(w, voters, talks) + w.bias[voters]
    latent = latent + rng.normal(0, 1, len(voters)) + (0 if shift is None else shift)
    return np.searchsorted(CUTS, latent).astype(np.int64) + 1


def _local(day, hour, offset) -> np.ndarray:
    """A local day and hour as a timestamp."""
    return (MIDNIGHT + np.asarray(day) * DAY + np.asarray(hour) * HOUR - np.asarray(offset)).astype(np.int64)


def _session_times(rng, w: World, voters: np.ndarray) -> np.ndarray:
    """When each vote (of `voters`, grouped by voter) is cast: sittings of the module docstring."""
    n = np.bincount(voters, minlength=w.V)
    sittings = 1 + np.minimum(rng.poisson(n / 12), 5)
    first = np.r_[0, np.cumsum(sittings)[:-1]]
    sid = first[voters] + np.floor(rng.random(len(voters)) ** 1.3 * sittings[voters]).astype(np.int64)
    owner = np.repeat(np.arange(w.V), sittings)
    day = weighted_choice(rng, _day_weights(), len(owner))
    office = np.isin(w.role[owner], OFFICE_ROLES)
    hour = np.where(
        office, weighted_choice(rng, OFFICE_HOURS, len(owner)), weighted_choice(rng, GAMER_HOURS, len(owner))
    )
    start = _local(day, hour + rng.random(len(owner)), w.offset[owner])
    start = np.where(start < OPENS, OPENS + rng.integers(0, 4 * HOUR, len(owner)), start)
    while (start >= CLOSES - 10 * MINUTE).any():
        start = np.where(start >= CLOSES - 10 * MINUTE, start - DAY, start)
    order = np.argsort(sid, kind="stable")
    gaps = 5 + rng.exponential(25, len(voters))
    sorted_sid = sid[order]
    cum = np.cumsum(gaps)
    begin = np.searchsorted(sorted_sid, sorted_sid)
    within = cum - cum[begin] + gaps[order][begin]
    duration = np.zeros(len(owner))
    np.maximum.at(duration, sorted_sid, within)
    start = np.maximum(np.minimum(start, CLOSES - 1 - np.ceil(duration).astype(np.int64)), OPENS)
    at = np.empty(len(voters), dtype=np.int64)
    at[order] = start[sorted_sid] + within.astype(np.int64)
    return at


def _honest(rng, size: str) -> World:
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    s = _structure(rng, size)
    f = _facts(rng, s)
    t = _talks(rng, s, T)
    companies, mails = _speaker_facts(rng, t, s, f["domain"])
    bias = rng.normal(0, 0.45, V)
    mood = weighted_choice(rng, [0.91, 0.05, 0.04], V)
    bias = bias + np.array([0.0, -0.8, 0.8])[mood]
    talk_keys = ("track", "fmt", "quality", "popularity", "talk_org", "talk_streamer", "speaker", "speaker_org")
    voter_keys = ("role", "org", "former", "server", "server_track", "follows", "streamers", "jam", "region", "offset")
    w = World(
        V=V,
        T=T,
        n_org=s["counts"],
        org_kind=s["org_kind"],
        org_names=s["names"],
        org_domains=s["domains"],
        org_size=s["size_w"],
        publisher_of=s["publisher_of"],
        speaker_company_field=companies,
        speaker_domains=mails,
        favourite=s["favourite"],
        bias=bias,
        weight=f["weight"],
        order=f["order"],
        domain=f["domain"],
        company_field=f["company"],
        **{k: t[k] for k in talk_keys},
        **{k: s[k] for k in voter_keys},
    )
    lengths = _ballot_lengths(rng, V, T, 1.03 * spec.votes)
    pairs = _draw_talks(rng, w, lengths)
    score = _scores(rng, w, pairs[:, 0], pairs[:, 1])
    at = _session_times(rng, w, pairs[:, 0])
    base = np.stack([pairs[:, 0], pairs[:, 1], score, at], axis=1)
    joined_as = np.where(
        w.weight > 0, weighted_choice(rng, [0.35, 0.45, 0.20], V), weighted_choice(rng, [0.25, 0.15, 0.60], V)
    )
    rows = _honest_groups(rng, w, size)
    w.votes, _ = planted_over_honest(base, rows, T)
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, w.votes[:, 0], w.votes[:, 3])
    returning = OPENS - 365 * DAY - (rng.random(V) * 5 * 365 * DAY).astype(np.int64)
    registered = OPENS - (rng.random(V) * 90 * DAY).astype(np.int64)
    during = np.where(
        rng.random(V) < 0.7, first - rng.integers(MINUTE, 45 * MINUTE, V), first - rng.integers(HOUR, 2 * DAY, V)
    )
    made = np.where(joined_as == 0, returning, np.where(joined_as == 1, registered, during))
    w.joined = np.minimum(made, first - 2 * MINUTE)
    return w


def _honest_groups(rng, w: World, size: str) -> list[np.ndarray]:
    """The honest correlated groups of the module docstring: their vote rows; fills w.honest_groups."""
    V, T = w.V, w.T
    per_kind = WORLD[size][-1]
    used = np.zeros(V, dtype=bool)
    rows: list[np.ndarray] = []
    pop = w.popularity

    def add(kind: str, members: np.ndarray, talks: np.ndarray, p, when, taste) -> None:
        m, k = len(members), len(talks)
        take = rng.random((m, k)) < np.broadcast_to(np.asarray(p, dtype=np.float64), (m,))[:, None]
        take[np.arange(m), rng.integers(0, k, m)] = True
        mi, ti = np.nonzero(take)
        scores = _scores(rng, w, members[mi], talks[ti], shift=taste[ti])
        at = np.clip(np.asarray(when(mi, ti)), OPENS, CLOSES - 1).astype(np.int64)
        rows.append(np.stack([members[mi], talks[ti], scores, at], axis=1))
        used[members] = True
        w.honest_groups.append(
            PlantedBloc(
                kind, "honest", tuple(sorted((talks + 1).tolist())), tuple(sorted((members + 1).tolist())), None
            )
        )

    def talks_from(cand: np.ndarray, lo: int, hi: int) -> np.ndarray:
        k = min(len(cand), int(rng.integers(lo, hi + 1)))
        return np.sort(rng.choice(cand, size=k, replace=False, p=pop[cand] / pop[cand].sum())) if k else cand

    def some(pool: np.ndarray, lo: int, hi: int) -> np.ndarray:
        return np.sort(rng.choice(pool, size=min(len(pool), int(rng.integers(lo, hi + 1))), replace=False))

    def together(kind: str, members, talks, p: float, at0: int, spread: float, gap: int, taste) -> None:
        """A group's one sitting: each member starts within `spread` of `at0`, `gap` seconds per talk."""
        lag = rng.random(len(members)) * spread
        add(kind, members, talks, p, lambda mi, ti: at0 + lag[mi] + gap * ti, rng.normal(*taste, len(talks)))

    def evening(members: np.ndarray, hour: float, days=range(1, VOTE_DAYS)) -> int:
        day = int(rng.choice(list(days)))
        at = int(_local(day, hour, int(np.median(w.offset[members]))))
        return min(max(at, OPENS), CLOSES - 4 * HOUR)

    # jam nights
    for team in rng.permutation(int(w.jam.max()) + 1).tolist():
        if sum(g.kind == "jam_night" for g in w.honest_groups) == per_kind:
            break
        members = np.flatnonzero((w.jam == team) & ~used)
        talks = talks_from(np.flatnonzero(w.track == w.favourite[members[0], 0]), 4, 8) if len(members) else members
        if len(members) < 3 or len(talks) < 2:
            continue
        together("jam_night", members, talks, 0.75, evening(members, 20), 2 * HOUR, 60, (0.3, 0.8))
    # studio lunches
    A = w.n_org[0]
    for studio in np.argsort(-w.org_size[:A], kind="stable").tolist():
        if sum(g.kind == "studio_lunch" for g in w.honest_groups) == per_kind:
            break
        pool = np.flatnonzero((w.org == studio) & ~used)
        track = int(rng.integers(int(w.track.max()) + 1))
        cand = np.flatnonzero((w.track == track) & ~(w.speaker_org == studio).any(axis=1) & (w.talk_org != studio))
        talks = talks_from(cand, 4, 8)
        if len(pool) < 8 or len(talks) < 2:
            continue
        members = some(pool, 8, 25)
        weekday = [d for d in range(1, VOTE_DAYS) if (d + 3) % 7 not in (5, 6)]
        together("studio_lunch", members, talks, 0.6, evening(members, 12, weekday), 90 * MINUTE, 45, (0.4, 0.6))
    # Discord watch parties
    for srv in rng.permutation(len(w.server_track)).tolist():
        if sum(g.kind == "discord_watch_party" for g in w.honest_groups) == per_kind:
            break
        pool = np.flatnonzero((w.server == srv).any(axis=1) & ~used)
        if len(pool) < 8:
            continue
        inside = talks_from(np.flatnonzero(w.track == w.server_track[srv]), 4, 7)
        outside = talks_from(np.setdiff1d(np.arange(T), inside), 2, 5)
        talks = np.union1d(inside, outside)
        members = some(pool, 8, 30)
        together("discord_watch_party", members, talks, 0.7, evening(members, 21), 2 * HOUR, 50, (0.2, 0.9))
    # streams featuring the vote (unrecorded)
    speaking = set(w.talk_streamer[w.talk_streamer >= 0].tolist()) | {
        int(np.flatnonzero(w.streamers == v)[0]) for v in w.speaker.ravel() if v >= 0 and v in set(w.streamers.tolist())
    }
    for st in rng.permutation(len(w.streamers)).tolist():
        if sum(g.kind == "stream_feature" for g in w.honest_groups) == per_kind:
            break
        pool = np.flatnonzero((w.follows == st) & ~used)
        if st in speaking or len(pool) < 10:
            continue
        members = some(pool, min(len(pool), max(10, round(0.02 * V))), min(len(pool), max(10, round(0.02 * V))))
        talks = talks_from(np.arange(T), 6, 6)
        at0 = int(OPENS - 17 * HOUR + int(rng.integers(2, 10)) * DAY + 20 * HOUR)
        c = rng.integers(1, 4, len(members)) / 6
        lag = np.minimum(rng.exponential(40 * MINUTE, (len(members), len(talks))), 3 * HOUR)
        add(
            "stream_feature",
            members,
            talks,
            c,
            lambda mi, ti, a=at0, g=lag: a + g[mi, ti],
            rng.normal(0.2, 0.5, len(talks)),
        )
    # the organizers' newsletter (recorded)
    ranks = np.argsort(np.argsort(pop)) / T
    cand = np.flatnonzero((ranks >= 0.4) & (ranks < 0.9))
    sent = int(OPENS - 17 * HOUR + 4 * DAY + 15 * HOUR)
    for x in rng.choice(cand, size=5, replace=False).tolist():
        pool = np.flatnonzero(~used)
        members = np.sort(rng.choice(pool, size=max(5, round(0.015 * V)), replace=False))
        lag = np.minimum(rng.exponential(10 * HOUR, len(members)), 48 * HOUR)
        add("newsletter_spotlight", members, np.array([x]), 1.0, lambda mi, ti, a=sent, g=lag: a + g[mi], np.zeros(1))
        w.promoted.setdefault(x, []).append(sent)
    return rows


class _Campaigns(WorldCampaigns):
    """The planted campaigns of the module docstring, from their own random stream."""

    opens, closes, vote_days, top, common_mail = OPENS, CLOSES, VOTE_DAYS, 3, COMMON_MAIL

    def plausible(self, talks: np.ndarray) -> np.ndarray:
        latent = 0.85 * self.w.quality[talks] + self.rng.normal(0, 1, len(talks)) + 0.3
        return np.searchsorted(CUTS, latent).astype(np.int64) + 1

    # the kinds
    def coworkers(self):
        w = self.w
        for t in self.free_targets(self.contenders):
            for o in np.unique(w.speaker_org[t][w.speaker_org[t] >= 0]).tolist():
                t0 = self.start(3 * DAY)
                pool = self.eligible((w.org == o) & ~np.isin(np.arange(w.V), w.speaker[t]), t0)
                if len(pool) < 3:
                    continue
                m = self.pick(pool, self.size())
                return self.support(
                    "coworkers", m, t, t0 + self.burst_or_spread(len(m), 0.55, 45 * MINUTE, 3 * HOUR, 3 * DAY)
                )
        return None

    def order(self):
        w, rng = self.w, self.rng
        t0 = self.start(2 * DAY)
        codes: dict[str, list[int]] = {}
        for v in self.eligible(np.ones(w.V, dtype=bool), t0).tolist():
            code = w.order[v]
            if code and code.split("-")[0] in ("STU", "EDU", "JAM"):
                codes.setdefault(code, []).append(v)
        packs = [c for c, vs in sorted(codes.items()) if len(vs) >= 3]
        for code in rng.permutation(packs).tolist():
            pool = np.array(codes[code])
            orgs = set(w.org[pool].tolist()) - {-1}
            for t in self.free_targets(self.contenders):
                if not orgs & set(w.speaker_org[t].tolist()) and w.talk_org[t] not in orgs:
                    m = self.pick(pool, min(40, self.size(3, 40)))
                    if len(m) < 3:
                        m = self.pick(pool, 3)
                    return self.support("order", m, t, t0 + rng.random(len(m)) * 2 * DAY)
        return None

    def friends_burst(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(2 * HOUR)
        pool = rng.permutation(self.eligible(np.ones(w.V, dtype=bool), t0))
        seen, m, k = set(), [], self.size()
        for v in pool.tolist():
            if w.order[v] in seen or v in w.speaker[t]:
                continue
            if w.order[v]:
                seen.add(w.order[v])
            m.append(v)
            if len(m) == k:
                break
        m = np.sort(np.array(m))
        return self.support("friends_burst", m, t, t0 + rng.random(len(m)) * 75 * MINUTE)

    def friends_spread(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        t0 = self.start(6 * DAY)
        k = self.size()
        n_old = min(int(rng.binomial(k, 0.5)), k - 1)  # at least one new account
        old = self.pick(self.eligible(~np.isin(np.arange(w.V), w.speaker[t]), t0), n_old)
        at_old = t0 + rng.random(len(old)) * 6 * DAY
        at_new = t0 + rng.random(k - len(old)) * 6 * DAY
        new = np.array([self.account(a, 2 * MINUTE, 30 * MINUTE) for a in at_new], dtype=np.int64)
        extra = []
        same_track = np.setdiff1d(np.flatnonzero(w.track == w.track[t]), [t])
        for v, a in zip(new.tolist(), at_new.tolist(), strict=True):
            if rng.random() < 0.4 and len(same_track):
                more = rng.choice(same_track, size=min(len(same_track), int(rng.integers(1, 3))), replace=False)
                extra.append(self.rows([v] * len(more), more, self.plausible(more), a + 40 + 30 * np.arange(len(more))))
        m = np.r_[old, new]
        return self.support("friends_spread", m, t, np.r_[at_old, at_new], extra)

    def sockpuppets(self):
        w, rng = self.w, self.rng
        t = (self.free_targets(self.contenders) or [None])[0]
        if t is None:
            return None
        k = self.size(3, 12)
        gaps = rng.uniform(3 * HOUR, 16 * HOUR, k)
        t0 = self.start(gaps.sum() + 3 * DAY)
        covers = rng.choice(np.setdiff1d(np.arange(w.T), [t]), size=int(rng.integers(4, 9)), replace=False)
        cover_scores = self.plausible(covers)
        made = t0 - int(rng.integers(DAY, 3 * DAY))
        mails = [pick_mail(rng, COMMON_MAIL, 1)[0] for _ in range(k)]
        members, parts = [], []
        sitting = t0 + np.r_[0, np.cumsum(gaps[:-1])]
        for j in range(k):
            v = self.account(made + int(rng.integers(0, 30 * MINUTE)), 0, 0, mails[j])
            mine = cover_scores.copy()
            moved = rng.choice(len(covers), size=int(rng.integers(0, 3)), replace=False)
            mine[moved] = np.clip(mine[moved] + rng.choice([-1, 1], len(moved)), 1, 3)
            talks = np.r_[t, covers]
            order = rng.permutation(len(talks))
            at = sitting[j] + np.cumsum(rng.uniform(20, 50, len(talks)))[order]
            parts.append(self.rows([v] * len(talks), talks, np.r_[3, mine], np.minimum(at, sitting[j] + 8 * MINUTE)))
            members.append(v)
        return self.done("sockpuppets", "support", members, np.concatenate(parts), t)

    # new kinds
    def streamer_raid(self):
        w, rng = self.w, self.rng
        streamer_of = {int(v): i for i, v in enumerate(w.streamers.tolist())}

        def by_streamer(t: int) -> int:
            return next((streamer_of[int(v)] for v in w.speaker[t] if int(v) in streamer_of), -1)

        options = [t for t in self.free_targets(self.contenders) if by_streamer(t) >= 0]
        options += [t for t in self.free_targets(self.middling) if by_streamer(t) >= 0 and t not in options]
        for t in options:
            st = by_streamer(t)
            day = int(rng.integers(1, VOTE_DAYS - 1))
            call = int(_local(day, 20, w.offset[w.streamers[st]]))
            call = min(max(call, OPENS + HOUR), CLOSES - 3 * HOUR)
            k = self.size(10, 40)
            old = self.pick(self.eligible(w.follows == st, call), round(0.4 * k))
            lag = np.minimum(rng.exponential(25 * MINUTE, k), 150 * MINUTE)
            at_new = call + lag[len(old) :]
            new = np.array([self.account(a, MINUTE, 15 * MINUTE) for a in at_new], dtype=np.int64)
            m = np.r_[old, new]
            shown = rng.choice(np.setdiff1d(np.arange(w.T), [t]), size=3, replace=False)
            extra = []
            for v, a in zip(m.tolist(), (call + lag).tolist(), strict=True):
                if rng.random() < 0.5:
                    more = rng.choice(shown, size=int(rng.integers(1, 4)), replace=False)
                    extra.append(
                        self.rows([v] * len(more), more, self.plausible(more), a + 30 + 20 * np.arange(len(more)))
                    )
            return self.support("streamer_raid", m, t, call + lag, extra)
        return None

    def publisher_portfolio(self):
        w, rng = self.w, self.rng
        base = np.cumsum((0, *w.n_org))
        for pub in rng.permutation(np.arange(base[2], base[3])).tolist():
            studios = np.flatnonzero(w.publisher_of == pub)
            signed = np.isin(w.speaker_org, studios).any(axis=1) | np.isin(w.talk_org, studios)
            talks = [t for t in np.flatnonzero(signed).tolist() if t not in self.taken]
            if len(talks) < 2:
                talks += [t for t in np.flatnonzero(w.talk_org == pub).tolist() if t not in self.taken]
            if len(talks) < 2:
                continue
            talks = sorted(rng.choice(talks, size=min(len(talks), int(rng.integers(2, 5))), replace=False).tolist())
            t0 = self.start(3 * DAY)
            speakers = w.speaker[talks].ravel()
            pool = self.eligible(((w.org == pub) | np.isin(w.org, studios)) & ~np.isin(np.arange(w.V), speakers), t0)
            if len(pool) < 5:
                continue
            m = self.pick(pool, self.size(5, 40))
            contenders = [t for t in talks if t in set(self.contenders.tolist())]
            boosted = contenders[0] if contenders else talks[0]
            vv = np.repeat(m, len(talks))
            tt = np.tile(talks, len(m))
            ss = np.where((tt == boosted) | (rng.random(len(tt)) < 0.85), 3, 2)
            days = rng.integers(0, 3, len(vv))
            hours = 9.5 + rng.random(len(vv)) * 8
            at = np.maximum(_local((t0 - MIDNIGHT) // DAY + days, hours, w.offset[vv]), t0)
            rows = self.rows(vv, tt, ss, at)
            self.taken.update(talks)
            return self.done("publisher_portfolio", "support", m, rows, boosted)
        return None

    def upvote_ring(self):
        w, rng = self.w, self.rng
        base = np.cumsum((0, *w.n_org))
        t0 = self.start(4 * DAY)
        ring: list[tuple[int, int, np.ndarray]] = []  # studio, its talk, its members
        wanted = int(rng.integers(3, 6))
        for t in rng.permutation(np.flatnonzero(w.fmt == 1)).tolist():
            o = int(w.talk_org[t])
            if t in self.taken or any(o == r[0] for r in ring) or not base[1] <= o < base[2]:
                continue
            pool = self.eligible(w.org == o, t0)
            if len(pool) < 3:
                continue
            ring.append((o, t, self.pick(pool, int(rng.integers(3, 9)))))
            if len(ring) == wanted:
                break
        if len(ring) < 3:
            return None
        out = []
        for i, (_, own, m) in enumerate(ring):
            others = [r[1] for r in ring if r[1] != own]
            vv, tt = np.repeat(m, len(others)), np.tile(others, len(m))
            rows = self.rows(vv, tt, np.full(len(vv), 3), t0 + rng.random(len(vv)) * 4 * DAY)
            out += self.done("upvote_ring", "support", m, rows, ring[(i + 1) % len(ring)][1])
        return out

    def discord_rally(self):
        w, rng = self.w, self.rng
        for srv in rng.permutation(len(w.server_track)).tolist():
            inside = (w.server == srv).any(axis=1)
            targets = [t for t in self.free_targets(self.contenders) if inside[w.speaker[t][w.speaker[t] >= 0]].any()]
            targets = targets or self.free_targets(self.contenders)
            if not targets:
                return None
            t = targets[0]
            t0 = self.start(5 * DAY)
            pool = self.eligible(inside & ~np.isin(np.arange(w.V), w.speaker[t]), t0)
            if len(pool) < 10:
                continue
            m = self.pick(pool, self.size(10, 40))
            day = (t0 - MIDNIGHT) // DAY + 1 + weighted_choice(rng, [0.4, 0.3, 0.2, 0.1], len(m))
            at = np.maximum(_local(day, 19 + 4 * rng.random(len(m)), w.offset[m]), t0)
            return self.support("discord_rally", m, t, at)
        return None

    def layoff_alumni(self):
        w = self.w
        for pool_talks in (self.contenders, self.middling):
            for t in self.free_targets(pool_talks):
                studios = {int(w.former[v]) for v in w.speaker[t] if v >= 0 and w.former[v] >= 0}
                for studio in sorted(studios):
                    t0 = self.start(2 * DAY)
                    now = w.speaker_org[t][w.speaker_org[t] >= 0]  # those who joined a speaker's studio are coworkers
                    pool = self.eligible(
                        (w.former == studio) & ~np.isin(w.org, now) & ~np.isin(np.arange(w.V), w.speaker[t]), t0
                    )
                    if len(pool) < 3:
                        continue
                    m = self.pick(pool, self.size(3, 25))
                    lag = self.burst_or_spread(len(m), 0.5, 2 * HOUR, 6 * HOUR, 2 * DAY)
                    return self.support("layoff_alumni", m, t, t0 + lag)
        return None

    def rival_studio(self):
        w, rng = self.w, self.rng
        studios = np.flatnonzero(w.org_kind <= 1)
        for t in self.free_targets(self.strong):
            own = set(w.speaker_org[t].tolist()) | {int(w.talk_org[t])}
            same = np.unique(w.talk_org[(w.track == w.track[t]) & (w.talk_org >= 0)]).tolist()
            rivals = [o for o in same if o in set(studios.tolist()) and o not in own]
            rivals = rivals or [o for o in rng.permutation(studios).tolist() if o not in own]
            t0 = self.start(2 * DAY)
            for o in rivals:
                pool = self.eligible(w.org == o, t0)
                if len(pool) < 5:
                    continue
                m = self.pick(pool, self.size(5, 25))
                scores = np.where(rng.random(len(m)) < 0.9, 1, 2)
                scores[0] = 1
                rows = self.rows(m, [t] * len(m), scores, t0 + rng.random(len(m)) * 2 * DAY)
                return self.done("rival_studio", "oppose", m, rows, None)
        return None

    def review_bomb(self):
        w, rng = self.w, self.rng
        targets = self.free_targets(self.strong)
        if not targets:
            return None
        t = targets[0]
        for st in rng.permutation(len(w.streamers)).tolist():
            if w.streamers[st] in w.speaker[t]:
                continue
            t0 = self.start(8 * HOUR)
            k = self.size(10, 40)
            old = self.pick(self.eligible(w.follows == st, t0), k // 2)
            lag = np.minimum(rng.exponential(1.5 * HOUR, k), 6 * HOUR)
            new = np.array([self.account(t0 + a, MINUTE, 20 * MINUTE) for a in lag[len(old) :]], dtype=np.int64)
            m = np.r_[old, new]
            rows = self.rows(m, [t] * len(m), np.ones(len(m)), t0 + lag)
            return self.done("review_bomb", "oppose", m, rows, None)
        return None


def fresh9_conference(size: str = "small", seed: int = 1, plant: Callable | None = None) -> SyntheticConference:
    """The games conference of the module docstring with its campaigns. `plant` (for honest-only runs, e.g.
    bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing."""
    return fresh_world_conference(
        size,
        seed,
        plant,
        name="fresh9",
        salt=9000,
        honest=_honest,
        campaigns=_Campaigns,
        kinds=BLOC_KINDS,
        kind_p=KIND_P,
        closes=CLOSES,
        scale=SCALE,
    )
