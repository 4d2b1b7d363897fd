"""Publishing the tally from the admin: the snapshot list's "Publish" (a button and an action) queues a
publication run and sends the organizer to its page, which follows its progress; the runs' list."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from apps.talks.models import Conference

from .admin_runs import RUN_FIELDS_END, RunAdmin, run_queued_say
from .models import TallyPublicationRun
from .services.publication import tally_publication_start

PUBLISH_PERMISSION = "ballots.change_tallysnapshot"


def may_publish(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(PUBLISH_PERMISSION)


def publication_refuse(request) -> None:
    if not may_publish(request):
        raise PermissionDenied("Publishing a tally needs the permission to change tally snapshots.")


def publications_queue(model_admin, request, conferences):
    """Queues a publication of each conference (or finds the one under way) and says so; with one
    conference, the answer is its run's page."""
    runs = []
    for conference in conferences:
        run, created = tally_publication_start(conference=conference, by=request.user)
        said = "the publication is queued" if created else "a publication is already under way"
        run_queued_say(model_admin, request, conference, run, said)
        runs.append(run)
    if len(runs) == 1:
        return redirect("admin:ballots_tallypublicationrun_change", runs[0].pk)
    if not runs:
        model_admin.message_user(request, "Choose a conference to publish.", level=messages.ERROR)
    return None


def publishable_conferences(snapshots):
    return Conference.objects.filter(pk__in=snapshots.values("conference")).order_by("name")


@admin.register(TallyPublicationRun)
class TallyPublicationRunAdmin(RunAdmin):
    """Publications, newest first: who asked, progress while running, the published snapshot or why not."""

    list_display = (
        "id",
        "conference",
        "status",
        "phase",
        "progress_percent",
        "published",
        "duration",
        "created_at",
        "created_by",
    )
    list_filter = ("conference", "status")
    list_select_related = ("conference", "created_by", "snapshot")
    date_hierarchy = "created_at"
    fields = (
        "conference",
        "status",
        "phase",
        "progress_percent",
        "published",
        "detection",
        *RUN_FIELDS_END,
        "steps",
    )
    readonly_fields = fields
    change_form_template = "admin/ballots/tallypublicationrun/change_form.html"

    def has_view_permission(self, request, obj=None) -> bool:
        # As the snapshots: every organizer sees the tallies and how their publication went.
        return request.user.is_active and request.user.is_staff

    @admin.display(description="published snapshot")
    def published(self, obj) -> str:
        if obj.snapshot_id is None:
            return "—"
        link = reverse("admin:ballots_tallysnapshot_change", args=[obj.snapshot_id])
        return format_html('<a href="{}">Tally of {} ({})</a>', link, obj.conference, f"#{obj.snapshot_id}")

    @admin.display(description="seconds by step")
    def steps(self, obj) -> str:
        if not obj.step_seconds:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}: {} s</li>", ((k, f"{v:.2f}") for k, v in obj.step_seconds.items())),
        )
