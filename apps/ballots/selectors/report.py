"""The organizer's view of a tally snapshot: ranked rows with filters, a page of them explained, and the
charts' geometry."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Q, QuerySet

from apps.talks.models import Talk

from ..domain.charts import bar_chart
from ..models import TallyRow, TallySnapshot

TALKS_PER_PAGE = 100


def _matching_rows(*, snapshot: TallySnapshot, track: str = "", format: str = "", q: str = "") -> QuerySet:
    """The snapshot's rows that match the filters, by rank (unique within a snapshot, so pages are stable)."""
    rows = TallyRow.objects.filter(snapshot=snapshot).select_related("talk__track").order_by("rank")
    if track:
        rows = rows.filter(talk__track__slug=track)
    if format:
        rows = rows.filter(talk__format=format)
    if q:
        rows = rows.filter(Q(talk__title__icontains=q) | Q(talk__abstract__icontains=q))
    return rows


def _page_of(rows: QuerySet, *, page: int | str) -> Page:
    """One page of `rows`. Like the admin's change lists, a page that is not a number is the first page, and so
    is one that does not exist (0, negative, past the end: the change lists send it back to their first page;
    here the filters are kept)."""
    paginator = Paginator(rows, TALKS_PER_PAGE)
    try:
        return paginator.page(page)
    except InvalidPage:
        return paginator.page(1)


def tally_report(
    *, snapshot: TallySnapshot, track: str = "", format: str = "", q: str = "", page: int | str | None = None
) -> dict:
    """The tally page's context. With `page` (the admin's `?page=` as given; TALKS_PER_PAGE talks a page) only
    that page's rows are read and explained; without it every matching row is. A row keeps its rank in the
    whole tally, and the charts are the whole conference's (the snapshot's summary) whatever the filters."""
    conference = snapshot.conference
    rows = _matching_rows(snapshot=snapshot, track=track, format=format, q=q)
    summary = snapshot.summary or {}
    labels = [label for _, label in conference.scale]
    report = _report_charts(summary, labels)
    report["tracks"] = conference.tracks.order_by("name")
    report["formats"] = Talk.Format.choices
    if page is None:
        shown = list(rows)
        report["row_count"] = len(shown)
    else:
        report["page_obj"] = page_obj = _page_of(rows, page=page)
        report["paginator"] = paginator = page_obj.paginator
        report["row_count"] = paginator.count
        report["page_range"] = list(paginator.get_elided_page_range(page_obj.number))
        shown = list(page_obj.object_list)
    _explain(shown, summary=summary, labels=labels)
    report["rows"] = shown
    return report


def _explain(rows: list[TallyRow], *, summary: dict, labels: list[str]) -> None:
    """Where each shown row's score came from: its bloc-discount reasons, its weight shares, its score chart."""
    discount_reasons = summary.get("discount_reasons", {})
    for row in rows:
        row.discount_reasons = discount_reasons.get(str(row.talk_id), [])
        total = row.weight_ticket_holders + row.weight_pledgers
        row.share_ticket = 100 * row.weight_ticket_holders / total if total else 0.0
        row.share_pledgers = 100 * row.weight_pledgers / total if total else 0.0
        row.score_chart = bar_chart(title="Votes per score", values=list(zip(labels, row.score_counts, strict=False)))


def _report_charts(summary: dict, labels: list[str]) -> dict:
    """The conference-wide charts: read from the snapshot's summary, whatever the filters or page."""
    weight = summary.get("weight", {})
    voters = summary.get("voters", {})
    return {
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
