"""How "Suggested promotions" (apps/ballots/domain/promotion_suggestions.py) fares on the generated
worlds: how many suggestions are a real unrecorded promotion of the organizers' (fresh6's newsletter,
fresh4's vendor pushes, fresh3's newsletter, fresh7's mailing: their honest groups of those kinds), how many are a
campaign's (most of their co-raters planted bloc members: an organizer who records such a burst as
their own promotion would hide the campaign), and how many are neither. Prints only.

    python -m bench.promotion_suggestions_measure --size small --seeds 1-3 --worlds fresh6,fresh4,fresh3
    python -m bench.promotion_suggestions_measure --size medium --seeds 1-3 --worlds fresh6 --quality
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.promotion_suggestions import promotion_suggestions
from bench.blocs_calibration import seeds_parse
from bench.blocs_fresh4_diag import with_promotions
from bench.blocs_quality import GENERATORS, Counts, measure

# The honest groups that are a promotion of the organizers' (or of a vendor acting for them).
PROMOTION_KINDS = {"newsletter_readers", "trending_push", "featured_push", "unrecorded_mailing"}


def classify(suggestion, conf) -> str:
    """ "promotion" when most co-raters belong to an honest group of a promotion kind whose talks the
    suggestion names, "campaign" when most are planted bloc members, else "other"."""
    co = set(suggestion.co_rater_ids)
    talks = set(suggestion.talk_ids)
    promo, planted = set(), set()
    for g in conf.honest_groups:
        if g.kind in PROMOTION_KINDS and talks & set(g.talk_ids):
            promo |= co & set(g.member_ids)
    for b in conf.blocs:
        planted |= co & set(b.member_ids)
    if len(promo) * 2 >= len(co):
        return "promotion"
    if len(planted) * 2 >= len(co):
        return "campaign"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--worlds", default="fresh6,fresh4,fresh3")
    parser.add_argument("--quality", action="store_true", help="also the quality row with correct ones recorded")
    parser.add_argument(
        "--recorded",
        choices=["correct", "all"],
        default="correct",
        help="with --quality: record the correct suggestions only, or every one (an organizer who records "
        "whatever is suggested, campaigns included)",
    )
    parser.add_argument("--verbose", action="store_true", help="print every suggestion")
    args = parser.parse_args()
    rule = BlocRule()
    for world in args.worlds.split(","):
        _, make = GENERATORS[world]
        totals = {"promotion": 0, "campaign": 0, "other": 0}
        before, after = Counts(), Counts()
        real = 0
        for seed in seeds_parse(args.seeds):
            started = time.perf_counter()
            conf = make(args.size, seed)
            data = conf.data
            found = promotion_suggestions(data, rule)
            kinds = [classify(s, conf) for s in found]
            for k in kinds:
                totals[k] += 1
            real += sum(1 for g in conf.honest_groups if g.kind in PROMOTION_KINDS)
            print(
                f"{world} {args.size} seed {seed}: {len(found)} suggestions "
                f"({kinds.count('promotion')} promotion, {kinds.count('campaign')} campaign, "
                f"{kinds.count('other')} other) in {time.perf_counter() - started:.1f} s"
            )
            if args.verbose:
                for s, k in zip(found, kinds, strict=True):
                    share = s.talks_per_co_rater / len(s.talk_ids)
                    print(f"  [{k}] at {s.at}: {len(s.talk_ids)} talks, {share:.2f} of them per co-rater: {s.evidence}")
            if args.quality:
                boosted = {b.boosted_talk for b in conf.blocs if b.boosted_talk is not None}
                counts = measure(data, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
                before += counts
                pushes = tuple(
                    (t, s.at)
                    for s, k in zip(found, kinds, strict=True)
                    if k == "promotion" or args.recorded == "all"
                    for t in s.talk_ids
                )
                recorded = with_promotions(data, pushes) if pushes else data
                after += measure(recorded, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
        print(
            f"{world} {args.size} seeds {args.seeds}: {sum(totals.values())} suggestions: "
            f"{totals['promotion']} promotion, {totals['campaign']} campaign, {totals['other']} other "
            f"(honest promotion groups in the worlds: {real})"
        )
        if args.quality:
            print(before.row(f"{world} {args.size} as is"))
            print(after.row(f"{world} {args.size} {args.recorded} suggestions recorded"))


if __name__ == "__main__":
    main()
