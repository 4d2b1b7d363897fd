"""Votes, their append-only history, ballots and receipts, the versioned weight policy, tally snapshots."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from apps.talks.models import SCALE_CEILING, SCALE_FLOOR, Conference, Talk

from .domain.blocs_input import BlocRule, bloc_rule_default, company_normalize
from .domain.blocs_run_inputs import run_inputs_short, run_inputs_summary

# An email domain: labels of letters, digits and hyphens (any script), at least two of them.
DOMAIN_SHAPE = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]")


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
    # Written out in full (see docs/blocs.md), so a version keeps its meaning when the code's defaults change.
    bloc_rule = models.JSONField(
        default=bloc_rule_default, blank=True, help_text="Parameters of the bloc discount rule."
    )
    prior_weight = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("10.00"),
        help_text="Bayesian average: every talk starts with this much vote weight at the overall mean score, "
        "so a talk with three votes cannot outrank one with three hundred on luck.",
    )
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
            models.CheckConstraint(condition=Q(prior_weight__gte=0), name="weightpolicy_prior_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.conference} weight policy v{self.version}"

    def clean(self) -> None:
        """The bloc rule must be one detection can run (the admin form shows the message; a stored version
        is never edited, so it must be right here)."""
        super().clean()
        self.bloc_rule_in_full(self.bloc_rule)

    @staticmethod
    def bloc_rule_in_full(rule) -> dict:
        """`rule` written out with every key (today's default where it names none), or a ValidationError
        on `bloc_rule` naming the problem: it must be a JSON object whose known keys hold valid values."""
        if not isinstance(rule, dict):
            raise ValidationError({"bloc_rule": 'The bloc rule must be a JSON object, e.g. {"alpha": 0.01}.'})
        try:
            return BlocRule.from_json(rule).to_json()
        except TypeError as error:  # a value of the wrong kind, e.g. a word where a number belongs
            raise ValidationError({"bloc_rule": f"The bloc rule has a value of the wrong type ({error})."}) from error
        except ValueError as error:
            raise ValidationError({"bloc_rule": str(error)}) from error


class Ballot(models.Model):
    """One voter's ballot at one conference: the row every change to their votes locks first,
    so changes to one ballot happen one after another and each gets the next receipt number."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots")
    changes = models.PositiveIntegerField(default=0, help_text="How many changes (and receipts) so far.")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="ballot_one_per_user_and_conference"),
        ]

    def __str__(self) -> str:
        return f"ballot of {self.user_id} at {self.conference_id}"


class BallotReceipt(models.Model):
    """A hash commitment to the whole ballot after one change. `code` is public; `nonce` is shown
    only to the voter, who needs it (with their ballot) to recompute the code. Never edited."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="receipts")
    sequence = models.PositiveIntegerField()
    event = models.OneToOneField(VoteEvent, on_delete=models.CASCADE, related_name="receipt")
    code = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32, help_text="Secret: shown to the voter only.")
    vote_count = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "sequence"], name="receipt_unique_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="receipt_sequence_positive"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9a-f]{64}$"), name="receipt_code_hex"),
        ]

    def __str__(self) -> str:
        return self.code[:16]


class TallySnapshot(models.Model):
    """One computed tally. Same inputs (digest) and policy version give the same snapshot."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tally_snapshots")
    policy = models.ForeignKey(WeightPolicy, on_delete=models.PROTECT, related_name="tally_snapshots")
    input_digest = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    vote_count = models.PositiveIntegerField()
    voter_count = models.PositiveIntegerField()
    prior_mean = models.FloatField()
    summary = models.JSONField(default=dict, help_text="Weight and voters by class, over the whole tally.")
    # Set when the tally is published (see apps/ballots/domain/bulletin.py). Empty on snapshots that
    # are not published, and on those published before the board was chained.
    bulletin_head = models.CharField(
        max_length=64, blank=True, default="", help_text="The bulletin board's last chain value."
    )
    bulletin_size = models.PositiveIntegerField(null=True, blank=True, help_text="Entries on the bulletin board.")

    class Meta:
        ordering = ["conference", "-computed_at", "-id"]
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(fields=["conference", "policy", "input_digest"], name="tally_unique_inputs"),
            models.CheckConstraint(condition=Q(input_digest__regex=r"^[0-9a-f]{64}$"), name="tally_digest_hex"),
            models.CheckConstraint(
                condition=Q(bulletin_head="", bulletin_size__isnull=True)
                | Q(bulletin_head__regex=r"^[0-9a-f]{64}$", bulletin_size__isnull=False, published_at__isnull=False),
                name="tally_bulletin_head_hex_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} tally {self.computed_at:%Y-%m-%d %H:%M} (policy v{self.policy.version})"


class TallyRow(models.Model):
    """One talk's figures in a snapshot (see apps/ballots/domain/tally.py for the maths)."""

    snapshot = models.ForeignKey(TallySnapshot, on_delete=models.CASCADE, related_name="rows")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="tally_rows")
    rank = models.PositiveIntegerField()
    rank_best = models.PositiveIntegerField()
    rank_worst = models.PositiveIntegerField()
    ticket_holders = models.PositiveIntegerField()
    pledgers = models.PositiveIntegerField()
    not_eligible = models.PositiveIntegerField()
    raw_mean = models.FloatField(null=True)
    weighted_mean = models.FloatField(null=True)
    bayes_average = models.FloatField()
    spread = models.FloatField(null=True)
    weight_ticket_holders = models.FloatField()
    weight_pledgers = models.FloatField()
    weight_discounted = models.FloatField(help_text="Weight removed by bloc discounts.")
    score_counts = models.JSONField(help_text="Number of votes per scale point, lowest first.")

    class Meta:
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "talk"], name="tallyrow_one_per_talk"),
            models.UniqueConstraint(fields=["snapshot", "rank"], name="tallyrow_unique_rank"),
            models.CheckConstraint(
                condition=Q(rank_best__lte=F("rank"), rank_worst__gte=F("rank"), rank_best__gte=1),
                name="tallyrow_rank_inside_band",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.talk_id}"


class AnonymisedBallotsDocument(models.Model):
    """The conference's public anonymised-ballots export, built once and served as stored bytes.

    Publishing a tally builds it, in its transaction, from the inputs it published, so it is that
    tally's exactly; `key` names the published snapshot (selectors.export.anonymised_ballots_key), and a
    later publication replaces it. (A tally published before that was done gets it at the first request,
    built from the state then.) A row rather than the cache: the document is tens of megabytes on a large
    conference, which a cache may refuse or evict at any time, and a per-process cache would build it
    once per worker."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, blank=True, default="")
    etag = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the content.")
    built_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"{self.conference} anonymised ballots ({self.etag[:12]})"


class ReceiptStatus(models.TextChoices):
    COUNTED = "counted", "Counted"
    NOT_ELIGIBLE = "not_eligible", "Not eligible (weight 0)"
    DISCOUNTED = "discounted", "Counted, reduced by a bloc discount"
    SUPERSEDED = "superseded", "Superseded by a later change"


class BulletinEntry(models.Model):
    """The public bulletin board of a published tally: every receipt with its weight and status, each
    entry chained to the one before it (apps/ballots/domain/bulletin.py). `position` and `chain` are
    empty on boards published before the chain existed."""

    Status = ReceiptStatus

    snapshot = models.ForeignKey(TallySnapshot, on_delete=models.CASCADE, related_name="bulletin")
    receipt = models.ForeignKey(BallotReceipt, on_delete=models.CASCADE, related_name="bulletin_entries")
    weight = models.FloatField()
    status = models.CharField(max_length=16, choices=Status.choices)
    position = models.PositiveIntegerField(null=True, blank=True, help_text="0, 1, … in receipt-code order.")
    chain = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 chain value of this entry.")

    class Meta:
        ordering = ["snapshot", "position", "receipt__code"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "receipt"], name="bulletin_one_entry_per_receipt"),
            # Also the index the board is read through, in order.
            models.UniqueConstraint(fields=["snapshot", "position"], name="bulletin_unique_position"),
            # No regular expression on the chain value: on 100,000 rows it would cost a second at
            # publication, and the verifier checks every value anyway.
            models.CheckConstraint(
                condition=Q(position__isnull=True, chain="") | (Q(position__isnull=False) & ~Q(chain="")),
                name="bulletin_chain_with_position",
            ),
            models.CheckConstraint(condition=Q(status__in=ReceiptStatus.values), name="bulletin_status_valid"),
            models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=1), name="bulletin_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id}: {self.status}"


class BlocStatusChoices(models.TextChoices):
    DETECTED = "detected", "Detected"
    CONFIRMED = "confirmed", "Confirmed (stronger discount)"
    DISMISSED = "dismissed", "Dismissed (full weight)"


class BlocSpeakerLink(models.TextChoices):
    NONE = "", "Not the speaker's organisation"
    EXACT = "exact", "The speaker's organisation (exact or declared link)"
    INFERRED = "inferred", "Taken for the speaker's organisation from a similar name or email domain"
    MIXED = "mixed", "Both"


class Bloc(models.Model):
    """A group of voters found acting together on one talk, with the evidence and the organizers' decision.

    Rows are kept across detections and matched by `key`; a bloc that is no longer found stays with
    `present=False`, so decisions and history are never lost."""

    Status = BlocStatusChoices

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="blocs")
    key = models.CharField(max_length=64, help_text="Stable for the same talk, direction and members.")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="blocs")
    direction = models.CharField(max_length=8, help_text="support, oppose or alike")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="blocs", blank=True)
    spared = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="blocs_spared",
        blank=True,
        help_text="Members whose vote counts in full: their score does not move the talk the bloc's way "
        "(bloc rule `discount_votes: pushing`). Refreshed by every detection.",
    )
    size = models.PositiveIntegerField()
    weight = models.FloatField(help_text="The members' summed vote weight.")
    fair_share = models.FloatField(help_text="Members expected to vote this way on their own.")
    counts_as = models.FloatField(help_text="What the members count as together, in vote weight.")
    multiplier = models.FloatField(help_text="Applied to each member's vote on the talk.")
    signals = models.JSONField(default=list)
    speaker_link = models.CharField(
        max_length=8,
        blank=True,
        default="",
        choices=BlocSpeakerLink.choices,
        help_text="How the group is linked to the speaker's organisation: a member's receipt calls it colleagues "
        "of the speaker only on exact or declared links.",
    )
    evidence = models.JSONField(default=list, help_text="Sentences with numbers an organizer can check.")
    p_value = models.FloatField()
    rank_before = models.PositiveIntegerField(null=True, blank=True, help_text="The talk's rank without any discount.")
    rank_after = models.PositiveIntegerField(null=True, blank=True, help_text="The talk's rank with the discounts.")
    score_before = models.FloatField(
        null=True, blank=True, help_text="The talk's ranking score (Bayesian average) without any discount."
    )
    score_after = models.FloatField(null=True, blank=True, help_text="The talk's ranking score with the discounts.")
    present = models.BooleanField(default=True, help_text="Found by the latest detection.")
    first_detected_at = models.DateTimeField()
    last_detected_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=BlocStatusChoices.choices, default="detected", db_index=True)
    reason = models.TextField(blank=True, help_text="Required for a confirmation or a dismissal.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "-present", "rank_before", "-size"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "key"], name="bloc_unique_key"),
            models.CheckConstraint(condition=Q(status__in=BlocStatusChoices.values), name="bloc_status_valid"),
            models.CheckConstraint(
                condition=Q(speaker_link__in=BlocSpeakerLink.values), name="bloc_speaker_link_valid"
            ),
            models.CheckConstraint(condition=Q(status="detected") | ~Q(reason=""), name="bloc_decision_has_reason"),
            models.CheckConstraint(condition=Q(multiplier__gt=0, multiplier__lte=1), name="bloc_multiplier_range"),
        ]

    def __str__(self) -> str:
        return f"{self.size} voters on {self.talk} ({self.get_status_display()})"


class BlocDecision(models.Model):
    """Every decision on a bloc, oldest first: the bloc row holds the current one, this the history."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=10, choices=BlocStatusChoices.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["bloc", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BlocStatusChoices.values), name="blocdecision_status_valid"),
            models.CheckConstraint(condition=Q(status="detected") | ~Q(reason=""), name="blocdecision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.decided_at:%Y-%m-%d %H:%M}"


class BlocDetectionRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


def run_constraints(prefix: str) -> list:
    """A kind of run's constraints: its percent and status valid, at most one queued or running per conference."""
    return [
        models.CheckConstraint(condition=Q(progress_percent__lte=100), name=f"{prefix}_progress_range"),
        models.CheckConstraint(condition=Q(status__in=BlocDetectionRunStatus.values), name=f"{prefix}_status_valid"),
        models.UniqueConstraint(
            fields=["conference"], condition=Q(status__in=["queued", "running"]), name=f"{prefix}_one_live_run"
        ),
    ]


class ConferenceRun(models.Model):
    """What every run an organizer watches has (services/runs.py drives it): queued → running (phase,
    percent and heartbeat as the work reports them) → succeeded or failed (the reason); who asked and
    when. Each kind has its own table, with at most one queued or running run per conference (a
    constraint in each)."""

    Status = BlocDetectionRunStatus

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=64, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    snapshot = models.ForeignKey(TallySnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last progress of the running worker.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def live(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class BlocDetectionRun(ConferenceRun):
    """One run of bloc detection and the tally that follows it, with its progress while it runs.

    At most one run per conference is queued or running at a time (a constraint, so two organizers
    pressing "Detect now" together get one run)."""

    class Trigger(models.TextChoices):
        ORGANIZER = "organizer", "An organizer asked"
        TALLY = "tally", "Tally recomputation"
        DECISION = "decision", "A decision on a bloc"
        PUBLICATION = "publication", "Publishing the tally"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="bloc_runs")
    trigger = models.CharField(max_length=11, choices=Trigger.choices)
    votes = models.PositiveIntegerField(null=True, blank=True, help_text="Votes examined.")
    found = models.PositiveIntegerField(null=True, blank=True, help_text="Blocs found.")
    new = models.PositiveIntegerField(null=True, blank=True, help_text="Blocs not found by the run before.")
    gone = models.PositiveIntegerField(null=True, blank=True, help_text="Blocs no longer found.")
    # Written when the run reads its data (domain/blocs_run_inputs.py): the weight policy version, the
    # promotions and the declared organisations as they were, and a digest over them. Empty until then,
    # and on runs made before runs recorded it.
    inputs = models.JSONField(
        default=dict,
        blank=True,
        help_text="The organizer data the run read: policy version, promotions, organisations.",
    )

    class Meta(ConferenceRun.Meta):
        constraints = run_constraints("blocrun")

    def __str__(self) -> str:
        return f"Bloc detection #{self.pk} for {self.conference} ({self.get_status_display()})"

    @property
    def inputs_recorded(self) -> dict | None:
        return self.inputs or None

    @property
    def inputs_summary(self) -> str:
        return run_inputs_summary(self.inputs)

    @property
    def inputs_short(self) -> str:
        return run_inputs_short(self.inputs)

    @property
    def inputs_digest(self) -> str | None:
        return (self.inputs or {}).get("digest") or None


class TallyPublicationRun(ConferenceRun):
    """One publication of a conference's tally (bloc detection once more, the snapshot, the bulletin
    board of every receipt, the public anonymised ballots), with its progress while the worker runs it.

    At most one per conference is queued or running (a constraint: two organizers pressing "Publish"
    together get the same run). It succeeds with the published snapshot or fails with the reason, and
    then nothing of it is published (the board and the document are written in one transaction)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="publication_runs")
    detection = models.ForeignKey(
        BlocDetectionRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The detection run it ran first; none when another was under way (it ran after it) or once pruned.",
    )
    step_seconds = models.JSONField(
        default=dict, blank=True, help_text="Seconds each step took: detection, tally, board read, chain, ..."
    )

    class Meta(ConferenceRun.Meta):
        constraints = run_constraints("pubrun")

    def __str__(self) -> str:
        return f"Publication #{self.pk} of {self.conference} ({self.get_status_display()})"


class Promotion(models.Model):
    """A post, newsletter or other message of the conference's own that featured talks (round 20 in
    docs/blocs.md). Visitors it brings rate the featured talks within hours; bloc detection takes the
    hours after it as explained on those talks instead of reporting the votes as a burst."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="promotions")
    sent_at = models.DateTimeField(help_text="When the promotion went out (its first reader could see it).")
    talks = models.ManyToManyField(Talk, related_name="promotions", help_text="The talks it featured.")
    channel = models.CharField(max_length=100, help_text="Where it went out, e.g. Mastodon, newsletter, blog.")
    description = models.TextField(blank=True, help_text="What it said, or a link to it.")
    external_id = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The sending tool's own id for it (recorded through the API); one promotion per id and conference.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conference", "-sent_at", "-pk"]
        indexes = [models.Index(fields=["conference", "sent_at"], name="promotion_conference_sent")]
        constraints = [
            models.CheckConstraint(condition=~Q(channel=""), name="promotion_channel_given"),
            # A tool that retries a push it already recorded must find it, never record it twice.
            models.UniqueConstraint(
                fields=["conference", "external_id"],
                condition=~Q(external_id=""),
                name="promotion_external_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} on {self.sent_at:%Y-%m-%d %H:%M}"


class PromotionSuggestionsDocument(models.Model):
    """The conference's suggested promotions (admin *Suggested promotions* and its API) as last
    computed, with `key`, a digest of everything they were computed from: the votes (a fingerprint of
    them), the talks, the recorded promotions, the bloc rule, the scale and the code
    (selectors/promotions.py). A request whose inputs give the same key is answered from here; any
    change to them (a vote, a recorded promotion, a new rule) changes the key, and the next request
    computes them again. Computing them reads every vote: a second on a million."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, blank=True, default="")
    built_at = models.DateTimeField(null=True, blank=True)
    suggestions = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.conference} suggested promotions ({self.key[:12]})"


class Organisation(models.Model):
    """Email domains and company names the organizers know to be one employer: a group and its
    subsidiaries (x.example, xcloud.example, xlabs.example), a company's second domain, a short and a
    long name ("TU Porto", "Technische Universität Porto"), a name its domain spells otherwise
    (ibm.com for "International Business Machines"). Bloc detection takes each as one organisation
    of voters and speakers (docs/blocs.md, "Declared organisations")."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(
        max_length=200,
        help_text="How findings name it, e.g. Darion Group. It matches no voter by itself: list it under company "
        "names too if people write it on their tickets.",
    )
    # Lowercase, without "@", sorted; never free mail; never in another organisation of the conference.
    email_domains = models.JSONField(default=list, blank=True, help_text="Its work email domains.")
    # As typed, sorted; compared as detection compares companies (case, punctuation and legal form
    # do not matter).
    company_names = models.JSONField(
        default=list, blank=True, help_text="What its people write in the company field of their ticket."
    )
    note = models.TextField(blank=True, help_text="How you know, e.g. a link to the group's list of subsidiaries.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["conference", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="organisation_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_given"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Domains lowercased and companies tidied, then refused with a message an organizer can act on:
        free mail, a domain or company another organisation of the conference already has, fewer than
        two members in all."""
        super().clean()
        self.name = (self.name or "").strip()
        domains, names = organisation_members_clean(
            conference_id=self.conference_id,
            exclude_pk=self.pk,
            email_domains=self.email_domains,
            company_names=self.company_names,
        )
        self.email_domains, self.company_names = domains, names


def organisation_members_clean(
    *, conference_id: int | None, exclude_pk: int | None, email_domains, company_names
) -> tuple[list[str], list[str]]:
    """The members as stored (domains lowercased, names with single spaces, both sorted, repeats
    dropped), or a ValidationError naming every problem."""
    errors: dict[str, list[str]] = {}
    if not isinstance(email_domains, list) or not all(isinstance(d, str) for d in email_domains):
        raise ValidationError({"email_domains": "Give the email domains as a list of domains."})
    if not isinstance(company_names, list) or not all(isinstance(n, str) for n in company_names):
        raise ValidationError({"company_names": "Give the company names as a list of names."})
    domains: dict[str, str] = {}
    for raw in email_domains:
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_SHAPE.fullmatch(domain):
            errors.setdefault("email_domains", []).append(
                f"“{raw.strip()}” is not an email domain (write the part after @, e.g. darion.example)."
            )
        elif domain in settings.FREE_MAIL_DOMAINS:
            errors.setdefault("email_domains", []).append(
                f"{domain} is a free-mail provider: its users share no employer, so it cannot be one "
                "organisation's. Leave it out."
            )
        domains.setdefault(domain, domain)
    names: dict[str, str] = {}
    for raw in company_names:
        name = " ".join(raw.split())
        if not name:
            continue
        key = company_normalize(name)
        if not key:  # punctuation only: detection compares it as nothing, so it would match no voter
            errors.setdefault("company_names", []).append(
                f"“{name}” is not a company name (write it as people write it on their tickets, e.g. "
                "Darion Cloud GmbH)."
            )
            continue
        if key in names:
            continue  # "Darion GmbH" and "darion": one company, the first spelling kept
        names[key] = name
    if len(domains) + len(names) < 2:
        errors.setdefault("__all__", []).append(
            "An organisation joins at least two members: give two or more email domains and company names "
            "in all (one domain alone is already one organisation to detection)."
        )
    if conference_id is not None:
        others = Organisation.objects.filter(conference_id=conference_id)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        for other_name, other_domains, other_names in others.values_list("name", "email_domains", "company_names"):
            for domain in sorted(set(domains) & set(other_domains)):
                errors.setdefault("email_domains", []).append(
                    f"{domain} is already in the organisation “{other_name}”: a domain belongs to one only."
                )
            for key in sorted(set(names) & {company_normalize(n) for n in other_names}):
                errors.setdefault("company_names", []).append(
                    f"“{names[key]}” is already in the organisation “{other_name}” (names are compared without "
                    "case, punctuation or legal form): a company belongs to one only."
                )
    if errors:
        raise ValidationError(errors)
    return sorted(domains), sorted(names.values(), key=lambda n: (n.casefold(), n))
