"""How often honest voters alone produce a bloc: the false-bloc rate per signal (docs/blocs.md, round 9).

    .venv/bin/python bench/blocs_calibration.py --size small --seeds 1-60
    .venv/bin/python bench/blocs_calibration.py --size medium --seeds 1-12 --rule '{"order_colleagues": false}'
    .venv/bin/python bench/blocs_calibration.py --world fresh --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh2 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh3 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh4 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh5 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh6 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh7 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh8 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh9 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh10 --size small --seeds 1-30
    .venv/bin/python bench/blocs_calibration.py --world fresh11 --size small --seeds 1-30

Each conference is the seen generator's (bench/blocs_synthetic.py) with nothing planted: its honest
voters, with the honest correlation that generator builds in (friends on small orders voting together
with one favourite track, company orders, colleagues who like their colleague's talk). `alpha`
promises that each signal flags anything at all in about alpha of such conferences (1 in 100 by
default). Colleagues of the speaker are flagged on purpose (loyalty is the rule's concern, and the
bound keeps their fair share), so blocs that include colleagues of the speaker are counted apart.
A bloc counts for every signal among its evidence; a conference counts for a signal when any bloc
outside colleagues carries it. `--world fresh` takes bench/blocs_fresh.py's honest world instead (its own
popularity model, ballot lengths, time zones, company spellings and honest groups: meetups, university
classes, couples, proud colleagues), with nothing planted; `--world fresh2` takes bench/blocs_fresh2.py's
(built apart from both; its honest groups: feature-post waves, user-group nights, class assignments,
company interest, track fans, households, team bookings, voting speakers); `--world fresh3` takes
bench/blocs_fresh3.py's (a third, built apart from all; its honest groups: study groups, meetup nights,
company teams with a shared taste, newsletter readers, households); `--world fresh4` takes
bench/blocs_fresh4.py's (a fourth, a conference app's three-week vote on 1-5 stars; its honest groups:
featured and trending app pushes, a viral mention, track chairs' followers, workshop cohorts); `--world fresh5`
takes bench/blocs_fresh5.py's (a fifth, a regional public-sector and industry conference's eight-day vote on
0-4; its honest groups: a university course, an employer strong in one topic, a regional-language community,
a livestream's chat); `--world fresh6` takes bench/blocs_fresh6.py's (a sixth, a volunteer-run open-source
community conference's four-week vote on the want-to-see scale; its honest groups: a project's community, a
sponsor's staff fond of one devroom, newsletter readers, a user group's meetup night, a workshop cohort, the
organizers' featured-talk posts); `--world fresh7` takes bench/blocs_fresh7.py's (a seventh, a hacker and security
conference's one-week community vote on 1-10; its honest groups: a hackerspace's night, a university lab, a
sponsor's staff fond of one village, a village's regulars, the organizers' unrecorded mailing, the con's recorded
spotlight posts); `--world fresh8` takes bench/blocs_fresh8.py's (an eighth, a data-science and ML conference's
two-stage vote on a 1-6 reviewing scale, the second stage on a recorded shortlist; its honest groups: a lab's
journal club, a company's platform team, a bootcamp class, a meetup chapter's night, an influencer's unrecorded
thread, the committee's recorded picks); `--world fresh9` takes bench/blocs_fresh9.py's (a ninth, a game
developers' conference's 12-day community vote on a three-level hype scale; its honest groups: a game-jam team's
night, a studio's lunch, a Discord watch party, a streamer's unrecorded stream of the vote page, the organizers'
recorded newsletter); `--world fresh10` takes bench/blocs_fresh10.py's (a tenth, a clinical congress's three-week
members' vote on a 1-9 scale; its honest groups: a ward's night-shift break, a department's journal club, a nursing
class, a patient charity's unrecorded forum thread, a podcast's unrecorded episode, the congress's recorded editors'
picks); `--world fresh11` takes bench/blocs_fresh11.py's (an eleventh, a K-12 educators' conference's three-week
vote on a 1-4 rubric; its honest groups: a principal's unrecorded staff-room forward, a PLC meeting, a district's PD
day, a methods course, a Facebook group's unrecorded post, an influencer's unrecorded video, the organisers' recorded
Spotlight). Printed: per seed the
blocs found outside colleagues (with their strongest sentence), then per signal the conferences with
any bloc.

`--narrow-pvalues` also prints the narrow test's p-values against its own model (docs/blocs.md,
round 10): per way (up, top score, down), the talks tested and how many have p at most 1e-3 and
1e-4, beside how many the model predicts (on every talk, the Poisson chance of a count that small a
p-value; before `min_members`, `min_ratio` and the Bonferroni bar). A calibrated model gives about
as many as predicted.

`--heavy SHARE` (round 11) adds genuine heavy raters to the honest conference: that share of the
voters (chosen at random, whatever their company, order or friends) have their ballot re-drawn to
rate a uniform 30–60% of the talks (at most 200, the generator's own longest ballot). Design, fixed
before looking at any detector output, following bench/blocs_synthetic.py's honest model exactly:
- which talks: drawn without replacement, each draw from the voter's favourite track with
  probability 0.35 and from all talks otherwise, weighted by the generator's `popularity` (its Zipf
  skew nudged by quality) — the generator's per-draw mixture, as one weight per talk
  (0.65 × popularity share + 0.35 × popularity share within the favourite track), sampled without
  replacement (Efraimidis–Spirakis keys) because a long ballot cannot repeat a talk;
- which score: round(quality × 3.4 + N(0, 0.8) + the voter's own bias + 0.8 on a talk by the voter's
  company's speaker), clipped to 0–3 — the generator's formula with its per-voter bias;
- when: the voter's own session, 5–90 s between ratings, the second half of the ballot in a second
  session for 30% of voters, as the generator does;
- `--heavy-range 0.5,0.8` changes the 30–60% (a sensitivity check, not the design);
- independent between voters (no draw depends on another voter's); nothing is planted, so every
  bloc among them is a false one. With `--heavy`, the `similar` blocs are printed in detail (ring size,
  common ballot, p-value, expected and observed, how many members are heavy raters).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.stats import poisson

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import SIGNALS, BlocInput, BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_saturation import light_colleague_votes, narrow_expected
from apps.ballots.domain.blocs_signals import OPPOSE, TOP, context_build
from bench.blocs_fresh import fresh_conference
from bench.blocs_fresh2 import fresh2_conference
from bench.blocs_fresh3 import fresh3_conference
from bench.blocs_fresh4 import fresh4_conference
from bench.blocs_fresh5 import fresh5_conference
from bench.blocs_fresh6 import fresh6_conference
from bench.blocs_fresh7 import fresh7_conference
from bench.blocs_fresh8 import fresh8_conference
from bench.blocs_fresh9 import fresh9_conference
from bench.blocs_fresh10 import fresh10_conference
from bench.blocs_fresh11 import fresh11_conference
from bench.blocs_synthetic import _sample_times, synthetic_conference

P_LEVELS = (1e-3, 1e-4)
WAYS = {1: "up", TOP: "top", OPPOSE: "down"}
WORLDS = {
    "seen": synthetic_conference,
    "fresh": fresh_conference,
    "fresh2": fresh2_conference,
    "fresh3": fresh3_conference,
    "fresh4": fresh4_conference,
    "fresh5": fresh5_conference,
    "fresh6": fresh6_conference,
    "fresh7": fresh7_conference,
    "fresh8": fresh8_conference,
    "fresh9": fresh9_conference,
    "fresh10": fresh10_conference,
    "fresh11": fresh11_conference,
}


def plant_nothing(*_args, **_kwargs):
    """A planting function that plants nothing: the honest conference alone."""
    return [], []


def plant_heavy(share: float, lo: float = 0.3, hi: float = 0.6):
    """A planting function that plants nothing but re-draws `share` of the voters as honest heavy
    raters (module docstring); it records who they are in `heavy` (voter ids)."""
    heavy: set[int] = set()

    def plant(rng, spec, votes, V, T, quality, speaker_company, company, order, activity, world):
        heavy.clear()
        chosen = np.sort(rng.choice(V, size=round(share * V), replace=False))
        share_all = world.popularity / world.popularity.sum()
        by_voter: dict[int, list[int]] = {}
        for v, t in votes:
            by_voter.setdefault(v, []).append(t)
        second = _sample_times(rng, activity, len(chosen))
        for j, v in enumerate(chosen.tolist()):
            for t in by_voter.get(v, []):
                del votes[(v, t)]
            in_fav = world.track == world.favourite[v]
            w = 0.65 * share_all + 0.35 * np.where(in_fav, world.popularity, 0.0) / world.popularity[in_fav].sum()
            n = min(200, round(rng.uniform(lo, hi) * T))
            keys = np.log(rng.random(T)) / w  # Efraimidis–Spirakis: the n largest keys
            talks = np.argsort(-keys)[:n]
            fan = (company[v] >= 0) & (speaker_company[talks] == company[v])
            raw = quality[talks] * 3.4 + rng.normal(0, 0.8, size=n) + world.bias[v] + 0.8 * fan
            score = np.clip(np.round(raw), 0, 3).astype(np.int64)
            gaps = rng.integers(5, 90, size=n)
            rank = np.arange(n)
            late = (rng.random() < 0.3) & (rank >= n // 2)
            at = np.where(late, second[j], world.session[v]) + rank * gaps
            for t, sc, a in zip(talks.tolist(), score.tolist(), at.tolist(), strict=True):
                votes[(v, t)] = [sc, int(a), False]
            heavy.add(v + 1)
        return [], []

    plant.heavy = heavy
    return plant


def seeds_parse(text: str) -> list[int]:
    """'1-60' or '1,4,7' or '3'."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def narrow_pvalues(data: BlocInput, rule: BlocRule) -> dict[str, np.ndarray]:
    """Per way: [talks tested, talks with p <= each of P_LEVELS, the model's prediction of each], the
    narrow test's counts and prediction as blocs_detect forms them under `rule`."""
    ctx = context_build(data, rule)
    light = ctx.votes_per_voter[data.vote_voter] <= rule.narrow_max_votes
    if rule.narrow_colleagues:
        orgs = organisations_build(data)
        light &= ~light_colleague_votes(ctx, orgs.voter_org, orgs.speaker_pairs)
        expected = narrow_expected(ctx, orgs.voter_org, orgs.speaker_pairs)
    else:
        expected = narrow_expected(ctx)
    out = {}
    for d in ctx.tested:
        sel = ctx.votes_in(d)
        observed = np.bincount(data.vote_talk[sel[light[sel]]], minlength=data.n_talks)
        mean = np.maximum(expected[d], 1e-9)
        log_p = poisson.logsf(observed - 1, mean)
        row = [int((observed > 0).sum())]
        row += [int(((observed > 0) & (log_p <= np.log(level))).sum()) for level in P_LEVELS]
        # On each talk, the model's chance of a count with p at most the level: P(X > m) for the
        # smallest m with P(X > m) <= level (counts are whole, so at most the level).
        for level in P_LEVELS:
            row.append(float(poisson.sf(poisson.isf(level, mean), mean).sum()))
        out[WAYS[d]] = np.array(row, dtype=np.float64)
    return out


def _rings_print(conf, blocs, heavy: set[int]) -> None:
    """The `similar` blocs of one conference, one line per ring (its blocs on every talk share the
    evidence): members, heavy raters among them, common ballot, expected and observed, p."""
    seen: set[tuple] = set()
    lengths = np.bincount(conf.data.vote_voter, minlength=conf.data.n_voters)
    ids = np.asarray(conf.data.voter_ids)
    for b in blocs:
        for e in b.evidence:
            if e.signal != "similar":
                continue
            ring = (e.observed, round(e.p_value, 300), e.sentence.split(" talks")[0])
            if ring in seen:
                continue
            seen.add(ring)
            pos = np.searchsorted(ids, np.array(b.member_ids))
            n_heavy = sum(1 for v in b.member_ids if v in heavy)
            print(
                f"    ring: {e.observed} accounts, {n_heavy} of this talk's {b.size} holders heavy raters, "
                f"ballot lengths {int(lengths[pos].min())}–{int(lengths[pos].max())}; "
                f"{e.sentence.split(' accounts cast nearly the same ballot on ')[1].split(' talks')[0]} "
                f"ratings in common; expected {e.expected:.3g}, p = {e.p_value:.3g}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-60")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument(
        "--world",
        choices=sorted(WORLDS),
        default="seen",
        help="the honest world: blocs_synthetic's, blocs_fresh's, blocs_fresh2's, blocs_fresh3's, blocs_fresh4's, "
        "blocs_fresh5's, blocs_fresh6's, blocs_fresh7's, blocs_fresh8's, blocs_fresh9's, blocs_fresh10's or "
        "blocs_fresh11's",
    )
    parser.add_argument("--narrow-pvalues", action="store_true", help="the narrow test's p-values against its model")
    parser.add_argument("--heavy", type=float, default=0.0, help="share of voters re-drawn as honest heavy raters")
    parser.add_argument("--heavy-range", default="0.3,0.6", help="their ballot length, as shares of the talks")
    args = parser.parse_args()
    if args.heavy and args.world != "seen":
        parser.error("--heavy re-draws voters of the seen world (bench/blocs_synthetic.py) only")
    rule = BlocRule.from_json(json.loads(args.rule))
    seeds = seeds_parse(args.seeds)
    flagged: dict[str, list[int]] = {s: [] for s in (*SIGNALS, "colleagues")}
    outside_total = 0
    seconds = 0.0
    pvalues: dict[str, np.ndarray] = {}
    for seed in seeds:
        plant = plant_heavy(args.heavy, *map(float, args.heavy_range.split(","))) if args.heavy else plant_nothing
        conf = WORLDS[args.world](args.size, seed, plant=plant)
        if args.narrow_pvalues:
            for way, row in narrow_pvalues(conf.data, rule).items():
                pvalues[way] = pvalues.get(way, 0) + row
        started = time.perf_counter()
        blocs = blocs_detect(conf.data, rule).blocs
        seconds += time.perf_counter() - started
        signals_here: set[str] = set()
        outside = [b for b in blocs if not b.colleagues_of_speaker]
        outside_total += len(outside)
        for b in blocs:
            signals_here |= {e.signal for e in b.evidence} if not b.colleagues_of_speaker else {"colleagues"}
        for s in signals_here:
            flagged[s].append(seed)
        if not args.quiet:
            colleagues = len(blocs) - len(outside)
            print(f"seed {seed}: {len(outside)} blocs outside colleagues ({colleagues} colleague blocs)")
            for b in outside:
                print(f"    talk {b.talk_id} {b.direction}, {b.size} members: {b.evidence[0].sentence}")
            if args.heavy:
                _rings_print(conf, blocs, plant.heavy)
    n = len(seeds)
    print(
        f"\n{args.world} world, {args.size}, seeds {args.seeds} ({n} honest-only conferences), rule {args.rule}; "
        f"detection {seconds / max(1, n):.2f} s per conference"
    )
    print("| signal | conferences with any bloc | rate | seeds |")
    print("|---|---|---|---|")
    for s, hit in flagged.items():
        if s in rule.signals or (s == "colleagues" and "affiliation" in rule.signals):
            shown = ", ".join(map(str, hit[:12])) + (" …" if len(hit) > 12 else "")
            note = " (on purpose)" if s == "colleagues" else ""
            print(f"| {s}{note} | {len(hit)} of {n} | {len(hit) / max(1, n):.1%} | {shown} |")
    print(f"blocs outside colleagues in all: {outside_total}")
    if pvalues:
        print("\nnarrow test, p-values against its model, all conferences together:")
        print("| way | talks tested | p <= 1e-3: found / predicted | p <= 1e-4: found / predicted |")
        print("|---|---|---|---|")
        for way, (tested, at3, at4, want3, want4) in pvalues.items():
            print(f"| {way} | {tested:,.0f} | {at3:.0f} / {want3:.1f} | {at4:.0f} / {want4:.1f} |")


if __name__ == "__main__":
    main()
