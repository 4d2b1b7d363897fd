"""Round 18 measurement: would a second account-creation test add anything? "Accounts created shortly
before their vote on this talk" (docs/blocs.md, round 18).

    .venv/bin/python bench/blocs_joined_diag.py --world fresh --size medium --seeds 1-3
    .venv/bin/python bench/blocs_joined_diag.py --world fresh --size small --seeds 1-30 --honest

Per talk, the votes rating it up (any score from "want to see" up) cast within `--minutes` of the
voter's account creation ("fresh" votes) against the site's fresh votes (any talk, any score) times the
talk's share of all votes rating up; Poisson tail, Bonferroni over the talks (alpha 0.01), the rule's
min_members 3 and min_ratio 3. Printed: per planted kind, its target talks and how many pass, with
the members a passing target would add beyond what detection (the default rule, `joined` included)
already finds; with `--honest` (nothing planted), how many conferences have any talk passing. A
diagnostic, not a rule: nothing here changes detection.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from bench.blocs_calibration import WORLDS, plant_nothing, seeds_parse
from bench.blocs_unseen import unseen_conference

ALPHA = 0.01


def fresh_test(data, minutes: float):
    """Per talk position: observed fresh up-votes, expected, log p; and the fresh up-vote mask."""
    joined = data.voter_joined[data.vote_voter]
    gap = data.vote_at - joined
    fresh = (joined >= 0) & (gap >= 0) & (gap <= minutes * 60)
    up = data.vote_score >= data.scale.wanted_min
    n_talks = data.n_talks
    observed = np.bincount(data.vote_talk[fresh & up], minlength=n_talks)
    up_count = np.bincount(data.vote_talk[up], minlength=n_talks)
    expected = fresh.sum() * (up_count - observed + 0.5) / (len(data.vote_score) - fresh.sum() + 0.5 * n_talks)
    log_p = poisson.logsf(observed - 1, np.maximum(expected, 1e-9))
    return observed, expected, log_p, fresh & up


def passing(observed, expected, log_p) -> np.ndarray:
    tested = observed > 0
    bar = np.log(ALPHA / max(1, int(tested.sum())))
    return tested & (observed >= 3) & (observed >= 3 * expected) & (log_p <= bar)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=["seen", "unseen", "fresh"], default="fresh")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--honest", action="store_true", help="nothing planted: count conferences with a pass")
    args = parser.parse_args()
    if args.honest and args.world == "unseen":
        parser.error("--honest: the held-out world's honest voters are the seen world's; use --world seen")
    make = unseen_conference if args.world == "unseen" else WORLDS[args.world]
    by_kind: dict[str, list[int]] = {}
    honest_hits = []
    for seed in seeds_parse(args.seeds):
        conf = make(args.size, seed, plant=plant_nothing) if args.honest else make(args.size, seed)
        data = conf.data
        observed, expected, log_p, fresh_up = fresh_test(data, args.minutes)
        ok = passing(observed, expected, log_p)
        if args.honest:
            if ok.any():
                honest_hits.append(seed)
                for t in np.nonzero(ok)[0]:
                    talk = int(data.talk_ids[t])
                    print(f"seed {seed}: talk {talk}: {observed[t]} fresh up-votes, {expected[t]:.2f} expected")
            continue
        found = {(m, b.talk_id) for b in blocs_detect(data).blocs for m in b.member_ids}
        pos = {int(v): i for i, v in enumerate(data.talk_ids)}
        voter_of = data.voter_ids[data.vote_voter]
        for b in conf.blocs:
            if b.direction != "support" or b.boosted_talk is None:
                continue
            t = pos[b.boosted_talk]
            members = set(b.member_ids)
            on_t = fresh_up & (data.vote_talk == t)
            fresh_members = {int(v) for v in voter_of[on_t] if int(v) in members}
            new = {v for v in fresh_members if (v, b.boosted_talk) not in found} if ok[t] else set()
            row = by_kind.setdefault(b.kind, [0, 0, 0, 0])
            row[0] += 1
            row[1] += int(ok[t])
            row[2] += len(new)
            row[3] += len(members)
    if args.honest:
        n = len(seeds_parse(args.seeds))
        hits = len(honest_hits)
        print(f"{args.world} {args.size} honest-only, seeds {args.seeds}: {hits} of {n} with a passing talk")
        return
    print(f"{args.world} {args.size} seeds {args.seeds}, fresh = within {args.minutes:g} min of account creation")
    print("| kind | targets | targets passing | members it would add beyond detection | members |")
    print("|---|---|---|---|---|")
    for kind, (targets, ok_n, new, members) in sorted(by_kind.items()):
        print(f"| {kind} | {targets} | {ok_n} | {new} | {members} |")


if __name__ == "__main__":
    main()
