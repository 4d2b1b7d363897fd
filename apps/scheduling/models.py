"""Rooms, time slots, speaker availability, schedule proposals and committee overrides."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.talks.models import Conference, Speaker, Talk


class Room(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the room in schedule grids.")

    class Meta:
        ordering = ["conference", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="room_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class Slot(models.Model):
    """A time in a room when a talk can take place."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="slots")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start", "room__position"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.UniqueConstraint(fields=["room", "start"], name="slot_unique_room_start"),
        ]

    def __str__(self) -> str:
        return f"{self.room.name} {self.start:%a %H:%M}–{self.end:%H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class SpeakerAvailability(models.Model):
    """A window in which a speaker can give a talk. A speaker without any window is always available."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="availabilities")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["speaker", "start"]
        verbose_name_plural = "speaker availabilities"
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="availability_end_after_start")]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.start:%Y-%m-%d %H:%M} – {self.end:%H:%M}"


class ScheduleProposalStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ScheduleProposal(models.Model):
    Status = ScheduleProposalStatus

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="proposals")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    parameters = models.JSONField(default=dict, blank=True)
    input_digest = models.CharField(max_length=64, blank=True, help_text="Hash of every input the run used.")
    seed = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=64, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    tally_snapshot = models.ForeignKey(
        "ballots.TallySnapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    cancel_requested = models.BooleanField(default=False)
    attempt = models.PositiveIntegerField(default=0, help_text="How many times a worker has started this run.")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the running worker.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="proposal_progress_percent_range"),
            models.CheckConstraint(condition=Q(status__in=ScheduleProposalStatus.values), name="proposal_status_valid"),
            # The same inputs and parameters never run twice at once, nor again after they succeeded.
            models.UniqueConstraint(
                fields=["conference", "input_digest"],
                condition=Q(status__in=["queued", "running", "succeeded"]) & ~Q(input_digest=""),
                name="proposal_one_live_run_per_input",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal #{self.pk} for {self.conference} ({self.get_status_display()})"


class ScheduleOverrideKind(models.TextChoices):
    PIN = "pin", "Pin as accepted"
    EXCLUDE = "exclude", "Exclude"
    FIX = "fix", "Fix to a slot or room"


class ScheduleOverride(models.Model):
    """A committee decision that departs from the vote. The reason is published with the schedule."""

    Kind = ScheduleOverrideKind

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="overrides")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="overrides")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.CASCADE, related_name="overrides")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="overrides")
    similar_to = models.ForeignKey(
        Talk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For an exclusion as “too similar”: the talk it is too similar to.",
    )
    reason = models.TextField(help_text="Required, and published with the schedule.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ScheduleOverrideKind.values), name="override_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_reason_required"),
            models.CheckConstraint(
                condition=~Q(kind="fix") | Q(slot__isnull=False) | Q(room__isnull=False),
                name="override_fix_needs_slot_or_room",
            ),
            models.CheckConstraint(
                condition=Q(kind="fix") | Q(slot__isnull=True, room__isnull=True),
                name="override_only_fix_has_slot_or_room",
            ),
            models.UniqueConstraint(fields=["talk", "kind"], name="override_one_per_talk_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.talk}"


class ScheduleRelease(models.Model):
    """A published version of the schedule. Exports and the public grid read releases, never proposals."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="releases")
    version = models.PositiveIntegerField()
    proposal = models.ForeignKey(
        ScheduleProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="releases"
    )
    changelog = models.TextField(blank=True, help_text="What changed since the previous version, for the public.")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["conference", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="release_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="release_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.conference} schedule v{self.version}"


class ScheduledTalk(models.Model):
    """One talk's place in a release."""

    release = models.ForeignKey(ScheduleRelease, on_delete=models.CASCADE, related_name="entries")
    talk = models.ForeignKey(Talk, on_delete=models.RESTRICT, related_name="scheduled")
    room = models.ForeignKey(Room, on_delete=models.RESTRICT, related_name="scheduled")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["release", "start", "room__position"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="scheduledtalk_end_after_start"),
            models.UniqueConstraint(fields=["release", "talk"], name="scheduledtalk_talk_once_per_release"),
            models.UniqueConstraint(fields=["release", "room", "start"], name="scheduledtalk_room_free"),
        ]

    def __str__(self) -> str:
        return f"{self.talk} · {self.room.name} · {self.start:%a %H:%M}"


class TransparencyReportDocument(models.Model):
    """A release's public transparency report, built once for the state of everything it shows and served
    as stored bytes (apps/scheduling/transparency.py): the API document and the web page's report.

    `key` digests every input (the release and its proposal, the published tally, talk titles, room
    names, pledge statuses, committee overrides, public blocs, the code that writes it): a pledge that
    settles, a bloc decision or a title edit gives a new key, and the next request builds it again. A row
    rather than the cache: a large conference's report is megabytes, and a per-process cache would build
    it once per worker."""

    release = models.OneToOneField(ScheduleRelease, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, blank=True, default="")
    etag = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the API document.")
    built_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(default=b"", help_text="The API document, as JSON.")
    page = models.BinaryField(default=b"", help_text="The web page's report, as JSON.")

    def __str__(self) -> str:
        return f"{self.release} transparency report ({self.etag[:12]})"
