from rest_framework import serializers

from apps.scheduling.models import Room, ScheduleOverride, ScheduleProposal, ScheduleRelease, Slot
from apps.talks.models import Talk


class ReleaseOut(serializers.ModelSerializer):
    class Meta:
        model = ScheduleRelease
        fields = ["version", "published_at", "changelog"]
        read_only_fields = fields


class OverrideOut(serializers.ModelSerializer):
    talk = serializers.IntegerField(source="talk_id")
    slot = serializers.IntegerField(source="slot_id", allow_null=True)
    room = serializers.IntegerField(source="room_id", allow_null=True)
    similar_to = serializers.IntegerField(source="similar_to_id", allow_null=True)
    created_by = serializers.EmailField(source="created_by.email", default=None)

    class Meta:
        model = ScheduleOverride
        fields = ["id", "talk", "kind", "slot", "room", "similar_to", "reason", "created_by", "created_at"]
        read_only_fields = fields


class OverrideIn(serializers.Serializer):
    """The committee's decision. Who made it and when come from the server."""

    talk = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ScheduleOverride.Kind.choices)
    slot = serializers.IntegerField(required=False, allow_null=True, default=None)
    room = serializers.IntegerField(required=False, allow_null=True, default=None)
    similar_to = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000, trim_whitespace=True)

    def validate(self, attrs):
        conference = self.context["conference"]
        errors = {}

        def lookup(model, key, label):
            value = attrs.get(key)
            if value is None:
                return None
            found = model.objects.filter(pk=value, conference=conference).first()
            if found is None:
                errors[key] = f"No {label} {value} in this conference."
            return found

        attrs["talk"] = lookup(Talk, "talk", "talk")
        attrs["slot"] = lookup(Slot, "slot", "slot")
        attrs["room"] = lookup(Room, "room", "room")
        attrs["similar_to"] = lookup(Talk, "similar_to", "talk")
        kind = attrs["kind"]
        if (
            kind == ScheduleOverride.Kind.FIX
            and attrs["slot"] is None
            and attrs["room"] is None
            and "slot" not in errors
        ):
            errors["slot"] = "Fixing a talk needs a slot or a room."
        if kind != ScheduleOverride.Kind.FIX and (attrs.get("slot") or attrs.get("room")):
            errors["kind"] = "Only a “fix” names a slot or a room."
        if attrs.get("similar_to") and kind != ScheduleOverride.Kind.EXCLUDE:
            errors["similar_to"] = "“Too similar to” only goes with an exclusion."
        if attrs.get("slot") and attrs.get("room") and attrs["slot"].room_id != attrs["room"].pk:
            errors["room"] = "That slot is in another room."
        if attrs.get("similar_to") is not None and attrs["similar_to"] == attrs.get("talk"):
            errors["similar_to"] = "A talk cannot be too similar to itself."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProposalOut(serializers.ModelSerializer):
    outcome = serializers.SerializerMethodField()
    accepted_talk_ids = serializers.SerializerMethodField()

    class Meta:
        model = ScheduleProposal
        fields = [
            "id",
            "status",
            "phase",
            "progress_percent",
            "parameters",
            "seed",
            "input_digest",
            "attempt",
            "objective",
            "bound",
            "error",
            "outcome",
            "accepted_talk_ids",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_outcome(self, obj) -> str | None:
        return (obj.result or {}).get("outcome")

    def get_accepted_talk_ids(self, obj) -> list[int]:
        return (obj.result or {}).get("accepted_talk_ids", [])


class ProposalDetailOut(ProposalOut):
    result = serializers.JSONField()

    class Meta(ProposalOut.Meta):
        fields = [*ProposalOut.Meta.fields, "result"]
        read_only_fields = fields


class SensitivityIn(serializers.Serializer):
    pledge_weights = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=1), max_length=5, default=list
    )
    bloc = serializers.ListField(child=serializers.ChoiceField(choices=["off", "confirmed"]), default=list)


class ProposalIn(serializers.Serializer):
    seed = serializers.IntegerField(min_value=0, default=0)
    time_limit_seconds = serializers.FloatField(min_value=5, max_value=1800, default=60)
    talks_to_accept = serializers.IntegerField(min_value=1, required=False)
    committee_slots = serializers.IntegerField(min_value=0, default=0)
    track_minimums = serializers.DictField(child=serializers.IntegerField(min_value=0), default=dict)
    sensitivity = SensitivityIn(required=False)


class PublishIn(serializers.Serializer):
    changelog = serializers.CharField(max_length=5000, allow_blank=True, default="")


class CompareRowOut(serializers.Serializer):
    talk_id = serializers.IntegerField()
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)
    slot_before = serializers.IntegerField(allow_null=True)
    slot_after = serializers.IntegerField(allow_null=True)
    why = serializers.ListField(child=serializers.CharField())
