"""What the admin screens of runs share (detection runs, publication runs): the message that sends the
organizer to the run queued (or to the one already under way), the duration, and a page that refreshes
itself while the run is live (templates/admin/ballots/run_progress.html)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from confvote.admin_readonly import ReadOnlyAdmin


def posted_id(value) -> int | None:
    """A posted id, or None for anything that is not one (so a tampered form gets a message, not a 500)."""
    text = str(value or "").strip()
    return int(text) if text.isdecimal() and len(text) < 19 else None


def run_queued_say(model_admin, request, conference, run, said: str) -> None:
    """ "<conference>: <said>; follow its progress", linking the run's page."""
    link = reverse(f"admin:{run._meta.app_label}_{run._meta.model_name}_change", args=[run.pk])
    model_admin.message_user(
        request, format_html('{}: {}; <a href="{}">follow its progress</a>.', conference, said, link)
    )


# The fields every run's page ends with, after those of its kind.
RUN_FIELDS_END = ("error", "created_by", "created_at", "started_at", "finished_at", "duration")


class RunAdmin(ReadOnlyAdmin):
    """A kind of run's list and page: read-only, the page refreshing itself while the run is live."""

    @admin.display(description="duration")
    def duration(self, obj) -> str:
        return "—" if obj.seconds is None else f"{obj.seconds:.1f} s"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.model.objects.filter(pk=posted_id(object_id)).first()
        extra_context = {**(extra_context or {}), "live": bool(run and run.live)}
        return super().change_view(request, object_id, form_url, extra_context)
