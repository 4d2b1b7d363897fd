"""Organizers record their own promotions (a post or newsletter that featured talks), so that bloc
detection takes the hours after each as explained on those talks (round 20 in docs/blocs.md)."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.talks.models import Conference
from confvote.admin_base import ModelAdmin

from .admin_blocs import posted_id
from .models import Promotion
from .services.promotions import promotion_suggestions_current


class PromotionForm(forms.ModelForm):
    class Meta:
        model = Promotion
        fields = ("conference", "sent_at", "talks", "channel", "description")
        error_messages = {
            "talks": {"required": "Choose at least one talk the promotion featured."},
            "channel": {"required": "Say where the promotion went out (e.g. Mastodon, newsletter)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A talk id that is not a number would make the talk picker fail when the form is shown again
        # (it looks the chosen ids up): such ids are dropped here and reported in `clean`.
        self.unknown_talks = False
        if self.is_bound and hasattr(self.data, "getlist"):
            posted = self.data.getlist(self.add_prefix("talks"))
            kept = [v for v in posted if posted_id(v) is not None]
            if len(kept) != len(posted):
                self.data = self.data.copy()
                self.data.setlist(self.add_prefix("talks"), kept)
                self.unknown_talks = True

    def clean(self):
        data = super().clean()
        if self.unknown_talks:
            self.add_error("talks", "A chosen talk was not found; choose the talks from the list.")
        conference, talks = data.get("conference"), data.get("talks")
        if conference is not None and talks is not None:
            others = sorted(t.title for t in talks if t.conference_id != conference.pk)
            if others:
                names = ", ".join(f"“{title}”" for title in others)
                self.add_error("talks", f"Only talks of {conference} can be featured; not of it: {names}.")
        # The external_id is not on the form (read-only), so the model's constraint is not checked for it.
        external_id = self.instance.external_id
        if conference is not None and external_id:
            taken = Promotion.objects.filter(conference=conference, external_id=external_id)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "conference",
                    f"{conference} already has a promotion with external_id “{external_id}” (the sending tool's "
                    "id): keep this one in its conference, or delete one of the two.",
                )
        return data


@admin.register(Promotion)
class PromotionAdmin(ModelAdmin):
    """A promotion explains the votes on its talks in the hours after it went out (the policy's
    `promotion_hours`, 24 by default): record it before detection runs, with the time it went out."""

    form = PromotionForm
    list_display = ("sent_at", "conference", "channel", "featured", "created_by", "created_at")
    list_filter = ("conference", "channel")
    search_fields = ("channel", "description", "external_id", "talks__title", "conference__name")
    autocomplete_fields = ("conference", "talks")
    list_select_related = ("conference", "created_by")
    date_hierarchy = "sent_at"
    # external_id is the sending tool's (recorded through the API): changing it would break its retries.
    readonly_fields = ("external_id", "created_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("talks")

    @admin.display(description="talks featured")
    def featured(self, obj) -> str:
        return "; ".join(t.title for t in obj.talks.all())

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        suggestions = self.admin_site.admin_view(self.suggestions_view)
        return [path("suggestions/", suggestions, name="ballots_promotion_suggestions"), *super().get_urls()]

    def suggestions_view(self, request):
        """Suggested promotions of the conference the organizer chooses (moments when voters rated
        several talks together far more than site-wide activity predicts), each with its evidence and
        a link that opens the add form filled in with its talks and time."""
        if not self.has_view_permission(request):
            raise PermissionDenied("Seeing suggested promotions needs the permission to view promotions.")
        conferences = list(Conference.objects.order_by("name", "pk"))
        conference = next((c for c in conferences if c.pk == posted_id(request.GET.get("conference"))), None)
        rows = []
        if conference is not None:
            titles = dict(conference.talks.values_list("pk", "title"))
            for suggestion in promotion_suggestions_current(conference=conference):
                when = dt.datetime.fromtimestamp(suggestion.at, tz=dt.UTC)
                talks = [titles.get(t, str(t)) for t in suggestion.talk_ids]
                rows.append((suggestion, when, talks, self._record_link(request, conference, suggestion, when)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Suggested promotions",
            "conferences": conferences,
            "conference": conference,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/ballots/promotion/suggestions.html", context)

    def _record_link(self, request, conference, suggestion, when: dt.datetime) -> str | None:
        """The add form filled in with the suggestion's talks and time (the organizer corrects the time
        and says where it went out). None without the permission to add."""
        if not self.has_add_permission(request):
            return None
        query = {
            "conference": conference.pk,
            "talks": ",".join(str(t) for t in suggestion.talk_ids),
            "sent_at": when.isoformat(),
        }
        return f"{reverse('admin:ballots_promotion_add')}?{urlencode(query)}"
