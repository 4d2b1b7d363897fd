"""The organizer's view of a tally snapshot: ranked rows with filters, and the charts' geometry."""

from __future__ import annotations

from django.db.models import Q

from apps.talks.models import Talk

from ..domain.charts import bar_chart
from ..models import TallyRow, TallySnapshot

MAX_ROWS = 500


def tally_report(*, snapshot: TallySnapshot, track: str = "", format: str = "", q: str = "") -> dict:
    conference = snapshot.conference
    rows = TallyRow.objects.filter(snapshot=snapshot).select_related("talk__track").order_by("rank")
    if track:
        rows = rows.filter(talk__track__slug=track)
    if format:
        rows = rows.filter(talk__format=format)
    if q:
        rows = rows.filter(Q(talk__title__icontains=q) | Q(talk__abstract__icontains=q))
    shown = list(rows[:MAX_ROWS])
    labels = [label for _, label in conference.scale]
    discount_reasons = (snapshot.summary or {}).get("discount_reasons", {})
    for row in shown:
        row.discount_reasons = discount_reasons.get(str(row.talk_id), [])
        total = row.weight_ticket_holders + row.weight_pledgers
        row.share_ticket = 100 * row.weight_ticket_holders / total if total else 0.0
        row.share_pledgers = 100 * row.weight_pledgers / total if total else 0.0
        row.score_chart = bar_chart(title="Votes per score", values=list(zip(labels, row.score_counts, strict=False)))
    summary = snapshot.summary or {}
    weight = summary.get("weight", {})
    voters = summary.get("voters", {})
    return {
        "rows": shown,
        "row_count": rows.count(),
        "max_rows": MAX_ROWS,
        "tracks": conference.tracks.order_by("name"),
        "formats": Talk.Format.choices,
        "score_chart": bar_chart(
            title="Score distribution (all votes)",
            values=list(zip(labels, summary.get("score_counts", []), strict=False)),
        ),
        "weight_chart": bar_chart(
            title="Vote weight by voter class",
            values=[
                ("ticket holders", weight.get("ticket_holder", 0.0)),
                ("pledgers", weight.get("pledger", 0.0)),
                ("removed: bloc discounts", weight.get("discounted", 0.0)),
            ],
            value_format="{:,.1f}",
        ),
        "voter_chart": bar_chart(
            title="Voters by class",
            values=[
                ("ticket holders", voters.get("ticket_holder", 0)),
                ("pledgers", voters.get("pledger", 0)),
                ("not eligible", voters.get("not_eligible", 0)),
            ],
        ),
    }
