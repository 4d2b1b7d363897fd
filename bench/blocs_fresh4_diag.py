"""Where detection's collateral on fresh4 comes from (a measurement aid, written after the pre-registered
commit of bench/blocs_fresh4.py; it changes nothing in the world or in detection).

    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-10 --honest   # nothing planted
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3 --declare-organisations --quality
    .venv/bin/python bench/blocs_fresh4_diag.py --size small --seeds 1-3 --record-vendor-pushes --quality

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

`--record-vendor-pushes` records the app vendor's "Trending now" pushes as promotions, as the vendor
could through the API (POST /api/v1/conferences/<slug>/promotions/): each trending push's talk at the
push's time is added to `talk_promoted`, next to the organizers' featured pushes the world already
records. The talks are the conference's own `trending_push` groups (one talk each, in the generator's
order), the times the generator's TRENDING (day, hour UTC) from DAY0; the world is unchanged.
Both flags together record the pushes and declare the groups.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocInput, BlocRule, DeclaredOrganisation
from apps.ballots.domain.blocs_organisations import bloc_input_with_organisations
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh4 import DAY, DAY0, HOUR, SIZES, TRENDING, _organisations, fresh4_conference
from bench.blocs_quality import Counts, detect_with_discounts, measure
from bench.blocs_synthetic import SyntheticConference


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


def vendor_pushes(conf: SyntheticConference) -> tuple[tuple[int, int], ...]:
    """(talk id, when) of each of the app vendor's "Trending now" pushes in fresh4: the talk of each
    `trending_push` honest group (the generator lists them in the order of TRENDING, one talk each) at
    its push's time, DAY0 + day * DAY + hour * HOUR. Raises if the groups do not match TRENDING."""
    groups = [g for g in conf.honest_groups if g.kind == "trending_push"]
    at = [DAY0 + day * DAY + hour * HOUR for day, hour in TRENDING]
    if any(len(g.talk_ids) != 1 for g in groups):
        raise ValueError("a trending push features one talk")
    return tuple((g.talk_ids[0], t) for g, t in zip(groups, at, strict=True))


def with_promotions(data: BlocInput, pushes: tuple[tuple[int, int], ...]) -> BlocInput:
    """`data` with (talk id, when) promotions added to the ones it records (`talk_promoted`: talk
    position and time, sorted, each pair once), as recording them through the API would."""
    ids = np.array([t for t, _ in pushes], dtype=np.int64)
    pos = np.minimum(np.searchsorted(data.talk_ids, ids), data.n_talks - 1)
    if not np.array_equal(data.talk_ids[pos], ids):
        raise ValueError("a promoted talk is not in the conference")
    rows = {(int(p), int(at)) for p, at in data.talk_promoted.tolist()}
    rows |= {(int(p), int(at)) for p, (_, at) in zip(pos, pushes, strict=True)}
    return replace(data, talk_promoted=np.array(sorted(rows), dtype=np.int64).reshape(-1, 2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--honest", action="store_true")
    parser.add_argument("--declare-organisations", action="store_true", help="declare every corporate group")
    parser.add_argument("--record-vendor-pushes", action="store_true", help="record the vendor's trending pushes")
    parser.add_argument("--quality", action="store_true", help="also print blocs_quality's pooled row")
    parser.add_argument("--found", help="write the planted members found, per seed, to this JSON file")
    args = parser.parse_args()
    pooled = Counts()
    rule = BlocRule()
    by_what: Counter[str] = Counter()
    by_signal: Counter[str] = Counter()
    honest_total = 0
    others_total = 0  # honest votes not by a true colleague of the talk's speaker
    group_votes: Counter[str] = Counter()  # per honest kind: its votes on its own talks, and those losing weight
    group_lost: Counter[str] = Counter()
    group_shares: dict[str, list[float]] = {}
    kind_members: Counter[str] = Counter()
    kind_found: Counter[str] = Counter()
    found: dict[int, list[int]] = {}
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
        if args.record_vendor_pushes:
            pushes = vendor_pushes(conf)
            before = len(data.talk_promoted)
            data = with_promotions(data, pushes)
            print(
                f"seed {seed}: vendor pushes recorded (talk id, UTC) "
                + ", ".join(f"{t} {np.datetime64(at, 's')}" for t, at in pushes)
                + f"; promotions {before} -> {len(data.talk_promoted)}"
            )
        if args.quality:
            boosted = {b.boosted_talk for b in conf.blocs if b.boosted_talk is not None}
            pooled += measure(data, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
        multiplier, detected, _n = detect_with_discounts(data, rule)
        voters = data.voter_ids[data.vote_voter]
        talks = data.talk_ids[data.vote_talk]
        lost = conf.honest & (multiplier < 1.0)
        honest_total += int(conf.honest.sum())
        others_total += int((conf.honest & ~conf.colleague).sum())
        what = np.full(len(voters), "other", dtype=object)
        for group in conf.honest_groups:
            mine = np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids) & (what == "other")
            what[mine] = group.kind
            own = conf.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
            group_votes[group.kind] += int(own.sum())
            group_lost[group.kind] += int((own & lost).sum())
            group_shares.setdefault(group.kind, []).append(float((own & lost).sum() / max(1, own.sum())))
        what[conf.colleague] = "colleague"
        by_what.update(what[lost].tolist())
        span = int(data.talk_ids.max()) + 1
        lost_keys = set((voters[lost] * span + talks[lost]).tolist())
        for bloc in blocs_detect(data, rule).blocs:
            keys = {int(v) * span + int(bloc.talk_id) for v in bloc.member_ids} & lost_keys
            for signal in bloc.signals:
                by_signal[signal] += len(keys)
        hit = set(np.unique(voters[conf.planted & detected]).tolist())
        found[seed] = sorted(hit)
        for bloc in conf.blocs:
            kind_members[bloc.kind] += len(bloc.member_ids)
            kind_found[bloc.kind] += len(hit & set(bloc.member_ids))
    total = sum(by_what.values())
    print(f"honest votes losing weight: {total} of {honest_total} ({total / max(1, honest_total):.2%})")
    for what, n in by_what.most_common():
        print(f"  {what}: {n} ({n / max(1, total):.0%})")
    without = total - by_what["colleague"]
    print(
        f"collateral without true colleagues: {without} ({without / max(1, honest_total):.2%} of all honest votes, "
        f"{without / max(1, others_total):.2%} of the {others_total} honest votes not by a colleague)"
    )
    print("share of each honest group's votes on its own talks that lose weight (pooled; range over groups):")
    for kind in sorted(group_votes):
        shares = group_shares[kind]
        print(
            f"  {kind}: {group_lost[kind]} of {group_votes[kind]} "
            f"({group_lost[kind] / max(1, group_votes[kind]):.0%}; {min(shares):.0%}-{max(shares):.0%})"
        )
    print("per signal of the blocs that took them (a vote may count under several):")
    for signal, n in by_signal.most_common():
        print(f"  {signal}: {n}")
    if kind_members:
        print(
            "planted members found, by kind: "
            + ", ".join(f"{k} {kind_found[k]}/{kind_members[k]}" for k in kind_members)
        )
    if args.found:
        Path(args.found).write_text(json.dumps(found))
    if args.quality:
        name = f"fresh4 {args.size} seeds {args.seeds}"
        name += " pushes recorded" if args.record_vendor_pushes else ""
        name += " declared" if args.declare_organisations else ""
        print(pooled.row(name))
        print(pooled.per_talk_line())


if __name__ == "__main__":
    main()
