"""Conferences, tracks, speakers and talk proposals."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

# Absolute bounds of any conference's vote scale; a conference picks its own range inside them.
SCALE_FLOOR = 0
SCALE_CEILING = 10
DEFAULT_SCALE_LABELS = ["not interested", "maybe", "want to see", "must see"]


def default_scale_labels() -> list[str]:
    return list(DEFAULT_SCALE_LABELS)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known IANA time zone, e.g. Europe/Berlin.")


class ConferenceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    VOTING = "voting", "Voting open"
    CLOSED = "closed", "Voting closed"
    SCHEDULED = "scheduled", "Schedule proposed"
    PUBLISHED = "published", "Schedule published"


class Conference(models.Model):
    Status = ConferenceStatus

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    start_date = models.DateField()
    end_date = models.DateField()
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)

    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField(default=3)
    scale_labels = models.JSONField(
        default=default_scale_labels,
        help_text="One label per scale point, lowest first (scale_max − scale_min + 1 labels).",
    )
    wanted_min_score = models.SmallIntegerField(
        default=2,
        help_text="Scores at or above this mean “I want to see this talk” (used by pledges and scheduling).",
    )

    pledge_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.500"),
        help_text="Default share of a pledger's wanted talks that must be scheduled to trigger the pledge.",
    )
    blind_voting = models.BooleanField(default=False, help_text="Hide speaker names on the voting page.")
    ticket_shop_url = models.URLField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="conference_end_after_start"),
            models.CheckConstraint(
                condition=Q(voting_opens_at__isnull=True)
                | Q(voting_closes_at__isnull=True)
                | Q(voting_closes_at__gt=F("voting_opens_at")),
                name="conference_voting_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(scale_min__gte=SCALE_FLOOR, scale_max__lte=SCALE_CEILING, scale_max__gt=F("scale_min")),
                name="conference_scale_bounds",
            ),
            models.CheckConstraint(
                condition=Q(wanted_min_score__gt=F("scale_min"), wanted_min_score__lte=F("scale_max")),
                name="conference_wanted_score_in_scale",
            ),
            models.CheckConstraint(
                condition=Q(pledge_threshold__gt=0, pledge_threshold__lte=1), name="conference_pledge_threshold_range"
            ),
            models.CheckConstraint(condition=Q(status__in=ConferenceStatus.values), name="conference_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = self.scale_max - self.scale_min + 1
        if not isinstance(self.scale_labels, list) or len(self.scale_labels) != expected:
            raise ValidationError({"scale_labels": f"Give exactly {expected} labels, one per scale point."})

    @property
    def scale(self) -> list[tuple[int, str]]:
        """(score, label) pairs, lowest first."""
        return list(zip(range(self.scale_min, self.scale_max + 1), self.scale_labels, strict=False))


class Track(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=64)
    color = models.CharField(max_length=7, default="#3b6ea5", help_text="Hex colour, e.g. #3b6ea5")

    class Meta:
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="track_unique_slug"),
            models.UniqueConstraint(fields=["conference", "name"], name="track_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Speaker(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="speaker_profiles"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Public schedules carry no email; imports may leave it empty.")
    company = models.CharField(max_length=200, blank=True, help_text="Company or affiliation.")
    email_domain = models.CharField(max_length=253, blank=True, editable=False, db_index=True)
    biography = models.TextField(blank=True)
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("conference", Lower("email"), condition=~Q(email=""), name="speaker_unique_email"),
            models.UniqueConstraint(
                fields=["conference", "external_id"], condition=~Q(external_id=""), name="speaker_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.email_domain = self.email.rsplit("@", 1)[-1].lower() if "@" in self.email else ""
        super().save(*args, **kwargs)


class TalkFormat(models.TextChoices):
    TALK = "talk", "Talk"
    LIGHTNING = "lightning", "Lightning talk"
    WORKSHOP = "workshop", "Workshop"
    KEYNOTE = "keynote", "Keynote"
    PANEL = "panel", "Panel"


class TalkStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    WAITLISTED = "waitlisted", "Waitlisted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Talk(models.Model):
    Format = TalkFormat

    Status = TalkStatus

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="talks")
    title = models.CharField(max_length=300)
    abstract = models.TextField(blank=True)
    description = models.TextField(blank=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="talks")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.TALK)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    language = models.CharField(max_length=16, default="en")
    speakers = models.ManyToManyField(Speaker, related_name="talks", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    external_id = models.CharField(max_length=100, blank=True, help_text="Identifier in the system it came from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["conference", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=600), name="talk_duration_range"
            ),
            models.CheckConstraint(condition=Q(status__in=TalkStatus.values), name="talk_status_valid"),
            models.CheckConstraint(condition=Q(format__in=TalkFormat.values), name="talk_format_valid"),
            models.UniqueConstraint(
                fields=["conference", "external_id"], condition=~Q(external_id=""), name="talk_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.track_id and self.track.conference_id != self.conference_id:
            raise ValidationError({"track": "This track belongs to another conference."})


class ApiToken(models.Model):
    """An organizer's key to the REST API for one conference. Only a hash is stored; the key is shown once."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “schedule sync”.")
    key_prefix = models.CharField(max_length=8, editable=False, help_text="The first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(key_hash=""), name="apitoken_hash_present")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…) for {self.conference}"
