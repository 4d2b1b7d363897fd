"""Votes, their append-only history, and the versioned weight policy."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.talks.models import SCALE_CEILING, SCALE_FLOOR, Conference, Talk


class Vote(models.Model):
    """A user's current score for one talk. Withdrawing deletes the row; the history keeps it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="votes")
    score = models.SmallIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "talk"], name="vote_one_per_user_and_talk"),
            # The conference's own range is checked by the vote service; this is the absolute bound.
            models.CheckConstraint(
                condition=Q(score__gte=SCALE_FLOOR, score__lte=SCALE_CEILING), name="vote_score_in_absolute_scale"
            ),
            models.CheckConstraint(condition=Q(updated_at__gte=F("created_at")), name="vote_updated_after_created"),
        ]
        indexes = [models.Index(fields=["talk", "score"], name="vote_talk_score")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.talk_id}: {self.score}"


class VoteEventKind(models.TextChoices):
    CAST = "cast", "Cast"
    CHANGE = "change", "Changed"
    WITHDRAW = "withdraw", "Withdrawn"


class VoteEvent(models.Model):
    """Append-only history: one row for every cast, change and withdrawal."""

    Kind = VoteEventKind

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vote_events")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="vote_events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    old_score = models.SmallIntegerField(null=True, blank=True)
    new_score = models.SmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=VoteEventKind.values), name="voteevent_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind="cast", old_score__isnull=True, new_score__isnull=False))
                | (Q(kind="change", old_score__isnull=False, new_score__isnull=False))
                | (Q(kind="withdraw", old_score__isnull=False, new_score__isnull=True)),
                name="voteevent_scores_match_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "talk", "at"], name="voteevent_user_talk_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} → {self.talk_id} at {self.at:%Y-%m-%d %H:%M}"


class WeightPolicy(models.Model):
    """A version of a conference's weight rules. Never edited: a change is a new version."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="weight_policies")
    version = models.PositiveIntegerField()
    ticket_holder_weight = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("1.000"))
    pledger_weight = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.500"), help_text="Weight of an active pledger's vote."
    )
    bloc_rule = models.JSONField(default=dict, blank=True, help_text="Parameters of the bloc discount rule.")
    note = models.TextField(blank=True, help_text="Why this version was made.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "version"], name="weightpolicy_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="weightpolicy_version_positive"),
            models.CheckConstraint(
                condition=Q(
                    ticket_holder_weight__gte=0,
                    ticket_holder_weight__lte=1,
                    pledger_weight__gte=0,
                    pledger_weight__lte=1,
                ),
                name="weightpolicy_weights_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} weight policy v{self.version}"
