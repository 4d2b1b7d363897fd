"""The organizer's "Import talks" screen: upload, preview (a dry run), then commit the same file."""

import uuid

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .domain.talk_import import CSV_COLUMNS, KINDS, talks_parse
from .importing import talks_import
from .models import Conference

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PREVIEW_SECONDS = 30 * 60


class TalkImportForm(forms.Form):
    file = forms.FileField(help_text="Up to 10 MB.")
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], initial="auto", label="Format")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; split it and import the parts.")
        return upload


def preview_then_commit(
    request, *, name: str, conference, form_class, payload_of, run, done_url: str, template: str, context: dict
):
    """The import flow every import screen shares: an upload runs as a dry run and shows its report;
    when it has no problems the file is kept (in the cache, for this organizer and conference) and one
    click imports exactly that file. `payload_of(form)` turns a valid form into what `run(payload,
    dry_run)` reads; the report needs `.errors` and `.summary()`."""
    cache_key = f"{name}-import:{request.user.pk}:{conference.pk}:"
    committing = request.method == "POST" and "commit" in request.POST
    uploading = request.method == "POST" and not committing
    form = form_class(request.POST, request.FILES) if uploading else form_class()
    if committing:
        stored = cache.get(cache_key + request.POST.get("token", ""))
        if stored is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(request.path)
        report = run(stored, dry_run=False)
        if not report.errors:
            cache.delete(cache_key + request.POST["token"])
            messages.success(request, report.summary())
            return redirect(done_url)
        context["report"] = report
    elif form.is_bound and form.is_valid():
        payload = payload_of(form)
        report = run(payload, dry_run=True)
        context["report"] = report
        if not report.errors:
            token = uuid.uuid4().hex
            cache.set(cache_key + token, payload, PREVIEW_SECONDS)
            context["token"] = token
    context["form"] = form
    return TemplateResponse(request, template, context)


def import_talks_view(model_admin, request, conference_id: int):
    conference = get_object_or_404(Conference, pk=conference_id)
    if not model_admin.has_change_permission(request, conference):
        messages.error(request, "You may not change this conference.")
        return redirect("admin:talks_conference_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "conference": conference,
        "csv_columns": list(CSV_COLUMNS),
        "opts": Conference._meta,
        "title": "Import talks",
    }

    def payload_of(form):
        upload = form.cleaned_data["file"]
        return upload.read(), form.cleaned_data["kind"], upload.name

    def run(payload, *, dry_run: bool):
        content, kind, filename = payload
        return talks_import(
            conference=conference, parsed=talks_parse(content, kind=kind, filename=filename), dry_run=dry_run
        )

    return preview_then_commit(
        request,
        name="talk",
        conference=conference,
        form_class=TalkImportForm,
        payload_of=payload_of,
        run=run,
        done_url=reverse("admin:talks_talk_changelist") + f"?conference__id__exact={conference.pk}",
        template="admin/talks/conference/import_talks.html",
        context=context,
    )
