"""Organizers review detected blocs: evidence, effect on the talk's score and rank, a decision with a
reason (and the history of decisions), and detection runs with their progress."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from apps.talks.models import Conference, Track
from confvote.admin_base import ModelAdmin
from confvote.admin_readonly import ReadOnlyAdmin

from .admin_runs import RUN_FIELDS_END, RunAdmin, posted_id, run_queued_say
from .bloc_csv import bloc_csv_response
from .models import Bloc, BlocDecision, BlocDetectionRun
from .selectors.bloc_review import bloc_text_q
from .selectors.blocs import SIGNAL_CHOICES, blocs_with_signal
from .services.bloc_runs import LIVE, bloc_decision_apply, bloc_detection_start


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=Bloc.Status.choices)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required to confirm or dismiss; kept with the decision.",
    )


class BlocDecisionInline(admin.TabularInline):
    """Every decision taken on the bloc, oldest first (the bloc shows the current one)."""

    model = BlocDecision
    extra = 0
    can_delete = False
    fields = ("decided_at", "status", "reason", "decided_by")
    readonly_fields = fields
    verbose_name = "decision"
    verbose_name_plural = "decision history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SignalFilter(admin.SimpleListFilter):
    """Blocs by the signal among their evidence ("speakers of other talks", "colleagues of the
    speaker", ...), in the words a member's receipt uses."""

    title = "signal"
    parameter_name = "signal"

    def lookups(self, request, model_admin):
        return SIGNAL_CHOICES

    def queryset(self, request, queryset):
        signal = self.value()
        return blocs_with_signal(queryset, signal) if signal in dict(SIGNAL_CHOICES) else queryset


class TrackFilter(admin.SimpleListFilter):
    """Blocs on the talks of one track. Only tracks with a bloc are offered, of the conference chosen
    in the conference filter if any; tracks of different conferences are told apart by the conference."""

    title = "talk's track"
    parameter_name = "track"

    def lookups(self, request, model_admin):
        tracks = Track.objects.filter(talks__blocs__isnull=False).distinct().select_related("conference")
        conference = posted_id(request.GET.get("conference__id__exact"))
        if conference is not None:
            tracks = tracks.filter(conference_id=conference)
        tracks = list(tracks.order_by("conference__name", "name"))
        several = len({track.conference_id for track in tracks}) > 1
        return [(str(t.pk), f"{t.conference} · {t.name}" if several else t.name) for t in tracks]

    def queryset(self, request, queryset):
        track = posted_id(self.value())
        return queryset if track is None else queryset.filter(talk__track_id=track)


@admin.register(Bloc)
class BlocAdmin(ModelAdmin):
    list_display = (
        "talk",
        "size",
        "signal_list",
        "strongest_evidence",
        "score_change",
        "rank_change",
        "status",
    )
    list_filter = ("conference", "status", "present", "direction", SignalFilter, "speaker_link", TrackFilter)
    search_fields = ("talk__title", "reason")  # and the evidence sentences: get_search_results
    list_select_related = ("talk", "decided_by")
    fieldsets = (
        (
            "The group",
            {
                "fields": (
                    "conference",
                    "talk",
                    "direction",
                    "size",
                    "signal_list",
                    "speaker_link",
                    "evidence_sentences",
                    "p",
                )
            },
        ),
        (
            "Effect on the talk",
            {
                "fields": (
                    "effect",
                    "spared_shown",
                    "weight",
                    "fair_share_shown",
                    "counts_as_shown",
                    "multiplier",
                    "score",
                    "rank",
                )
            },
        ),
        ("Decision", {"fields": ("status", "reason", "decided_by", "decided_at")}),
        ("Detection", {"fields": ("present", "first_detected_at", "last_detected_at")}),
    )
    readonly_fields = tuple(name for _, group in fieldsets for name in group["fields"])
    exclude = ("members", "spared", "signals", "evidence", "key")
    actions = ["detect_now", "export_csv"]
    inlines = [BlocDecisionInline]
    change_form_template = "admin/ballots/bloc/change_form.html"
    change_list_template = "admin/ballots/bloc/change_list.html"

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

    @admin.display(description="score before → after")
    def score_change(self, obj) -> str:
        if obj.score_before is None or obj.score_after is None:
            return "—"
        return f"{obj.score_before:.3f} → {obj.score_after:.3f}"

    @admin.display(description="p-value")
    def p(self, obj) -> str:
        return f"{obj.p_value:.1g}"

    @admin.display(description="in words")
    def effect(self, obj) -> str:
        if obj.status == Bloc.Status.DISMISSED:
            return f"Dismissed: the {obj.size} members' votes on this talk count in full."
        each = "each vote that moves the talk the bloc's way" if obj.spared.exists() else "each"
        return (
            f"The {obj.size} members' votes (weight {obj.weight:.1f}) count as {obj.counts_as:.2f}: {each} at "
            f"{obj.multiplier:.2f} of its weight. Independent voting would have given the talk "
            f"{obj.fair_share:.2f} of them, which a bloc always keeps."
        )

    @admin.display(description="counted in full")
    def spared_shown(self, obj) -> str:
        spared = obj.spared.count()
        if spared == 0:
            return "None."
        members = "member" if spared == 1 else "members"
        return f"{spared} {members} counted in full: their score does not move the talk the bloc's way."

    @admin.display(description="fair share")
    def fair_share_shown(self, obj) -> str:
        return f"{obj.fair_share:.2f}"

    @admin.display(description="counts as")
    def counts_as_shown(self, obj) -> str:
        return f"{obj.counts_as:.2f}"

    @admin.display(description="ranking score before → after")
    def score(self, obj) -> str:
        return self.score_change(obj)

    @admin.display(description="rank before → after")
    def rank(self, obj) -> str:
        return self.rank_change(obj)

    @admin.display(description="strongest evidence")
    def strongest_evidence(self, obj) -> str:
        return obj.evidence[0]["sentence"] if obj.evidence else "—"

    @admin.display(description="evidence")
    def evidence_sentences(self, obj) -> str:
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((e["sentence"],) for e in obj.evidence)))

    @admin.action(
        description="Detect blocs again and recompute the tally (selected conferences)", permissions=["change"]
    )
    def detect_now(self, request, queryset):
        for conference in Conference.objects.filter(pk__in=queryset.values("conference")).order_by("name"):
            self._queue(request, conference)

    @admin.action(description="Export selected blocs as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        """The columns of the API's …/blocs/export.csv (bloc_csv.py); members are never listed."""
        conferences = set(queryset.values_list("conference__slug", flat=True))
        name = f"blocs-{conferences.pop()}" if len(conferences) == 1 else "blocs"
        return bloc_csv_response(queryset, name=name)

    def get_search_results(self, request, queryset, search_term):
        """Also the blocs one of whose evidence sentences contains the search as typed ("example.com",
        "within 6 hours"), besides the talk's title and the reason, word by word."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            found = found | queryset.filter(bloc_text_q(term))
        return found, may_have_duplicates

    def _queue(self, request, conference: Conference) -> None:
        run, created = bloc_detection_start(conference=conference, by=request.user)
        said = "bloc detection is queued" if created else "a detection is already under way"
        run_queued_say(self, request, conference, run, said)

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="ballots_bloc_decide"),
            path("detect/", self.admin_site.admin_view(self.detect_view), name="ballots_bloc_detect"),
            *super().get_urls(),
        ]

    def detect_view(self, request):
        """ "Detect blocs now" for one conference: works also before any bloc exists."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied("Starting a detection needs the permission to change blocs.")
        conference = Conference.objects.filter(pk=posted_id(request.POST.get("conference"))).first()
        if conference is None:
            self.message_user(request, "Choose a conference to examine.", level=messages.ERROR)
        else:
            self._queue(request, conference)
        return redirect("admin:ballots_bloc_changelist")

    def changelist_view(self, request, extra_context=None):
        newest = BlocDetectionRun.objects.filter(conference=OuterRef("pk")).order_by("-created_at", "-pk")
        conferences = list(Conference.objects.annotate(latest_run=Subquery(newest.values("pk")[:1])).order_by("name"))
        runs = BlocDetectionRun.objects.select_related("conference").in_bulk([c.latest_run for c in conferences])
        extra_context = {
            **(extra_context or {}),
            "conferences": conferences,
            "can_detect": self.has_change_permission(request),
            "latest_runs": [runs[c.latest_run] for c in conferences if c.latest_run in runs],
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Nothing on the page is edited by hand: decisions go through "Confirm or dismiss…"."""
        hidden = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        bloc = Bloc.objects.filter(pk=posted_id(object_id)).first()
        live = (
            BlocDetectionRun.objects.filter(conference_id=bloc.conference_id, status__in=LIVE).first() if bloc else None
        )
        context = {**(extra_context or {}), **hidden, "live_run": live}
        return super().change_view(request, object_id, form_url, context)

    def decide_view(self, request, pk: int):
        bloc = get_object_or_404(Bloc, pk=pk)
        if not self.has_change_permission(request, bloc):
            raise PermissionDenied("Deciding on a bloc needs the permission to change blocs.")
        form = DecisionForm(request.POST or None, initial={"status": bloc.status, "reason": bloc.reason})
        if request.method == "POST" and form.is_valid():
            try:
                bloc, run = bloc_decision_apply(bloc=bloc, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field, errors)
            else:
                text = (
                    'Decision recorded: {}. The tally is recomputed with it (<a href="{}">run #{}</a>); the '
                    "multiplier, the talk's score and rank and the members' receipts change when it ends."
                )
                link = reverse("admin:ballots_blocdetectionrun_change", args=[run.pk])
                messages.success(request, format_html(text, bloc.get_status_display(), link, run.pk))
                return redirect("admin:ballots_bloc_change", bloc.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": Bloc._meta,
            "bloc": bloc,
            "form": form,
            "title": "Decide on this bloc",
        }
        return TemplateResponse(request, "admin/ballots/bloc/decide.html", context)


@admin.register(BlocDetectionRun)
class BlocDetectionRunAdmin(RunAdmin):
    """Detection runs, newest first: who or what asked, progress while running, what was found."""

    list_display = (
        "id",
        "conference",
        "trigger",
        "status",
        "phase",
        "progress_percent",
        "found",
        "new",
        "gone",
        "duration",
        "inputs_short",
        "created_at",
        "created_by",
    )
    list_filter = ("conference", "status", "trigger")
    list_select_related = ("conference", "created_by")
    date_hierarchy = "created_at"
    fields = (
        "conference",
        "trigger",
        "status",
        "phase",
        "progress_percent",
        "votes",
        "found",
        "new",
        "gone",
        "snapshot",
        *RUN_FIELDS_END,
        "inputs_summary",
        "inputs_read",
    )
    readonly_fields = fields
    change_form_template = "admin/ballots/blocdetectionrun/change_form.html"

    @admin.display(description="inputs")
    def inputs_short(self, obj) -> str:
        # From the row's own JSON: no query per run.
        return obj.inputs_short

    @admin.display(description="organizer data read")
    def inputs_summary(self, obj) -> str:
        digest = (obj.inputs or {}).get("digest")
        return f"{obj.inputs_summary} (digest {digest})" if digest else obj.inputs_summary

    @admin.display(description="as it was then")
    def inputs_read(self, obj) -> str:
        inputs = obj.inputs or {}
        promotions = format_html_join(
            "\n",
            "<li>Promotion #{}: {} UTC, {}, talks {}</li>",
            (
                (p["id"], p["sent_at"].replace("T", " ").rstrip("Z"), p["channel"], ", ".join(map(str, p["talks"])))
                for p in inputs.get("promotions", ())
            ),
        )
        organisations = format_html_join(
            "\n",
            "<li>Organisation #{} “{}”: {}; {}</li>",
            (
                (
                    o["id"],
                    o["name"],
                    ", ".join(o["domains"]) or "no domains",
                    "; ".join(o["company_names"]) or "no names",
                )
                for o in inputs.get("organisations", ())
            ),
        )
        if not (promotions or organisations):
            return "—"
        return format_html("<ul>{}{}</ul>", promotions, organisations)


@admin.register(BlocDecision)
class BlocDecisionAdmin(ReadOnlyAdmin):
    """Every confirmation, dismissal and return to "detected", with its reason, author and time."""

    list_display = ("decided_at", "bloc", "status", "reason", "decided_by")
    list_filter = ("status", "bloc__conference")
    search_fields = ("reason", "bloc__talk__title")
    list_select_related = ("bloc__talk", "decided_by")
    date_hierarchy = "decided_at"
