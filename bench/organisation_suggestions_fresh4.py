"""What the suggested organisations (apps/ballots/domain/organisation_suggestions.py) would propose on
fresh4's conference, against the world's real organisations (a measurement aid; it changes nothing in
the world, in detection or in docs/benchmarks.md).

    .venv/bin/python bench/organisation_suggestions_fresh4.py --size small --seeds 1

Voters are read from the conference's BlocInput labels (each voter's normalised company field and work
domain, free mail already blank). Speakers are not read: the input keeps a talk's speakers' companies
and domains apart, so a speaker's pair is not known. The world's organisations come from the generator's
own `_organisations` with the seed it gives it (as bench/blocs_fresh4_diag.py's declared_groups).

A suggestion is right when all its domains and names are one organisation's (its units' domains, the
spellings the generator types; a consultant typing a client's name makes one wrong). Domain pairs: a
suggestion proposes every pair of its domains; a pair is right when both domains are units of one
organisation. Recall is over the pairs of one organisation's domains that both occur among the
voters (and, stricter, that both have at least MIN_VOTERS voters naming a company).
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import company_normalize
from apps.ballots.domain.organisation_suggestions import MIN_VOTERS, Person, organisation_suggestions
from bench.blocs_calibration import seeds_parse
from bench.blocs_fresh4 import SIZES, _organisations, fresh4_conference


def world_truth(size: str, seed: int) -> tuple[dict[str, int], dict[str, int]]:
    """(domain → organisation, normalised spelling → organisation) of the world's organisations."""
    rng = np.random.default_rng([seed, list(SIZES).index(size), 40])
    kinds, units, _sizes = _organisations(rng, SIZES[size].voters)
    domain_org: dict[str, int] = {}
    name_org: dict[str, int] = {}
    for o, (kind, own) in enumerate(zip(kinds, units, strict=True)):
        for unit, domain in own:
            domain_org[domain] = o
            if kind == "university":
                base = unit.split(",")[0]
                spellings = (base, base.replace("University of ", "Uni "), base + ", Dept. of CS", base.upper())
            else:
                spellings = (unit, unit + " GmbH", unit.lower(), unit + ", Inc.", unit.split(" ")[0])
            for spelling in spellings:
                name_org.setdefault(company_normalize(spelling), o)
    return domain_org, name_org


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=list(SIZES))
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--show", type=int, default=12, help="suggestions printed per seed")
    args = parser.parse_args()
    for seed in seeds_parse(args.seeds):
        data = fresh4_conference(args.size, seed).data
        voters = [
            Person(
                company=data.company_labels[c] if c >= 0 else "",
                email_domain=data.domain_labels[d] if d >= 0 else "",
            )
            for c, d in zip(data.voter_company.tolist(), data.voter_domain.tolist(), strict=True)
        ]
        found = organisation_suggestions(voters=voters)
        domain_org, name_org = world_truth(args.size, seed)
        present = sorted({p.email_domain for p in voters if p.email_domain})
        with_company: dict[str, int] = {}
        for p in voters:
            if p.email_domain and p.company:
                with_company[p.email_domain] = with_company.get(p.email_domain, 0) + 1
        truth = {
            pair
            for pair in combinations(present, 2)
            if pair[0] in domain_org and domain_org[pair[0]] == domain_org.get(pair[1], -1)
        }
        eligible = {pair for pair in truth if min(with_company.get(d, 0) for d in pair) >= MIN_VOTERS}
        suggested = {pair for s in found for pair in combinations(s.email_domains, 2)}
        right = {pair for pair in suggested if pair in truth}
        whole = [s for s in found if len(orgs_of(s, domain_org, name_org)) == 1]
        print(f"fresh4 {args.size} seed {seed}: {len(voters)} voters, {len(found)} suggestions, {len(whole)} right")
        print(
            f"  domain pairs suggested {len(suggested)}, right {len(right)}: precision "
            f"{len(right) / len(suggested) if suggested else float('nan'):.3f}; recall {len(right)}/{len(truth)} "
            f"of the real pairs among voters' domains, {len(right & eligible)}/{len(eligible)} of those with "
            f"at least {MIN_VOTERS} voters naming a company at both domains"
        )
        for s in found[: args.show]:
            verdict = "right" if s in whole else "WRONG"
            print(f"  [{verdict}] {s.name}: {', '.join(s.email_domains)} | {'; '.join(s.company_names)}")
            print(f"      {s.evidence}")


def orgs_of(s, domain_org: dict[str, int], name_org: dict[str, int]) -> set[int]:
    """The world's organisations a suggestion's domains and names belong to (-1 for one it does not
    know): right when exactly one."""
    return {domain_org.get(d, -1) for d in s.email_domains} | {
        name_org.get(company_normalize(n), -1) for n in s.company_names
    }


if __name__ == "__main__":
    main()
