"""Organizers declare organisations: email domains and company names that are one employer (a group
and its subsidiaries, a second domain, a short and a long name). Bloc detection takes each as one
organisation ("Declared organisations" in docs/blocs.md)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from apps.talks.models import Conference
from confvote.admin_base import ModelAdmin

from . import services
from .admin_blocs import posted_id
from .models import Organisation
from .selectors.blocs import organisation_member_counts
from .selectors.organisations import organisation_suggestions_of

# The form's fields a "Declare" link from the suggestions page fills in (GET parameters).
PREFILLED = ("email_domains", "company_names")


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

    # Members a suggestion proposes to add to this organisation, shown after its own (set by
    # OrganisationAdmin.get_form from the "Declare" link's parameters).
    additions: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            for field in PREFILLED:
                own = list(getattr(self.instance, field) or [])
                added = [line.strip() for line in self.additions.get(field, "").splitlines() if line.strip()]
                self.initial[field] = _lines(own + [line for line in added if line not in own])

    def clean_email_domains(self) -> list[str]:
        text = (self.cleaned_data.get("email_domains") or "").replace(",", "\n")
        return [d.strip() for d in text.splitlines() if d.strip()]

    def clean_company_names(self) -> list[str]:
        return [n.strip() for n in (self.cleaned_data.get("company_names") or "").splitlines() if n.strip()]


@admin.register(Organisation)
class OrganisationAdmin(ModelAdmin):
    """Declare an organisation before detection runs; detection reads them at the start of each run."""

    form = OrganisationForm
    change_list_template = "admin/ballots/organisation/change_list.html"
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and request.method == "GET" and any(field in request.GET for field in PREFILLED):
            additions = {field: request.GET.get(field, "") for field in PREFILLED}
            return type(form.__name__, (form,), {"additions": additions})
        return form

    def get_urls(self):
        suggestions = self.admin_site.admin_view(self.suggestions_view)
        return [path("suggestions/", suggestions, name="ballots_organisation_suggestions"), *super().get_urls()]

    def suggestions_view(self, request):
        """Suggested organisations of the conference the organizer chooses, each with its evidence and
        a link that opens the add form (or the change form of the organisation to add to) filled in."""
        if not self.has_view_permission(request):
            raise PermissionDenied("Seeing suggested organisations needs the permission to view organisations.")
        conferences = list(Conference.objects.order_by("name", "pk"))
        conference = next((c for c in conferences if c.pk == posted_id(request.GET.get("conference"))), None)
        rows = []
        if conference is not None:
            declared = dict(Organisation.objects.filter(conference=conference).values_list("name", "pk"))
            for suggestion in organisation_suggestions_of(conference=conference):
                rows.append((suggestion, self._declare_link(request, conference, suggestion, declared)))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Suggested organisations",
            "conferences": conferences,
            "conference": conference,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/ballots/organisation/suggestions.html", context)

    def _declare_link(self, request, conference, suggestion, declared: dict[str, int]) -> str | None:
        """The add form filled in with the suggestion; for an "add to" suggestion, the change form of
        that organisation with the suggested members added. None without the permission to save."""
        members = {
            "email_domains": "\n".join(suggestion.email_domains),
            "company_names": "\n".join(suggestion.company_names),
        }
        if suggestion.add_to is None:
            if not self.has_add_permission(request):
                return None
            query = {"conference": conference.pk, "name": suggestion.name, **members}
            return f"{reverse('admin:ballots_organisation_add')}?{urlencode(query)}"
        pk = declared.get(suggestion.add_to)
        if pk is None or not self.has_change_permission(request):
            return None
        return f"{reverse('admin:ballots_organisation_change', args=[pk])}?{urlencode(members)}"
