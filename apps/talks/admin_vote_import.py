"""The organizer's "Import votes" screen: upload a CSV, preview (a dry run), then commit the same file."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from apps.ballots.domain.vote_import import score_map_parse, votes_parse
from apps.ballots.services.vote_import import votes_import

from .admin_import import MAX_UPLOAD_BYTES, preview_then_commit
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

    def payload_of(form):
        return form.cleaned_data["file"].read(), form.cleaned_data["score_map"]

    def run(payload, *, dry_run: bool):
        content, mapping = payload
        parsed = votes_parse(content, scale=(conference.scale_min, conference.scale_max), score_map=mapping)
        return votes_import(conference=conference, parsed=parsed, dry_run=dry_run, by=request.user)

    return preview_then_commit(
        request,
        name="vote",
        conference=conference,
        form_class=VoteImportForm,
        payload_of=payload_of,
        run=run,
        done_url=reverse("admin:ballots_vote_changelist") + f"?talk__conference__id__exact={conference.pk}",
        template="admin/talks/conference/import_votes.html",
        context=context,
    )
