from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def attach_invitations(request, email_address, **kwargs):
    from hilfenetz.accounts.services import attach_pending_invitations

    attach_pending_invitations(email_address.user, email_address.email)
