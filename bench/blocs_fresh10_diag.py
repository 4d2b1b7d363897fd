"""fresh10 read by its ground truth: what the blocs outside colleagues of an honest-only conference truly are,
where planted members are missed and why, and whose honest weight is lost (docs/blocs.md, fresh10).

    .venv/bin/python bench/blocs_fresh10_diag.py honest --size medium --seed 1
    .venv/bin/python bench/blocs_fresh10_diag.py planted --size medium --seeds 1-3

`honest`: the honest-only conference (bench/blocs_calibration.plant_nothing); every bloc outside colleagues is
labelled by what its members truly are (the generator's World: true organisation, former hospital, charity,
key opinion leader's sponsor, honest group, night shift), per signal, with examples and the evidence sentence.

`planted`: the conference with its campaigns. (1) Honest votes that lose weight, by what the voter truly is to
the talk (as above). (2) Per planted kind, members found and, for members missed, the closest finding that held
them on their campaign's talk under a loosened rule (alpha 0.9, min_ratio 1, min_members 2): its signal and p
against the loosest bar a finding of that signal cleared under the rule asked for in the same conference (a
finding with a larger p could not have passed; one with a smaller p may still miss the step-down bar at its own
rank), and why the rest have none. A diagnostic: nothing here changes detection.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import bloc_discounts, blocs_detect, findings_collect
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh10 import FREE_MAIL, PHARMA, SIZES, _honest, fresh10_conference

SHARED = ("nhs.net", "regionh.dk", "health.nsw.gov.au")


def world_of(size: str, seed: int):
    """The honest World of fresh10_conference(size, seed) (the same stream, so the same voters and talks)."""
    return _honest(np.random.default_rng([seed, tuple(SIZES).index(size), 10001]), size)


def _domain_kind(w, v: int, org: int) -> str:
    """How voter v's mail relates to organisation `org` (the speaker's, v's own)."""
    d = w.domain[v]
    if d in SHARED:
        return f"on {d}"
    domains = [u for _, u in w.org_units[org]]
    if d.startswith("student."):
        return "student subdomain"
    if d in FREE_MAIL or d.endswith(".me") or "family." in d:
        return "free or family mail"
    if w.org_kind[org] == PHARMA:
        return "a subsidiary's domain" if d != domains[0] else "the parent's domain"
    if d == domains[0]:
        return "main domain"
    if d in domains:
        return "second domain (" + ("university .edu" if d.endswith(".edu") else "legacy or other") + ")"
    return "another hospital's domain"


def link_gap(w, members: list[int], t: int) -> str:
    """Why a group of the speaker's organisation is not linked to the talk: the members' commonest mail
    against the speakers' addresses and companies."""
    d = Counter(w.domain[v] for v in members).most_common(1)[0][0]
    mails = [m for m in w.speaker_domains[t] if m not in FREE_MAIL]
    orgs = {int(o) for o in w.speaker_org[t] if o >= 0}
    own = {u for o in orgs for _, u in w.org_units[o]}
    if d in mails:
        return "members on a speaker's own address domain"
    if d in SHARED:
        return f"members on shared {d}"
    if d in FREE_MAIL or d.endswith(".me") or "family." in d:
        return "members on free or family mail (grouped by company field)"
    if any(d.removeprefix("student.") == m.removeprefix("student.") for m in mails):
        return "student subdomain vs the university's domain"
    if any(m in own for m in mails):
        return "another domain of the same organisation than the speaker's address (second domain, subsidiary)"
    if not mails:
        home = Counter(int(w.org[v]) for v in members).most_common(1)[0][0]
        named = w.org_names[home] in w.speaker_company_field[t]
        return "no speaker's address on the organisation's domains; " + (
            "the organisation named in full in a speaker's company" if named else "the organisation named by no speaker"
        )
    return "other"


def truth(w, groups: dict, v: int, t: int) -> tuple[str, str]:
    """What voter position v truly is to talk position t: (label, detail)."""
    if v >= w.V:
        return "campaign account", ""
    for kind, talks in groups.get(v, []):
        if t in talks:
            return f"honest group: {kind}", ""
    speakers = [int(o) for o in w.speaker_org[t] if o >= 0]
    o = int(w.org[v])
    if o >= 0 and o in speakers:
        return "speaker's organisation", _domain_kind(w, v, o)
    if w.former[v] >= 0 and int(w.former[v]) in speakers:
        return "former hospital (rotated resident)", _domain_kind(w, v, int(w.former[v]))
    if w.charity[v] >= 0 and w.charity[v] == w.talk_org[t]:
        return "own charity's talk", "staff" if o >= 0 else "member"
    if o >= 0 and o == w.sponsor[t]:
        return "sponsor of the key opinion leader", ""
    if o >= 0 and o == w.talk_org[t]:
        return "talk's organisation (speakers elsewhere)", ""
    role = ("nurse", "physician", "resident", "allied", "industry", "student", "academic", "patient")[int(w.role[v])]
    return "stranger", role


def _groups(conf, pos_of_voter, pos_of_talk) -> dict:
    out: dict[int, list] = defaultdict(list)
    for g in conf.honest_groups:
        talks = {pos_of_talk[int(t)] for t in g.talk_ids if int(t) in pos_of_talk}
        for v in g.member_ids:
            out[pos_of_voter[int(v)]].append((g.kind, talks))
    return out


def _positions(data):
    return {int(v): i for i, v in enumerate(data.voter_ids)}, {int(t): i for i, t in enumerate(data.talk_ids)}


def honest(size: str, seed: int, rule: BlocRule, examples: int) -> None:
    conf = fresh10_conference(size, seed, plant=plant_nothing)
    w = world_of(size, seed)
    data = conf.data
    pos_of_voter, pos_of_talk = _positions(data)
    ids = np.asarray(data.voter_ids)
    groups = _groups(conf, pos_of_voter, pos_of_talk)
    blocs = [b for b in blocs_detect(data, rule).blocs if not b.colleagues_of_speaker]
    by_label: Counter = Counter()
    by_signal: Counter = Counter()
    details: dict[str, Counter] = defaultdict(Counter)
    shown: dict[str, list] = defaultdict(list)
    night = Counter()
    gaps: Counter = Counter()
    gap_shown: dict[str, list] = defaultdict(list)
    for b in blocs:
        t = pos_of_talk[b.talk_id]
        members = [int(ids.searchsorted(v)) for v in b.member_ids]
        labels = [truth(w, groups, v, t) for v in members]
        counts = Counter(lab for lab, _ in labels)
        label, n = counts.most_common(1)[0]
        main = label if n * 2 > len(members) else f"mixed (most: {label})"
        first = b.evidence[0].signal
        by_label[main] += 1
        by_signal[(first, main)] += 1
        for lab, det in labels:
            if lab == label and det:
                details[main][det] += 1
        if label == "speaker's organisation":
            gap = link_gap(w, [v for v, (lab, _) in zip(members, labels, strict=True) if lab == label], t)
            gaps[gap] += 1
            if len(gap_shown[gap]) < examples:
                speakers = "; ".join(c or "-" for c in w.speaker_company_field[t])
                mails = "; ".join(w.speaker_domains[t])
                gap_shown[gap].append(
                    f"talk {b.talk_id}: speakers {speakers!r} ({mails}): {b.evidence[0].sentence.split(';')[0]}"
                )
        shifts = float(np.mean([w.shift[v] for v in members]))
        if first in ("burst", "organisation_burst") and shifts > 0.5:
            night[main] += 1
        if len(shown[main]) < examples:
            facts = Counter(det for lab, det in labels if lab == label and det).most_common(2)
            speakers = "; ".join(w.speaker_company_field[t]) or "-"
            mails = "; ".join(w.speaker_domains[t]) or "-"
            shown[main].append(
                f"talk {b.talk_id} {b.direction}, {b.size} members ({n} {label}; {facts}; night shift {shifts:.0%}); "
                f"speakers' companies {speakers!r}, mail {mails!r}: {b.evidence[0].sentence}"
            )
    print(f"fresh10 {size} seed {seed}, nothing planted, rule {rule_text(rule)}: {len(blocs)} blocs outside colleagues")
    print("\n| what the members truly are (majority) | blocs | night-shift bursts |\n|---|---|---|")
    for label, n in by_label.most_common():
        print(f"| {label} | {n} | {night[label]} |")
    print("\n| first signal | truly | blocs |\n|---|---|---|")
    for (signal, label), n in sorted(by_signal.items(), key=lambda kv: (kv[0][0], -kv[1])):
        print(f"| {signal} | {label} | {n} |")
    gaps_print(gaps, gap_shown, details, shown, "label")


def gaps_print(gaps: Counter, gap_shown: dict, details: dict, shown: dict, what: str) -> None:
    """The honest report's tail: blocs of the speaker's organisation by why they are not linked (with examples),
    the members' mail per `what` (label or cause), and example blocs per `what`."""
    print("\nblocs of the speaker's organisation, why not linked (members' commonest mail vs the speakers'):")
    for gap, n in gaps.most_common():
        print(f"  {gap}: {n}")
        for line in gap_shown[gap]:
            print(f"      {line}")
    print(f"\nmembers' mail, per {what} (members of that {what}):")
    for label, c in details.items():
        print(f"  {label}: " + ", ".join(f"{k} {n}" for k, n in c.most_common(8)))
    print("\nexamples:")
    for label, lines in shown.items():
        print(f"  {label}:")
        for line in lines:
            print(f"    {line}")


def rule_text(rule: BlocRule) -> str:
    """The rule's keys that differ from the default's, as JSON ("{}": the default rule)."""
    default = BlocRule().to_json()
    return json.dumps({k: v for k, v in rule.to_json().items() if default.get(k) != v})


def planted(size: str, seeds: list[int], rule: BlocRule, show_blocs: bool = False) -> None:
    lost_by: Counter = Counter()
    lost_detail: dict[str, Counter] = defaultdict(Counter)
    lost_signal: Counter = Counter()
    honest_total = 0
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    why: dict[str, Counter] = defaultdict(Counter)
    near: dict[str, list] = defaultdict(list)
    facts: dict[str, Counter] = defaultdict(Counter)
    per_bloc: list[str] = []
    loose = dataclasses.replace(rule, alpha=0.9, min_ratio=1.0, min_members=2)
    for seed in seeds:
        conf = fresh10_conference(size, seed)
        w = world_of(size, seed)
        data = conf.data
        pos_of_voter, pos_of_talk = _positions(data)
        groups = _groups(conf, pos_of_voter, pos_of_talk)
        report = blocs_detect(data, rule)
        discounts = bloc_discounts(report.blocs, rule)
        first_signal = {b.key: b.evidence[0].signal for b in report.blocs}
        lost, entries = {}, set()
        for v, t, m, key in zip(
            discounts.voter_ids, discounts.talk_ids, discounts.multipliers, discounts.bloc_keys, strict=True
        ):
            entries.add((pos_of_voter[int(v)], pos_of_talk[int(t)]))
            if m < 1.0:
                lost[(pos_of_voter[int(v)], pos_of_talk[int(t)])] = key
        keyed = {
            (int(v), int(t)): key
            for v, t, key in zip(discounts.voter_ids, discounts.talk_ids, discounts.bloc_keys, strict=True)
        }
        pv, pt = data.voter_ids[data.vote_voter[conf.planted]], data.talk_ids[data.vote_talk[conf.planted]]
        with_planted = {keyed[(int(v), int(t))] for v, t in zip(pv, pt, strict=True) if (int(v), int(t)) in keyed}
        honest_total += int(conf.honest.sum())
        for i in np.flatnonzero(conf.honest):
            v, t = int(data.vote_voter[i]), int(data.vote_talk[i])
            if (v, t) in lost:
                lab, det = truth(w, groups, v, t)
                lab = f"colleague: {lab}" if conf.colleague[i] else lab
                lost_by[lab] += 1
                lost_detail[lab][det] += 1
                key = lost[(v, t)]
                lost_signal[(first_signal[key] + (" (planted bloc)" if key in with_planted else ""), lab)] += 1

        found = entries  # as blocs_quality counts members: a planted vote with a discount entry
        _, strict_findings = findings_collect(data, rule)
        bar: dict[str, float] = {}
        for f in strict_findings:
            bar[f.signal] = max(bar.get(f.signal, -np.inf), f.log_bar)
        _, loose_findings = findings_collect(data, loose)
        held: dict[tuple[int, int], list] = defaultdict(list)
        for f in loose_findings:
            for v in f.members.tolist():
                held[(int(v), f.talk)].append(f)
        planted_at = {
            (int(v), int(t)): int(sc)
            for v, t, sc in zip(
                data.vote_voter[conf.planted], data.vote_talk[conf.planted], data.vote_score[conf.planted], strict=True
            )
        }
        for b in conf.blocs:
            talks = [pos_of_talk[int(t)] for t in b.talk_ids]
            hits = [pos_of_voter[x] for x in b.member_ids]
            got = sum(any((v, t) in found for t in talks if (v, t) in planted_at) for v in hits)
            new_accounts = sum(v >= w.V for v in hits)
            per_bloc.append(
                f"seed {seed} {b.kind} {b.direction} talk {b.boosted_talk}: {got} of {len(hits)} found "
                f"({new_accounts} new accounts)"
            )
            for vid in b.member_ids:
                v = pos_of_voter[vid]
                talks_v = [t for t in talks if (v, t) in planted_at]
                hit = any((v, t) in found for t in talks_v)
                kinds[b.kind][0] += 1
                kinds[b.kind][1] += hit
                if hit:
                    continue
                t0 = pos_of_talk[b.boosted_talk] if b.boosted_talk is not None else talks_v[0]
                d = data.domain_labels[data.voter_domain[v]] if data.voter_domain[v] >= 0 else ""
                mail = (
                    "new account"
                    if v >= w.V
                    else "free mail"
                    if d in FREE_MAIL or not d
                    else d
                    if d in SHARED
                    else "own"
                )
                facts[b.kind][mail] += 1
                if (v, t0) in planted_at and planted_at[(v, t0)] not in (data.scale.minimum, data.scale.maximum):
                    facts[b.kind][f"score {planted_at[(v, t0)]}"] += 1
                cands = [f for t in talks_v for f in held.get((v, t), [])]
                if not cands:
                    why[b.kind]["no finding even loosened"] += 1
                    continue
                best = min(cands, key=lambda f: f.log_p - bar.get(f.signal, 0.0))
                b_bar = bar.get(best.signal)
                ratio = best.observed / max(best.expected, 1e-9)
                if b_bar is not None and best.log_p <= b_bar and ratio >= rule.min_ratio and best.observed >= 3:
                    why[b.kind][f"{best.signal}: passes (merged or discounted away)"] += 1
                else:
                    why[b.kind][f"{best.signal}: below bar"] += 1
                line = (
                    f"seed {seed} talk {int(data.talk_ids[best.talk])}: {best.signal} '{best.label}' "
                    f"{best.observed} of {best.group_voters or '-'} obs, {best.expected:.2g} exp, "
                    f"p {np.exp(best.log_p):.1e} vs bar {np.exp(b_bar) if b_bar is not None else float('nan'):.1e}"
                )
                if best.talk == t0 and line not in near[b.kind]:
                    near[b.kind].append(line)
    total_lost = sum(lost_by.values())
    print(
        f"fresh10 {size} seeds {seeds}, rule {rule_text(rule)}: "
        f"{total_lost:,} of {honest_total:,} honest votes lose weight"
    )
    print("\n| honest vote losing weight: truly | votes | detail |\n|---|---|---|")
    for lab, n in lost_by.most_common():
        print(f"| {lab} | {n:,} | {', '.join(f'{k} {c}' for k, c in lost_detail[lab].most_common(4) if k)} |")
    print("\n| bloc's first signal | truly | votes |\n|---|---|---|")
    for (s, lab), n in lost_signal.most_common():
        print(f"| {s} | {lab} | {n:,} |")
    print("\n| planted kind | members | found | missed: closest loosened finding |\n|---|---|---|---|")
    for kind, (n, hit) in sorted(kinds.items(), key=lambda kv: kv[1][1] / kv[1][0]):
        print(f"| {kind} | {n} | {hit} ({hit / n:.2f}) | {'; '.join(f'{k} {c}' for k, c in why[kind].most_common())} |")
    if show_blocs:
        print("\nplanted blocs:")
        for line in sorted(per_bloc, key=lambda x: x.split()[2]):
            print(f"  {line}")
    print("\nmissed members: mail or account, and a planted score not the scale's end on the aimed talk:")
    for kind, c in facts.items():
        print(f"  {kind}: " + ", ".join(f"{k} {n}" for k, n in c.most_common()))
    print("\nclosest loosened findings of missed members (on the boosted talk):")
    for kind, lines in near.items():
        print(f"  {kind}:")
        for line in lines[:8]:
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["honest", "planted"])
    parser.add_argument("--size", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--blocs", action="store_true", help="planted: one line per planted bloc")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    if args.mode == "honest":
        honest(args.size, args.seed, rule, args.examples)
    else:
        planted(args.size, seeds_parse(args.seeds), rule, args.blocs)


if __name__ == "__main__":
    main()
