from rest_framework import serializers

from apps.talks.domain.talk_import import KINDS
from apps.talks.models import Conference, Talk


class ConferenceOut(serializers.ModelSerializer):
    scale = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "slug",
            "name",
            "timezone",
            "start_date",
            "end_date",
            "status",
            "voting_opens_at",
            "voting_closes_at",
            "blind_voting",
            "scale",
            "wanted_min_score",
        ]
        read_only_fields = fields

    def get_scale(self, obj) -> list[dict]:
        return [{"score": score, "label": label} for score, label in obj.scale]


class SpeakerOut(serializers.Serializer):
    name = serializers.CharField()
    company = serializers.CharField()


class TalkOut(serializers.ModelSerializer):
    track = serializers.CharField(source="track.name", default=None, allow_null=True)
    speakers = serializers.SerializerMethodField()

    class Meta:
        model = Talk
        fields = ["id", "title", "abstract", "track", "format", "duration_minutes", "language", "status", "speakers"]
        read_only_fields = fields

    def get_speakers(self, obj) -> list[dict]:
        if self.context.get("hide_speakers"):
            return []
        return SpeakerOut(obj.speakers.all(), many=True).data


class TalkImportIn(serializers.Serializer):
    file = serializers.FileField(max_length=255, allow_empty_file=False)
    format = serializers.ChoiceField(choices=KINDS, default="auto")
    dry_run = serializers.BooleanField(default=True)

    def validate_file(self, value):
        if value.size > 10 * 1024 * 1024:
            raise serializers.ValidationError("The file is larger than 10 MB; split it and import the parts.")
        return value


class ProblemOut(serializers.Serializer):
    where = serializers.CharField()
    message = serializers.CharField()


class TalkImportOut(serializers.Serializer):
    format = serializers.CharField(source="kind")
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    summary = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    tracks_created = serializers.ListField(child=serializers.CharField())
    speakers_created = serializers.IntegerField()
    errors = ProblemOut(many=True)
    notes = ProblemOut(many=True)


class ErrorBody(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)


class ErrorOut(serializers.Serializer):
    """The shape of every API error."""

    error = ErrorBody()
