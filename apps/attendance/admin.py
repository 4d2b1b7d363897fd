import secrets

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from apps.talks.models import Conference
from confvote.admin_base import ModelAdmin

from . import services
from .admin_csv import csv_export_action
from .forms import TicketImportForm
from .models import (
    Pledge,
    StateChange,
    Ticket,
    TicketClaim,
    TicketType,
    User,
)
from .services.changes import state_change_record


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmailAddressInline(admin.TabularInline):
    model = EmailAddress
    extra = 0
    fields = ("email", "verified", "primary")


@admin.register(User)
class UserAdmin(ModelAdmin, DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "name")
    inlines = [EmailAddressInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(TicketType)
class TicketTypeAdmin(ModelAdmin):
    list_display = ("name", "conference", "may_vote", "external_id")
    list_filter = ("conference", "may_vote")
    search_fields = ("name",)
    autocomplete_fields = ("conference",)


class ClaimedFilter(admin.SimpleListFilter):
    title = "claimed"
    parameter_name = "claimed"

    def lookups(self, request, model_admin):
        return (("yes", "Claimed"), ("no", "Not claimed"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(claim__isnull=False)
        if self.value() == "no":
            return queryset.filter(claim__isnull=True)
        return queryset


@admin.register(Ticket)
class TicketAdmin(ModelAdmin):
    change_list_template = "admin/attendance/ticket/change_list.html"
    list_display = ("order_code", "holder_name", "holder_email", "ticket_type", "status", "claimed_by", "conference")
    list_filter = ("conference", "status", "ticket_type__may_vote", "ticket_type", ClaimedFilter)
    search_fields = ("order_code", "holder_name", "holder_email", "holder_company", "external_id")
    autocomplete_fields = ("conference", "ticket_type")
    list_select_related = ("conference", "ticket_type", "claim__user")
    # Group orders together through the order code's index. The model's order starts with the conference's
    # own (start date, name), which sorted every ticket joined to its claim and account: 1 s at 75,600.
    ordering = ("order_code", "id")
    readonly_fields = ("created_at", "updated_at")
    actions = [
        "send_links",
        "cancel_tickets",
        "reinstate_tickets",
        csv_export_action(
            [
                ("conference", "conference.slug"),
                ("order_code", "order_code"),
                ("ticket_type", "ticket_type.name"),
                ("may_vote", "ticket_type.may_vote"),
                ("holder_email", "holder_email"),
                ("holder_name", "holder_name"),
                ("holder_company", "holder_company"),
                ("status", "status"),
                ("external_id", "external_id"),
                ("claimed", "claimed"),
                ("created_at", "created_at"),
            ],
            "tickets",
            annotate={"claimed": Exists(TicketClaim.objects.filter(ticket=OuterRef("pk")))},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The status changes through the actions below, which record who and why.
        return (*self.readonly_fields, "status") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            state_change_record(
                subject=StateChange.Subject.TICKET,
                conference_id=obj.conference_id,
                from_state="",
                to_state=obj.status,
                reason="Created by an organizer in the admin.",
                actor=request.user,
                ticket=obj,
            )

    @admin.display(description="claimed by")
    def claimed_by(self, ticket):
        claim = getattr(ticket, "claim", None)
        return claim.user.email if claim else "—"

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="attendance_ticket_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return TemplateResponse(request, "admin/attendance/ticket/import.html", {"forbidden": True}, status=403)
        form = TicketImportForm(request.POST or None, request.FILES or None)
        report, committed, status = None, False, 200
        preview_token = None
        if request.method == "POST" and form.is_valid():
            commit = "import" in request.POST
            data = self._import_data(request, form)
            if data is None:
                form.add_error("file", "Choose the CSV file (a preview is kept for one hour).")
                return self._import_page(request, form, None, False, None, status=400)
            report = services.tickets_import_csv(
                conference=form.cleaned_data["conference"], data=data, by=request.user, commit=commit
            )
            committed = commit and not report.errors
            status = 400 if report.errors else 200
            if not commit and not report.errors:
                preview_token = secrets.token_urlsafe(16)
                cache.set(self._preview_key(request, preview_token), data, timeout=60 * 60)
            if committed:
                self.message_user(
                    request,
                    f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged.",
                    messages.SUCCESS,
                )
        elif request.method == "POST":
            status = 400
        return self._import_page(request, form, report, committed, preview_token, status=status)

    def _import_page(self, request, form, report, committed, preview_token, *, status):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import tickets from CSV",
            "form": form,
            "report": report,
            "committed": committed,
            "preview_token": preview_token,
        }
        return TemplateResponse(request, "admin/attendance/ticket/import.html", context, status=status)

    def _import_data(self, request, form) -> bytes | None:
        """The uploaded file, or the file of a preview this organizer just saw."""
        upload = form.cleaned_data["file"]
        if upload is not None:
            return upload.read(services.tickets.MAX_CSV_BYTES + 1)
        token = form.cleaned_data["previewed"]
        return cache.get(self._preview_key(request, token)) if token else None

    @staticmethod
    def _preview_key(request, token: str) -> str:
        return f"attendance:csv-preview:{request.user.pk}:{token}"

    @admin.action(description="Email a one-time link to the holders of the selected unclaimed tickets")
    def send_links(self, request, queryset):
        result = services.ticket_invitations_send(
            tickets=queryset,
            by=request.user,
            link_for=lambda token: request.build_absolute_uri(reverse("attendance:ticket_link", args=[token])),
        )
        self.message_user(
            request,
            f"Sent {result['sent']} link(s); skipped {result['skipped']} "
            "(already linked, cancelled, or without a holder email).",
            messages.SUCCESS,
        )

    @admin.action(description="Cancel the selected tickets (their holders stop counting at once)")
    def cancel_tickets(self, request, queryset):
        changed = sum(
            services.ticket_status_set(
                ticket=t,
                status=Ticket.Status.CANCELLED,
                by=request.user,
                reason="Cancelled by an organizer in the admin.",
            )
            for t in queryset.order_by("id")
        )
        self.message_user(request, f"Cancelled {changed} ticket(s).", messages.SUCCESS)

    @admin.action(description="Reinstate the selected tickets as valid")
    def reinstate_tickets(self, request, queryset):
        changed = sum(
            services.ticket_status_set(
                ticket=t, status=Ticket.Status.VALID, by=request.user, reason="Reinstated by an organizer in the admin."
            )
            for t in queryset.order_by("id")
        )
        self.message_user(request, f"Reinstated {changed} ticket(s).", messages.SUCCESS)


class TicketClaimAdminForm(forms.ModelForm):
    class Meta:
        model = TicketClaim
        fields = ("ticket", "user")

    def clean(self):
        data = super().clean()
        ticket, user = data.get("ticket"), data.get("user")
        if ticket and user:
            if ticket.status != Ticket.Status.VALID:
                raise forms.ValidationError("This ticket is cancelled; reinstate it first.")
            if TicketClaim.objects.filter(user=user, conference=ticket.conference).exists():
                raise forms.ValidationError("This account already holds a ticket for this conference.")
        return data


@admin.register(TicketClaim)
class TicketClaimAdmin(ModelAdmin):
    form = TicketClaimAdminForm
    list_display = ("user", "ticket", "conference", "method", "claimed_at")
    list_filter = ("conference", "method", "ticket__status")
    search_fields = ("user__email", "ticket__order_code", "ticket__holder_email")
    autocomplete_fields = ("ticket", "user")
    list_select_related = ("user", "ticket", "conference")
    actions = [
        "unlink",
        csv_export_action(
            [
                ("conference", "conference.slug"),
                ("user_email", "user.email"),
                ("order_code", "ticket.order_code"),
                ("ticket_status", "ticket.status"),
                ("method", "method"),
                ("claimed_at", "claimed_at"),
            ],
            "ticket-links",
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("ticket", "user", "conference", "method", "claimed_at") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # unlinking goes through the action, which records why

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.ticket_claim_by_organizer(user=obj.user, ticket=obj.ticket, by=request.user)
        except (services.ClaimRefused, IntegrityError) as exc:
            self.message_user(request, getattr(exc, "message", "Linked concurrently elsewhere."), messages.ERROR)
            obj.pk = None
            return
        obj.pk = created.pk

    @admin.action(description="Unlink the selected tickets from their accounts")
    def unlink(self, request, queryset):
        claims = list(queryset.order_by("ticket_id"))
        for claim in claims:
            services.ticket_claim_revoke(claim=claim, by=request.user, reason="Unlinked by an organizer in the admin.")
        self.message_user(request, f"Unlinked {len(claims)} ticket(s). Their votes are kept but stop counting.")


class PledgeAdminForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ("user", "conference", "threshold")

    def clean(self):
        data = super().clean()
        conference, threshold = data.get("conference"), data.get("threshold")
        if conference and threshold is not None and threshold < conference.pledge_threshold:
            raise forms.ValidationError(
                f"The threshold cannot be looser than the conference's ({conference.pledge_threshold})."
            )
        return data


@admin.register(Pledge)
class PledgeAdmin(ModelAdmin):
    change_list_template = "admin/attendance/pledge/change_list.html"
    list_display = (
        "user",
        "conference",
        "threshold",
        "status",
        "accepted_fraction",
        "accepted_count",
        "wanted_count",
        "due_date",
        "created_at",
    )
    list_filter = ("conference", "status", "due_date")
    search_fields = ("user__email",)
    autocomplete_fields = ("conference", "user")
    readonly_fields = (
        "status",
        "created_at",
        "updated_at",
        "withdrawn_at",
        "settled_at",
        "accepted_fraction",
        "wanted_count",
        "accepted_count",
        "due_date",
        "dashboard",
    )
    list_select_related = ("user", "conference")
    actions = [
        csv_export_action(
            [
                ("conference", "conference.slug"),
                ("user_email", "user.email"),
                ("threshold", "threshold"),
                ("status", "status"),
                ("wanted_count", "wanted_count"),
                ("accepted_count", "accepted_count"),
                ("accepted_fraction", "accepted_fraction"),
                ("due_date", "due_date"),
                ("created_at", "created_at"),
                ("withdrawn_at", "withdrawn_at"),
                ("settled_at", "settled_at"),
            ],
            "pledges",
        )
    ]

    form = PledgeAdminForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            state_change_record(
                subject=StateChange.Subject.PLEDGE,
                conference_id=obj.conference_id,
                from_state="",
                to_state=obj.status,
                reason="Recorded by an organizer in the admin.",
                actor=request.user,
                user_id=obj.user_id,
                pledge=obj,
            )

    def changelist_view(self, request, extra_context=None):
        conferences = Conference.objects.filter(pledges__isnull=False).distinct().order_by("-start_date")[:5]
        return super().changelist_view(request, {**(extra_context or {}), "pledge_conferences": conferences})

    @admin.display(description="pledge dashboard")
    def dashboard(self, pledge):
        if not pledge.conference_id:
            return "—"
        url = reverse("attendance:pledge_dashboard", args=[pledge.conference.slug])
        return format_html('<a href="{}">Funnel and forecast for {}</a>', url, pledge.conference)


from . import admin_logs, admin_setup  # noqa: E402, F401  (register the logs, pretix and rules)
