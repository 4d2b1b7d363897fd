"""fresh11 read by its ground truth: what the blocs outside colleagues of an honest-only conference truly are, and
which planted members are missed and what their votes look like (docs/blocs.md, fresh11).

    .venv/bin/python bench/blocs_fresh11_diag.py honest --size small --seeds 1-30
    .venv/bin/python bench/blocs_fresh11_diag.py planted --size medium --seeds 1-3

`honest`: the honest-only conference (bench/blocs_calibration.plant_nothing, the calibration's path); every bloc
outside colleagues gets one cause from the generator's World: the honest group its members are in
(staff_room_forward, plc_meeting, pd_day, methods_course, facebook_group, influencer_video, spotlight), the speaker's
own district or organisation left unlinked (and why: the county service agency's shared domain, a legacy domain,
personal or internet-provider mail, the speakers' own addresses), ambassadors of the talk's publisher, union members,
strangers sharing a repeated school name as company field ("Lincoln Elementary" of several districts), one
organisation that is not the speaker's, or none (independent voters). A bloc's cause is its members' majority
(else "mixed"); counted per cause and per signal (a bloc counts for every signal of its evidence, as the
calibration counts them).

`planted`: the conference with its campaigns. Per planted kind, members found (any of their planted votes with a
discount entry, as blocs_quality counts members) and, for those missed, what their planted vote
shares with the rest of their bloc in the data detection reads: a ticket order, a (non-free) mail domain, a company
field, an hour; whether the bloc's votes spread over days, sit on a shared agency domain or personal mail, come from
new accounts, or give a score short of the scale's end. A diagnostic: nothing here changes detection.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs import blocs_detect
from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import plant_nothing, seeds_parse
from bench.blocs_fresh10_diag import _groups, _positions, gaps_print, rule_text
from bench.blocs_fresh11 import (
    FREE_MAIL,
    HONEST_KINDS,
    ISP_MAIL,
    LEVELS,
    PUBLISHER,
    ROLES,
    SCHOOL_NAMES,
    SIZES,
    UNION,
    World,
    _honest,
    _organisations,
    fresh11_conference,
)
from bench.blocs_quality import _planted_votes, bloc_targets, vote_multipliers

ISP = frozenset(d for m in ISP_MAIL.values() for d, _ in m)
SCHOOLS = frozenset(f"{n} {level}" for n in SCHOOL_NAMES for level in LEVELS)
SALT = 11000  # fresh11_conference's stream: (seed, size's index, SALT + 1) is the honest world's


@dataclass(frozen=True)
class Truth:
    """The honest World of a fresh11 conference and the domains the World does not keep."""

    w: World
    agency: frozenset[str]  # the county service agencies' shared domains
    legacy: frozenset[str]  # districts' legacy domains (consolidations)


def world_of(size: str, seed: int) -> Truth:
    """The honest World of fresh11_conference(size, seed) (the same stream, so the same voters and talks), with the
    agency and legacy domains of its districts (its first draws, `_organisations`, redone from the same stream)."""
    stream = [seed, tuple(SIZES).index(size), SALT + 1]
    o = _organisations(np.random.default_rng(stream), size)
    return Truth(
        _honest(np.random.default_rng(stream), size),
        frozenset(d for d in o["agency"] if d),
        frozenset(d for d in o["legacy"] if d),
    )


def mail_kind(tr: Truth, d: str) -> str:
    """What a mail domain is in fresh11's world."""
    if not d:
        return "no mail"
    if d in tr.agency:
        return "service agency's shared domain"
    if d in tr.legacy:
        return "legacy domain"
    if d in ISP:
        return "internet provider's mail"
    if d in FREE_MAIL:
        return "free mail"
    if re.search(r"\d\.us$", d) or d.endswith("family.net"):  # "<head>family.net", "<head><tail><n>.us"
        return "family domain"
    if d.startswith("my."):
        return "student subdomain"
    return "organisation's domain"


def truth(tr: Truth, groups: dict, v: int, t: int) -> tuple[str, str]:
    """What voter position v truly is to talk position t: (label, detail)."""
    w = tr.w
    if v >= w.V:
        return "campaign account", ""
    for kind, talks in groups.get(v, []):
        if t in talks:
            return f"honest group: {kind}", ""
    o = int(w.org[v])
    if o >= 0 and o in w.speaker_org[t]:
        return "speaker's organisation", mail_kind(tr, w.domain[v])
    if w.ambassador[v] >= 0 and w.ambassador[v] == w.sponsor[t]:
        return "ambassador of the talk's publisher", ""
    unions = {int(g) for g in (*w.speaker_org[t], w.talk_org[t]) if g >= 0 and w.org_kind[g] == UNION}
    if w.union[v] >= 0 and int(np.cumsum((0, *w.n_org))[4] + w.state[v]) in unions:
        return "union member, own union's talk", ""
    return "stranger", ROLES[int(w.role[v])]


def link_gap(tr: Truth, members: list[int], t: int) -> str:
    """Why members of the speaker's organisation are not linked to the talk: the members' commonest mail against
    the addresses and company fields the talk's speakers give, for the members' commonest organisation."""
    w = tr.w
    home = Counter(int(w.org[v]) for v in members).most_common(1)[0][0]
    mine = [v for v in members if w.org[v] == home]
    d = Counter(w.domain[v] for v in mine).most_common(1)[0][0]
    kind = mail_kind(tr, d)
    work = ("organisation's domain", "service agency's shared domain", "legacy domain", "student subdomain")
    # The organisation's work domains: its main one and every work address its voters use.
    own = {w.org_domains[home]} | {
        w.domain[v] for v in np.flatnonzero(w.org == home).tolist() if mail_kind(tr, w.domain[v]) in work
    }
    theirs = {m: mail_kind(tr, m) for m in w.speaker_domains[t] if m in own}
    if d in theirs:
        return f"members on a speaker's own address domain ({kind})"
    if not theirs:
        companies = w.speaker_company_field[t]
        named = (
            "the organisation named in full in a speaker's company"
            if w.org_names[home] in companies
            else "a speaker's company a school name"
            if any(c in SCHOOLS for c in companies)
            else "no speaker's company names it"
        )
        side = "members on its main domain" if d == w.org_domains[home] else f"members on {kind}"
        return f"no speaker gives a work address of the organisation ({side}); {named}"
    if kind in ("service agency's shared domain", "legacy domain"):
        return f"members on the district's {kind}, a speaker on {'/'.join(sorted(set(theirs.values())))}"
    if kind not in work:
        return "members on personal or internet-provider mail, a speaker on the organisation's"
    if "student subdomain" in (kind, *theirs.values()):
        return "student subdomain vs the university's domain"
    if w.org_kind[home] == PUBLISHER:
        return "members and speakers on different units' domains of the publisher"
    return f"members on its main domain, a speaker on {'/'.join(sorted(set(theirs.values())))}"


def voting_speaker(tr: Truth, members: list[int], t: int) -> str:
    """Whether a speaker of the members' organisation is a voter too, and what their own voter record holds that
    could link them: a group ticket order (PD, UNIV, COMP, UNION) or a work address."""
    w = tr.w
    home = Counter(int(w.org[v]) for v in members).most_common(1)[0][0]
    mine = [int(v) for v in w.speaker[t] if v >= 0 and w.org[v] == home]
    if not mine:
        return "no speaker of the organisation votes"
    group = any((w.order[v] or "").startswith(("PD", "UNIV", "COMP", "UNION")) for v in mine)
    personal = ("free mail", "internet provider's mail", "family domain")
    work = any(mail_kind(tr, w.domain[v]) not in personal for v in mine)
    return "a speaker of it votes: " + ("on a group order" if group else "alone") + (", work mail" if work else "")


def bloc_cause(tr: Truth, groups: dict, members: list[int], t: int) -> tuple[str, list[tuple[str, str]]]:
    """The bloc's cause (its members' majority label, strangers told apart by what they share) and every member's
    (label, detail)."""
    labels = [truth(tr, groups, v, t) for v in members]
    label, n = Counter(lab for lab, _ in labels).most_common(1)[0]
    if label == "stranger":
        strangers = [v for v, (lab, _) in zip(members, labels, strict=True) if lab == label]
        label = stranger_cause(tr, strangers)
    return (label if 2 * n > len(members) else f"mixed (most: {label})"), labels


def stranger_cause(tr: Truth, members: list[int]) -> str:
    """What strangers to the talk (none of its organisation, group or union) share, if anything."""
    w = tr.w
    half = len(members) / 2
    fields = Counter((w.company_field[v] or "").removeprefix("Principal, ") for v in members)
    field, k = fields.most_common(1)[0]
    if field in SCHOOLS and k >= 2:
        orgs = {int(w.org[v]) for v in members if (w.company_field[v] or "").removeprefix("Principal, ") == field}
        if len(orgs) > 1:
            return "strangers sharing a repeated school name"
    org, k = Counter(int(w.org[v]) for v in members).most_common(1)[0]
    if org >= 0 and k > half:
        return "one organisation, not the speaker's"
    code, k = Counter(w.order[v] or "" for v in members).most_common(1)[0]
    in_union = Counter(int(w.state[v]) for v in members if w.union[v] >= 0)  # members of a state's union
    if (code.startswith("UNION") and k >= half) or max(in_union.values(), default=0) > half:
        return "union members of one state"
    d, k = Counter(w.domain[v] for v in members).most_common(1)[0]
    if d in tr.agency and k >= half and len({int(w.org[v]) for v in members if w.domain[v] == d}) > 1:
        return "strangers on a service agency's shared domain"
    return "none (independent voters)"


BURSTS = ("burst", "organisation_burst")


def other_way(data, by_talk: np.ndarray, bloc, t: int) -> float:
    """How far a bloc's window (its members' first to last vote on the talk) holds votes the other way (a support
    bloc: below the scale's wanted minimum; an opposition bloc: at it or above), as the share of the window's votes
    on the talk that do, over the same share among the talk's votes outside the window (1: the window rates the
    talk as everyone does, both ways, like a session's crowd; 0: it votes one way only, like a campaign)."""
    lo, hi = np.searchsorted(data.vote_talk[by_talk], [t, t + 1])
    rows = by_talk[lo:hi]
    mine = np.isin(data.voter_ids[data.vote_voter[rows]], bloc.member_ids)
    at = data.vote_at[rows]
    inside = (at >= at[mine].min()) & (at <= at[mine].max())
    wanted = data.vote_score[rows] >= data.scale.wanted_min
    other = ~wanted if bloc.direction == "support" else wanted
    share_in = (other & inside).sum() / max(1, inside.sum())
    share_out = (other & ~inside).sum() / max(1, (~inside).sum())
    return float(share_in / max(share_out, 1e-9))


def honest(size: str, seeds: list[int], rule: BlocRule, examples: int) -> None:
    by_cause: Counter = Counter()
    conferences: dict[str, set] = defaultdict(set)
    by_signal: Counter = Counter()
    signal_total: Counter = Counter()
    gaps: Counter = Counter()
    gap_shown: dict[str, list] = defaultdict(list)
    details: dict[str, Counter] = defaultdict(Counter)
    shown: dict[str, list] = defaultdict(list)
    two_sided: dict[str, list[float]] = defaultdict(list)
    voting: Counter = Counter()
    for seed in seeds:
        conf = fresh11_conference(size, seed, plant=plant_nothing)
        tr = world_of(size, seed)
        w = tr.w
        data = conf.data
        pos_of_voter, pos_of_talk = _positions(data)
        groups = _groups(conf, pos_of_voter, pos_of_talk)
        by_talk = np.argsort(data.vote_talk, kind="stable")
        for b in blocs_detect(data, rule).blocs:
            if b.colleagues_of_speaker:
                continue
            t = pos_of_talk[b.talk_id]
            members = [pos_of_voter[v] for v in b.member_ids]
            cause, labels = bloc_cause(tr, groups, members, t)
            by_cause[cause] += 1
            if b.evidence[0].signal in BURSTS:
                two_sided[cause].append(other_way(data, by_talk, b, t))
            conferences[cause].add(seed)
            for s in b.signals:
                by_signal[(s, cause)] += 1
                signal_total[s] += 1
            for lab, det in labels:
                if det and cause.endswith(lab):
                    details[cause][det] += 1
            if cause == "speaker's organisation":
                own = [v for v, (lab, _) in zip(members, labels, strict=True) if lab == cause]
                gap = link_gap(tr, own, t)
                gaps[gap] += 1
                if gap.startswith("no speaker gives"):
                    voting[voting_speaker(tr, own, t)] += 1
                if len(gap_shown[gap]) < examples:
                    mails = Counter(w.domain[v] for v in own).most_common(2)
                    gap_shown[gap].append(
                        f"seed {seed} talk {b.talk_id}: {w.org_names[int(w.org[own[0]])]!r}, members' mail {mails}; "
                        f"speakers' companies {w.speaker_company_field[t]}, mail {w.speaker_domains[t]}"
                    )
            if len(shown[cause]) < examples:
                speakers = "; ".join(w.speaker_company_field[t]) or "-"
                mails = "; ".join(w.speaker_domains[t]) or "-"
                shown[cause].append(
                    f"seed {seed} talk {b.talk_id} {b.direction}, {b.size} members; speakers' companies {speakers!r}, "
                    f"mail {mails!r}: {b.evidence[0].sentence}"
                )
    total = sum(by_cause.values())
    print(
        f"fresh11 {size} seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} conferences), nothing planted, rule "
        f"{rule_text(rule)}: {total} blocs outside colleagues"
    )
    table_print(
        ("cause (members' majority)", "blocs", "share", "conferences"),
        [
            (c, n, f"{n / max(1, total):.1%}", f"{len(conferences[c])} of {len(seeds)}")
            for c, n in by_cause.most_common()
        ],
    )
    table_print(
        ("signal", "cause", "blocs", "share of the signal's"),
        [
            (s, c, n, f"{n / signal_total[s]:.1%}")
            for (s, c), n in sorted(by_signal.items(), key=lambda kv: (-signal_total[kv[0][0]], kv[0][0], -kv[1]))
        ],
    )
    two_sided_print(two_sided, "cause")
    coarse: Counter = Counter()
    for gap, n in gaps.items():
        coarse[gap.split(" (")[0].split(";")[0]] += n
    own = sum(coarse.values())
    table_print(
        ("the speaker's organisation unlinked: why, in short", "blocs", "share"),
        [(g, n, f"{n / max(1, own):.0%}") for g, n in coarse.most_common()],
    )
    table_print(
        ("no speaker gives a work address of the organisation: its speakers as voters", "blocs"),
        voting.most_common(),
    )
    gaps_print(gaps, gap_shown, details, shown, "cause")


def two_sided_print(shares: dict[str, list[float]], what: str) -> None:
    """Blocs first found by a burst, per `what`: how many, and their window's votes the other way against the
    talk's (`other_way`; median; how many at least half as many)."""
    table_print(
        (f"burst blocs: {what}", "blocs", "other way in the window vs outside: median", "at least 0.5"),
        [
            (k, len(v), f"{np.median(v):.2f}", sum(x >= 0.5 for x in v))
            for k, v in sorted(shares.items(), key=lambda kv: -len(kv[1]))
        ],
    )


def table_print(columns: tuple[str, ...], rows: list[tuple]) -> None:
    """A markdown table, after a blank line."""
    print("\n| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")


def missed_facts(tr: Truth, conf, bloc, missed: set[int], targets: list[int]) -> Counter:
    """For the missed members of one planted bloc: what their planted vote on the bloc's target shares with the
    bloc's other votes there in the data detection reads (ticket order, work domain, company field, a one-hour
    window; free mail is no domain there), and what it is (a new account, personal mail, a shared agency domain, a
    score short of the scale's end)."""
    data = conf.data
    rows = np.flatnonzero(_planted_votes(conf, bloc, targets))
    if not len(rows):
        return Counter()
    pos = data.vote_voter[rows]
    at = data.vote_at[rows]
    voters = data.voter_ids[pos]
    order, company, domain = data.voter_order[pos], data.voter_company[pos], data.voter_domain[pos]
    facts: Counter = Counter()
    spread = (at.max() - at.min()) > 86_400
    for i in np.flatnonzero(np.isin(voters, list(missed))).tolist():
        others = np.arange(len(rows)) != i
        facts["missed"] += 1
        if voters[i] > tr.w.V:
            facts["new account"] += 1
        if order[i] < 0 or not (order[others] == order[i]).any():
            facts["no shared order"] += 1
        label = data.domain_labels[domain[i]] if domain[i] >= 0 else ""
        if domain[i] < 0:
            facts["personal or ISP mail"] += 1
        elif label in tr.agency:
            facts["on a shared agency domain"] += 1
        if domain[i] < 0 or not (domain[others] == domain[i]).any():
            facts["no shared work domain"] += 1
        if company[i] < 0 or not (company[others] == company[i]).any():
            facts["no shared company field"] += 1
        if (np.abs(at[others] - at[i]) <= 3_600).sum() < 2:
            facts["fewer than 2 others within 1 h"] += 1
        if spread:
            facts["bloc's votes spread over more than a day"] += 1
        if data.vote_score[rows[i]] not in (data.scale.minimum, data.scale.maximum):
            facts["score short of the scale's end"] += 1
    return facts


def bloc_shape(conf, bloc, targets: list[int]) -> str:
    """How a planted bloc's votes on its targets look in the data detection reads: their time span, and the
    largest share of them one ticket order, work domain or company field holds (k of the group's n voters)."""
    data = conf.data
    rows = np.flatnonzero(_planted_votes(conf, bloc, targets))
    if not len(rows):
        return "no vote on a target"
    pos = np.unique(data.vote_voter[rows])
    parts = [f"span {(data.vote_at[rows].max() - data.vote_at[rows].min()) / 3_600:.0f} h"]
    for name, codes, labels in (
        ("order", data.voter_order, data.order_labels),
        ("domain", data.voter_domain, data.domain_labels),
        ("company", data.voter_company, data.company_labels),
    ):
        mine = codes[pos][codes[pos] >= 0]
        if not len(mine):
            parts.append(f"no {name}")
            continue
        code, k = Counter(mine.tolist()).most_common(1)[0]
        parts.append(f"{name} {labels[code]!r} {k} of {int((codes == code).sum())}")
    return ", ".join(parts)


def planted(size: str, seeds: list[int], rule: BlocRule) -> None:
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    two_sided: dict[str, list[float]] = defaultdict(list)
    facts: dict[str, Counter] = defaultdict(Counter)
    lines: list[str] = []
    for seed in seeds:
        conf = fresh11_conference(size, seed)
        tr = world_of(size, seed)
        data = conf.data
        report = blocs_detect(data, rule)
        detected = vote_multipliers(data, report.blocs, rule)[1]
        voters = data.voter_ids[data.vote_voter]
        by_talk = np.argsort(data.vote_talk, kind="stable")
        kind_of = {v: b.kind for b in conf.blocs for v in b.member_ids}
        pos_of_talk = _positions(data)[1]
        for found_bloc in report.blocs:
            if found_bloc.evidence[0].signal not in BURSTS:
                continue
            kind, n = Counter(kind_of.get(v, "honest") for v in found_bloc.member_ids).most_common(1)[0]
            if 2 * n > found_bloc.size:
                share = other_way(data, by_talk, found_bloc, pos_of_talk[found_bloc.talk_id])
                two_sided[kind if kind == "honest" else "planted: " + kind].append(share)
        for b in conf.blocs:
            targets = bloc_targets(conf, b)
            mine = _planted_votes(conf, b, b.talk_ids)
            everyone = set(np.unique(voters[mine]).tolist())
            found = set(np.unique(voters[mine & detected]).tolist())
            missed = everyone - found
            kinds[b.kind][0] += 1
            kinds[b.kind][1] += len(everyone)
            kinds[b.kind][2] += len(found)
            f = missed_facts(tr, conf, b, missed, targets)
            facts[b.kind] += f
            lines.append(
                f"seed {seed} {b.kind} talk {b.boosted_talk or targets}: {len(found)} of {len(everyone)} found; "
                f"{bloc_shape(conf, b, targets)}"
            )
    print(f"fresh11 {size} seeds {seeds[0]}-{seeds[-1]}, rule {rule_text(rule)}")
    rows = []
    for kind, (n, m, hit) in sorted(kinds.items(), key=lambda kv: kv[1][2] / max(1, kv[1][1])):
        why = ", ".join(f"{k} {c}" for k, c in facts[kind].most_common() if k != "missed")
        rows.append((kind, n, m, f"{hit} ({hit / max(1, m):.2f})", why))
    missed = "missed: what their vote on the target shares, or is"
    table_print(("planted kind", "blocs", "members", "found", missed), rows)
    two_sided_print(two_sided, "members' majority")
    print("\nplanted blocs:")
    for line in lines:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["honest", "planted"])
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    parser.add_argument("--examples", type=int, default=2)
    args = parser.parse_args()
    rule = BlocRule.from_json(json.loads(args.rule))
    if args.mode == "honest":
        honest(args.size, seeds_parse(args.seeds), rule, args.examples)
    else:
        planted(args.size, seeds_parse(args.seeds), rule)


if __name__ == "__main__":
    main()


__all__ = ["HONEST_KINDS", "Truth", "bloc_cause", "honest", "planted", "truth", "world_of"]
