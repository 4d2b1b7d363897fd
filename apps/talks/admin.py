from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.urls import path

from .admin_import import import_talks_view
from .models import Conference, Speaker, Talk, Track


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "start_date", "end_date", "voting_opens_at", "voting_closes_at")
    list_filter = ("status", "blind_voting")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "start_date"
    inlines = [TrackInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["import_talks"]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request, pk: import_talks_view(self, request, pk))
        return [path("<int:pk>/import-talks/", view, name="talks_conference_import_talks"), *super().get_urls()]

    @admin.action(description="Import talks from a file…", permissions=["change"])
    def import_talks(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one conference to import talks into.", messages.ERROR)
            return None
        return redirect("admin:talks_conference_import_talks", queryset.get().pk)

    fieldsets = (
        (None, {"fields": ("name", "slug", "status", "timezone", ("start_date", "end_date"))}),
        ("Voting", {"fields": (("voting_opens_at", "voting_closes_at"), "blind_voting")}),
        ("Vote scale", {"fields": (("scale_min", "scale_max"), "scale_labels", "wanted_min_score")}),
        ("Pledges", {"fields": ("pledge_threshold", "ticket_shop_url")}),
    )


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "conference", "slug", "color")
    list_filter = ("conference",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("conference",)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "company", "email_domain", "conference", "user")
    list_filter = ("conference",)
    search_fields = ("name", "email", "company", "email_domain")
    autocomplete_fields = ("conference", "user")
    readonly_fields = ("email_domain",)


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    list_display = ("title", "conference", "track", "format", "duration_minutes", "status", "external_id")
    list_filter = ("conference", "status", "format", "track")
    search_fields = ("title", "abstract", "external_id", "speakers__name")
    autocomplete_fields = ("conference", "track", "speakers")
    list_select_related = ("conference", "track")
