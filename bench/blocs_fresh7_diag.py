"""What recording fresh7's mailing would change (a measurement aid, written after fresh7 was measured out of
sample; it changes nothing in the world or in detection). Round 31 in docs/blocs.md.

    .venv/bin/python bench/blocs_fresh7_diag.py --size medium --seeds 1-3
    .venv/bin/python bench/blocs_fresh7_diag.py --size medium --seeds 1-3 --record-mailing
    .venv/bin/python bench/blocs_fresh7_diag.py --size small --seeds 1-3 --record-mailing \\
        --rule '{}' --rule '{"lone_votes": "tested"}'

fresh7's honest `unrecorded_mailing` groups are the organizers' mail to last year's attendees, in batches,
each featuring six talks; readers rate some of them in the hours after. The world does not record them as
promotions (its spotlight posts are recorded), so detection sees the readers as bursts: most of the honest
votes in blocs at medium. `--record-mailing` adds every featured talk of batch i of n as a promotion at the
batch's sending time (the generator's pre-registered schedule: day 1 + floor(5 i / n) at 15:00 UTC), as the
organizers could record it through the API (POST /api/v1/conferences/<slug>/promotions/). Prints, per rule
(`--rule`, repeatable; default the default rule), bench/blocs_quality.py's pooled row and, per honest group
kind, its votes on its own talks in a bloc and losing weight.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocRule
from bench.blocs_calibration import seeds_parse
from bench.blocs_fresh4_diag import with_promotions
from bench.blocs_fresh7 import DAY, HOUR, OPENS, fresh7_conference
from bench.blocs_quality import Counts, detect_with_discounts, measure
from bench.blocs_synthetic import SyntheticConference


def mailing_picks(conf: SyntheticConference) -> tuple[tuple[int, int], ...]:
    """(talk id, when) for every featured talk of every batch of the organizers' mailing."""
    batches = [g for g in conf.honest_groups if g.kind == "unrecorded_mailing"]
    day0 = OPENS - OPENS % DAY
    return tuple(
        (int(t), day0 + (1 + i * 5 // len(batches)) * DAY + 15 * HOUR)
        for i, g in enumerate(batches)
        for t in g.talk_ids
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--record-mailing", action="store_true", help="record the mailing's featured talks")
    parser.add_argument("--rule", action="append", help="bloc rule keys as JSON (repeatable)")
    args = parser.parse_args()
    rules = args.rule or ["{}"]
    conferences = [fresh7_conference(args.size, seed) for seed in seeds_parse(args.seeds)]
    for text in rules:
        rule = BlocRule.from_json(json.loads(text))
        pooled = Counts()
        own, flagged, lost = Counter(), Counter(), Counter()
        for conf in conferences:
            data = with_promotions(conf.data, mailing_picks(conf)) if args.record_mailing else conf.data
            boosted = {b.boosted_talk for b in conf.blocs if b.boosted_talk is not None}
            pooled += measure(data, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
            multiplier, detected, _n = detect_with_discounts(data, rule)
            voters = data.voter_ids[data.vote_voter]
            talks = data.talk_ids[data.vote_talk]
            for group in conf.honest_groups:
                mine = conf.honest & np.isin(voters, group.member_ids) & np.isin(talks, group.talk_ids)
                own[group.kind] += int(mine.sum())
                flagged[group.kind] += int((mine & detected).sum())
                lost[group.kind] += int((mine & (multiplier < 1.0)).sum())
        recorded = "mailing recorded" if args.record_mailing else "mailing not recorded"
        print(pooled.row(f"fresh7 {args.size}, {recorded}, rule {text} (seeds {args.seeds}, pooled)"))
        for kind in sorted(own):
            in_bloc = f"{flagged[kind]:,} of {own[kind]:,} votes on its own talks in a bloc"
            print(f"  {kind}: {in_bloc}, {lost[kind]:,} lose weight")


if __name__ == "__main__":
    main()
