"""Users, tickets, ticket claims and pledges to attend."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from apps.talks.models import Conference


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account; people log in with their email address."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=200, blank=True)
    is_staff = models.BooleanField(default=False, help_text="May log into the organizer admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_unique_email_ci")]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]


class TicketType(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(max_length=100)
    may_vote = models.BooleanField(
        default=True, help_text="Holders of this type count as attendees (a stream-only ticket does not)."
    )
    external_id = models.CharField(max_length=100, blank=True, help_text="Item id in the ticket shop.")

    class Meta:
        ordering = ["conference", "name"]
        constraints = [models.UniqueConstraint(fields=["conference", "name"], name="tickettype_unique_name")]

    def __str__(self) -> str:
        return self.name


class TicketStatus(models.TextChoices):
    VALID = "valid", "Valid"
    CANCELLED = "cancelled", "Cancelled"


class Ticket(models.Model):
    Status = TicketStatus

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tickets")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.RESTRICT, related_name="tickets")
    order_code = models.CharField(max_length=64, db_index=True, help_text="Order reference shared by a group order.")
    secret = models.CharField(max_length=128, help_text="The ticket code. Secret: never shown to other users.")
    holder_email = models.EmailField(blank=True)
    holder_name = models.CharField(max_length=200, blank=True)
    holder_company = models.CharField(
        max_length=200,
        blank=True,
        help_text="The holder's company as the shop knows it: the attendee's company, else a business invoice's. "
        "Bloc detection uses it to recognise colleagues of a speaker.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID, db_index=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True, help_text="Position id in the ticket shop.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["conference", "order_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "secret"], name="ticket_unique_secret"),
            models.UniqueConstraint(
                fields=["conference", "external_id"], condition=~Q(external_id=""), name="ticket_unique_external_id"
            ),
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="ticket_status_valid"),
            models.CheckConstraint(condition=~Q(secret=""), name="ticket_secret_not_empty"),
        ]
        indexes = [models.Index(Lower("holder_email"), name="ticket_holder_email_ci")]

    def __str__(self) -> str:
        return f"{self.order_code} · {self.holder_name or self.holder_email or self.pk}"

    @property
    def is_claimed(self) -> bool:
        return hasattr(self, "claim")


class TicketClaimMethod(models.TextChoices):
    ORDER_CODE = "order_code", "Order code and ticket email"
    EMAIL = "email", "Verified email matches the ticket"
    LINK = "link", "One-time link from the organizers"
    ORGANIZER = "organizer", "Linked by an organizer"


class TicketClaim(models.Model):
    """Links one ticket to one account; a user holds at most one ticket per conference."""

    Method = TicketClaimMethod

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="ticket_claims")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="claim")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ticket_claims")
    method = models.CharField(max_length=16, choices=Method.choices)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_at"]
        # The admin's list, newest first (ties by id), reads a page through it instead of sorting every claim.
        indexes = [models.Index(fields=["claimed_at", "id"], name="ticketclaim_claimed_at")]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="ticketclaim_one_per_user_and_conference"),
            models.CheckConstraint(condition=Q(method__in=TicketClaimMethod.values), name="ticketclaim_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.ticket}"


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRIGGERED = "triggered", "Triggered: ticket due"
    RELEASED = "released", "Released: no obligation"
    FULFILLED = "fulfilled", "Fulfilled: ticket bought"
    DEFAULTED = "defaulted", "Defaulted: no ticket by the due date"


class Pledge(models.Model):
    """A promise to buy a ticket if enough of the talks the user wants make the schedule."""

    Status = PledgeStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges")
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="pledges")
    threshold = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.500"),
        help_text="Share of the wanted talks that must be scheduled; never below the conference's threshold.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    accepted_fraction = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="At settlement: accepted wanted talks ÷ wanted talks (shown rounded down; decided exactly).",
    )
    wanted_count = models.PositiveIntegerField(null=True, blank=True, help_text="Wanted talks at settlement.")
    accepted_count = models.PositiveIntegerField(null=True, blank=True, help_text="Of those, accepted.")
    due_date = models.DateField(null=True, blank=True, help_text="A triggered pledge's ticket is due by this day.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "conference"], name="pledge_one_per_user_and_conference"),
            models.CheckConstraint(condition=Q(threshold__gt=0, threshold__lte=1), name="pledge_threshold_range"),
            models.CheckConstraint(
                condition=Q(accepted_fraction__isnull=True) | Q(accepted_fraction__gte=0, accepted_fraction__lte=1),
                name="pledge_accepted_fraction_range",
            ),
            models.CheckConstraint(condition=Q(status__in=PledgeStatus.values), name="pledge_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=PledgeStatus.WITHDRAWN) | Q(withdrawn_at__isnull=False),
                name="pledge_withdrawn_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PledgeStatus.TRIGGERED, PledgeStatus.RELEASED, PledgeStatus.DEFAULTED])
                | Q(settled_at__isnull=False),
                name="pledge_settled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PledgeStatus.TRIGGERED, PledgeStatus.DEFAULTED])
                | Q(due_date__isnull=False, accepted_fraction__isnull=False),
                name="pledge_triggered_has_due_date_and_fraction",
            ),
            models.CheckConstraint(
                condition=Q(accepted_count__isnull=True)
                | Q(wanted_count__isnull=False, accepted_count__lte=models.F("wanted_count")),
                name="pledge_accepted_within_wanted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.conference} · {self.get_status_display()}"


class PastAttendeeClass(models.TextChoices):
    NONE = "", "Past attendees do not count"
    PLEDGER = "pledger", "Past attendees count like pledgers"
    TICKET_HOLDER = "ticket_holder", "Past attendees count like ticket holders"


class AttendanceSettings(models.Model):
    """A conference's attendance rules beyond ticket types (which say themselves whether they may vote)."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="attendance_settings")
    past_attendee_class = models.CharField(
        "past attendees",
        max_length=16,
        choices=PastAttendeeClass.choices,
        default=PastAttendeeClass.NONE,
        blank=True,
        help_text="How someone who held a valid ticket at one of the past editions below counts this year.",
    )
    past_editions = models.ManyToManyField(
        Conference, blank=True, related_name="later_editions_settings", help_text="Earlier editions of this conference."
    )
    pledge_due_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days after publication by which a triggered pledger must have a ticket."
    )

    class Meta:
        verbose_name_plural = "attendance settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(past_attendee_class__in=PastAttendeeClass.values), name="attendancesettings_class_valid"
            ),
            models.CheckConstraint(
                condition=Q(pledge_due_days__gte=1, pledge_due_days__lte=365), name="attendancesettings_due_days_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance rules of {self.conference}"


class ClaimFailureKind(models.TextChoices):
    NO_MATCH = "no_match", "No ticket matches"
    ALREADY_CLAIMED = "already_claimed", "Ticket already linked to another account"
    THROTTLED = "throttled", "Refused: too many attempts"
    BAD_LINK = "bad_link", "Unknown, used or expired one-time link"


class TicketClaimFailure(models.Model):
    """A refused attempt to link a ticket, for the organizers (never shown to attendees)."""

    Kind = ClaimFailureKind

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="ticket_claim_failures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="claim_failures")
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    order_code = models.CharField(max_length=64, blank=True, help_text="What was typed (never the ticket email).")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ClaimFailureKind.values), name="claimfailure_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user or self.ip_address} · {self.at:%Y-%m-%d %H:%M}"


class TicketInvitation(models.Model):
    """A one-time link sent to a ticket's holder email; following it links the ticket to the account."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; the token is not kept.")
    sent_to = models.EmailField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
            models.CheckConstraint(
                condition=Q(used_by__isnull=True) | Q(used_at__isnull=False), name="invitation_used_by_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Link for {self.ticket} to {self.sent_to}"


def webhook_token_new() -> str:
    return secrets.token_urlsafe(32)


class PretixConnection(models.Model):
    """Where a conference sells its tickets in pretix, and how to read them."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="pretix_connection")
    api_url = models.URLField(default="https://pretix.eu/api/v1/", help_text="The pretix API root, ending in /api/v1/.")
    organizer_slug = models.SlugField(max_length=100)
    event_slug = models.SlugField(max_length=100)
    api_token = models.CharField(max_length=200, help_text="A team API token with read access to orders. Never shown.")
    webhook_token = models.CharField(
        max_length=64, unique=True, default=webhook_token_new, help_text="The secret part of the webhook URL."
    )
    active = models.BooleanField(default=True, help_text="Synced every 15 minutes and on webhooks while active.")
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(api_token=""), name="pretix_token_not_empty"),
            models.CheckConstraint(condition=~Q(webhook_token=""), name="pretix_webhook_token_not_empty"),
        ]

    def __str__(self) -> str:
        return f"pretix {self.organizer_slug}/{self.event_slug}"


class ChangeSubject(models.TextChoices):
    TICKET = "ticket", "Ticket"
    CLAIM = "claim", "Ticket link"
    PLEDGE = "pledge", "Pledge"


class StateChange(models.Model):
    """Append-only record of every state change of a ticket, a ticket link or a pledge: who, when, from → to, why."""

    Subject = ChangeSubject

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance_changes")
    subject = models.CharField(max_length=8, choices=Subject.choices)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change; empty when the system did (sync, settlement).",
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(subject__in=ChangeSubject.values), name="statechange_subject_valid"),
            models.CheckConstraint(condition=~Q(from_state=models.F("to_state")), name="statechange_changes_state"),
            models.CheckConstraint(condition=~Q(reason=""), name="statechange_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.from_state or '∅'} → {self.to_state}"
