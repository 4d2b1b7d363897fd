"""Does a group's finding on a talk survive once the group's taste for the talk's topic is allowed for? A
bench prototype of a group-level taste control (docs/blocs.md, round 30; `taste: rings` in the
domain, apps/ballots/domain/blocs_taste.py, is its `--mode lifted --signals similar --neighbour-level
0.01` variant: `--neighbour-level` keeps only neighbours co-rated with the talk beyond chance).

    .venv/bin/python bench/blocs_taste_diag.py --world fresh5 --size small --seeds 1-3   # fixed groups
    .venv/bin/python bench/blocs_taste_diag.py --world fresh2 --size medium --seeds 1-3 --signals similar
    .venv/bin/python bench/blocs_taste_diag.py --world fresh4 --size medium --seeds 1-3 \
        --signals order,affiliation,organisation_burst,similar --retest

A group genuinely keen on a topic rates up several of its talks; a campaign pushes its one talk. The
talk's topic is data-derived: its `--neighbours` talks most co-rated (any score) with it by voters
outside the group (cosine of co-rating counts). The group is the fixed group of an order, affiliation
or organisation-burst finding (the whole order or organisation), or a puppet ring's members. Modes:

- `lifted` (the default): count the neighbours the group *lifts* — its votes there in the finding's way
  pass the group test's size conditions (`min_members`, `min_ratio` times the prediction: the group's
  votes that way times the neighbour's share of everyone else's) with a Poisson upper tail at most
  `--level`, uncorrected. The finding is explained by taste when at least `--min-lift` neighbours are
  lifted; with `--retest`, a fixed group's finding must also fail its own test (same Poisson, bar and
  `min_ratio`) once its prediction is multiplied by the group's pooled lift on the lifted neighbours.
- `group`: the whole group's pooled lift on all neighbours (one vote of smoothing either side), and the
  finding re-tested with its prediction multiplied by max(1, lift).
- `members`: the finding's members' votes on the neighbours against the rate of the talk's other
  raters in that way; explained when the lift is at least `--min-lift` with a tail at most `--level`.

`--ways up` (the default) asks only findings rating a talk up (organised down-voting of a talk's rivals
lifts the rivals as a taste would: held-out tactical down-votes).

Printed, pooled over the seeds:
- per signal and lift bin (in `lifted` mode: the number of lifted neighbours): findings, those explained
  by taste, the planted votes they hold, those held by no other finding on the talk and way (what
  dropping them could lose), and the honest votes in them by the generator's honest group (explained);
- before -> after with the explained findings dropped before the merge (as `score_deviation` drops its
  findings): planted members found, lenient precision per vote, collateral, collateral without real
  colleagues of the speaker; planted members found by kind and honest groups' votes losing weight on
  their talks.

The "after" run replaces `apps.ballots.domain.blocs.findings_collect` in this process only (a bench
prototype; nothing in the domain changes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.stats import poisson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apps.ballots.domain.blocs as blocs_module
from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.blocs_organisations import organisations_build
from apps.ballots.domain.blocs_signals import SUPPORT, TOP
from bench.blocs_calibration import seeds_parse
from bench.blocs_quality import GENERATORS, _planted_votes, detect_with_discounts

TASTE_SIGNALS = ("order", "affiliation", "organisation_burst")
LIFT_BINS = ((-np.inf, "lift < 1"), (1.0, "1-1.5"), (1.5, "1.5-2"), (2.0, "2-3"), (3.0, "3-5"), (5.0, "5+"))
_ORIGINAL = blocs_module.findings_collect


class Taste:
    """What the taste control needs about one conference: who rated which talk, and the group columns."""

    def __init__(
        self,
        ctx,
        k: int,
        *,
        mode="lifted",
        signals=TASTE_SIGNALS,
        min_lift=2.0,
        level=0.01,
        ways="up",
        retest=False,
        neighbour_level=None,
    ) -> None:
        data = ctx.data
        self.ctx, self.k, self.mode, self.signals = ctx, k, mode, signals
        self.min_lift, self.level, self.ways, self.retest = min_lift, level, ways, retest
        self.neighbour_level = neighbour_level
        self._ways: dict[int, sparse.csr_matrix] = {}
        n_v, n_t = data.n_voters, data.n_talks
        ones = np.ones(len(data.vote_talk))
        self.rated = sparse.csr_matrix((ones, (data.vote_voter, data.vote_talk)), shape=(n_v, n_t))
        self.rated_by_talk = self.rated.tocsc()
        self.degree = np.asarray(self.rated.sum(axis=0)).ravel()
        orgs = organisations_build(data)
        self.columns = {
            "order": (data.voter_order, {label: i for i, label in enumerate(data.order_labels)}),
            "affiliation": (orgs.voter_org, {label: i for i, label in enumerate(orgs.labels)}),
        }
        self.columns["organisation_burst"] = self.columns["affiliation"]
        self._group_counts: dict[tuple[str, int, int], np.ndarray] = {}

    def group(self, f) -> np.ndarray | None:
        """The voter positions of f's group (None: not a taste signal or an unknown label)."""
        if f.signal not in TASTE_SIGNALS:
            return None
        column, code = self.columns[f.signal]
        g = code.get(f.label)
        if g is None or column is None:
            return None
        return np.flatnonzero(column == g)

    def neighbours(self, talk: int, members: np.ndarray) -> np.ndarray:
        """The k talks most co-rated with `talk` by voters outside the group (cosine of co-rating counts)."""
        col = self.rated_by_talk[:, talk]
        raters = col.indices
        outside = raters[~np.isin(raters, members)]
        if not len(outside):
            return np.empty(0, dtype=np.int64)
        co = np.asarray(self.rated[outside].sum(axis=0)).ravel()
        degree = self.degree - np.asarray(self.rated[members].sum(axis=0)).ravel()
        cosine = co / np.sqrt(np.maximum(degree, 1) * max(1, len(outside)))
        cosine[talk] = -1
        cosine[degree <= 0] = -1
        top = np.argsort(-cosine, kind="stable")[: self.k]
        top = top[cosine[top] > 0]
        if self.neighbour_level:  # co-rated beyond chance only (the domain's `taste: rings` guard)
            voters = max(1, int((np.diff(self.rated.indptr) > 0).sum()) - len(members))
            expected = np.maximum(len(outside) * degree[top] / voters, 1e-9)
            top = top[poisson.logsf(co[top] - 1, expected) <= np.log(self.neighbour_level)]
        return top

    def lift(self, f) -> tuple[float, int, float] | None:
        """The taste of f's group for the talk's topic: (lift, votes, prediction).

        "group" mode: the whole group's votes in f's way on the talk's neighbours over the group test's
        own prediction there. "members" mode: the finding's members' votes in f's way on the neighbours
        over what the talk's other raters in that way predict (each neighbour's share of them who also
        rated it that way, times the members)."""
        if f.signal not in self.signals:
            return None
        members = self.group(f) if f.signal in TASTE_SIGNALS else f.members
        if self.mode == "members":
            if f.signal not in self.signals:
                return None
            members = f.members
        if members is None or not len(members):
            return None
        ctx, data = self.ctx, self.ctx.data
        d = TOP if f.top_score else f.direction
        sel = ctx.votes_in(d)
        if self.mode == "members":
            group = self.group(f)
            outside_of = members if group is None else group
            nb = self.neighbours(f.talk, outside_of)
            if not len(nb):
                return None
            way = self._way(d)
            on_talk = way[:, f.talk].toarray().ravel() > 0
            on_talk[outside_of] = False
            on_talk[members] = False
            raters = np.flatnonzero(on_talk)
            if not len(raters):
                return None
            share = np.asarray(way[raters][:, nb].sum(axis=0)).ravel() / len(raters)
            x_nb = int(way[members][:, nb].sum())
            e_nb = float(share.sum() * len(members))
            return (x_nb + 1.0) / (e_nb + 1.0), x_nb, e_nb
        mine = np.isin(data.vote_voter[sel], members)
        x = np.bincount(data.vote_talk[sel[mine]], minlength=data.n_talks)
        group_votes = float(ctx.votes_per_voter[members].sum())
        n_talks = max(1, data.n_talks)
        rest_rate = (ctx.talk_count[d] - x + 0.5) / (ctx.n_votes - group_votes + 0.5 * n_talks)
        expected = group_votes * rest_rate
        nb = self.neighbours(f.talk, members)
        if self.mode == "lifted":
            rule = self.ctx.rule
            x_u, e_u = x[nb], np.maximum(expected[nb], 1e-9)
            big = (x_u >= rule.min_members) & (x_u >= rule.min_ratio * e_u)
            lifted = big & (poisson.logsf(x_u - 1, e_u) <= np.log(self.level))
            return float(lifted.sum()), int(x_u[lifted].sum()), float(e_u[lifted].sum())
        x_nb, e_nb = int(x[nb].sum()), float(expected[nb].sum())
        return (x_nb + 1.0) / (e_nb + 1.0), x_nb, e_nb

    def _way(self, d: int):
        """Voter x talk, 1 where the voter rated the talk in tested direction d (csr, built once per d)."""
        if d not in self._ways:
            data, sel = self.ctx.data, self.ctx.votes_in(d)
            ones = np.ones(len(sel))
            shape = (data.n_voters, data.n_talks)
            self._ways[d] = sparse.csr_matrix((ones, (data.vote_voter[sel], data.vote_talk[sel])), shape=shape)
        return self._ways[d]

    def explained(self, f) -> tuple[bool, float | None]:
        """Whether taste explains f, and the lift. "group" mode: f no longer passes its test once its
        prediction is raised by the group's lift on the talk's neighbours. "members" mode: the members'
        lift is at least `min_lift` and its Poisson upper tail at most `level`."""
        if self.ways == "up" and f.direction != SUPPORT:
            return False, None
        got = self.lift(f)
        if got is None:
            return False, None
        lift, x_nb, e_nb = got
        if self.mode == "lifted":  # `lift` is the number of neighbours the group lifts
            if lift < self.min_lift:
                return False, lift
            if not self.retest or f.signal not in TASTE_SIGNALS:
                return True, lift
            # The fixed group's finding is re-tested with its prediction raised by the group's lift on
            # the neighbours it lifts: a group lifting its topic's talks as much as this one is keen on
            # the topic; one that lifts this talk well beyond them pushes it.
            expected = f.expected * x_nb / max(e_nb, 1e-9)
            rule = self.ctx.rule
            log_p = float(poisson.logsf(f.observed - 1, max(expected, 1e-9)))
            passes = log_p <= f.log_bar and f.observed >= rule.min_ratio * expected
            return (not passes), lift
        if self.mode == "members":
            out = lift >= self.min_lift and float(poisson.logsf(x_nb - 1, max(e_nb, 1e-9))) <= np.log(self.level)
            return out, lift
        expected = f.expected * max(1.0, lift)
        rule = self.ctx.rule
        log_p = float(poisson.logsf(f.observed - 1, max(expected, 1e-9)))
        passes = log_p <= f.log_bar and f.observed >= rule.min_ratio * expected
        return (not passes), lift


def taste_collect(**options):
    def collect(data, rule):
        ctx, findings = _ORIGINAL(data, rule)
        taste = Taste(ctx, **options)
        return ctx, [f for f in findings if not taste.explained(f)[0]]

    return collect


def _lift_bin(lift: float) -> str:
    label = LIFT_BINS[0][1]
    for lo, name in LIFT_BINS:
        if lift >= lo:
            label = name
    return label


def _row(conf, multiplier, detected) -> dict[str, float]:
    voters = conf.data.voter_ids[conf.data.vote_voter]
    lost = (multiplier < 1.0) & conf.honest
    others = conf.honest & ~conf.colleague
    return {
        "members": len(np.unique(voters[conf.planted])),
        "found": len(np.unique(voters[conf.planted & detected])),
        "detected": int(detected.sum()),
        "lenient": int((detected & (conf.planted | conf.colleague)).sum()),
        "honest": int(conf.honest.sum()),
        "lost": int(lost.sum()),
        "others": int(others.sum()),
        "others_lost": int((lost & others).sum()),
    }


def run(conf, rule: BlocRule, options: dict, tables, totals, kinds) -> None:
    data = conf.data
    span = int(data.talk_ids.max()) + 1
    vote_key = data.vote_voter.astype(np.int64) * span + data.vote_talk
    planted_keys = set(vote_key[conf.planted].tolist())
    pos_of_talk = {int(t): i for i, t in enumerate(data.talk_ids)}
    pos_of_voter = {int(v): i for i, v in enumerate(data.voter_ids)}
    honest_kind: dict[int, str] = {}
    for g in conf.honest_groups:
        talks = [pos_of_talk[int(t)] for t in g.talk_ids if int(t) in pos_of_talk]
        for v in g.member_ids:
            if int(v) in pos_of_voter:
                for t in talks:
                    honest_kind[pos_of_voter[int(v)] * span + t] = g.kind
    colleague_keys = set(vote_key[conf.colleague].tolist())

    ctx, findings = _ORIGINAL(data, rule)
    taste = Taste(ctx, **options)
    by_target = defaultdict(list)
    for f in findings:
        by_target[(f.talk, f.direction)].append(f)
    for f in findings:
        out, lift = taste.explained(f)
        if lift is None:
            continue
        keys = (f.members.astype(np.int64) * span + f.talk).tolist()
        others = [g.members for g in by_target[(f.talk, f.direction)] if g is not f]
        elsewhere = np.unique(np.concatenate(others)) if others else np.empty(0, dtype=np.int64)
        alone = (f.members[~np.isin(f.members, elsewhere)].astype(np.int64) * span + f.talk).tolist()
        row = tables[(f.signal, _lift_bin(lift))]
        row["findings"] += 1
        row["explained"] += int(out)
        planted = sum(key in planted_keys for key in keys)
        row["planted"] += planted
        row["planted, explained"] += planted if out else 0
        row["planted alone, explained"] += sum(key in planted_keys for key in alone) if out else 0
        for key in keys:
            if key in planted_keys:
                continue
            kind = honest_kind.get(key, "none")
            if key in colleague_keys:
                kind = f"colleague, {kind}"
            row[f"honest {kind}"] += 1
            if out:
                row[f"honest {kind}, explained"] += 1

    before = detect_with_discounts(data, rule)
    blocs_module.findings_collect = taste_collect(**options)
    try:
        after = detect_with_discounts(data, rule)
    finally:
        blocs_module.findings_collect = _ORIGINAL
    for name, (multiplier, detected, _) in (("before", before), ("after", after)):
        for key, value in _row(conf, multiplier, detected).items():
            totals[name][key] += value
        voters = data.voter_ids[data.vote_voter]
        for bloc in conf.blocs:
            mine = _planted_votes(conf, bloc, bloc.talk_ids)
            kinds[bloc.kind][name] += len(np.unique(voters[detected & mine]))
        for group in conf.honest_groups:
            shared = np.isin(voters, group.member_ids) & np.isin(data.talk_ids[data.vote_talk], group.talk_ids)
            kinds[f"honest {group.kind}: votes losing weight on its talks"][name] += int(
                ((multiplier < 1.0) & shared).sum()
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", choices=sorted(GENERATORS), default="fresh5")
    parser.add_argument("--size", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--neighbours", type=int, default=10)
    parser.add_argument("--mode", choices=["group", "members", "lifted"], default="lifted")
    parser.add_argument("--signals", default=",".join(TASTE_SIGNALS), help="members mode: the signals asked")
    parser.add_argument("--min-lift", type=float, default=2.0)
    parser.add_argument("--level", type=float, default=0.01)
    parser.add_argument("--neighbour-level", type=float, help="keep neighbours co-rated beyond chance at this level")
    parser.add_argument("--retest", action="store_true", help="lifted mode: re-test fixed groups at the lifted rate")
    parser.add_argument("--ways", choices=["up", "all"], default="up", help="the findings asked: support only, or all")
    parser.add_argument("--rule", default="{}", help="bloc rule keys as JSON")
    args = parser.parse_args()
    options = {
        "k": args.neighbours,
        "mode": args.mode,
        "signals": tuple(args.signals.split(",")),
        "min_lift": args.min_lift,
        "level": args.level,
        "ways": args.ways,
        "retest": args.retest,
        "neighbour_level": args.neighbour_level,
    }
    rule = BlocRule.from_json(json.loads(args.rule))
    tables = defaultdict(lambda: defaultdict(int))
    totals = {"before": defaultdict(float), "after": defaultdict(float)}
    kinds = defaultdict(lambda: defaultdict(int))
    for seed in seeds_parse(args.seeds):
        run(GENERATORS[args.world][1](args.size, seed), rule, options, tables, totals, kinds)

    print(f"{args.world} {args.size} seeds {args.seeds}: {options}")
    print("\n| signal, lift on neighbours | findings | explained by taste | planted votes | of them explained "
          "| planted alone, explained | honest votes (explained) by group |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    order = {name: i for i, (_, name) in enumerate(LIFT_BINS)}
    for (signal, lbin), row in sorted(tables.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        honest = ", ".join(
            f"{key[7:]} {n} ({row.get(f'{key}, explained', 0)})"
            for key, n in sorted(row.items(), key=lambda kv: -kv[1])
            if key.startswith("honest ") and not key.endswith(", explained")
        )
        print(
            f"| {signal}, {lbin} | {row['findings']} | {row['explained']} | {row['planted']} "
            f"| {row['planted, explained']} | {row['planted alone, explained']} | {honest} |"
        )
    print("\n| | members found | lenient precision | collateral | without colleagues |\n|---|---|---|---|---|")
    for name in ("before", "after"):
        t = totals[name]
        print(
            f"| {name} | {int(t['found'])} of {int(t['members'])} | {t['lenient'] / max(1, t['detected']):.3f} "
            f"| {t['lost'] / max(1, t['honest']):.2%} | {t['others_lost'] / max(1, t['others']):.2%} |"
        )
    print("\n| planted kind / honest group | before | after |\n|---|---|---|")
    for kind, row in sorted(kinds.items()):
        mark = " **" if row["before"] != row["after"] else ""
        print(f"| {kind}{mark} | {row['before']} | {row['after']} |")


if __name__ == "__main__":
    main()
