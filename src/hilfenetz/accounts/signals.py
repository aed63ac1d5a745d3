from allauth.account.signals import email_confirmed
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(email_confirmed)
def attach_invitations(request, email_address, **kwargs):
    from hilfenetz.accounts.services import attach_pending_invitations

    attach_pending_invitations(email_address.user, email_address.email)


@receiver(authenticator_added)
def count_set_up_as_passed(request, authenticator, **kwargs):
    """Setting up the app proved a code from it: this session has passed the second factor."""
    from hilfenetz.accounts.second_factor import mark_passed

    if authenticator.type == Authenticator.Type.TOTP:
        mark_passed(request, authenticator)
