from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import path

from confvote.admin_base import ModelAdmin

from .admin_import import import_talks_view
from .admin_vote_import import import_votes_view
from .models import ApiToken, Conference, Speaker, Talk, Track
from .services import api_token_create, api_token_revoke


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Conference)
class ConferenceAdmin(ModelAdmin):
    list_display = ("name", "slug", "status", "start_date", "end_date", "voting_opens_at", "voting_closes_at")
    list_filter = ("status", "blind_voting")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "start_date"
    inlines = [TrackInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["import_talks", "import_votes"]

    def get_urls(self):
        talks = self.admin_site.admin_view(lambda request, pk: import_talks_view(self, request, pk))
        votes = self.admin_site.admin_view(lambda request, pk: import_votes_view(self, request, pk))
        return [
            path("<int:pk>/import-talks/", talks, name="talks_conference_import_talks"),
            path("<int:pk>/import-votes/", votes, name="talks_conference_import_votes"),
            *super().get_urls(),
        ]

    @admin.action(description="Import votes from a file…", permissions=["change"])
    def import_votes(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one conference to import votes into.", messages.ERROR)
            return None
        return redirect("admin:talks_conference_import_votes", queryset.get().pk)

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
class TrackAdmin(ModelAdmin):
    list_display = ("name", "conference", "slug", "color")
    list_filter = ("conference",)
    search_fields = ("name", "slug")
    autocomplete_fields = ("conference",)


@admin.register(Speaker)
class SpeakerAdmin(ModelAdmin):
    list_display = ("name", "email", "company", "email_domain", "conference", "user")
    list_filter = ("conference",)
    search_fields = ("name", "email", "company", "email_domain")
    autocomplete_fields = ("conference", "user")
    readonly_fields = ("email_domain",)
    # The account is optional, so Django would not join it by itself: a query per speaker shown.
    list_select_related = ("conference", "user")


@admin.register(Talk)
class TalkAdmin(ModelAdmin):
    list_display = ("title", "conference", "track", "format", "duration_minutes", "status", "external_id")
    list_filter = ("conference", "status", "format", "track")
    search_fields = ("title", "abstract", "external_id", "speakers__name")
    autocomplete_fields = ("conference", "track", "speakers")
    list_select_related = ("conference", "track")

    @staticmethod
    def _promotion_picker(request) -> bool:
        """The talk picker of a promotion (apps/ballots/admin_promotions.py) is asking."""
        return request.GET.get("model_name") == "promotion" and request.GET.get("app_label") == "ballots"

    def get_search_results(self, request, queryset, search_term):
        # A promotion's picker offers the talks that can still be promoted; the form checks that they
        # are of the promotion's conference.
        if self._promotion_picker(request):
            queryset = queryset.exclude(status=Talk.Status.WITHDRAWN)
        return super().get_search_results(request, queryset, search_term)

    def get_search_fields(self, request):
        # ... and is searched by conference too ("europython keynote").
        if self._promotion_picker(request):
            return (*self.search_fields, "conference__name", "conference__slug")
        return self.search_fields


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    """Organizer API tokens. The key is shown once, right after creation; only its hash is kept."""

    list_display = ("name", "key_prefix", "conference", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("conference", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "key_prefix", "user__email")
    autocomplete_fields = ("conference", "user")
    fields = ("conference", "user", "name")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("conference", "user", "name", "key_prefix", "created_at", "last_used_at", "revoked_at") if obj else ()

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj else self.fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        try:
            token, key = api_token_create(conference=obj.conference, user=obj.user, name=obj.name)
        except (PermissionDenied, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        obj.pk = token.pk
        self.message_user(request, f"Token created. Copy the key now, it is not shown again: {key}", messages.WARNING)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            original_clean = form.clean

            def clean(form_self):
                data = original_clean(form_self)
                user = data.get("user")
                if user is not None and not (user.is_active and user.is_staff):
                    raise ValidationError({"user": "Only organizers (active staff accounts) may hold API tokens."})
                return data

            form.clean = clean
        return form

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")
