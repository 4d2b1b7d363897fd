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
    form = TalkImportForm()
    cache_key = f"talk-import:{request.user.pk}:{conference.pk}:"
    if request.method == "POST" and "commit" in request.POST:
        stored = cache.get(cache_key + request.POST.get("token", ""))
        if stored is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(request.path)
        content, kind, filename = stored
        report = talks_import(
            conference=conference, parsed=talks_parse(content, kind=kind, filename=filename), dry_run=False
        )
        if report.ok:
            cache.delete(cache_key + request.POST["token"])
            messages.success(request, report.summary())
            return redirect(reverse("admin:talks_talk_changelist") + f"?conference__id__exact={conference.pk}")
        context["report"] = report
    elif request.method == "POST":
        form = TalkImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            kind = form.cleaned_data["kind"]
            report = talks_import(
                conference=conference, parsed=talks_parse(content, kind=kind, filename=upload.name), dry_run=True
            )
            context["report"] = report
            if report.ok:
                token = uuid.uuid4().hex
                cache.set(cache_key + token, (content, kind, upload.name), PREVIEW_SECONDS)
                context["token"] = token
    context["form"] = form
    return TemplateResponse(request, "admin/talks/conference/import_talks.html", context)
