"""Browser forms of the attendance app. They check shape only; services decide."""

from decimal import Decimal

from django import forms

from apps.talks.models import Conference


class TicketClaimForm(forms.Form):
    order_code = forms.CharField(
        max_length=64,
        label="Order code",
        help_text="From your order confirmation email, e.g. ABC12.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Ticket email",
        help_text="The email address the ticket was issued to (the attendee's, not necessarily the buyer's).",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PledgeForm(forms.Form):
    threshold_percent = forms.IntegerField(
        label="Threshold (%)",
        min_value=1,
        max_value=100,
        help_text="Share of the talks you want that must be scheduled before you buy a ticket.",
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        minimum = int((conference.pledge_threshold * 100).to_integral_value(rounding="ROUND_CEILING"))
        field = self.fields["threshold_percent"]
        field.min_value = minimum
        field.widget.attrs.update({"min": minimum, "max": 100, "step": 1, "inputmode": "numeric"})
        self.minimum = minimum

    def clean_threshold_percent(self) -> int:
        value = self.cleaned_data["threshold_percent"]
        if value < self.minimum:
            raise forms.ValidationError(
                f"The conference's threshold is {self.minimum}%: "
                "you may choose a stricter one (higher), never a looser one."
            )
        return value

    @property
    def threshold(self) -> Decimal:
        return (Decimal(self.cleaned_data["threshold_percent"]) / 100).quantize(Decimal("0.001"))


class TicketImportForm(forms.Form):
    conference = forms.ModelChoiceField(queryset=Conference.objects.order_by("-start_date", "name"))
    file = forms.FileField(
        required=False,
        label="CSV file",
        help_text="UTF-8, with a header row: order_code, ticket_code, ticket_type; optionally holder_email, "
        "holder_name, status (valid or cancelled), external_id. At most 5 MB.",
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)
