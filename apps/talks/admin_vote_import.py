"""The organizer's "Import votes" screen: upload a CSV, preview (a dry run), then commit the same file."""

import uuid

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.ballots.domain.vote_import import score_map_parse, votes_parse
from apps.ballots.services.vote_import import votes_import

from .admin_import import MAX_UPLOAD_BYTES, PREVIEW_SECONDS
from .models import Conference


class VoteImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with talk, voter, score and optionally timestamp columns; up to 10 MB.")
    score_map = forms.CharField(
        required=False, help_text="e.g. “-1=0, 0=1, 1=3” to map the file's scores onto the scale."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; split it and import the parts.")
        return upload

    def clean_score_map(self):
        try:
            return score_map_parse(self.cleaned_data["score_map"]) if self.cleaned_data["score_map"] else None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def import_votes_view(model_admin, request, conference_id: int):
    conference = get_object_or_404(Conference, pk=conference_id)
    if not model_admin.has_change_permission(request, conference):
        messages.error(request, "You may not change this conference.")
        return redirect("admin:talks_conference_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "conference": conference,
        "opts": Conference._meta,
        "title": "Import votes",
    }
    form = VoteImportForm()
    cache_key = f"vote-import:{request.user.pk}:{conference.pk}:"
    scale = (conference.scale_min, conference.scale_max)
    if request.method == "POST" and "commit" in request.POST:
        stored = cache.get(cache_key + request.POST.get("token", ""))
        if stored is None:
            messages.error(request, "That preview has expired; upload the file again.")
            return redirect(request.path)
        content, mapping = stored
        report = votes_import(
            conference=conference,
            parsed=votes_parse(content, scale=scale, score_map=mapping),
            dry_run=False,
            by=request.user,
        )
        if not report.errors:
            cache.delete(cache_key + request.POST["token"])
            messages.success(request, report.summary())
            return redirect(reverse("admin:ballots_vote_changelist") + f"?talk__conference__id__exact={conference.pk}")
        context["report"] = report
    elif request.method == "POST":
        form = VoteImportForm(request.POST, request.FILES)
        if form.is_valid():
            content, mapping = form.cleaned_data["file"].read(), form.cleaned_data["score_map"]
            report = votes_import(
                conference=conference,
                parsed=votes_parse(content, scale=scale, score_map=mapping),
                dry_run=True,
                by=request.user,
            )
            context["report"] = report
            if not report.errors:
                token = uuid.uuid4().hex
                cache.set(cache_key + token, (content, mapping), PREVIEW_SECONDS)
                context["token"] = token
    context["form"] = form
    return TemplateResponse(request, "admin/talks/conference/import_votes.html", context)
