"""What recording fresh6's newsletter would change (a measurement aid, written after fresh6 was measured
out of sample; it changes nothing in the world or in detection).

    .venv/bin/python bench/blocs_fresh6_diag.py --size medium --seeds 1-3
    .venv/bin/python bench/blocs_fresh6_diag.py --size medium --seeds 1-3 --record-newsletter

fresh6's honest `newsletter_readers` read the organizers' day-14 newsletter of editors' picks and rate
some of them within a day or two. The world records the organizers' featured-talk social posts as
promotions but not the newsletter, so detection sees its readers as bursts (half of fresh6 medium's
collateral). `--record-newsletter` adds each newsletter pick as a promotion at the newsletter's time
(day 14, 08:00 UTC: the generator's OPENS + 14 days - 4 hours), as the organizers could record it through
the API (POST /api/v1/conferences/<slug>/promotions/); the picks are the conference's own
`newsletter_readers` groups' talks. Prints bench/blocs_quality.py's rows (each seed and pooled) and,
per honest group kind, its votes on its own talks and how many lose weight.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import seeds_parse
from bench.blocs_fresh4_diag import with_promotions
from bench.blocs_fresh6 import DAY, HOUR, OPENS, fresh6_conference
from bench.blocs_quality import Counts, detect_with_discounts, measure
from bench.blocs_synthetic import SyntheticConference

NEWSLETTER_AT = OPENS + 14 * DAY - 4 * HOUR


def newsletter_picks(conf: SyntheticConference) -> tuple[tuple[int, int], ...]:
    """(talk id, when) for every pick of every newsletter in the conference."""
    talks = sorted({t for g in conf.honest_groups if g.kind == "newsletter_readers" for t in g.talk_ids})
    return tuple((int(t), NEWSLETTER_AT) for t in talks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--record-newsletter", action="store_true", help="record the newsletter's picks")
    args = parser.parse_args()
    rule = BlocRule()
    pooled = Counts()
    own, lost = Counter(), Counter()
    for seed in seeds_parse(args.seeds):
        conf = fresh6_conference(args.size, seed)
        data = conf.data
        if args.record_newsletter:
            picks = newsletter_picks(conf)
            before = len(data.talk_promoted)
            data = with_promotions(data, picks)
            after = len(data.talk_promoted)
            print(f"seed {seed}: {len(picks)} newsletter picks recorded; promotions {before} -> {after}")
        boosted = {b.boosted_talk for b in conf.blocs if b.boosted_talk is not None}
        counts = measure(data, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
        print(counts.row(f"fresh6 {args.size} (seed {seed})"))
        pooled += counts
        multiplier, _detected, _n = detect_with_discounts(data, rule)
        voters = data.voter_ids[data.vote_voter]
        talks = data.talk_ids[data.vote_talk]
        for group in conf.honest_groups:
            mine = conf.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
            own[group.kind] += int(mine.sum())
            lost[group.kind] += int((mine & (multiplier < 1.0)).sum())
    print(pooled.row(f"fresh6 {args.size} (seeds {args.seeds}, pooled)"))
    for kind in sorted(own):
        print(f"{kind}: {lost[kind]:,} of {own[kind]:,} votes on its own talks lose weight")


if __name__ == "__main__":
    main()
