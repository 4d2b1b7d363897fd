"""Where detection's collateral on fresh4 comes from (a measurement aid, written after the pre-registered
commit of bench/blocs_fresh4.py; it changes nothing in the world or in detection).

    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-10 --honest   # nothing planted
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3 --declare-organisations --quality

For every honest vote that loses weight it names what the vote is: a true colleague of the talk's
speaker (any unit of the speaker's organisation, subsidiaries included), a vote of an honest group on
the group's talks (featured_push, trending_push, viral_mention, track_chair_followers,
workshop_cohort), or other; and per signal of the blocs that took it. Pooled over the seeds.

`--declare-organisations` declares every corporate group of the world as one organisation, as its
organizers could in the admin (*Organisations*): the parent's and every subsidiary's domain and name
("X", "X Cloud", "X Labs" on x.example, xcloud.example, xlabs.example). The groups are read from the
generator's own `_organisations` with the seed it gives it (the first draws of the world's honest
generator), not from the conference it returns; the world is unchanged. `--quality` adds
bench/blocs_quality.py's pooled row (members found, lenient precision, collateral).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule, DeclaredOrganisation
from apps.ballots.domain.blocs_organisations import bloc_input_with_organisations
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh4 import SIZES, _organisations, fresh4_conference
from bench.blocs_quality import Counts, detect_with_discounts, measure


def declared_groups(size: str, seed: int) -> tuple[DeclaredOrganisation, ...]:
    """fresh4's corporate groups with subsidiaries, as their organizers know them: one organisation of
    the parent's and each subsidiary's domain and name. The same draws as the world's (fresh4_conference
    seeds the honest world's generator with [seed, size index, 40], whose first use is `_organisations`)."""
    rng = np.random.default_rng([seed, list(SIZES).index(size), 40])
    kinds, units, _sizes = _organisations(rng, SIZES[size].voters)
    return tuple(
        DeclaredOrganisation(
            name=own[0][0],
            email_domains=tuple(domain for _, domain in own),
            companies=tuple(name for name, _ in own),
        )
        for kind, own in zip(kinds, units, strict=True)
        if kind == "group" and len(own) > 1
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--honest", action="store_true")
    parser.add_argument("--declare-organisations", action="store_true", help="declare every corporate group")
    parser.add_argument("--quality", action="store_true", help="also print blocs_quality's pooled row")
    args = parser.parse_args()
    pooled = Counts()
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
        if args.declare_organisations:
            declared = declared_groups(args.size, seed)
            data = bloc_input_with_organisations(data, declared)
            domains = {d for org in declared for d in org.email_domains}
            used = domains & set(data.domain_labels)
            print(f"seed {seed}: {len(declared)} groups declared, {len(used)} of their {len(domains)} domains in use")
        if args.quality:
            boosted = {b.boosted_talk for b in conf.blocs if b.boosted_talk is not None}
            pooled += measure(data, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
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
    if args.quality:
        print(
            pooled.row(f"fresh4 {args.size} seeds {args.seeds}" + (" declared" if args.declare_organisations else ""))
        )


if __name__ == "__main__":
    main()
