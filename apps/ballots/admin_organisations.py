"""Organizers declare organisations: email domains and company names that are one employer (a group
and its subsidiaries, a second domain, a short and a long name). Bloc detection takes each as one
organisation ("Declared organisations" in docs/blocs.md)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from . import services
from .models import Organisation
from .selectors.blocs import organisation_member_counts


def _lines(value) -> str:
    return "\n".join(value or [])


class OrganisationForm(forms.ModelForm):
    """Domains and names one per line (domains may also be separated by commas); the model tidies and
    checks them."""

    email_domains = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, e.g. darion.example and darioncloud.example. No free-mail providers.",
    )
    company_names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, as people write them on tickets, e.g. Darion Group, Darion Cloud GmbH. "
        "Case, punctuation and a legal form (GmbH, Inc.) do not matter.",
    )

    class Meta:
        model = Organisation
        fields = ("conference", "name", "email_domains", "company_names", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["email_domains"] = _lines(self.instance.email_domains)
            self.initial["company_names"] = _lines(self.instance.company_names)

    def clean_email_domains(self) -> list[str]:
        text = (self.cleaned_data.get("email_domains") or "").replace(",", "\n")
        return [d.strip() for d in text.splitlines() if d.strip()]

    def clean_company_names(self) -> list[str]:
        return [n.strip() for n in (self.cleaned_data.get("company_names") or "").splitlines() if n.strip()]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Declare an organisation before detection runs; detection reads them at the start of each run."""

    form = OrganisationForm
    list_display = ("name", "domains", "names", "conference")
    list_filter = ("conference",)
    search_fields = ("name", "email_domains", "company_names", "conference__name")
    autocomplete_fields = ("conference",)
    list_select_related = ("conference",)
    readonly_fields = ("matches", "created_by", "created_at", "updated_at")

    @admin.display(description="email domains")
    def domains(self, obj) -> str:
        return ", ".join(obj.email_domains)

    @admin.display(description="company names")
    def names(self, obj) -> str:
        return "; ".join(obj.company_names)

    @admin.display(description="voters matched now")
    def matches(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Shown once saved."
        rows = organisation_member_counts(organisation=obj)
        return format_html_join("\n", "<div>{}: {} voters</div>", rows) or "No members."

    def save_model(self, request, obj, form, change) -> None:
        services.organisation_save(organisation=obj, by=request.user)
