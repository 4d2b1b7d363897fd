"""Organizers declare organisations through the API as in the admin: email domains and company names
that are one employer, which bloc detection takes as one organisation ("Declared organisations" in
docs/blocs.md). Organizers only, as the bloc review. Every check is the model's, through the service
(`organisation_save`), so the API and the admin refuse the same things with the same words. The
organisations the admin suggests (domain/organisation_suggestions.py) are listed here too, read-only:
declaring one is the ordinary POST (or a PATCH of the organisation it adds to)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from apps.ballots.domain.organisation_suggestions import RULES, Suggestion
from apps.ballots.models import Organisation
from apps.ballots.selectors.organisations import organisation_suggestions_of
from apps.ballots.services.organisations import organisation_save
from apps.talks.models import Conference
from confvote.rest import IsConferenceOrganizer, WritesThrottled

# A group with more members than this is a list of the world, not an employer.
MAX_MEMBERS = 200
# The model's field names, and the API's where they differ.
FIELD_NAMES = {"email_domains": "domains", NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY}


class OrganisationOut(serializers.ModelSerializer):
    domains = serializers.ListField(child=serializers.CharField(), source="email_domains")
    company_names = serializers.ListField(child=serializers.CharField())
    created_by = serializers.EmailField(source="created_by.email", default=None, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "domains", "company_names", "note", "created_by", "created_at", "updated_at"]
        read_only_fields = fields


class OrganisationIn(serializers.Serializer):
    """Its name and members. Domains are lowercased and company names tidied as in the admin; the
    answer shows them as stored."""

    name = serializers.CharField(
        max_length=200,
        help_text="How findings name it, e.g. Darion Group. It matches no voter by itself.",
        error_messages={"blank": "Give the organisation a name, e.g. Darion Group."},
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253, allow_blank=True),
        max_length=MAX_MEMBERS,
        default=list,
        help_text="Its work email domains (the part after @), e.g. darion.example. No free-mail providers.",
        error_messages={"max_length": f"Give at most {MAX_MEMBERS} domains."},
    )
    company_names = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        max_length=MAX_MEMBERS,
        default=list,
        help_text="What its people write in the company field of their ticket; case, punctuation and a legal "
        "form do not matter.",
        error_messages={"max_length": f"Give at most {MAX_MEMBERS} company names."},
    )
    note = serializers.CharField(max_length=5000, allow_blank=True, default="", help_text="How you know.")


def _save(organisation: Organisation, by, *, name=None, domains=None, company_names=None, note=None) -> Organisation:
    """The service's save, its refusal told as a 400 naming the API's fields (nothing is written)."""
    for attribute, value in (("name", name), ("email_domains", domains), ("company_names", company_names)):
        if value is not None:
            setattr(organisation, attribute, value)
    if note is not None:
        organisation.note = note
    try:
        return organisation_save(organisation=organisation, by=by)
    except DjangoValidationError as refused:
        raise serializers.ValidationError(_fields(refused, organisation)) from None


def _fields(refused: DjangoValidationError, organisation: Organisation) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for field, errors in refused.error_dict.items():
        for error in errors:
            if error.code == "unique_together":  # (conference, name): say it of the name
                fields.setdefault("name", []).append(
                    f"This conference already has an organisation named “{organisation.name}”."
                )
                continue
            fields.setdefault(FIELD_NAMES.get(field, field), []).extend(error.messages)
    return fields


class OrganisationFilter(filters.FilterSet):
    domain = filters.CharFilter(method="with_domain", label="Has this email domain (any case, without @)")
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains (any case)")

    class Meta:
        model = Organisation
        fields = ["domain", "q"]

    def with_domain(self, queryset, name, value):
        # Domains are stored lowercased, without "@", as a JSON list. A conference declares tens of
        # organisations, so they are matched here, exactly, the same on SQLite and PostgreSQL.
        domain = value.strip().lower().lstrip("@")
        return queryset.filter(
            pk__in=[pk for pk, domains in queryset.values_list("pk", "email_domains") if domain in domains]
        )


class OrganisationList(WritesThrottled, generics.ListAPIView):
    """The organisations the conference's organizers declared, by name; filter by `domain` and `q`
    (name contains). POST declares one (201); a refused member is a 400 naming the field."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = OrganisationOut
    queryset = Organisation.objects.none()
    filterset_class = OrganisationFilter

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])

    def get_queryset(self):
        return (
            Organisation.objects.filter(conference=self.conference())
            .select_related("created_by")
            .order_by("name", "pk")
        )

    @extend_schema(request=OrganisationIn, responses={201: OrganisationOut})
    def post(self, request, slug: str):
        conference = self.conference()
        data = OrganisationIn(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = _save(Organisation(conference=conference), request.user, **data.validated_data)
        return Response(OrganisationOut(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetail(WritesThrottled, generics.RetrieveDestroyAPIView):
    """One declared organisation. PATCH changes it (any of name, domains, company_names, note; checked
    as when declaring); DELETE forgets it (the next detection no longer joins its members)."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = OrganisationOut
    queryset = Organisation.objects.none()

    def get_queryset(self):
        return Organisation.objects.filter(conference__slug=self.kwargs["slug"]).select_related("created_by")

    @extend_schema(request=OrganisationIn, responses={200: OrganisationOut})
    def patch(self, request, slug: str, pk: int):
        organisation = self.get_object()
        data = OrganisationIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organisation = _save(organisation, request.user, **data.validated_data)
        return Response(OrganisationOut(self.get_queryset().get(pk=organisation.pk)).data)


class SuggestionCountOut(serializers.Serializer):
    company_name = serializers.CharField(help_text="As most of its people write it.")
    domain = serializers.CharField(source="email_domain")
    voters = serializers.IntegerField()
    speakers = serializers.IntegerField()


class SuggestionOut(serializers.Serializer):
    """One suggested organisation, as the admin's "Suggested organisations" page shows it."""

    name = serializers.CharField(help_text="The name most of its people write, or the organisation to add to.")
    add_to = serializers.CharField(
        allow_null=True, help_text="The declared organisation the members would join (PATCH it); null: declare one."
    )
    add_to_id = serializers.SerializerMethodField(help_text="That organisation's id; null when `add_to` is null.")
    domains = serializers.ListField(
        child=serializers.CharField(), source="email_domains", help_text="Suggested domains not declared yet."
    )
    company_names = serializers.ListField(
        child=serializers.CharField(), help_text="Suggested company names not declared yet."
    )
    people = serializers.IntegerField(help_text="Voters and speakers behind the suggestion.")
    rules = serializers.ListField(child=serializers.ChoiceField(choices=RULES), help_text="The rules that found it.")
    counts = SuggestionCountOut(many=True, help_text="The people behind each name and domain the evidence joins.")
    evidence = serializers.CharField(help_text="The sentence the admin shows.")

    def get_add_to_id(self, suggestion: Suggestion) -> int | None:
        return self.context.get("declared", {}).get(suggestion.add_to) if suggestion.add_to else None


class OrganisationSuggestionList(generics.ListAPIView):
    """Organisations the organizers may want to declare, as the admin suggests them (a company name
    written from two or more work domains, a work domain whose people write two or more names), most
    people first, then by name. Read-only; computed from the conference's voters and speakers at each
    request, so a declared suggestion is gone from the next answer."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = SuggestionOut
    queryset = Organisation.objects.none()

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])

    def get_queryset(self) -> list[Suggestion]:
        return organisation_suggestions_of(conference=self.conference())

    def get_serializer_context(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the schema: no request data
            return super().get_serializer_context()
        declared = dict(Organisation.objects.filter(conference__slug=self.kwargs["slug"]).values_list("name", "pk"))
        return {**super().get_serializer_context(), "declared": declared}
