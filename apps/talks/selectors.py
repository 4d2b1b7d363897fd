"""Reads of conferences and talks."""

from django.db.models import Count, Q, QuerySet

from .models import Conference, Talk


def conference_list_public() -> QuerySet[Conference]:
    """Conferences visible to everyone (not drafts), with their number of candidate talks."""
    return (
        Conference.objects.exclude(status=Conference.Status.DRAFT)
        .annotate(talk_count=Count("talks", filter=~Q(talks__status=Talk.Status.WITHDRAWN)))
        .order_by("-start_date", "name")
    )


def conference_get_public(*, slug: str) -> Conference | None:
    return conference_list_public().filter(slug=slug).first()


def talk_list_for_conference(*, conference: Conference) -> QuerySet[Talk]:
    return (
        conference.talks.exclude(status=Talk.Status.WITHDRAWN)
        .select_related("track")
        .prefetch_related("speakers")
        .order_by("title")
    )
