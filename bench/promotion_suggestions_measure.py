"""How "Suggested promotions" (apps/ballots/domain/promotion_suggestions.py) fares on the generated
worlds: how many suggestions are a real unrecorded promotion of the organizers' (fresh6's newsletter,
fresh4's vendor pushes, fresh3's newsletter, fresh7's mailing: their honest groups of those kinds), how many
are an outside post that nobody records (fresh8's influencer thread: honest, but not the organizers' to
record), how many name a promotion the world already records (fresh8's editors' picks banner: the
suggestions should leave it out), how many are a campaign's (most of their co-raters planted bloc members:
an organizer who records such a burst as their own promotion would hide the campaign), and how many are
none of these. Prints only.

    python -m bench.promotion_suggestions_measure --size small --seeds 1-3 --worlds fresh6,fresh4,fresh3
    python -m bench.promotion_suggestions_measure --size medium --seeds 1-3 --worlds fresh6 --quality
    python -m bench.promotion_suggestions_measure --size small --seeds 1-3 --worlds fresh8 --quality --recorded outside
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
# Honest groups brought by someone else's post, which nobody records (fresh8's ML influencer's thread).
OUTSIDE_KINDS = {"influencer_thread"}
# Honest groups brought by a promotion the world records (fresh8's editors' picks banner).
RECORDED_KINDS = {"editors_picks"}
CATEGORIES = ("promotion", "outside", "recorded", "campaign", "other")


def classify(suggestion, conf) -> str:
    """ "promotion", "outside" or "recorded" when most co-raters belong to an honest group of such a kind
    whose talks the suggestion names (in that order), "campaign" when most are planted bloc members, else
    "other"."""
    co = set(suggestion.co_rater_ids)
    talks = set(suggestion.talk_ids)
    grouped = {"promotion": set(), "outside": set(), "recorded": set()}
    for g in conf.honest_groups:
        for category, kinds in (
            ("promotion", PROMOTION_KINDS),
            ("outside", OUTSIDE_KINDS),
            ("recorded", RECORDED_KINDS),
        ):
            if g.kind in kinds and talks & set(g.talk_ids):
                grouped[category] |= co & set(g.member_ids)
    planted = set()
    for b in conf.blocs:
        planted |= co & set(b.member_ids)
    for category, members in grouped.items():
        if len(members) * 2 >= len(co):
            return category
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
        choices=["correct", "outside", "all"],
        default="correct",
        help="with --quality: record the correct suggestions only (the organizers' own promotions), those and "
        "the outside posts (an organizer who records someone else's post too), or every one (an organizer who "
        "records whatever is suggested, campaigns included)",
    )
    parser.add_argument("--verbose", action="store_true", help="print every suggestion")
    args = parser.parse_args()
    rule = BlocRule()
    for world in args.worlds.split(","):
        _, make = GENERATORS[world]
        totals = dict.fromkeys(CATEGORIES, 0)
        before, after = Counts(), Counts()
        real = outside = 0
        for seed in seeds_parse(args.seeds):
            started = time.perf_counter()
            conf = make(args.size, seed)
            data = conf.data
            found = promotion_suggestions(data, rule)
            kinds = [classify(s, conf) for s in found]
            for k in kinds:
                totals[k] += 1
            real += sum(1 for g in conf.honest_groups if g.kind in PROMOTION_KINDS)
            outside += sum(1 for g in conf.honest_groups if g.kind in OUTSIDE_KINDS)
            counted = ", ".join(f"{kinds.count(c)} {c}" for c in CATEGORIES)
            print(
                f"{world} {args.size} seed {seed}: {len(found)} suggestions ({counted}) "
                f"in {time.perf_counter() - started:.1f} s"
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
                    if k == "promotion" or (k == "outside" and args.recorded == "outside") or args.recorded == "all"
                    for t in s.talk_ids
                )
                recorded = with_promotions(data, pushes) if pushes else data
                after += measure(recorded, conf.planted, conf.colleague, conf.honest, boosted, len(conf.blocs), rule)
        counted = ", ".join(f"{totals[c]} {c}" for c in CATEGORIES)
        print(
            f"{world} {args.size} seeds {args.seeds}: {sum(totals.values())} suggestions: {counted} "
            f"(honest groups in the worlds: {real} organizers' promotions, {outside} outside posts)"
        )
        if args.quality:
            print(before.row(f"{world} {args.size} as is"))
            print(after.row(f"{world} {args.size} {args.recorded} suggestions recorded"))


if __name__ == "__main__":
    main()
