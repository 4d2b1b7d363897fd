"""When an account proves an email address, link what that address holds (tickets, speaker profiles)."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(email_confirmed, dispatch_uid="attendance_links_on_email_confirmed")
def links_on_email_confirmed(sender, request, email_address, **kwargs):
    from .services import account_links_apply

    account_links_apply(user=email_address.user)


@receiver(user_logged_in, dispatch_uid="attendance_links_on_login")
def links_on_login(sender, request, user, **kwargs):
    """Tickets imported after someone verified their email are linked at their next login."""
    from .services import account_links_apply

    account_links_apply(user=user)
