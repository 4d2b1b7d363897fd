"""Organizer screens for a conference's attendance setup: the pretix connection and the eligibility rules."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse

from confvote.admin_base import ModelAdmin

from . import tasks
from .models import AttendanceSettings, PretixConnection


class PretixConnectionForm(forms.ModelForm):
    api_url = forms.URLField(
        assume_scheme="https", initial="https://pretix.eu/api/v1/", help_text="The pretix API root, ending in /api/v1/."
    )
    api_token = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="A pretix team API token with read access to this event's orders. It is never shown again; "
        "leave empty to keep the current one.",
    )

    class Meta:
        model = PretixConnection
        fields = ("conference", "api_url", "organizer_slug", "event_slug", "api_token", "active")

    def clean_api_token(self):
        token = self.cleaned_data["api_token"].strip()
        if not token and not self.instance.api_token:
            raise forms.ValidationError("An API token is required.")
        return token or self.instance.api_token


@admin.register(PretixConnection)
class PretixConnectionAdmin(ModelAdmin):
    form = PretixConnectionForm
    list_display = ("conference", "organizer_slug", "event_slug", "active", "last_synced_at", "last_error")
    list_filter = ("active",)
    search_fields = ("conference__name", "conference__slug", "organizer_slug", "event_slug")  # never the tokens
    readonly_fields = ("webhook_url", "last_synced_at", "last_result", "last_error")
    autocomplete_fields = ("conference",)
    actions = ["sync_now"]

    @admin.display(description="webhook URL for pretix")
    def webhook_url(self, connection):
        if not connection.pk:
            return "Shown after saving."
        site = settings.SITE_URL.rstrip("/")
        return site + reverse("attendance:pretix_webhook", args=[connection.webhook_token])

    @admin.action(description="Sync the selected connections now")
    def sync_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for connection_id in ids:
            transaction.on_commit(lambda connection_id=connection_id: tasks.pretix_sync_event.delay(connection_id))
        self.message_user(request, f"Queued {len(ids)} sync(s); refresh to see the results.", messages.SUCCESS)


@admin.register(AttendanceSettings)
class AttendanceSettingsAdmin(ModelAdmin):
    list_display = ("conference", "past_attendee_class", "pledge_due_days")
    autocomplete_fields = ("conference",)
    filter_horizontal = ("past_editions",)
