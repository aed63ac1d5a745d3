"""The networking platform's part of a person's data export and erasure."""

from django.db import transaction

from hilfenetz.core import privacy
from hilfenetz.network.models import Follow, Invitation, Reply, Thread


def export(user) -> dict:
    return {
        "follows": [
            f.platform.name for f in Follow.objects.filter(user=user).select_related("platform")
        ],
        "invitations": [
            {
                "meeting": i.meeting.title,
                "answer": i.answer,
                "people": i.people,
                "attended": i.attended,
            }
            for i in Invitation.objects.filter(user=user).select_related("meeting")
        ],
        "threads": [
            {"title": t.title, "body": t.body, "created": t.created_at.isoformat()}
            for t in Thread.objects.filter(author=user)
        ],
        "replies": [
            {"thread": r.thread_id, "body": r.body, "created": r.created_at.isoformat()}
            for r in Reply.objects.filter(author=user)
        ],
    }


@transaction.atomic
def erase(user) -> None:
    from hilfenetz.network import services

    Follow.objects.filter(user=user).delete()
    # A place the person held is free again for the waiting list.
    meetings = [i.meeting for i in Invitation.objects.filter(user=user).select_related("meeting")]
    Invitation.objects.filter(user=user).delete()
    for meeting in meetings:
        services.free_places(meeting)
    Reply.objects.filter(author=user).delete()
    Thread.objects.filter(author=user).delete()


privacy.register("network", export=export, erase=erase)
