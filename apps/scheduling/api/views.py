"""Published schedules (public) and committee overrides (organizers)."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.scheduling import selectors
from apps.scheduling.exports.frab_json import FrabJsonExporter
from apps.scheduling.models import ScheduleOverride, ScheduleRelease
from apps.talks.api.views import PublicCacheMixin
from apps.talks.models import Conference
from confvote.rest import IsConferenceOrganizer

from .serializers import OverrideIn, OverrideOut, ReleaseOut


def _public_conference(slug: str) -> Conference:
    return get_object_or_404(Conference.objects.exclude(status=Conference.Status.DRAFT), slug=slug)


class ReleaseList(PublicCacheMixin, generics.ListAPIView):
    """Every published version of the schedule, newest first."""

    queryset = ScheduleRelease.objects.none()  # for the schema; get_queryset scopes the real one

    serializer_class = ReleaseOut

    def get_queryset(self):
        return ScheduleRelease.objects.filter(conference=_public_conference(self.kwargs["slug"])).order_by("-version")


def _requested_release(request, slug):
    version = request.GET.get("version")
    if version is not None and not version.isdigit():
        raise ValidationError({"version": "A version is a whole number."})
    release = selectors.release_get(conference=_public_conference(slug), version=int(version) if version else None)
    if release is None:
        raise Http404("No schedule has been published yet." if version is None else "No such schedule version.")
    return release


def _schedule_last_modified(request, slug):
    try:
        return selectors.release_last_modified(release=_requested_release(request, slug))
    except (Http404, ValidationError):
        return None


@method_decorator(condition(last_modified_func=_schedule_last_modified), name="get")
class ScheduleDocument(PublicCacheMixin, APIView):
    """The published schedule as a frab/c3voc schedule.json document (latest, or ?version=N)."""

    @extend_schema(
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, required=False)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug: str):
        release = _requested_release(request, slug)
        schedule = selectors.published_schedule(release=release, base_url=request.build_absolute_uri("/"))
        return Response(FrabJsonExporter.document(schedule))


class OverrideList(generics.ListCreateAPIView):
    """The committee's overrides (pin, exclude, fix), each with its published reason."""

    queryset = ScheduleOverride.objects.none()  # for the schema; get_queryset scopes the real one

    permission_classes = [IsConferenceOrganizer]
    serializer_class = OverrideOut
    throttle_scope = "writes"

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])

    def get_queryset(self):
        return ScheduleOverride.objects.filter(conference=self.conference()).select_related("created_by")

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=OverrideIn, responses={201: OverrideOut})
    def post(self, request, slug: str):
        conference = self.conference()
        data = OverrideIn(data=request.data, context={"conference": conference})
        data.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                override = ScheduleOverride.objects.create(
                    conference=conference, created_by=request.user, **data.validated_data
                )
        except IntegrityError:
            raise ValidationError(
                {"kind": "This talk already has an override of this kind; delete it first."}
            ) from None
        return Response(OverrideOut(override).data, status=status.HTTP_201_CREATED)


class OverrideDetail(generics.RetrieveDestroyAPIView):
    permission_classes = [IsConferenceOrganizer]
    serializer_class = OverrideOut

    def get_queryset(self):
        return ScheduleOverride.objects.filter(conference__slug=self.kwargs["slug"]).select_related("created_by")
