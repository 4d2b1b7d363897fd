"""A seventh synthetic world for bloc detection: a hacker and security conference's one-week community vote.

Written apart from the detector and from the other generators (it reads only blocs_synthetic's dataclasses,
SIZES, `planted_over_honest` and `world_voter_facts` (now through its weighted draws and `world_conference`,
shared with fresh8), BlocInput's format and confvote's free-mail list), and committed before anything
measured it: an out-of-sample test. Deterministic per (size, seed); pure numpy. The model, pre-registered:

Event. A DEF CON/BSides-like hacker conference: a main stage and V villages, run by volunteers, attended by
people who go by handles. The community vote on the programme opens Monday 2027-05-03 16:00 UTC and runs one
week (7 days) on a 1-10 scale (labels "1".."10"; wanted from 7). Sizes as SIZES: small 1,000 voters / 200
talks / ~20k votes, medium 20,000 / 1,000 / ~200k, large 100,000 / 5,000 / ~1M; campaign-only accounts come on
top of the voters.

Structure. Villages (small 12, medium 24, large 40; weights Dirichlet(1.0)); hackerspaces and local DEF CON
groups (15 / 80 / 250; size ∝ Pareto(1.2) + 1; each with a village it leans to, a UTC offset, a domain
"dc<NNN>.org" or "<word>space.org"); CTF teams (8 / 30 / 80; 4-20 members; 50% with a domain "<word>.team");
companies — security vendors, consultancies (20 / 70 / 200; size ∝ rank^-1.0; names "<Word>
<Security|Labs|Cyber|Defense|Systems>", domains "<word>sec.com", "<word>labs.io" or "<word>.com"); 8
universities ("cs.<city>-u.edu"). Talks: the main stage 20%, else a village by weight. Quality q ~ N(0, 1).
Talk kind: a vendor talk 25% (a company ∝ size), a hackerspace talk 10% (a space ∝ size), a CTF team's talk
5%, else an independent researcher's. Popularity (the honest draw weight) = exp(0.8 q + N(0, 0.6)) × (2.5 on
the main stage) × (1.8 for the 10% "hot" talks: an 0-day, an AI jailbreak). Speakers: 1 (70%), 2 (22%) or 3
(8%); each slot is a voter 70% of the time (staff of the talk's company, a member of its space or team, else a
voter whose first favourite village is the talk's, else anyone), else an outside speaker (the talk's company's
staff for a vendor talk, else employed with probability 0.3 by a company ∝ size). A speaker's facts: the
canonical company name when employed (70%); the email domain (a voter speaker: the account's; an outside one:
work mail 50% when employed, else free mail).

Voters. Region: North America 58% (UTC-8/-7/-6/-5), Europe 24% (0/+1/+2), Asia-Pacific 8% (+8/+9/+10), South
America 6% (-3), elsewhere 4% (+3/+5.5); each hackerspace draws a region by the same shares, and its members
are of it. 38% work for a company (∝ size); 30% belong to a hackerspace (∝ size); CTF teams take their members
from the voters (any); 10% of those not employed are students (a university, uniformly). Favourite villages:
three (with replacement, by weight; a space member's first is the space's village 60% of the time; the main
stage is everyone's). Email domain — staff: 25% their work domain; students: 40% the university's; space
members: 8% the space's domain; team members with a team domain: 30% it; everyone left: 12% a personal
self-hosted domain of their own ("<handle>.sh"/".net"/".io"), 9% a privacy collective that is NOT in
confvote's free-mail list so detection sees each as one large domain (riseup.net 4, disroot.org 2, cock.li
1.5, systemli.org 1, autistici.org 0.5), else free mail (gmail 30, proton.me 18, protonmail.com 8, outlook 10,
duck.com 8, icloud 8, tutanota 6, yahoo 6, pm.me 4, hotmail 2). Company field: staff 30% (spelled "Nightjar
Security", "Nightjar Security Inc.", "nightjar security", "NIGHTJAR SECURITY LLC" or "Nightjar"); others 8%
"Independent"/"Self"/"N/A"/"[REDACTED]"/"Student"/"none"; else empty. Tickets (a lottery): 55% won a ticket
(1.0), 15% a supporter pledge (0.5, its own order "SUP-…"), 30% none (0.0, no order). Ticket holders: staff
35% on their company's group buy (chunks of up to 20, "CORP-…"); space members 40% on the space's group buy
(chunks of up to 15, "GRP-…"); the rest their own lottery order ("LOT-…"), 10% of which transfer a second
ticket to another lottery winner (an order of 2). Account creation: 40% in the five years before the CfP, 25%
during the CfP (the 90 days before the vote), 35% during the vote (1-30 min before their first vote 70%, else
1 h-2 days before); never later than two minutes before the first vote.

Honest ballots. Ballot length: 20% light voters 1-3 (1 + Binomial(2, 0.35)); 3% completionists U(0.15,
0.5)·min(T, 300); the rest lognormal (σ 0.9) with the mean that brings the base ballots to 92% of the size's
votes after rounding and clipping (found by six fixed-point steps); rounded, 1 to 0.6 T. Talks: each draw from
the whole programme ∝ popularity (50%), one of the voter's favourite villages (weights 0.5/0.3/0.2) ∝
popularity (35%), or the talks of one of the voter's three affiliations (company, hackerspace, CTF team; a
slot drawn uniformly; an empty slot or one without talks falls back to the whole programme) (15%); with
replacement, first n distinct kept, voters short after four rounds of 1.5n + 4 draws get what they have;
voters with n > 0.15 T draw without replacement from the per-voter mixture by Gumbel keys. Score: latent = 1.1
q + 0.7·(a favourite village) + 1.0·(an affiliation speaks) + bias + N(0, 1), bias ~ N(0, 0.5) (+1.0 for 8%
generous, -1.0 for 6% harsh); score = clip(round(5.5 + 1.5 latent), 1, 10); 8% of voters are "binary" (10 when
latent > 0.3, else 1), 12% "compressed" (clip(round(6.5 + 0.8 latent), 4, 8)). Timing: 1 + Poisson(n/12)
sessions (at most 5); a session's day ∝ 1 (×3 day 0, the launch; ×1.6 day 3, the reminder; ×2.5 day 6, last
call); its local hour night owl 20-02 (45%), work 09-17 (30%), evening 17-20 (15%), late 02-05 (10%); a
session that would start before the vote opens starts U(0, 6 h) after, one that would start after it closes
whole days earlier; votes 4 s + Exp(20 s) apart; a session moved earlier to end before the vote closes.

Honest correlated groups (drawn from the honest stream; each voter in one group at most; their votes are
honest and replace the members' own draws of the same talks). Groups per kind: small 1, medium 3, large 8,
from the largest spaces / universities / companies / villages (by members, villages by weight) that can form
one (enough members in no other group, at least two talks; a lab's and a sponsor's village is drawn by weight
for each candidate); talks drawn without replacement ∝ popularity.
- hackerspace_night: 6-30 members of one space go through the programme together one evening (19-22 local,
  each starting U(0, 3 h) in, 40 s more per talk; moved inside the vote); 4-8 talks of the space's village;
  each member rates each with probability 0.75 (at least one), latent + the group's shared taste per talk
  N(0.4, 0.8); many share a GRP order.
- university_lab: 5-20 students of one university; 3-6 talks of the lab's village; probability 0.7 each;
  spread over the week; shared taste N(0.5, 0.7).
- sponsor_staff: 8-40 staff of a large company, fond of one village; 4-8 of its talks by other companies;
  probability 0.6; in office hours over the week; shared taste N(0.6, 0.6).
- village_regulars: 12-40 voters whose first favourite is one village; 5-10 of its talks; probability 0.5;
  spread; taste +0.9 + N(0, 0.6) per talk.
- unrecorded_mailing: the organizers mail last year's attendees in batches (not recorded as a promotion),
  batch g of n on day 1 + ⌊5g/n⌋ at 15:00 UTC, each featuring 6 talks (popularity between the 50th and 95th
  percentile); per batch 4%/n of the voters (at least 10) whose accounts predate the CfP; each reader rates
  each featured talk with probability c/6, c uniform in 1-3 per reader (at least one), within Exp(4 h) of the
  mailing (cut at 24 h), own scores.
- spotlight_post: the con's account posts a talk spotlight (RECORDED as a promotion) on days 1, 2, 4 and 5 at
  18:00 UTC, one talk each (popularity between the 40th and 90th percentile, in no other group); 1.5% of
  voters (at least 5) per post rate it within Exp(2 h) (cut at 24 h), own scores. Always four groups.

Planted campaigns (their own random stream: the honest world is the same with or without them). A bloc has
3-40 members (log-uniform, then what the kind finds); members are voters in no honest group and no other bloc,
whose account existed two minutes before the campaign's first vote. A contender talk has quality between the
70th and 92nd percentile. Blocs: max(size's blocs, 12), one of each kind first, then kinds drawn uniformly.
Support votes score 9-10 (10 with probability 0.7) unless said.
- coworkers: staff of the company of a contender's speaker; in a burst (within 2 h of a chat post, 50%) or
  spread over the rest of the week; ballots otherwise their honest ones.
- order: the eligible voters of one group-buy order with at least 3 of them (a hackerspace's GRP- order; a
  CORP- order when no GRP- has three; all of them, at most 40) push a contender; spread over 3 days; 8-10.
- friends_burst: unrelated existing voters (at most one per order) mobilised in a group chat, within 2 h.
- friends_spread: new accounts of people asked to vote, joined 1-20 min before their first vote; ballot: the
  target (60%) or the target and one talk ∝ popularity (own score); spread uniformly over the rest of the
  vote; free mail; weight 0.0 (50%) or 0.5 pledge (50%, "SUP-" order).
- sockpuppets: one operator's accounts, made in batches of 3-8 (within 5 min, 10 min-3 days before the batch
  votes); a common ballot of 6-12 talks (target 10, others ∝ popularity with a plausible score 1-10 the
  operator picks, as vote_market's); each account changes 0-2 ratings (score ±1-2, clipped, never the target);
  a batch votes within one hour (each account from U(0, 50 min), 5-30 s between votes); the first batch in the
  first two days, the others' starts uniform over U(0.5, 1) of the rest of the vote; domains
  cock.li/airmail.cc/firemail.cc 50%, else free mail; weight 1.0 (40%, each its own lottery order — the
  operator entered the lottery many times), 0.5 (30%, a pledge), 0 (30%).
- ctf_team (new): members of one CTF team (4-20) push a teammate's talk (a talk of the team, else a talk whose
  speaker is a member) with 10 within 3 h of a message in the team chat.
- discord_raid (new): a streamer's Discord server: 40% existing voters (any), 60% new accounts joined 1-15 min
  before their vote; all vote 10 on the target within 90 min; new accounts' ballots: the target (70%) or it
  and 1-2 talks ∝ popularity scored uniformly 1-10; free mail 85%, collectives 15%; weight 0 (80%) or 0.5
  (20%).
- vote_market (new): a seller's aged accounts (made 1-3 years ago, uniformly), 5-40 of them: the target 10 and
  4-12 cover talks ∝ popularity with plausible scores (clip(round(5.5 + 1.5 (1.1 q + N(0, 1))), 1, 10)); each
  account votes in one sitting (votes 5-40 s apart), one account every 45-90 min from a start in the first
  four days; free mail of every kind; weight 1.0 (50%, own lottery order), 0.5 (25%), 0.
- employer_mandate (new): an all-hands email asks staff to vote for their company's talk (a company drawn
  uniformly among those with a talk and three eligible staff): staff with a ticket or pledge (10-40) vote 10
  (80%) or 9 within 8 office hours of one day 0-5 (from 16:00 UTC).
- podcast_audience (new): a speaker who hosts a podcast (a voter speaking on the target: a contender's speaker
  first, else any talk's) asks listeners: the host (who rates it 10 within the episode's first hour) and
  listeners: 30% existing voters, 70% new accounts (joined 5-60 min before their first vote); votes spread
  over 48 h after the episode (delay Exp(10 h), cut at 48 h); 50% of the listeners also rate a second talk ∝
  popularity 8-10 (the co-host's pick); free mail; weight 0 (60%) or 0.5 (40%).
- rival_brigade (new, oppose): staff of one company rate a strong talk (quality in the top 15%) by a speaker
  of a rival company 1 (70%) or 2, within 24 h.
- village_call (new): a village's organisers post in the village's chat: voters whose first favourite is that
  village (10-40) push one of its contender talks (else one of its talks above the 60th percentile), spread
  over 2 days after the call; 8-10.
Scores 8-10 are 10/9/8 with probabilities 0.5/0.3/0.2. Campaign starts: uniform from 2 h after the vote opens
to the last day the kind's window allows (spread kinds: days 3-5 at the latest). A kind that finds no instance
(no company with three eligible staff, ...) is skipped. Campaign-only accounts' votes are all planted (cover
votes too); an existing member's planted vote replaces their honest vote of that talk.

Ground truth (`fresh7_conference(size, seed)`, a SyntheticConference): the blocs (kind, direction, every talk
the bloc's planted votes are on, members, boosted talk; an opposition bloc has none), which votes are planted,
which are a colleague's (the voter's true employer is a true employer of one of the talk's speakers, whether
or not the facts show it), which are honest (not planted, cast by a real voter) and the honest groups
(direction "honest"). Voters are ids 1..V, campaign-only accounts V + 1 on (world_voter_facts: an account
exists two minutes before its first vote at the latest). `plant` (e.g. bench/blocs_calibration.plant_nothing)
replaces the campaigns and may only plant nothing.
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
    draw_in_segments,
    members_of,
    planted_over_honest,
    weighted_choice,
    weighted_segments,
    world_conference,
)
from confvote.free_mail import FREE_MAIL_DOMAINS

DAY, HOUR, MINUTE = 86_400, 3_600, 60
OPENS = int(dt.datetime(2027, 5, 3, 16, tzinfo=dt.UTC).timestamp())
CLOSES = OPENS + 7 * DAY
SCALE = VoteScale(minimum=1, maximum=10, wanted_min=7, labels=tuple(str(i) for i in range(1, 11)))
FREE_MAIL = (
    "gmail.com",
    "proton.me",
    "protonmail.com",
    "outlook.com",
    "duck.com",
    "icloud.com",
    "tutanota.com",
    "yahoo.com",
    "pm.me",
    "hotmail.com",
)
FREE_MAIL_P = np.array([30, 18, 8, 10, 8, 8, 6, 6, 4, 2], dtype=np.float64)
COLLECTIVES = ("riseup.net", "disroot.org", "cock.li", "systemli.org", "autistici.org")
COLLECTIVES_P = np.array([4, 2, 1.5, 1, 0.5])
PUPPET_MAIL = ("cock.li", "airmail.cc", "firemail.cc")
BLOC_KINDS = (
    "coworkers",
    "order",
    "friends_burst",
    "friends_spread",
    "sockpuppets",
    "ctf_team",
    "discord_raid",
    "vote_market",
    "employer_mandate",
    "podcast_audience",
    "rival_brigade",
    "village_call",
)
# Kinds that make campaign-only accounts (voters V + 1 on).
ACCOUNT_KINDS = frozenset({"friends_spread", "sockpuppets", "discord_raid", "vote_market", "podcast_audience"})
HONEST_KINDS = (
    "hackerspace_night",
    "university_lab",
    "sponsor_staff",
    "village_regulars",
    "unrecorded_mailing",
    "spotlight_post",
)
WORLD = {  # villages, hackerspaces, CTF teams, companies, groups per honest kind
    "small": (12, 15, 8, 20, 1),
    "medium": (24, 80, 30, 70, 3),
    "large": (40, 250, 80, 200, 8),
}
UNIVERSITIES = 8
# fmt: off
WORDS = (
    "nightjar", "obsidian", "ironclad", "kestrel", "vanta", "bastion", "cinder", "halcyon", "quartz", "tessel",
    "moray", "onyx", "sable", "harrow", "lumen", "vesper", "cobalt", "gryphon", "raven", "talon", "ember", "argon",
    "zephyr", "nimbus", "cipher", "wraith", "falcon", "hollow", "nova", "rook", "specter", "mantis", "basilisk",
    "warden", "marrow", "thorn", "glyph", "pylon", "ferrous", "strata",
)
# fmt: on
SUFFIXES = ("Security", "Labs", "Cyber", "Defense", "Systems")
REGIONS = (  # share, UTC offsets in hours
    (0.58, (-8, -7, -6, -5)),
    (0.24, (0, 1, 2)),
    (0.08, (8, 9, 10)),
    (0.06, (-3,)),
    (0.04, (3, 5.5)),
)


@dataclass
class World:
    """The honest conference (positions 0-based): what the campaigns read, and the honest votes."""

    V: int
    T: int
    village: np.ndarray  # per talk; -1 the main stage
    quality: np.ndarray
    popularity: np.ndarray
    talk_company: np.ndarray  # per talk, the vendor's company or -1
    talk_space: np.ndarray
    talk_team: np.ndarray
    speaker: np.ndarray  # (T, 3) voter position or -1
    speaker_employer: np.ndarray  # (T, 3) company or -1 (outside speakers too)
    speaker_company_field: list[tuple[str, ...]]
    speaker_domains: list[tuple[str, ...]]
    employer: np.ndarray  # per voter, company or -1
    space: np.ndarray
    team: np.ndarray
    university: np.ndarray
    offset: np.ndarray  # per voter, UTC offset in seconds
    favourite: np.ndarray  # (V, 3) villages
    weight: np.ndarray
    order: list[str | None]
    domain: list[str]
    company_field: list[str | None]
    joined: np.ndarray
    votes: np.ndarray  # (n, 4) voter, talk, score, at
    honest_groups: list[PlantedBloc] = field(default_factory=list)
    promoted: dict[int, list[int]] = field(default_factory=dict)  # talk -> promotion times
    company_names: list[str] = field(default_factory=list)
    company_domains: list[str] = field(default_factory=list)
    space_of_village: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def _structure(rng, size: str):
    spec = SIZES[size]
    V, T = spec.voters, spec.talks
    D, H, K, C, _ = WORLD[size]
    vw = rng.dirichlet(np.ones(D))
    space_size = rng.pareto(1.2, H) + 1
    space_village = weighted_choice(rng, vw, H)
    region_of_space = weighted_choice(rng, [r[0] for r in REGIONS], H)
    company_size = np.arange(1, C + 1, dtype=np.float64) ** -1.0
    # voters
    region = weighted_choice(rng, [r[0] for r in REGIONS], V)
    employer = np.where(rng.random(V) < 0.38, weighted_choice(rng, company_size, V), -1)
    space = np.where(rng.random(V) < 0.30, weighted_choice(rng, space_size, V), -1)
    region = np.where(space >= 0, region_of_space[np.maximum(space, 0)], region)
    offset = np.empty(V)
    for r, (_, offs) in enumerate(REGIONS):
        sel = region == r
        offset[sel] = np.array(offs)[rng.integers(0, len(offs), sel.sum())]
    team = np.full(V, -1)
    team_sizes = rng.integers(4, 21, K)
    pool = rng.permutation(V)[: min(V, int(team_sizes.sum()))]
    team[pool] = np.repeat(np.arange(K), team_sizes)[: len(pool)]
    university = np.where((employer < 0) & (rng.random(V) < 0.10), rng.integers(0, UNIVERSITIES, V), -1)
    favourite = np.stack([weighted_choice(rng, vw, V) for _ in range(3)], axis=1)
    lean = (space >= 0) & (rng.random(V) < 0.6)
    favourite[lean, 0] = space_village[space[lean]]
    # talks
    village = np.where(rng.random(T) < 0.20, -1, weighted_choice(rng, vw, T))
    quality = rng.normal(0, 1, T)
    hot = rng.random(T) < 0.10
    popularity = np.exp(0.8 * quality + rng.normal(0, 0.6, T)) * np.where(village < 0, 2.5, 1.0) * np.where(hot, 1.8, 1)
    kind = weighted_choice(rng, [0.25, 0.10, 0.05, 0.60], T)
    talk_company = np.where(kind == 0, weighted_choice(rng, company_size, T), -1)
    talk_space = np.where(kind == 1, weighted_choice(rng, space_size, T), -1)
    talk_team = np.where(kind == 2, rng.integers(0, K, T), -1)
    n_speakers = 1 + weighted_choice(rng, [0.70, 0.22, 0.08], T)
    is_voter = rng.random((T, 3)) < 0.70
    anyone = rng.integers(0, V, (T, 3))
    speaker = np.full((T, 3), -1)
    speaker_employer = np.full((T, 3), -1)
    members = {
        "company": members_of(employer, C),
        "space": members_of(space, H),
        "team": members_of(team, K),
        "village": members_of(favourite[:, 0], D),
    }
    outside_employed = rng.random((T, 3)) < 0.3
    outside_company = weighted_choice(rng, company_size, T * 3).reshape(T, 3)
    pick = rng.random((T, 3))
    for t in range(T):
        for s in range(n_speakers[t]):
            if talk_company[t] >= 0:
                pool_t = members["company"][talk_company[t]]
            elif talk_space[t] >= 0:
                pool_t = members["space"][talk_space[t]]
            elif talk_team[t] >= 0:
                pool_t = members["team"][talk_team[t]]
            elif village[t] >= 0:
                pool_t = members["village"][village[t]]
            else:
                pool_t = np.empty(0, dtype=np.int64)
            if is_voter[t, s]:
                v = int(pool_t[int(pick[t, s] * len(pool_t))]) if len(pool_t) else int(anyone[t, s])
                if v in speaker[t]:
                    v = int(anyone[t, s])
                if v in speaker[t]:
                    continue
                speaker[t, s] = v
                speaker_employer[t, s] = employer[v]
            elif talk_company[t] >= 0:
                speaker_employer[t, s] = talk_company[t]
            elif outside_employed[t, s]:
                speaker_employer[t, s] = outside_company[t, s]
            else:
                speaker_employer[t, s] = -2  # an outside speaker, not employed (no company)
    n_filled = (speaker >= 0) | (speaker_employer != -1)
    speaker_employer[speaker_employer == -2] = -1
    return (
        {"V": V, "T": T, "D": D, "H": H, "K": K, "C": C},
        {
            "vw": vw,
            "space_village": space_village,
            "company_size": company_size,
            "region": region,
            "n_filled": n_filled,
            "hot": hot,
        },
        {
            "village": village,
            "quality": quality,
            "popularity": popularity,
            "talk_company": talk_company,
            "talk_space": talk_space,
            "talk_team": talk_team,
            "speaker": speaker,
            "speaker_employer": speaker_employer,
            "employer": employer,
            "space": space,
            "team": team,
            "university": university,
            "offset": (offset * HOUR).astype(np.int64),
            "favourite": favourite,
        },
    )


def _facts(rng, dims, extra, w):
    """Names, domains, company fields, tickets and orders of voters and speakers."""
    V, C, H, K = dims["V"], dims["C"], dims["H"], dims["K"]
    employer, space, team, university = w["employer"], w["space"], w["team"], w["university"]
    words = [f"{a}{b}" if b else a for b in ("", *WORDS) for a in WORDS if a != b]
    company_word = [words[i] for i in rng.permutation(len(words))[:C]]
    company_names = [f"{wd.capitalize()} {SUFFIXES[i % len(SUFFIXES)]}" for i, wd in enumerate(company_word)]
    company_domains = [
        (f"{wd}sec.com", f"{wd}labs.io", f"{wd}.com")[int(r)]
        for wd, r in zip(company_word, rng.integers(0, 3, C), strict=True)
    ]
    space_domains = [
        f"dc{n}.org" if r < 0.5 else f"{words[(i * 7 + 3) % len(words)]}space.org"
        for i, (n, r) in enumerate(zip(rng.integers(200, 999, H), rng.random(H), strict=True))
    ]
    team_domains = [
        f"{words[(i * 13 + 5) % len(words)]}.team" if r < 0.5 else None for i, r in enumerate(rng.random(K))
    ]
    cities = ["north", "lake", "bay", "river", "hill", "coast", "valley", "plains"]
    uni_domains = [f"cs.{c}-u.edu" for c in cities[:UNIVERSITIES]]
    # email domains, one rule after another (each applies to those no earlier rule gave a domain)
    u = rng.random((V, 6))
    personal_tld = np.array([".sh", ".net", ".io"])[rng.integers(0, 3, V)]
    free = np.array(FREE_MAIL)[weighted_choice(rng, FREE_MAIL_P, V)]
    collective = np.array(COLLECTIVES)[weighted_choice(rng, COLLECTIVES_P, V)]
    domain: list[str] = []
    for v in range(V):
        e, s, k, un = int(employer[v]), int(space[v]), int(team[v]), int(university[v])
        if e >= 0 and u[v, 0] < 0.25:
            d = company_domains[e]
        elif un >= 0 and u[v, 1] < 0.40:
            d = uni_domains[un]
        elif s >= 0 and u[v, 2] < 0.08:
            d = space_domains[s]
        elif k >= 0 and team_domains[k] and u[v, 3] < 0.30:
            d = team_domains[k]
        elif u[v, 4] < 0.12:
            d = f"h4x{v:06d}{personal_tld[v]}"
        elif u[v, 5] < 0.09 / 0.88:
            d = str(collective[v])
        else:
            d = str(free[v])
        domain.append(d)
    spell = rng.integers(0, 5, V)
    filled = rng.random(V)
    other = ("Independent", "Self", "N/A", "[REDACTED]", "Student", "none")
    other_pick = rng.integers(0, len(other), V)
    company_field: list[str | None] = []
    for v in range(V):
        e = int(employer[v])
        if e >= 0 and filled[v] < 0.30:
            name = company_names[e]
            company_field.append(
                (name, f"{name} Inc.", name.lower(), f"{name.upper()} LLC", name.split()[0])[int(spell[v])]
            )
        elif e < 0 and filled[v] < 0.08:
            company_field.append(other[int(other_pick[v])])
        else:
            company_field.append(None)
    # tickets and orders
    ticket = weighted_choice(rng, [0.55, 0.15, 0.30], V)
    weight = np.array([1.0, 0.5, 0.0])[ticket]
    order: list[str | None] = [None] * V
    holders = ticket == 0
    corp = holders & (employer >= 0) & (rng.random(V) < 0.35)
    grp = holders & ~corp & (space >= 0) & (rng.random(V) < 0.40)
    for mask, group, prefix, chunk in ((corp, employer, "CORP", 20), (grp, space, "GRP", 15)):
        idx = np.flatnonzero(mask)
        idx = idx[np.argsort(group[idx], kind="stable")]
        g = group[idx]
        rank = np.arange(len(idx)) - np.searchsorted(g, g)
        for v, gg, r in zip(idx.tolist(), g.tolist(), rank.tolist(), strict=True):
            order[v] = f"{prefix}-{gg:04d}-{r // chunk}"
    lottery = np.flatnonzero(holders & ~corp & ~grp)
    lottery = lottery[rng.permutation(len(lottery))]
    pairs = rng.random(len(lottery)) < 0.10
    i = 0
    while i < len(lottery):
        order[int(lottery[i])] = f"LOT-{int(lottery[i]):06d}"
        if pairs[i] and i + 1 < len(lottery):
            order[int(lottery[i + 1])] = f"LOT-{int(lottery[i]):06d}"
            i += 1
        i += 1
    for v in np.flatnonzero(ticket == 1).tolist():
        order[v] = f"SUP-{v:06d}"
    return {
        "domain": domain,
        "company_field": company_field,
        "weight": weight,
        "order": order,
        "company_names": company_names,
        "company_domains": company_domains,
    }


def _speaker_facts(rng, w, f, T):
    names, domains = f["company_names"], f["company_domains"]
    show = rng.random((T, 3)) < 0.70
    work = rng.random((T, 3)) < 0.50
    free = np.array(FREE_MAIL)[weighted_choice(rng, FREE_MAIL_P, T * 3)].reshape(T, 3)
    companies, mails = [], []
    for t in range(T):
        cs, ds = [], []
        for s in range(3):
            e, v = int(w["speaker_employer"][t, s]), int(w["speaker"][t, s])
            present = v >= 0 or e >= 0 or f["outside"][t, s]
            if not present:
                continue
            if e >= 0 and show[t, s]:
                cs.append(names[e])
            if v >= 0:
                ds.append(f["domain"][v])
            elif e >= 0 and work[t, s]:
                ds.append(domains[e])
            else:
                ds.append(str(free[t, s]))
        companies.append(tuple(dict.fromkeys(cs)))
        mails.append(tuple(dict.fromkeys(ds)))
    return companies, mails


def _ballot_lengths(rng, V: int, T: int, target: float) -> np.ndarray:
    u = rng.random(V)
    light = 1 + rng.binomial(2, 0.35, V)
    complete = np.round(rng.uniform(0.15, 0.5, V) * min(T, 300))
    z = rng.normal(0, 0.9, V)
    is_light, is_complete = u < 0.20, (u >= 0.20) & (u < 0.23)
    rest = ~is_light & ~is_complete
    fixed = light[is_light].sum() + complete[is_complete].sum()
    mu = np.log(max(1.0, (target - fixed) / max(1, rest.sum()))) - 0.9**2 / 2
    for _ in range(6):  # the mean that gives the target after rounding and clipping
        drawn = np.clip(np.round(np.exp(mu + z[rest])), 1, int(0.6 * T)).sum()
        mu += np.log(max(1.0, target - fixed) / drawn)
    n = np.where(is_light, light, np.where(is_complete, complete, np.round(np.exp(mu + z))))
    return np.clip(n, 1, int(0.6 * T)).astype(np.int64)


def _draw_talks(rng, w, n: np.ndarray, T: int, dims) -> np.ndarray:
    """Each voter's distinct talks (rows voter, talk), by the draw mixture of the docstring."""
    V = len(n)
    pop = w["popularity"]
    village_seg = weighted_segments(
        np.maximum(w["village"], 0), np.arange(T), pop * (w["village"] >= 0), dims["D"]
    )  # the main stage is the whole programme's
    aff_keys, aff_talks = _affiliation_pairs(w, dims)
    aff_seg = weighted_segments(aff_keys, aff_talks, pop, dims["C"] + dims["H"] + dims["K"])
    aff = np.stack(
        [
            w["employer"],
            np.where(w["space"] >= 0, w["space"] + dims["C"], -1),
            np.where(w["team"] >= 0, w["team"] + dims["C"] + dims["H"], -1),
        ],
        axis=1,
    )
    whole_cum = np.cumsum(pop)
    long = n > 0.15 * T
    rows = []
    want = np.where(long, 0, n)
    have = np.zeros(V, dtype=np.int64)
    got_keys = np.empty(0, dtype=np.int64)
    for _ in range(4):
        need = want - have
        if not (need > 0).any():
            break
        k = np.where(need > 0, np.ceil(1.5 * need).astype(np.int64) + 4, 0)
        voter = np.repeat(np.arange(V), k)
        m = len(voter)
        channel = weighted_choice(rng, [0.50, 0.35, 0.15], m)
        talk = np.searchsorted(whole_cum, rng.random(m) * whole_cum[-1], side="right")
        fav_col = weighted_choice(rng, [0.5, 0.3, 0.2], m)
        in_village = draw_in_segments(rng, village_seg, w["favourite"][voter, fav_col])
        slot = aff[voter, rng.integers(0, 3, m)]
        in_aff = draw_in_segments(rng, aff_seg, slot)
        talk = np.where((channel == 1) & (in_village >= 0), in_village, talk)
        talk = np.where((channel == 2) & (in_aff >= 0), in_aff, talk)
        keys = voter * T + talk
        # first occurrence of each new (voter, talk), in draw order
        _, first = np.unique(keys, return_index=True)
        first = np.sort(first)
        first = first[~np.isin(keys[first], got_keys)]
        v = voter[first]
        rank = np.arange(len(v)) - np.searchsorted(v, v)  # v is sorted (draws are in voter order)
        keep = first[rank < need[v]]
        got_keys = np.concatenate([got_keys, keys[keep]])
        have += np.bincount(voter[keep], minlength=V)
        rows.append(np.stack([voter[keep], talk[keep]], axis=1))
    for v in np.flatnonzero(long).tolist():
        mix = 0.5 * pop / pop.sum()
        for col, share in enumerate((0.5, 0.3, 0.2)):
            sel = w["village"] == w["favourite"][v, col]
            if sel.any():
                mix = mix + 0.35 * share * np.where(sel, pop, 0) / pop[sel].sum()
        talks_aff = aff_talks[np.isin(aff_keys, aff[v][aff[v] >= 0])]
        if len(talks_aff):
            mix[talks_aff] += 0.15 / len(talks_aff)
        else:
            mix = mix + 0.15 * pop / pop.sum()
        keys = np.log(mix) + rng.gumbel(size=T)
        chosen = np.argsort(-keys)[: n[v]]
        rows.append(np.stack([np.full(len(chosen), v), chosen], axis=1))
    out = np.concatenate(rows)
    return out[np.lexsort((out[:, 1], out[:, 0]))]


def _affiliation_pairs(w, dims):
    keys, talks = [], []
    for s in range(3):
        e = w["speaker_employer"][:, s]
        keys.append(e[e >= 0])
        talks.append(np.flatnonzero(e >= 0))
        v = w["speaker"][:, s]
        for name, off in (("space", dims["C"]), ("team", dims["C"] + dims["H"])):
            g = np.where(v >= 0, w[name][np.maximum(v, 0)], -1)
            keys.append(g[g >= 0] + off)
            talks.append(np.flatnonzero(g >= 0))
    for name, off in (("talk_space", dims["C"]), ("talk_team", dims["C"] + dims["H"])):
        g = w[name]
        keys.append(g[g >= 0] + off)
        talks.append(np.flatnonzero(g >= 0))
    pairs = np.unique(np.stack([np.concatenate(keys), np.concatenate(talks)], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _affinity(w, voters: np.ndarray, talks: np.ndarray, dims):
    """Per (voter, talk): a favourite village (0/1), an affiliation speaks (0/1), a colleague speaks."""
    fav = (w["favourite"][voters] == w["village"][talks][:, None]).any(axis=1) & (w["village"][talks] >= 0)
    emp = w["employer"][voters]
    colleague = (emp[:, None] == w["speaker_employer"][talks]).any(axis=1) & (emp >= 0)
    same = colleague.copy()
    for name, tname in (("space", "talk_space"), ("team", "talk_team")):
        g = w[name][voters]
        sp = w["speaker"][talks]
        speaker_g = np.where(sp >= 0, w[name][np.maximum(sp, 0)], -1)
        same |= (g >= 0) & ((g[:, None] == speaker_g).any(axis=1) | (g == w[tname][talks]))
    return fav, same, colleague


def _scores(rng, w, voters, talks, dims, style, bias, shift=None) -> np.ndarray:
    fav, same, _ = _affinity(w, voters, talks, dims)
    latent = 1.1 * w["quality"][talks] + 0.7 * fav + 1.0 * same + bias[voters] + rng.normal(0, 1, len(voters))
    if shift is not None:
        latent = latent + shift
    plain = np.clip(np.round(5.5 + 1.5 * latent), 1, 10)
    binary = np.where(latent > 0.3, 10, 1)
    compressed = np.clip(np.round(6.5 + 0.8 * latent), 4, 8)
    s = style[voters]
    return np.where(s == 1, binary, np.where(s == 2, compressed, plain)).astype(np.int64)


def _session_times(rng, voters: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Vote times for rows ordered by voter: sessions as the docstring says."""
    V = len(offset)
    n = np.bincount(voters, minlength=V)
    k = np.minimum(1 + rng.poisson(n / 12), 5)
    k = np.maximum(np.minimum(k, n), 1)
    session = (rng.random(len(voters)) * k[voters]).astype(np.int64)
    day_w = np.ones(7)
    day_w[0], day_w[3], day_w[6] = 3.0, 1.6, 2.5
    n_sessions = int(k.sum())
    s_voter = np.repeat(np.arange(V), k)
    day = weighted_choice(rng, day_w, n_sessions)
    band = weighted_choice(rng, [0.45, 0.30, 0.15, 0.10], n_sessions)
    lo = np.array([20, 9, 17, 26])[band]
    width = np.array([6, 8, 3, 3])[band]
    local = (lo + rng.random(n_sessions) * width) * HOUR
    # the local day starts at the voter's midnight: day d's local hour h is OPENS's UTC day + d + h - offset
    midnight = OPENS - OPENS % DAY
    start = midnight + day * DAY + local.astype(np.int64) - offset[s_voter]
    start = np.where(start < OPENS, OPENS + (rng.random(n_sessions) * 6 * HOUR).astype(np.int64), start)
    start = np.where(start >= CLOSES, start - DAY * ((start - CLOSES) // DAY + 1), start)
    start = np.maximum(start, OPENS)
    first_session = np.r_[0, np.cumsum(k)[:-1]]
    sid = first_session[voters] + session
    order = np.lexsort((np.arange(len(voters)), sid))
    gaps = 4 + rng.exponential(20, len(voters))
    cum = np.cumsum(gaps[order])
    sid_sorted = sid[order]
    begin = np.searchsorted(sid_sorted, sid_sorted)
    within = cum - cum[begin] + gaps[order][begin]
    duration = np.zeros(n_sessions)
    np.maximum.at(duration, sid_sorted, within)
    start = np.minimum(start, CLOSES - 1 - np.ceil(duration).astype(np.int64))
    at = np.empty(len(voters), dtype=np.int64)
    at[order] = start[sid_sorted] + within.astype(np.int64)
    return at


def _honest(rng, size: str) -> World:
    """The honest conference: structure, facts, ballots and the honest correlated groups."""
    dims, extra, w = _structure(rng, size)
    V, T = dims["V"], dims["T"]
    f = _facts(rng, dims, extra, w)
    f["outside"] = extra["n_filled"]
    companies, mails = _speaker_facts(rng, w, f, T)
    spec = SIZES[size]
    n = _ballot_lengths(rng, V, T, 0.92 * spec.votes)
    pairs = _draw_talks(rng, w, n, T, dims)
    bias = rng.normal(0, 0.5, V) + np.where(rng.random(V) < 0.08, 1.0, 0) - np.where(rng.random(V) < 0.06, 1.0, 0)
    style = weighted_choice(rng, [0.80, 0.08, 0.12], V)
    joined_as = weighted_choice(rng, [0.40, 0.25, 0.35], V)  # before the CfP, during it, during the vote
    score = _scores(rng, w, pairs[:, 0], pairs[:, 1], dims, style, bias)
    at = _session_times(rng, pairs[:, 0], w["offset"])
    base = np.stack([pairs[:, 0], pairs[:, 1], score, at], axis=1)
    facts = {k: f[k] for k in ("weight", "order", "domain", "company_field", "company_names", "company_domains")}
    world = World(
        V=V,
        T=T,
        **w,
        **facts,
        speaker_company_field=companies,
        speaker_domains=mails,
        joined=np.zeros(V, dtype=np.int64),
        votes=base,
        space_of_village=extra["space_village"],
    )
    group_rows = _honest_groups(rng, world, w, dims, extra, style, bias, size, joined_as)
    world.votes, _ = planted_over_honest(base, group_rows, T)
    world.joined = _joined(rng, world, joined_as)
    return world


def _joined(rng, world: World, joined_as: np.ndarray) -> np.ndarray:
    V = world.V
    first = np.full(V, CLOSES, dtype=np.int64)
    np.minimum.at(first, world.votes[:, 0], world.votes[:, 3])
    before_cfp = OPENS - 90 * DAY - (rng.random(V) * 5 * 365 * DAY).astype(np.int64)
    cfp = OPENS - (rng.random(V) * 90 * DAY).astype(np.int64)
    soon = first - rng.integers(MINUTE, 30 * MINUTE, V)
    later = first - rng.integers(HOUR, 2 * DAY, V)
    during = np.where(rng.random(V) < 0.7, soon, later)
    return np.minimum(np.where(joined_as == 0, before_cfp, np.where(joined_as == 1, cfp, during)), first - 2 * MINUTE)


def _honest_groups(rng, world: World, w, dims, extra, style, bias, size, joined_as) -> list[np.ndarray]:
    """The honest correlated groups of the docstring: their votes (rows), and world.honest_groups."""
    V, T = world.V, world.T
    per_kind = WORLD[size][4]
    used = np.zeros(V, dtype=bool)
    rows: list[np.ndarray] = []
    pop = world.popularity

    def free_of(mask: np.ndarray) -> np.ndarray:
        return np.flatnonzero(mask & ~used)

    def add(kind: str, members: np.ndarray, talks: np.ndarray, p, times, taste) -> None:
        """Each member rates each talk with probability p (per member or one for all; at least one talk
        each); scores with the shared taste per talk."""
        m, k = len(members), len(talks)
        take = rng.random((m, k)) < np.broadcast_to(np.asarray(p, dtype=np.float64), (m,))[:, None]
        take[np.arange(m), rng.integers(0, k, m)] = True
        mi, ti = np.nonzero(take)
        voters, ts = members[mi], talks[ti]
        scores = _scores(rng, w, voters, ts, dims, style, bias, shift=taste[ti])
        at = np.clip(times(mi, ti), OPENS, CLOSES - 1).astype(np.int64)
        rows.append(np.stack([voters, ts, scores, at], axis=1))
        used[members] = True
        world.honest_groups.append(
            PlantedBloc(
                kind=kind,
                direction="honest",
                talk_ids=tuple(sorted((talks + 1).tolist())),
                member_ids=tuple(sorted((members + 1).tolist())),
                boosted_talk=None,
            )
        )

    def count(kind: str) -> int:
        return sum(g.kind == kind for g in world.honest_groups)

    def spread(mi, ti):
        return OPENS + rng.random(len(mi)) * 7 * DAY

    def village_talks(d: int, lo: int, hi: int, exclude=None) -> np.ndarray:
        cand = np.flatnonzero((world.village == d) if exclude is None else (world.village == d) & exclude)
        k = min(len(cand), int(rng.integers(lo, hi + 1)))
        if k == 0:
            return cand
        return np.sort(rng.choice(cand, size=k, replace=False, p=pop[cand] / pop[cand].sum()))

    # hackerspace nights
    spaces = np.argsort(-np.bincount(np.maximum(world.space, 0), weights=world.space >= 0, minlength=dims["H"]))
    for h in spaces.tolist():
        if count("hackerspace_night") == per_kind:
            break
        members = free_of(world.space == h)
        talks = village_talks(int(extra["space_village"][h]), 4, 8)
        if len(members) < 6 or len(talks) < 2:
            continue
        members = np.sort(rng.choice(members, size=min(len(members), int(rng.integers(6, 31))), replace=False))
        day = int(rng.integers(0, 7))
        offset = int(np.median(world.offset[members]))
        night = OPENS - OPENS % DAY + day * DAY + 19 * HOUR - offset
        night = min(max(night, OPENS), CLOSES - 4 * HOUR)
        begin = rng.random(len(members)) * 3 * HOUR
        add(
            "hackerspace_night",
            members,
            talks,
            0.75,
            lambda mi, ti, night=night, begin=begin: night + begin[mi] + ti * 40,
            rng.normal(0.4, 0.8, len(talks)),
        )
    # university labs
    unis = np.argsort(
        -np.bincount(np.maximum(world.university, 0), weights=world.university >= 0, minlength=UNIVERSITIES)
    )
    for u in unis.tolist():
        if count("university_lab") == per_kind:
            break
        members = free_of(world.university == u)
        talks = village_talks(int(rng.choice(dims["D"], p=extra["vw"])), 3, 6)
        if len(members) < 5 or len(talks) < 2:
            continue
        members = np.sort(rng.choice(members, size=min(len(members), int(rng.integers(5, 21))), replace=False))
        add("university_lab", members, talks, 0.7, spread, rng.normal(0.5, 0.7, len(talks)))
    # sponsor staff fond of one village
    for c in range(dims["C"]):  # the largest companies first
        if count("sponsor_staff") == per_kind:
            break
        members = free_of(world.employer == c)
        not_theirs = ~(world.speaker_employer == c).any(axis=1)
        talks = village_talks(int(rng.choice(dims["D"], p=extra["vw"])), 4, 8, not_theirs)
        if len(members) < 8 or len(talks) < 2:
            continue
        members = np.sort(rng.choice(members, size=min(len(members), int(rng.integers(8, 41))), replace=False))
        office = OPENS - OPENS % DAY - world.offset[members]

        def at_office(mi, ti, office=office):
            day = rng.integers(0, 7, len(mi))
            return office[mi] + day * DAY + (9 + rng.random(len(mi)) * 8) * HOUR

        add("sponsor_staff", members, talks, 0.6, at_office, rng.normal(0.6, 0.6, len(talks)))
    # village regulars
    villages = np.argsort(-extra["vw"])
    for d in villages.tolist():
        if count("village_regulars") == per_kind:
            break
        members = free_of(world.favourite[:, 0] == d)
        talks = village_talks(d, 5, 10)
        if len(members) < 12 or len(talks) < 2:
            continue
        members = np.sort(rng.choice(members, size=min(len(members), int(rng.integers(12, 41))), replace=False))
        add("village_regulars", members, talks, 0.5, spread, 0.9 + rng.normal(0, 0.6, len(talks)))
    # the organizers' mailing to last year's attendees (not recorded as a promotion)
    ranks = np.argsort(np.argsort(pop)) / T
    featured = np.flatnonzero((ranks >= 0.50) & (ranks < 0.95))
    for g in range(per_kind):
        talks = np.sort(rng.choice(featured, size=6, replace=False))
        returning = free_of(joined_as == 0)
        k = min(len(returning), max(10, round(0.04 * V / per_kind)))
        members = np.sort(rng.choice(returning, size=k, replace=False))
        sent = OPENS - OPENS % DAY + (1 + g * 5 // per_kind) * DAY + 15 * HOUR
        add(
            "unrecorded_mailing",
            members,
            talks,
            rng.integers(1, 4, len(members)) / 6,
            lambda mi, ti, sent=sent: sent + np.minimum(rng.exponential(4 * HOUR, len(mi)), DAY),
            np.zeros(len(talks)),
        )
    # the con's recorded spotlight posts
    spot = np.flatnonzero((ranks >= 0.40) & (ranks < 0.90))
    spot = spot[~np.isin(spot, np.concatenate([np.asarray(g.talk_ids) - 1 for g in world.honest_groups]))]
    chosen = rng.choice(spot, size=4, replace=False)
    for day, t in zip((1, 2, 4, 5), chosen.tolist(), strict=True):
        posted = OPENS - OPENS % DAY + day * DAY + 18 * HOUR
        readers = free_of(np.ones(V, dtype=bool))
        members = np.sort(rng.choice(readers, size=max(5, round(0.015 * V)), replace=False))
        world.promoted[t] = [int(posted)]
        add(
            "spotlight_post",
            members,
            np.array([t]),
            1.0,
            lambda mi, ti, posted=posted: posted + np.minimum(rng.exponential(2 * HOUR, len(mi)), DAY),
            np.zeros(1),
        )
    return rows


class _Campaigns:
    """The planted campaigns of the docstring, drawn from their own random stream."""

    def __init__(self, rng, world: World):
        self.rng, self.w = rng, world
        self.used = np.zeros(world.V, dtype=bool)
        for g in world.honest_groups:
            self.used[np.asarray(g.member_ids) - 1] = True
        self.accounts: list[tuple[float, str | None, str, str | None, int]] = []
        ranks = np.argsort(np.argsort(world.quality)) / world.T
        self.contenders = np.flatnonzero((ranks >= 0.70) & (ranks < 0.92))
        self.strong = np.flatnonzero(ranks >= 0.85)
        self.pop = world.popularity / world.popularity.sum()

    # helpers
    def size(self, lo: int = 3, hi: int = 40) -> int:
        return int(np.clip(round(np.exp(self.rng.uniform(np.log(lo), np.log(hi)))), lo, hi))

    def eligible(self, mask: np.ndarray, t0: float) -> np.ndarray:
        return np.flatnonzero(mask & ~self.used & (self.w.joined <= t0 - 2 * MINUTE))

    def pick(self, pool: np.ndarray, k: int) -> np.ndarray:
        return np.sort(self.rng.choice(pool, size=min(k, len(pool)), replace=False))

    def start(self, width: float, latest_day: float = 6.0) -> int:
        hi = min(CLOSES - width - HOUR, OPENS + latest_day * DAY)
        return int(OPENS + 2 * HOUR + self.rng.random() * (hi - OPENS - 2 * HOUR))

    def top(self, n: int, low: int = 9) -> np.ndarray:
        if low == 9:
            return np.where(self.rng.random(n) < 0.7, 10, 9)
        return np.array([10, 9, 8])[weighted_choice(self.rng, [0.5, 0.3, 0.2], n)]

    def plausible(self, talks: np.ndarray) -> np.ndarray:
        latent = 1.1 * self.w.quality[talks] + self.rng.normal(0, 1, len(talks))
        return np.clip(np.round(5.5 + 1.5 * latent), 1, 10).astype(np.int64)

    def popular(self, k: int, exclude: int) -> np.ndarray:
        p = self.pop.copy()
        p[exclude] = 0
        return self.rng.choice(self.w.T, size=k, replace=False, p=p / p.sum())

    def account(self, weight: float, order: str | None, domain: str, joined: int) -> int:
        self.accounts.append((weight, order, domain, None, int(joined)))
        return self.w.V + len(self.accounts) - 1

    def free_mail(self) -> str:
        return FREE_MAIL[int(weighted_choice(self.rng, FREE_MAIL_P, 1)[0])]

    def rows(self, voters, talks, scores, at) -> np.ndarray:
        at = np.clip(np.asarray(at, dtype=np.float64), OPENS, CLOSES - 1).astype(np.int64)
        return np.stack([np.asarray(voters), np.asarray(talks), np.asarray(scores), at], axis=1).astype(np.int64)

    def done(self, kind, direction, members, rows, boosted):
        self.used[members[members < self.w.V]] = True
        bloc = PlantedBloc(
            kind=kind,
            direction=direction,
            talk_ids=tuple(sorted({int(t) + 1 for t in rows[:, 1]})),
            member_ids=tuple(sorted((members + 1).tolist())),
            boosted_talk=None if boosted is None else int(boosted) + 1,
        )
        return bloc, rows

    # the kinds
    def coworkers(self):
        w = self.w
        for t in self.rng.permutation(self.contenders).tolist():
            employers = w.speaker_employer[t][w.speaker_employer[t] >= 0]
            if not len(employers):
                continue
            burst = self.rng.random() < 0.5
            s0 = self.start(2 * HOUR if burst else DAY, 5.0)
            pool = self.eligible(w.employer == employers[0], s0)
            if len(pool) < 3:
                continue
            m = self.pick(pool, self.size())
            at = s0 + self.rng.random(len(m)) * (2 * HOUR if burst else CLOSES - 1 - s0)
            return self.done("coworkers", "support", m, self.rows(m, np.full(len(m), t), self.top(len(m)), at), t)
        return None

    def order(self):
        w = self.w
        s0 = self.start(3 * DAY, 4.0)
        codes: dict[str, list[int]] = {}
        for v in self.eligible(np.ones(w.V, dtype=bool), s0).tolist():
            if w.order[v] and w.order[v][:4] in ("GRP-", "CORP"):
                codes.setdefault(w.order[v], []).append(v)
        big = sorted(c for c, vs in codes.items() if len(vs) >= 3)
        grp = [c for c in big if c.startswith("GRP-")]
        if not big:
            return None
        code = grp[int(self.rng.integers(len(grp)))] if grp else big[int(self.rng.integers(len(big)))]
        m = np.array(sorted(codes[code])[:40])
        t = int(self.rng.choice(self.contenders))
        at = s0 + self.rng.random(len(m)) * 3 * DAY
        return self.done("order", "support", m, self.rows(m, np.full(len(m), t), self.top(len(m), 8), at), t)

    def friends_burst(self):
        w = self.w
        s0 = self.start(2 * HOUR)
        pool = self.rng.permutation(self.eligible(np.ones(w.V, dtype=bool), s0))
        k, chosen, orders = self.size(), [], set()
        for v in pool.tolist():
            if w.order[v] is not None and w.order[v] in orders:
                continue
            if w.order[v] is not None:
                orders.add(w.order[v])
            chosen.append(v)
            if len(chosen) == k:
                break
        m = np.sort(np.array(chosen))
        t = int(self.rng.choice(self.contenders))
        at = s0 + self.rng.random(len(m)) * 2 * HOUR
        return self.done("friends_burst", "support", m, self.rows(m, np.full(len(m), t), self.top(len(m)), at), t)

    def friends_spread(self):
        rng, t = self.rng, int(self.rng.choice(self.contenders))
        s0 = self.start(DAY, 3.0)
        parts, members = [], []
        for _ in range(self.size()):
            at = s0 + rng.random() * (CLOSES - 1 - s0)
            pledge = rng.random() < 0.5
            v = self.account(
                0.5 if pledge else 0.0, None, self.free_mail(), int(at - rng.integers(MINUTE, 20 * MINUTE))
            )
            if pledge:
                self.accounts[-1] = (0.5, f"SUP-F{v:07d}", *self.accounts[-1][2:])
            members.append(v)
            parts.append(self.rows([v], [t], self.top(1), [at]))
            if rng.random() < 0.4:
                o = self.popular(1, t)
                parts.append(self.rows([v], o, self.plausible(o), [at + rng.integers(10, 300)]))
        m = np.array(members)
        return self.done("friends_spread", "support", m, np.concatenate(parts), t)

    def sockpuppets(self):
        rng = self.rng
        t = int(rng.choice(self.contenders))
        cover = self.popular(int(rng.integers(5, 12)), t)
        talks = np.r_[t, cover]
        common = np.r_[10, self.plausible(cover)]
        k = self.size()
        batches = []
        while sum(batches) < k:
            batches.append(min(int(rng.integers(3, 9)), k - sum(batches)))
        if batches[-1] < 3 and len(batches) > 1:
            last = batches.pop()
            batches[-1] += last
        s0 = self.start(DAY, 2.0)
        span = rng.uniform(0.5, 1.0) * (CLOSES - 2 * HOUR - s0)
        starts = np.sort(s0 + np.r_[0, rng.random(len(batches) - 1) * span]).astype(np.int64)
        parts, members = [], []
        for b, start in zip(batches, starts.tolist(), strict=True):
            made = start - rng.integers(10 * MINUTE, 3 * DAY)
            for _ in range(b):
                u = rng.random()
                weight = 1.0 if u < 0.4 else 0.5 if u < 0.7 else 0.0
                domain = PUPPET_MAIL[int(rng.integers(3))] if rng.random() < 0.5 else self.free_mail()
                v = self.account(weight, None, domain, int(made + rng.integers(0, 5 * MINUTE)))
                code = f"LOT-P{v:07d}" if weight == 1.0 else f"SUP-P{v:07d}" if weight == 0.5 else None
                self.accounts[-1] = (weight, code, *self.accounts[-1][2:])
                scores = common.copy()
                change = rng.choice(np.arange(1, len(talks)), size=int(rng.integers(0, 3)), replace=False)
                scores[change] = np.clip(scores[change] + rng.choice([-2, -1, 1, 2], len(change)), 1, 10)
                at = start + rng.integers(0, 50 * MINUTE) + np.cumsum(rng.integers(5, 30, len(talks)))
                members.append(v)
                shuffle = rng.permutation(len(talks))
                parts.append(self.rows(np.full(len(talks), v), talks[shuffle], scores[shuffle], at))
        return self.done("sockpuppets", "support", np.array(members), np.concatenate(parts), t)

    def ctf_team(self):
        w = self.w
        for team in self.rng.permutation(int(w.team.max()) + 1).tolist():
            talks = np.flatnonzero(w.talk_team == team)
            if not len(talks):
                sp = w.speaker
                talks = np.flatnonzero(((sp >= 0) & (w.team[np.maximum(sp, 0)] == team)).any(axis=1))
            if not len(talks):
                continue
            t = int(self.rng.choice(talks))
            s0 = self.start(3 * HOUR)
            pool = self.eligible(w.team == team, s0)
            if len(pool) < 3:
                continue
            m = self.pick(pool, 40)
            at = s0 + self.rng.random(len(m)) * 3 * HOUR
            return self.done("ctf_team", "support", m, self.rows(m, np.full(len(m), t), np.full(len(m), 10), at), t)
        return None

    def discord_raid(self):
        rng, w = self.rng, self.w
        t = int(rng.choice(self.contenders))
        s0 = self.start(2 * HOUR)
        k = self.size()
        n_old = round(0.4 * k)
        old = self.pick(self.eligible(np.ones(w.V, dtype=bool), s0), n_old)
        at_old = s0 + rng.random(len(old)) * 90 * MINUTE
        parts = [self.rows(old, np.full(len(old), t), np.full(len(old), 10), at_old)]
        members = list(old.tolist())
        for _ in range(k - len(old)):
            at = s0 + rng.random() * 90 * MINUTE
            domain = (
                self.free_mail() if rng.random() < 0.85 else COLLECTIVES[int(weighted_choice(rng, COLLECTIVES_P, 1)[0])]
            )
            pledge = rng.random() < 0.2
            v = self.account(
                0.5 if pledge else 0.0,
                f"SUP-D{self.w.V + len(self.accounts):07d}" if pledge else None,
                domain,
                int(at - rng.integers(MINUTE, 15 * MINUTE)),
            )
            members.append(v)
            parts.append(self.rows([v], [t], [10], [at]))
            if rng.random() < 0.3:
                o = self.popular(int(rng.integers(1, 3)), t)
                parts.append(
                    self.rows(np.full(len(o), v), o, rng.integers(1, 11, len(o)), at + rng.integers(30, 300, len(o)))
                )
        return self.done("discord_raid", "support", np.array(sorted(members)), np.concatenate(parts), t)

    def vote_market(self):
        rng = self.rng
        t = int(rng.choice(self.contenders))
        k = self.size(5, 40)
        s0 = self.start(DAY, 4.0)
        at0 = s0 + np.cumsum(rng.integers(45 * MINUTE, 90 * MINUTE, k)) - 45 * MINUTE
        parts, members = [], []
        for start in at0.tolist():
            u = rng.random()
            weight = 1.0 if u < 0.5 else 0.5 if u < 0.75 else 0.0
            made = OPENS - rng.integers(365 * DAY, 3 * 365 * DAY)
            v = self.account(weight, None, FREE_MAIL[int(rng.integers(len(FREE_MAIL)))], int(made))
            code = f"LOT-M{v:07d}" if weight == 1.0 else f"SUP-M{v:07d}" if weight == 0.5 else None
            self.accounts[-1] = (weight, code, *self.accounts[-1][2:])
            cover = self.popular(int(rng.integers(4, 13)), t)
            talks = rng.permutation(np.r_[t, cover])
            scores = np.where(talks == t, 10, self.plausible(talks))
            at = start + np.cumsum(rng.integers(5, 41, len(talks)))
            members.append(v)
            parts.append(self.rows(np.full(len(talks), v), talks, scores, at))
        return self.done("vote_market", "support", np.array(members), np.concatenate(parts), t)

    def employer_mandate(self):
        w = self.w
        day = int(self.rng.integers(0, 6))
        s0 = OPENS + day * DAY
        for c in self.rng.permutation(len(w.company_names)).tolist():
            talks = np.flatnonzero((w.speaker_employer == c).any(axis=1))
            pool = self.eligible((w.employer == c) & (w.weight > 0), s0)
            if not len(talks) or len(pool) < 3:
                continue
            t = int(self.rng.choice(talks))
            m = self.pick(pool, self.size(10, 40))
            at = s0 + self.rng.random(len(m)) * 8 * HOUR
            scores = np.where(self.rng.random(len(m)) < 0.8, 10, 9)
            return self.done("employer_mandate", "support", m, self.rows(m, np.full(len(m), t), scores, at), t)
        return None

    def podcast_audience(self):
        rng, w = self.rng, self.w
        s0 = self.start(2 * DAY, 4.0)
        talks = np.r_[rng.permutation(self.contenders), rng.permutation(w.T)]  # a contender's speaker first
        for t in talks.tolist():
            hosts = [int(v) for v in w.speaker[t] if v >= 0 and not self.used[v] and w.joined[v] <= s0 - 2 * MINUTE]
            if hosts:
                break
        else:
            return None
        host = hosts[0]
        pick = int(self.popular(1, t)[0])
        k = self.size() - 1
        n_old = round(0.3 * k)
        mask = np.ones(w.V, dtype=bool)
        mask[host] = False
        old = self.pick(self.eligible(mask, s0), n_old)
        parts = [self.rows([host], [t], [10], [s0 + rng.integers(0, HOUR)])]
        members = [host, *old.tolist()]
        listeners = [(int(v), None) for v in old] + [(None, None)] * (k - len(old))
        for v, _ in listeners:
            at = s0 + min(rng.exponential(10 * HOUR), 48 * HOUR)
            if v is None:
                pledge = rng.random() < 0.4
                v = self.account(
                    0.5 if pledge else 0.0, None, self.free_mail(), int(at - rng.integers(5 * MINUTE, HOUR))
                )
                if pledge:
                    self.accounts[-1] = (0.5, f"SUP-C{v:07d}", *self.accounts[-1][2:])
                members.append(v)
            parts.append(self.rows([v], [t], self.top(1), [at]))
            if rng.random() < 0.5:
                parts.append(self.rows([v], [pick], self.top(1, 8), [at + rng.integers(20, 600)]))
        return self.done("podcast_audience", "support", np.array(sorted(members)), np.concatenate(parts), t)

    def rival_brigade(self):
        w = self.w
        s0 = self.start(DAY)
        for t in self.rng.permutation(self.strong).tolist():
            rivals = w.speaker_employer[t][w.speaker_employer[t] >= 0]
            if not len(rivals):
                continue
            others = [c for c in self.rng.permutation(len(w.company_names)).tolist() if c not in rivals]
            for c in others[:5]:
                pool = self.eligible(w.employer == c, s0)
                if len(pool) < 3:
                    continue
                m = self.pick(pool, self.size())
                scores = np.where(self.rng.random(len(m)) < 0.7, 1, 2)
                scores[0] = 1
                at = s0 + self.rng.random(len(m)) * DAY
                return self.done("rival_brigade", "oppose", m, self.rows(m, np.full(len(m), t), scores, at), None)
        return None

    def village_call(self):
        w = self.w
        s0 = self.start(2 * DAY, 5.0)
        ranks = np.argsort(np.argsort(w.quality)) / w.T
        for d in self.rng.permutation(int(w.village.max()) + 1).tolist():
            talks = np.intersect1d(np.flatnonzero(w.village == d), self.contenders)
            if not len(talks):
                talks = np.flatnonzero((w.village == d) & (ranks >= 0.6))
            pool = self.eligible(w.favourite[:, 0] == d, s0)
            if not len(talks) or len(pool) < 3:
                continue
            t = int(self.rng.choice(talks))
            m = self.pick(pool, self.size(10, 40))
            at = s0 + self.rng.random(len(m)) * 2 * DAY
            return self.done("village_call", "support", m, self.rows(m, np.full(len(m), t), self.top(len(m), 8), at), t)
        return None


def _campaigns(rng, world: World, n_blocs: int):
    """The planted blocs, their votes and the campaign-only accounts (weight, order, domain, company,
    joined)."""
    c = _Campaigns(rng, world)
    kinds = list(BLOC_KINDS) + [
        BLOC_KINDS[i] for i in rng.integers(0, len(BLOC_KINDS), max(0, n_blocs - len(BLOC_KINDS)))
    ]
    blocs, parts = [], []
    for kind in kinds:
        got = getattr(c, kind)()
        if got is None:
            continue
        bloc, rows = got
        blocs.append(bloc)
        parts.append(rows)
    return blocs, parts, c.accounts


def fresh7_conference(size: str = "small", seed: int = 1, plant: Callable | None = None) -> SyntheticConference:
    """The hacker conference of the module docstring with its campaigns. `plant` (for honest-only runs,
    e.g. bench/blocs_calibration.plant_nothing) replaces the campaigns and may only plant nothing."""
    index = tuple(SIZES).index(size)
    world = _honest(np.random.default_rng([seed, index, 7001]), size)
    rng = np.random.default_rng([seed, index, 7002])
    spec = SIZES[size]
    if plant is None:
        blocs, parts, accounts = _campaigns(rng, world, max(spec.blocs, len(BLOC_KINDS)))
    else:
        blocs, accounts = plant(rng, spec, world)
        if blocs or accounts:
            raise ValueError("fresh7 plants its own campaigns: `plant` may only plant nothing")
        parts = []
    # world_conference's accounts are (weight, order, domain, company, true organisation, made)
    return world_conference(
        world,
        blocs,
        parts,
        [(wt, code, d, name, -1, joined) for wt, code, d, name, joined in accounts],
        voter_org=world.employer,
        speaker_org=world.speaker_employer,
        closes=CLOSES,
        scale=SCALE,
        free_mail_domains=FREE_MAIL_DOMAINS,
    )
