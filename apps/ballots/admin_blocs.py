"""Organizers review detected blocs: evidence, effect on the talk's rank, and a decision with a reason."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from .models import Bloc
from .services.blocs import bloc_decide, tally_with_blocs


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=Bloc.Status.choices)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required to confirm or dismiss; kept with the decision.",
    )


@admin.register(Bloc)
class BlocAdmin(admin.ModelAdmin):
    list_display = ("talk", "size", "signal_list", "rank_change", "multiplier", "status", "present", "decided_by")
    list_filter = ("conference", "status", "present", "direction")
    search_fields = ("talk__title", "reason")
    list_select_related = ("talk", "decided_by")
    readonly_fields = (
        "conference",
        "talk",
        "direction",
        "size",
        "weight",
        "fair_share",
        "counts_as",
        "multiplier",
        "signal_list",
        "evidence_sentences",
        "p_value",
        "rank_before",
        "rank_after",
        "present",
        "first_detected_at",
        "last_detected_at",
        "status",
        "reason",
        "decided_by",
        "decided_at",
    )
    exclude = ("members", "signals", "evidence", "key")
    actions = ["detect_now"]
    change_form_template = "admin/ballots/bloc/change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="signals")
    def signal_list(self, obj) -> str:
        return ", ".join(obj.signals)

    @admin.display(description="rank before → after")
    def rank_change(self, obj) -> str:
        return f"{obj.rank_before} → {obj.rank_after}"

    @admin.display(description="evidence")
    def evidence_sentences(self, obj) -> str:
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((e["sentence"],) for e in obj.evidence)))

    @admin.action(description="Detect blocs again and recompute the tally (selected conferences)")
    def detect_now(self, request, queryset):
        for conference in {b.conference for b in queryset.select_related("conference")}:
            result = tally_with_blocs(conference=conference)
            self.message_user(request, f"{conference}: {result.found} blocs ({result.new} new, {result.gone} gone).")

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="ballots_bloc_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int):
        bloc = get_object_or_404(Bloc, pk=pk)
        if not self.has_view_permission(request, bloc):
            return redirect("admin:index")
        form = DecisionForm(request.POST or None, initial={"status": bloc.status, "reason": bloc.reason})
        if request.method == "POST" and form.is_valid():
            try:
                bloc_decide(bloc=bloc, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field, errors)
            else:
                tally_with_blocs(conference=bloc.conference)
                messages.success(request, f"Decision recorded ({bloc.get_status_display()}); the tally is recomputed.")
                return redirect("admin:ballots_bloc_change", bloc.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": Bloc._meta,
            "bloc": bloc,
            "form": form,
            "title": "Decide on this bloc",
        }
        return TemplateResponse(request, "admin/ballots/bloc/decide.html", context)
