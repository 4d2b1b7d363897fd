"""Organizer screens around proposals: run one, watch it, compare two, publish one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from apps.talks.models import Conference, Talk

from .models import ScheduleProposal, Slot
from .proposals import proposal_publish, proposal_start


class RunForm(forms.Form):
    conference = forms.ModelChoiceField(queryset=Conference.objects.all())
    seed = forms.IntegerField(min_value=0, initial=0, help_text="Same inputs and seed give the same schedule.")
    time_limit_seconds = forms.IntegerField(min_value=5, max_value=1800, initial=60, label="Time limit (seconds)")
    talks_to_accept = forms.IntegerField(min_value=1, required=False, help_text="Default: as many as there are slots.")
    committee_slots = forms.IntegerField(min_value=0, initial=0, help_text="Slots the committee fills itself.")
    track_minimums = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. “Security = 3”: at least that many accepted talks of the track.",
    )

    sensitivity_pledge_weights = forms.CharField(
        required=False,
        label="Sensitivity: pledge weights",
        help_text="e.g. “0.25, 0.75”: which decisions would flip under these pledge weights.",
    )
    sensitivity_bloc = forms.MultipleChoiceField(
        required=False,
        label="Sensitivity: bloc rule",
        widget=forms.CheckboxSelectMultiple,
        choices=[("off", "no bloc bound at all"), ("confirmed", "every bloc treated as confirmed")],
    )

    def clean_sensitivity_pledge_weights(self) -> list[float]:
        text = self.cleaned_data["sensitivity_pledge_weights"].replace(";", ",")
        try:
            return [float(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise ValidationError("Write numbers between 0 and 1, separated by commas.") from None

    def parameters(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("conference")
        weights, blocs = data.pop("sensitivity_pledge_weights"), data.pop("sensitivity_bloc")
        if weights or blocs:
            data["sensitivity"] = {"pledge_weights": weights, "bloc": blocs}
        return data

    def clean_track_minimums(self) -> dict:
        minimums = {}
        for number, line in enumerate(self.cleaned_data["track_minimums"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.rpartition("=")
            if not sep or not name.strip() or not value.strip().isdecimal():
                raise ValidationError(f"Line {number}: write “Track name = number”.")
            minimums[name.strip()] = int(value)
        return minimums


class PublishForm(forms.Form):
    changelog = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="What changed since the last published version (public).",
    )


class ProposalAdminViews:
    """Mixed into ScheduleProposalAdmin: extra URLs and views."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("run/", wrap(self.run_view), name="scheduling_scheduleproposal_run"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="scheduling_scheduleproposal_publish"),
            path("compare/<int:a>/<int:b>/", wrap(self.compare_view), name="scheduling_scheduleproposal_compare"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": ScheduleProposal._meta, **extra}

    def run_view(self, request):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        form = RunForm(request.POST or None, initial={"conference": request.GET.get("conference")})
        if request.method == "POST" and form.is_valid():
            conference = form.cleaned_data["conference"]
            try:
                proposal, created = proposal_start(conference=conference, parameters=form.parameters(), by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if not created:
                    messages.info(request, "These inputs and parameters were already run: here is that proposal.")
                return redirect("admin:scheduling_scheduleproposal_change", proposal.pk)
        return TemplateResponse(
            request,
            "admin/scheduling/scheduleproposal/run.html",
            self._context(request, form=form, title="Run a schedule proposal"),
        )

    def publish_view(self, request, pk: int):
        proposal = get_object_or_404(ScheduleProposal, pk=pk)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release = proposal_publish(proposal=proposal, changelog=form.cleaned_data["changelog"], by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, f"Published version {release.version}. Speakers are being told; pledges are being settled."
                )
                return redirect(reverse("schedule_grid", args=[proposal.conference.slug]))
        return TemplateResponse(
            request,
            "admin/scheduling/scheduleproposal/publish.html",
            self._context(request, form=form, proposal=proposal, title="Publish"),
        )

    def compare_view(self, request, a: int, b: int):
        first, second = get_object_or_404(ScheduleProposal, pk=a), get_object_or_404(ScheduleProposal, pk=b)
        if first.conference_id != second.conference_id:
            messages.error(request, "Those proposals belong to different conferences.")
            return redirect("admin:scheduling_scheduleproposal_changelist")
        return TemplateResponse(
            request,
            "admin/scheduling/scheduleproposal/compare.html",
            self._context(request, title=f"Proposal #{a} and #{b}", comparison=proposals_compare(first, second)),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra = {}
        if proposal is not None:
            extra = {"summary": proposal_summary(proposal), "live": proposal.status in ("queued", "running")}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


def proposal_summary(proposal: ScheduleProposal) -> dict:
    data = proposal.result or {}
    talks = dict(Talk.objects.filter(conference=proposal.conference).values_list("pk", "title"))
    slots = {s.pk: s for s in Slot.objects.filter(conference=proposal.conference).select_related("room")}
    decisions = [
        {**d, "title": talks.get(d["talk_id"], d["talk_id"]), "slot": slots.get(d.get("slot_id"))}
        for d in data.get("decisions", [])
    ]
    return {
        "data": data,
        "decisions": decisions,
        "baselines": data.get("baselines", {}),
        "satisfaction": data.get("satisfaction", {}),
        "sensitivity": sensitivity_rows(data, talks),
    }


def sensitivity_rows(data: dict, titles: dict) -> list[dict]:
    """The talks whose acceptance depends on the weights, with the scenarios on each side."""
    report = data.get("sensitivity") or {}
    return [{**flip, "title": titles.get(flip["talk_id"], flip["talk_id"])} for flip in report.get("flips", [])]


def proposals_compare(first: ScheduleProposal, second: ScheduleProposal) -> dict:
    """What moved between two proposals, talk by talk, and why the newer one placed it where it did."""
    titles = dict(Talk.objects.filter(conference=first.conference).values_list("pk", "title"))
    slots = {s.pk: s for s in Slot.objects.filter(conference=first.conference).select_related("room")}
    one = {d["talk_id"]: d for d in (first.result or {}).get("decisions", [])}
    two = {d["talk_id"]: d for d in (second.result or {}).get("decisions", [])}
    rows = []
    for talk_id in sorted(set(one) | set(two), key=lambda t: (two.get(t, one.get(t, {})).get("rank", 0), t)):
        a, b = one.get(talk_id, {}), two.get(talk_id, {})
        if a.get("status") == b.get("status") and a.get("slot_id") == b.get("slot_id"):
            continue
        rows.append(
            {
                "talk_id": talk_id,
                "title": titles.get(talk_id, talk_id),
                "before": a.get("status"),
                "after": b.get("status"),
                "slot_before": slots.get(a.get("slot_id")),
                "slot_after": slots.get(b.get("slot_id")),
                "why": b.get("why", []) + b.get("where", []),
            }
        )
    return {
        "first": first,
        "second": second,
        "rows": rows,
        "satisfaction": [
            (first, (first.result or {}).get("satisfaction", {})),
            (second, (second.result or {}).get("satisfaction", {})),
        ],
    }
