from django.contrib import admin

from .models import (
    Room,
    ScheduledTalk,
    ScheduleOverride,
    ScheduleProposal,
    ScheduleRelease,
    Slot,
    SpeakerAvailability,
)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "conference", "capacity", "position")
    list_filter = ("conference",)
    search_fields = ("name",)
    autocomplete_fields = ("conference",)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("start", "end", "room", "conference")
    list_filter = ("conference", "room")
    search_fields = ("room__name",)
    autocomplete_fields = ("conference", "room")
    date_hierarchy = "start"
    list_select_related = ("room", "conference")


@admin.register(SpeakerAvailability)
class SpeakerAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("speaker", "start", "end")
    list_filter = ("speaker__conference",)
    search_fields = ("speaker__name", "speaker__email")
    autocomplete_fields = ("speaker",)


@admin.register(ScheduleProposal)
class ScheduleProposalAdmin(admin.ModelAdmin):
    list_display = ("id", "conference", "status", "phase", "progress_percent", "objective", "created_at")
    list_filter = ("conference", "status")
    search_fields = ("input_digest",)
    readonly_fields = (
        "status",
        "input_digest",
        "phase",
        "progress_percent",
        "objective",
        "bound",
        "result",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    )


@admin.register(ScheduleOverride)
class ScheduleOverrideAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduleRelease)
class ScheduleReleaseAdmin(admin.ModelAdmin):
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
class ScheduledTalkAdmin(admin.ModelAdmin):
    list_display = ("talk", "room", "start", "end", "release")
    list_filter = ("release__conference", "release", "room")
    search_fields = ("talk__title",)
    list_select_related = ("talk", "room", "release__conference")
    readonly_fields = ("release", "talk", "room", "start", "end")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
