"""Why a boosted talk stays in the accepted top 10% after detection: one line per talk to check by hand.

    .venv/bin/python bench/blocs_ranking_diag.py --size medium --seeds 1-3 --patterns unseen
    .venv/bin/python bench/blocs_ranking_diag.py --size medium --seeds 1-3 --patterns unseen --rule '{...}'

For every boosted talk (the target of a planted support bloc) that is in the top 10% with detection,
it prints whether it is there with honest votes only too (then it does not count against the ranking
reduction of bench/blocs_quality.py) or not (then it does), and for those that count:
- the planted blocs boosting it (kind, members, planted votes on the talk, how many of them are in a
  detected bloc, how many lost weight);
- the detected blocs on the talk in the support direction: members (planted of them), signals,
  strength, fair share, the k ** e allowance, what the bloc counts as and its multiplier;
- the talk's rank and Bayesian average with honest votes / all votes / detection, and the scores of
  the last talk in and the first talk out of the top 10% with detection;
- what-ifs, each changing only this talk's planted votes and keeping every other discount: every
  found planted vote counted at the confirmed bound (only the fair share), every planted vote found and
  bounded like the found ones, and no planted vote at all. Where the first what-if takes the talk out,
  the miss is the bound's; where only the second does, it is recall's; where none does, the talk is
  in on its honest votes plus what the bloc is allowed (honest rank close to the cut).
A boosted talk that honest votes keep in the top 10% but detection takes out is listed too (it lowers
the detection count and so hides a miss).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import BlocStatus, bloc_counts_as, blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS, _planted_votes, _tally, vote_multipliers


def _multipliers(data, blocs, rule, statuses=None) -> np.ndarray:
    """Per-vote multipliers (aligned with data's votes) for these blocs and decisions."""
    return vote_multipliers(data, blocs, rule, statuses)[0]


def _standing(data, keep, multiplier) -> tuple[dict[int, int], dict[int, float], list[float]]:
    """Rank and Bayesian average per talk, and the averages in rank order."""
    result = _tally(data, keep, multiplier)
    ranks = {int(t): int(r) for t, r in zip(result.talk_ids, result.rank, strict=True)}
    scores = {int(t): float(s) for t, s in zip(result.talk_ids, result.bayes_average, strict=True)}
    return ranks, scores, [float(s) for s in result.bayes_average]


def diagnose(patterns: str, size: str, seed: int, rule: BlocRule) -> list[str]:
    conf = GENERATORS[patterns][1](size, seed)
    data = conf.data
    report = blocs_detect(data, rule)
    multiplier = _multipliers(data, report.blocs, rule)
    in_bloc = np.zeros(len(multiplier), dtype=bool)
    members_by_talk: dict[int, set[int]] = {}
    for bloc in report.blocs:
        members_by_talk.setdefault(bloc.talk_id, set()).update(bloc.member_ids)
    voters, talks = data.voter_ids[data.vote_voter], data.talk_ids[data.vote_talk]
    for t, members in members_by_talk.items():
        in_bloc |= (talks == t) & np.isin(voters, list(members))
    ones, everything = np.ones(len(multiplier)), np.ones(len(multiplier), dtype=bool)
    places = math.ceil(0.10 * data.n_talks)
    h_rank, h_score, _ = _standing(data, conf.honest, ones)
    a_rank, a_score, _ = _standing(data, everything, ones)
    d_rank, d_score, d_sorted = _standing(data, everything, multiplier)
    boosted: dict[int, list] = {}
    for bloc in conf.blocs:
        if bloc.boosted_talk is not None:
            boosted.setdefault(bloc.boosted_talk, []).append(bloc)
    weight = data.voter_weight[data.vote_voter]
    lines = [
        f"{GENERATORS[patterns][0]} {size} seed {seed}: {places} places; with detection the last one in scores "
        f"{d_sorted[places - 1]:.4f}, the first one out {d_sorted[places]:.4f}; boosted talks in the top: "
        f"honest {sum(h_rank[t] <= places for t in boosted)} / all {sum(a_rank[t] <= places for t in boosted)} / "
        f"detection {sum(d_rank[t] <= places for t in boosted)}"
    ]
    confirmed = {b.key: BlocStatus.CONFIRMED for b in report.blocs}
    confirmed_mult = _multipliers(data, report.blocs, rule, confirmed)
    for t in sorted(boosted, key=lambda t: d_rank[t]):
        honest_in, detect_in = h_rank[t] <= places, d_rank[t] <= places
        if not (honest_in or detect_in):
            continue
        status = (
            "COUNTS AGAINST (in with detection, out honestly)"
            if detect_in and not honest_in
            else "in honestly and with detection (does not count)"
            if detect_in
            else "in honestly, OUT with detection (hides a miss)"
        )
        lines.append(
            f"  talk {t}: {status}; rank/score honest {h_rank[t]} / {h_score[t]:.4f}, all {a_rank[t]} / "
            f"{a_score[t]:.4f}, detection {d_rank[t]} / {d_score[t]:.4f}"
        )
        if honest_in and detect_in:
            continue
        planted_here = np.zeros(len(multiplier), dtype=bool)
        for pb in boosted[t]:
            mine = _planted_votes(conf, pb, [t])
            planted_here |= mine
            lines.append(
                f"    planted {pb.kind}: {len(pb.member_ids)} members, {int(mine.sum())} planted votes on the talk, "
                f"{int((mine & in_bloc).sum())} in a detected bloc, "
                f"{int((mine & (multiplier < 1)).sum())} lost weight; "
                f"planted weight {weight[mine].sum():.1f} kept {(weight * multiplier)[mine].sum():.2f}"
            )
        on_talk = talks == t
        honest_here = on_talk & conf.honest
        lines.append(
            f"    on the talk: {int(on_talk.sum())} votes, {int(honest_here.sum())} honest (weight "
            f"{weight[honest_here].sum():.1f}, {int((honest_here & (multiplier < 1)).sum())} lost weight), "
            f"honest mean score {data.vote_score[honest_here].mean():.2f}"
        )
        for bloc in report.blocs:
            if bloc.talk_id != t:
                continue
            k = len(bloc.member_ids)
            planted_members = int(np.isin(bloc.member_ids, voters[planted_here]).sum())
            counted = bloc_counts_as(bloc, rule)
            lines.append(
                f"    detected {bloc.direction} bloc: {k} members ({planted_members} planted), "
                f"signals {','.join(bloc.signals)}, strength {bloc.strength:.2f}, fair share {bloc.fair_share:.2f}, "
                f"counts as {counted:.2f} of weight {bloc.weight:.1f} "
                f"(multiplier {counted / max(bloc.weight, 1e-9):.3f}; "
                f"confirmed it would count as {bloc_counts_as(bloc, rule, BlocStatus.CONFIRMED):.2f})"
            )
        # What-ifs on this talk's planted votes only.
        found = planted_here & in_bloc
        what_if = {}
        m = multiplier.copy()
        m[found] = confirmed_mult[found]
        what_if["found ones at the confirmed bound"] = m
        found_mult = multiplier[found]
        m = multiplier.copy()
        m[planted_here & ~in_bloc] = float(found_mult.mean()) if len(found_mult) else 1.0
        what_if["missed ones found and bounded like the found"] = m
        m = multiplier.copy()
        m[found] = confirmed_mult[found]
        m[planted_here & ~in_bloc] = float(confirmed_mult[found].mean()) if len(found_mult) else 1.0
        what_if["all found, at the confirmed bound"] = m
        keep = everything & ~planted_here
        parts = []
        for label, mm in what_if.items():
            r, s, _ = _standing(data, everything, mm)
            parts.append(f"{label}: rank {r[t]} ({s[t]:.4f})")
        r, s, _ = _standing(data, keep, multiplier)
        parts.append(f"no planted vote: rank {r[t]} ({s[t]:.4f})")
        lines.append("    what if: " + "; ".join(parts))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--patterns", default="unseen", choices=sorted(GENERATORS))
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    for seed in seeds_parse(args.seeds):
        for line in diagnose(args.patterns, args.size, seed, rule):
            print(line, flush=True)


if __name__ == "__main__":
    main()
