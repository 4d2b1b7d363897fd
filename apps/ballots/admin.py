import re

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max, Min
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from apps.talks.models import Conference
from confvote.admin_base import ModelAdmin, SearchRelatedInSubqueries, keys_or_subquery
from confvote.admin_readonly import ReadOnlyAdmin
from confvote.query import query_text

from . import services, tasks
from .admin_blocs import posted_id  # importing it registers the bloc review screens too
from .admin_organisations import OrganisationAdmin  # noqa: F401 (registers the organisations screen)
from .admin_promotions import PromotionAdmin  # noqa: F401 (registers the promotions screen)
from .admin_publication import (  # registers the publication runs' screen too
    may_publish,
    publication_refuse,
    publications_queue,
    publishable_conferences,
)
from .models import (
    AnonymisedBallotsDocument,
    Ballot,
    BallotReceipt,
    BulletinEntry,
    PromotionSuggestionsDocument,
    TallyRow,
    TallySnapshot,
    Vote,
    VoteEvent,
    WeightPolicy,
)
from .selectors.report import tally_report

RECEIPT_CODE_START = re.compile(r"[0-9a-f]{8,64}")


class ScoreFilter(admin.SimpleListFilter):
    """The scores of the conferences' scales. Django's filter of a field's values would read them
    from the votes (a distinct over a million rows, 0.3 s on the large demo); the scales say them."""

    title = "score"
    parameter_name = "score"

    def lookups(self, request, model_admin):
        bounds = Conference.objects.aggregate(low=Min("scale_min"), high=Max("scale_max"))
        if bounds["low"] is None:
            return []
        return [(str(n), str(n)) for n in range(bounds["low"], bounds["high"] + 1)]

    def queryset(self, request, queryset):
        value = self.value()
        offered = {key for key, _ in self.lookup_choices}
        return queryset.filter(score=int(value)) if value in offered else queryset


@admin.register(Vote)
class VoteAdmin(SearchRelatedInSubqueries, ReadOnlyAdmin):
    list_display = ("user", "talk", "score", "created_at", "updated_at")
    list_filter = ("talk__conference", ScoreFilter, ("updated_at", admin.DateFieldListFilter))
    search_fields = ("user__email", "talk__title")
    list_select_related = ("user", "talk")
    # A million rows: newest first through the key's index, no sorting by a column (each was a sort of
    # every vote, 2.4 s), and dates as a filter (the date hierarchy read every vote's month, 0.8 s). The
    # changes in time order are the vote history's (VoteEvent, indexed by time).
    ordering = ("-pk",)
    sortable_by = ()
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count of every vote for each choice of each filter


@admin.register(VoteEvent)
class VoteEventAdmin(SearchRelatedInSubqueries, ReadOnlyAdmin):
    list_display = ("at", "kind", "user", "talk", "old_score", "new_score")
    list_filter = ("kind", "talk__conference", ("at", admin.DateFieldListFilter))
    search_fields = ("user__email", "talk__title")
    list_select_related = ("user", "talk")
    # As votes: sorted by time only (the index), dates as a filter rather than every event's month.
    sortable_by = ("at",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(WeightPolicy)
class WeightPolicyAdmin(ModelAdmin):
    """Policies are versioned: saving the form makes a new version; old versions stay as they were."""

    list_display = (
        "conference",
        "version",
        "ticket_holder_weight",
        "pledger_weight",
        "prior_weight",
        "created_by",
        "created_at",
    )
    list_filter = ("conference",)
    search_fields = ("conference__name", "note")
    fields = ("conference", "ticket_holder_weight", "pledger_weight", "prior_weight", "bloc_rule", "note")
    autocomplete_fields = ("conference",)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        new = services.weight_policy_revise(
            conference=obj.conference,
            by=request.user,
            note=obj.note,
            ticket_holder_weight=obj.ticket_holder_weight,
            pledger_weight=obj.pledger_weight,
            bloc_rule=obj.bloc_rule,
            prior_weight=obj.prior_weight,
        )
        obj.pk, obj.version = new.pk, new.version


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("user", "conference", "changes", "created_at")
    list_filter = ("conference",)
    search_fields = ("user__email",)
    list_select_related = ("user", "conference")
    show_full_result_count = False


class ReceiptCodeSearch:
    """Organizers search receipts by pasting a whole code or its beginning (the lists show the first
    16 characters). Django's search made that `UPPER(code) LIKE '%…%'` over every receipt (2.5 s for a
    million); a term of 8 to 64 hex digits is looked up through the codes' unique index instead: the
    code itself, or the codes from the term up to the term followed by "g" (a code is lowercase hex,
    so every code that starts with the term, and nothing else, sorts there). Any other search is
    Django's as before."""

    receipt_key = "pk"  # the field of the listed rows that points at the receipt
    receipt_keys_listed = 1000

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lower()
        if not RECEIPT_CODE_START.fullmatch(term):
            return super().get_search_results(request, queryset, search_term)
        codes = BallotReceipt.objects.order_by()
        codes = codes.filter(code=term) if len(term) == 64 else codes.filter(code__gte=term, code__lt=term + "g")
        found = keys_or_subquery(codes, self.receipt_keys_listed)
        return queryset.filter(**{f"{self.receipt_key}__in": found}), False


@admin.register(BallotReceipt)
class BallotReceiptAdmin(ReceiptCodeSearch, ReadOnlyAdmin):
    list_display = ("code", "ballot", "sequence", "vote_count", "at")
    list_filter = ("ballot__conference",)
    search_fields = ("code",)
    exclude = ("nonce",)  # the voter's secret: organizers never need it
    list_select_related = ("ballot__user",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(TallySnapshot)
class TallySnapshotAdmin(ReadOnlyAdmin):
    """The ranked, explained tally. Snapshots are made by the tally task (every 5 minutes while voting
    is open, or "Recompute now"); publishing one opens the public bulletin board. Publishing runs on the
    worker (admin_publication.py): the organizer is sent to the run's page to follow it."""

    list_display = ("conference", "computed_at", "policy_version", "vote_count", "voter_count", "published_at")
    list_filter = ("conference",)
    list_select_related = ("conference", "policy")
    actions = ["publish"]

    @admin.display(description="policy", ordering="policy__version")
    def policy_version(self, obj) -> str:
        return f"v{obj.policy.version}"

    def get_urls(self):
        extra = [
            path(
                "recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name="ballots_tallysnapshot_recompute",
            ),
            path(
                "publish/",
                self.admin_site.admin_view(self.publish_view),
                name="ballots_tallysnapshot_publish",
            ),
        ]
        return extra + super().get_urls()

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def recompute_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        conference = Conference.objects.filter(pk=posted_id(request.POST.get("conference"))).first()
        if conference is None:
            self.message_user(request, "Choose a conference to recompute.", level=messages.ERROR)
        else:
            transaction.on_commit(lambda: tasks.tally_snapshot_compute.delay(conference.pk))
            self.message_user(request, f"The tally of {conference} is being recomputed; reload in a moment.")
        return redirect("admin:ballots_tallysnapshot_changelist")

    def publish_view(self, request):
        """ "Publish now" for one conference: queues its publication and shows the run."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        publication_refuse(request)
        conference = Conference.objects.filter(pk=posted_id(request.POST.get("conference"))).first()
        answer = publications_queue(self, request, [conference] if conference else [])
        return answer or redirect("admin:ballots_tallysnapshot_changelist")

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") == "publish":
            publication_refuse(request)  # a 403, not "no action selected"
        extra_context = {
            **(extra_context or {}),
            "conferences": Conference.objects.order_by("name"),
            "can_publish": may_publish(request),
        }
        return super().changelist_view(request, extra_context)

    def has_publish_permission(self, request) -> bool:
        return may_publish(request)

    @admin.action(
        description="Publish the tally of these conferences (opens the bulletin board)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        """Queues a publication run per conference (the worker publishes; the run's page shows how far)."""
        return publications_queue(self, request, publishable_conferences(queryset))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        snapshot = get_object_or_404(
            TallySnapshot.objects.select_related("conference", "policy"), pk=posted_id(object_id)
        )
        filters = {key: query_text(request.GET, key, 100) for key in ("track", "format", "q")}
        context = {
            **self.admin_site.each_context(request),
            "title": f"Tally of {snapshot.conference}",
            "opts": self.model._meta,
            "snapshot": snapshot,
            "filters": filters,
            **tally_report(snapshot=snapshot, page=request.GET.get("page", "1"), **filters),
        }
        return TemplateResponse(request, "ballots/admin/tally.html", context)


@admin.register(TallyRow)
class TallyRowAdmin(ReadOnlyAdmin):
    """One talk's figures in a snapshot; the snapshot's page shows them ranked and explained."""

    list_display = ("snapshot", "rank", "talk", "bayes_average", "weighted_mean", "rank_best", "rank_worst")
    list_filter = ("snapshot__conference",)
    list_select_related = ("snapshot__conference", "snapshot__policy", "talk")
    search_fields = ("talk__title",)
    show_full_result_count = False


@admin.register(BulletinEntry)
class BulletinEntryAdmin(ReceiptCodeSearch, ReadOnlyAdmin):
    list_display = ("receipt", "status", "weight", "snapshot")
    list_filter = ("status", "snapshot__conference")
    search_fields = ("receipt__code",)
    receipt_key = "receipt"
    list_select_related = ("receipt", "snapshot__conference", "snapshot__policy")
    # The board's own order through its (snapshot, position) index. The model's order starts with the
    # snapshot's (its conference's start date and name...) and ends with the receipt's code: every entry
    # joined and sorted, 6 s for a million.
    ordering = ("snapshot_id", "position", "pk")
    sortable_by = ()
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


@admin.register(AnonymisedBallotsDocument)
class AnonymisedBallotsDocumentAdmin(ReadOnlyAdmin):
    """The stored public anonymised-ballots file of each conference (built when its tally is published);
    shown for its date and ETag, never read whole (tens of megabytes)."""

    list_display = ("conference", "built_at", "etag")
    list_select_related = ("conference",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(PromotionSuggestionsDocument)
class PromotionSuggestionsDocumentAdmin(ReadOnlyAdmin):
    """The suggested promotions of each conference as last computed (by the first request after a vote,
    a recorded promotion or a new rule), with the digest of what they were computed from."""

    list_display = ("conference", "built_at", "key")
    list_select_related = ("conference",)
