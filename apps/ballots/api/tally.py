"""Tallies and imports for organizers, and the public bulletin board, through the API."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.attendance.services.tickets import tickets_import_csv
from apps.ballots import selectors
from apps.ballots.domain.bulletin import BULLETIN_SCHEME, bulletin_genesis
from apps.ballots.domain.vote_import import score_map_parse, votes_parse
from apps.ballots.models import BulletinEntry, TallyRow
from apps.ballots.services.vote_import import votes_import
from apps.ballots.tasks import tally_snapshot_compute
from apps.talks.api.views import PublicCacheMixin
from apps.talks.models import Conference
from confvote.celery import enqueue
from confvote.query import query_text
from confvote.rest import IsConferenceOrganizer, Pagination


class TallyRowOut(serializers.ModelSerializer):
    talk = serializers.IntegerField(source="talk_id")
    title = serializers.CharField(source="talk.title")

    class Meta:
        model = TallyRow
        fields = [
            "rank",
            "rank_best",
            "rank_worst",
            "talk",
            "title",
            "ticket_holders",
            "pledgers",
            "not_eligible",
            "raw_mean",
            "weighted_mean",
            "bayes_average",
            "spread",
            "weight_ticket_holders",
            "weight_pledgers",
            "weight_discounted",
            "score_counts",
        ]
        read_only_fields = fields


class TallyOut(serializers.Serializer):
    computed_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    policy_version = serializers.IntegerField(source="policy.version")
    input_digest = serializers.CharField()
    vote_count = serializers.IntegerField()
    voter_count = serializers.IntegerField()
    bulletin_head = serializers.CharField(
        allow_blank=True, help_text="The published bulletin board's hash-chain head; empty until published."
    )
    bulletin_size = serializers.IntegerField(allow_null=True)
    rows = serializers.SerializerMethodField()

    @extend_schema_field(TallyRowOut(many=True))
    def get_rows(self, snapshot) -> list:
        rows = TallyRow.objects.filter(snapshot=snapshot).select_related("talk").order_by("rank")
        return TallyRowOut(rows, many=True).data


class OrganizerMixin:
    permission_classes = [IsConferenceOrganizer]

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])


class Tally(OrganizerMixin, APIView):
    """The newest tally snapshot, every talk in rank order (organizers; the public bulletin comes after publication)."""

    @extend_schema(responses={200: TallyOut})
    def get(self, request, slug: str):
        snapshot = selectors.tally_latest(conference=self.conference())
        if snapshot is None:
            raise NotFound("No tally has been computed yet.")
        return Response(TallyOut(snapshot).data)


class TallyRecompute(OrganizerMixin, APIView):
    """Queues a recomputation (bloc detection included); poll GET …/tally/ for the result."""

    throttle_scope = "writes"

    @extend_schema(request=None, responses={202: None, 503: None})
    def post(self, request, slug: str):
        if not enqueue(tally_snapshot_compute, self.conference().pk):
            return Response(
                {
                    "error": {
                        "status": 503,
                        "code": "queue_unavailable",
                        "message": "The task queue is not reachable; try again in a moment.",
                    }
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(status=status.HTTP_202_ACCEPTED)


class FileImportIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    dry_run = serializers.BooleanField(default=True)
    score_map = serializers.CharField(
        required=False, allow_blank=True, default="", help_text='Votes only: e.g. "-1=0,0=1,1=3".'
    )

    def validate_file(self, value):
        if value.size > 10 * 1024 * 1024:
            raise serializers.ValidationError("The file is larger than 10 MB; split it and import the parts.")
        return value


class VoteImport(OrganizerMixin, APIView):
    """Imports votes from CSV (talk, voter, score[, timestamp]); a dry run (the default) writes nothing."""

    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "writes"

    @extend_schema(request=FileImportIn, responses={200: dict, 201: dict, 400: dict})
    def post(self, request, slug: str):
        conference = self.conference()
        data = FileImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            mapping = score_map_parse(data.validated_data["score_map"]) if data.validated_data["score_map"] else None
        except ValueError as exc:
            raise serializers.ValidationError({"score_map": str(exc)}) from None
        parsed = votes_parse(
            data.validated_data["file"].read(), scale=(conference.scale_min, conference.scale_max), score_map=mapping
        )
        report = votes_import(
            conference=conference, parsed=parsed, dry_run=data.validated_data["dry_run"], by=request.user
        )
        code = 400 if report.errors else (200 if report.dry_run else 201)
        return Response(
            {
                "summary": report.summary(),
                "dry_run": report.dry_run,
                "created": report.created,
                "changed": report.changed,
                "unchanged": report.unchanged,
                "accounts_created": report.accounts_created,
                "tickets_linked": report.tickets_linked,
                "errors": report.errors,
                "notes": report.notes,
            },
            status=code,
        )


class TicketImport(OrganizerMixin, APIView):
    """Imports tickets from CSV (the admin's format); a dry run (the default) writes nothing."""

    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "writes"

    @extend_schema(request=FileImportIn, responses={200: dict, 201: dict, 400: dict})
    def post(self, request, slug: str):
        data = FileImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = tickets_import_csv(
            conference=self.conference(),
            data=data.validated_data["file"].read(),
            by=request.user,
            commit=not data.validated_data["dry_run"],
        )
        code = 400 if report.errors else (200 if data.validated_data["dry_run"] else 201)
        body = {
            **report.as_dict(),
            "dry_run": data.validated_data["dry_run"],
            "errors": [{"line": e.line, "message": e.message} for e in report.errors],
        }
        return Response(body, status=code)


class BulletinEntryOut(serializers.ModelSerializer):
    receipt = serializers.CharField(source="receipt.code")
    position = serializers.IntegerField(allow_null=True, help_text="0, 1, … in receipt order; null before chaining.")
    chain = serializers.CharField(help_text="SHA-256 chain value of the entry (docs/voting.md); empty before chaining.")

    class Meta:
        model = BulletinEntry
        fields = ["position", "receipt", "weight", "status", "chain"]
        read_only_fields = fields


class BulletinBoardOut(serializers.Serializer):
    """What an outsider needs, besides the entries, to recompute the chain."""

    scheme = serializers.CharField(help_text="The hashed text's format; see docs/voting.md.")
    conference_id = serializers.IntegerField()
    input_digest = serializers.CharField(help_text="The tally's input digest, hashed into the genesis.")
    published_at = serializers.DateTimeField()
    policy_version = serializers.IntegerField()
    genesis = serializers.CharField(allow_null=True, help_text="The chain value before position 0.")
    head = serializers.CharField(allow_null=True, help_text="The last entry's chain value; null before chaining.")
    size = serializers.IntegerField(allow_null=True, help_text="Entries on the board; null before chaining.")


_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
BULLETIN_BOARD_SCHEMA = {  # BulletinBoardOut as OpenAPI, for the paginated answer's schema
    "type": "object",
    "description": BulletinBoardOut.__doc__,
    "properties": {
        "scheme": {"type": "string", "example": "confvote-bulletin-v1"},
        "conference_id": {"type": "integer"},
        "input_digest": _HEX64,
        "published_at": {"type": "string", "format": "date-time"},
        "policy_version": {"type": "integer"},
        "genesis": {**_HEX64, "nullable": True},
        "head": {**_HEX64, "nullable": True},
        "size": {"type": "integer", "nullable": True},
    },
    "required": [
        *("scheme", "conference_id", "input_digest", "published_at", "policy_version"),
        *("genesis", "head", "size"),
    ],
}


def bulletin_board_header(snapshot) -> dict:
    chained = selectors.bulletin_chained(snapshot)
    return BulletinBoardOut(
        {
            "scheme": BULLETIN_SCHEME,
            "conference_id": snapshot.conference_id,
            "input_digest": snapshot.input_digest,
            "published_at": snapshot.published_at,
            "policy_version": snapshot.policy.version,
            "genesis": bulletin_genesis(conference_id=snapshot.conference_id, input_digest=snapshot.input_digest)
            if chained
            else None,
            "head": snapshot.bulletin_head if chained else None,
            "size": snapshot.bulletin_size if chained else None,
        }
    ).data


class BulletinPagination(Pagination):
    """Every page also carries the board's header (`board`), so each page can be checked on its own."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.board = bulletin_board_header(view.snapshot)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["board"] = self.board
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["board"] = BULLETIN_BOARD_SCHEMA
        paginated["required"] = [*paginated.get("required", []), "board"]
        return paginated


class Bulletin(PublicCacheMixin, generics.ListAPIView):  # PublicCacheMixin makes it public (AllowAny)
    """The published tally's bulletin board: every receipt with its weight and status, in chain order,
    and in `board` the chain's genesis and head (?receipt= to look one up; ?page_size= up to 1000)."""

    serializer_class = BulletinEntryOut
    pagination_class = BulletinPagination
    queryset = BulletinEntry.objects.none()

    def get_queryset(self):
        conference = get_object_or_404(
            Conference.objects.exclude(status=Conference.Status.DRAFT), slug=self.kwargs["slug"]
        )
        self.snapshot = selectors.tally_latest(conference=conference, published_only=True)
        if self.snapshot is None:
            raise NotFound("No tally has been published yet.")
        entries = (
            BulletinEntry.objects.filter(snapshot=self.snapshot)
            .select_related("receipt")
            .order_by("position", "receipt__code")
        )
        code = query_text(self.request.GET, "receipt", 64).lower()
        return entries.filter(receipt__code=code) if code else entries
