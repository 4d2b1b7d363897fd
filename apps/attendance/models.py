"""Users, tickets, ticket claims and pledges to attend."""

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
    threshold = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.500"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    accepted_fraction = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.conference} · {self.get_status_display()}"
