from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Pledge, Ticket, TicketClaim, TicketType, User


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
class UserAdmin(DjangoUserAdmin):
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
class TicketTypeAdmin(admin.ModelAdmin):
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
class TicketAdmin(admin.ModelAdmin):
    list_display = ("order_code", "holder_name", "holder_email", "ticket_type", "status", "conference", "checked_in_at")
    list_filter = ("conference", "status", "ticket_type", ClaimedFilter)
    search_fields = ("order_code", "holder_name", "holder_email", "external_id")
    autocomplete_fields = ("conference", "ticket_type")
    list_select_related = ("conference", "ticket_type")


@admin.register(TicketClaim)
class TicketClaimAdmin(admin.ModelAdmin):
    list_display = ("user", "ticket", "conference", "method", "claimed_at")
    list_filter = ("conference", "method")
    search_fields = ("user__email", "ticket__order_code", "ticket__holder_email")
    autocomplete_fields = ("conference", "ticket", "user")
    list_select_related = ("user", "ticket", "conference")


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ("user", "conference", "threshold", "status", "accepted_fraction", "due_date", "created_at")
    list_filter = ("conference", "status")
    search_fields = ("user__email",)
    autocomplete_fields = ("conference", "user")
    readonly_fields = ("created_at", "updated_at", "withdrawn_at", "settled_at", "accepted_fraction")
    list_select_related = ("user", "conference")
