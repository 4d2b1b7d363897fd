from django.contrib import admin, messages
from django.shortcuts import redirect

from confvote.admin_base import ModelAdmin
from confvote.admin_readonly import ReadOnlyAdmin

from .admin_proposals import ProposalAdminViews
from .models import (
    Room,
    ScheduledTalk,
    ScheduleOverride,
    ScheduleProposal,
    ScheduleRelease,
    Slot,
    SpeakerAvailability,
    TransparencyReportDocument,
)
from .proposals import proposal_cancel


@admin.register(Room)
class RoomAdmin(ModelAdmin):
    list_display = ("name", "conference", "capacity", "position")
    list_filter = ("conference",)
    search_fields = ("name",)
    autocomplete_fields = ("conference",)


@admin.register(Slot)
class SlotAdmin(ModelAdmin):
    list_display = ("start", "end", "room", "conference")
    list_filter = ("conference", "room")
    search_fields = ("room__name",)
    autocomplete_fields = ("conference", "room")
    date_hierarchy = "start"
    list_select_related = ("room", "conference")

    def get_queryset(self, request):
        # A slot's name is its room's: the autocomplete of an override's slot reads it for every answer.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(SpeakerAvailability)
class SpeakerAvailabilityAdmin(ModelAdmin):
    list_display = ("speaker", "start", "end")
    list_filter = ("speaker__conference",)
    search_fields = ("speaker__name", "speaker__email")
    autocomplete_fields = ("speaker",)


@admin.register(ScheduleProposal)
class ScheduleProposalAdmin(ProposalAdminViews, ModelAdmin):
    """Run, watch, cancel, compare and publish proposals. Runs are never edited by hand."""

    list_display = ("id", "conference", "status", "phase", "progress_percent", "outcome", "created_at", "created_by")
    list_filter = ("conference", "status")
    search_fields = ("input_digest",)
    actions = ["cancel_runs", "compare_two"]
    change_form_template = "admin/scheduling/scheduleproposal/change_form.html"
    change_list_template = "admin/scheduling/scheduleproposal/change_list.html"
    readonly_fields = (
        "conference",
        "status",
        "phase",
        "progress_percent",
        "parameters",
        "seed",
        "input_digest",
        "tally_snapshot",
        "attempt",
        "objective",
        "bound",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )
    exclude = ("result", "cancel_requested")

    @admin.display(description="outcome")
    def outcome(self, obj) -> str:
        return (obj.result or {}).get("outcome", "")

    def has_add_permission(self, request) -> bool:
        return False  # runs start from "Run a proposal", which checks the parameters

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a run's record is what the worker wrote; cancel and publish have their own screens

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Cancel the selected runs")
    def cancel_runs(self, request, queryset):
        for proposal in queryset:
            proposal_cancel(proposal=proposal)
        self.message_user(request, "Cancel requested; running proposals stop at their next check.")

    @admin.action(description="Compare the two selected proposals")
    def compare_two(self, request, queryset):
        if queryset.count() != 2:
            self.message_user(request, "Select exactly two proposals to compare.", messages.ERROR)
            return None
        a, b = sorted(queryset.values_list("pk", flat=True))
        return redirect("admin:scheduling_scheduleproposal_compare", a, b)


@admin.register(ScheduleOverride)
class ScheduleOverrideAdmin(ModelAdmin):
    list_display = ("talk", "kind", "slot", "room", "reason", "created_by", "created_at")
    list_filter = ("conference", "kind")
    search_fields = ("talk__title", "reason")
    autocomplete_fields = ("conference", "talk", "slot", "room", "similar_to")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ScheduledTalkInline(admin.TabularInline):
    model = ScheduledTalk
    extra = 0
    fields = ("start", "end", "room", "talk")
    readonly_fields = fields
    can_delete = False
    ordering = ("start", "room__position")

    def get_queryset(self, request):
        # Each row names its talk and room: joined, not a query each (259 queries on the large demo's release).
        return super().get_queryset(request).select_related("talk", "room")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduleRelease)
class ScheduleReleaseAdmin(ModelAdmin):
    """Published versions are history: readable, never edited (publish a new version instead)."""

    list_display = ("conference", "version", "published_at", "published_by", "changelog")
    list_filter = ("conference",)
    search_fields = ("changelog",)
    readonly_fields = ("conference", "version", "proposal", "changelog", "published_at", "published_by")
    inlines = [ScheduledTalkInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduledTalk)
class ScheduledTalkAdmin(ModelAdmin):
    list_display = ("talk", "room", "start", "end", "release")
    list_filter = ("release__conference", "release", "room")
    search_fields = ("talk__title",)
    list_select_related = ("talk", "room", "release__conference")
    readonly_fields = ("release", "talk", "room", "start", "end")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TransparencyReportDocument)
class TransparencyReportDocumentAdmin(ReadOnlyAdmin):
    """Each release's stored public transparency report (built at the first request after anything it
    shows changed); shown for its date and ETag, never read whole (megabytes on a large conference)."""

    list_display = ("release", "built_at", "etag")
    list_select_related = ("release__conference",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "page")
