"""Where detection's collateral on fresh4 comes from (a measurement aid, written after the pre-registered
commit of bench/blocs_fresh4.py; it changes nothing in the world or in detection).

    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-10 --honest   # nothing planted

For every honest vote that loses weight it names what the vote is: a true colleague of the talk's
speaker (any unit of the speaker's organisation, subsidiaries included), a vote of an honest group on
the group's talks (featured_push, trending_push, viral_mention, track_chair_followers,
workshop_cohort), or other; and per signal of the blocs that took it. Pooled over the seeds.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh4 import fresh4_conference
from bench.blocs_quality import detect_with_discounts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--honest", action="store_true")
    args = parser.parse_args()
    rule = BlocRule()
    by_what: Counter[str] = Counter()
    by_signal: Counter[str] = Counter()
    honest_total = 0
    for seed in seeds_parse(args.seeds):
        conf = (
            fresh4_conference(args.size, seed, plant=plant_nothing)
            if args.honest
            else fresh4_conference(args.size, seed)
        )
        data = conf.data
        multiplier, _detected, _n = detect_with_discounts(data, rule)
        voters = data.voter_ids[data.vote_voter]
        talks = data.talk_ids[data.vote_talk]
        lost = conf.honest & (multiplier < 1.0)
        honest_total += int(conf.honest.sum())
        what = np.full(len(voters), "other", dtype=object)
        for group in conf.honest_groups:
            mine = np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids) & (what == "other")
            what[mine] = group.kind
        what[conf.colleague] = "colleague"
        by_what.update(what[lost].tolist())
        span = int(data.talk_ids.max()) + 1
        lost_keys = set((voters[lost] * span + talks[lost]).tolist())
        for bloc in blocs_detect(data, rule).blocs:
            keys = {int(v) * span + int(bloc.talk_id) for v in bloc.member_ids} & lost_keys
            for signal in bloc.signals:
                by_signal[signal] += len(keys)
    total = sum(by_what.values())
    print(f"honest votes losing weight: {total} of {honest_total} ({total / max(1, honest_total):.2%})")
    for what, n in by_what.most_common():
        print(f"  {what}: {n} ({n / max(1, total):.0%})")
    print("per signal of the blocs that took them (a vote may count under several):")
    for signal, n in by_signal.most_common():
        print(f"  {signal}: {n}")


if __name__ == "__main__":
    main()
