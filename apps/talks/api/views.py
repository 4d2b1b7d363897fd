"""Conferences and talks: public reads, and the organizers' talk import."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django_filters import rest_framework as filters
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.talks import selectors
from apps.talks.domain.talk_import import talks_parse
from apps.talks.importing import talks_import
from apps.talks.models import Conference, Speaker, Talk
from confvote.rest import IsConferenceOrganizer

from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
from .serializers import ConferenceOut, ErrorOut, TalkImportIn, TalkImportOut, TalkOut

PUBLIC_MAX_AGE = 60


class PublicCacheMixin:
    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response


class ConferenceList(PublicCacheMixin, generics.ListAPIView):
    """Conferences that are not drafts, newest first."""

    serializer_class = ConferenceOut
    filter_backends = [filters.DjangoFilterBackend]
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.conference_list_public()


class ConferenceDetail(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = ConferenceOut
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.conference_list_public()


class TalkFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Words in the title or abstract")
    track = filters.CharFilter(field_name="track__slug", label="Track slug")
    # Not "format": DRF reserves ?format= for choosing the response format.
    talk_format = filters.ChoiceFilter(field_name="format", choices=Talk.Format.choices)

    class Meta:
        model = Talk
        fields = ["talk_format", "status", "track", "q"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(title__icontains=value) | Q(abstract__icontains=value))


class TalkList(PublicCacheMixin, generics.ListAPIView):
    """A conference's talk proposals (withdrawn ones left out). Speakers are hidden during blind voting."""

    queryset = Talk.objects.none()  # for the schema; get_queryset scopes the real one

    serializer_class = TalkOut
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = TalkFilter
    ordering_fields = ["title", "duration_minutes", "created_at"]

    def conference(self) -> Conference:
        if not hasattr(self, "_conference"):
            self._conference = selectors.conference_get_public(slug=self.kwargs["slug"])
            if self._conference is None:
                from django.http import Http404

                raise Http404("No such conference.")
        return self._conference

    def get_queryset(self):
        return (
            selectors.talk_list_for_conference(conference=self.conference())
            .prefetch_related(None)
            .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
            .order_by("title", "pk")
        )

    def get_serializer_context(self):
        conference = self.conference()
        hide = conference.blind_voting and conference.status != Conference.Status.PUBLISHED
        return {**super().get_serializer_context(), "hide_speakers": hide}


class TalkImport(APIView):
    """Imports talks from a file (CSV, JSON, pretalx). A dry run (the default) writes nothing."""

    permission_classes = [IsConferenceOrganizer]
    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "writes"

    @extend_schema(
        request=TalkImportIn,
        responses={
            200: TalkImportOut,
            201: TalkImportOut,
            # A file with problems answers with its report; a malformed request with the error shape.
            400: PolymorphicProxySerializer(
                component_name="TalkImportProblem", serializers=[TalkImportOut, ErrorOut], resource_type_field_name=None
            ),
        },
    )
    def post(self, request, slug: str):
        conference = get_object_or_404(Conference, slug=slug)
        data = TalkImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        report = talks_import(
            conference=conference,
            parsed=talks_parse(upload.read(), kind=data.validated_data["format"], filename=upload.name),
            dry_run=data.validated_data["dry_run"],
        )
        code = (
            status.HTTP_400_BAD_REQUEST
            if report.errors
            else (status.HTTP_201_CREATED if report.written else status.HTTP_200_OK)
        )
        return Response(TalkImportOut(report).data, status=code)
