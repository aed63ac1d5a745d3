"""Reminders before a meeting."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hilfenetz.core.mail import queue_mail
from hilfenetz.network.models import Answer, Meeting, MeetingStatus


def send_reminders(now=None) -> int:
    """Remind those who said yes or maybe, ``reminder_days`` before the meeting (once)."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.INVITED,
        reminder_sent_at__isnull=True,
        reminder_days__gt=0,
        starts_at__gt=now,
    ).select_related("platform")
    sent = 0
    for meeting in due:
        if meeting.starts_at > now + timedelta(days=meeting.reminder_days):
            continue
        with transaction.atomic():
            if not Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            for invitation in meeting.invitations.filter(answer__in=[Answer.YES, Answer.MAYBE]):
                queue_mail(
                    f"network-reminder:{meeting.pk}:{meeting.sequence}:{invitation.pk}",
                    invitation.email,
                    "network/mail/reminder",
                    {"meeting": meeting, "invitation": invitation},
                    language=invitation.language,
                )
                sent += 1
    return sent
