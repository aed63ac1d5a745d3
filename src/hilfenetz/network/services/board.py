"""The platforms' boards: threads, replies, helpful answers, reports, digests."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hilfenetz.core import texts
from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.network.models import BoardReport, Follow, Platform, Reply, Thread


@transaction.atomic
def start_thread(platform: Platform, author, *, kind, title, body) -> Thread:
    require("network.post", author, platform)
    thread = Thread(
        platform=platform,
        author=author,
        kind=kind,
        title=texts.required(title, _("Please give a title.")),
        body=texts.required(body, _("Please write a text.")),
        language=author.preferred_language,
    )
    thread.full_clean()
    thread.save()
    return thread


@transaction.atomic
def reply(thread: Thread, author, body: str) -> Reply:
    require("network.post", author, thread.platform)
    if thread.hidden_at is not None:
        raise ValidationError(_("This thread is hidden."))
    answer = Reply.objects.create(
        thread=thread,
        author=author,
        body=texts.required(body, _("Please write a text.")),
        language=author.preferred_language,
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=answer.created_at)
    if thread.author_id != author.pk:
        queue_mail(
            f"network-reply:{answer.pk}",
            thread.author,
            "network/mail/reply",
            {"thread": thread, "author": author.display_name},
        )
    return answer


@transaction.atomic
def mark_helpful(answer: Reply, actor, helpful: bool = True) -> Reply:
    require("network.mark_helpful", actor, answer.thread)
    answer.is_helpful = helpful
    answer.save(update_fields=["is_helpful"])
    return answer


@transaction.atomic
def report_post(reporter, thread: Thread, reason: str, reply_obj: Reply | None = None):
    if reply_obj is not None and reply_obj.thread_id != thread.pk:
        raise ValidationError(_("This reply belongs to another thread."))
    require("network.report", reporter, reply_obj or thread)
    return BoardReport.objects.create(
        thread=thread,
        reply=reply_obj,
        reporter=reporter,
        reason=texts.required(reason, _("Please tell us what is wrong.")),
    )


@transaction.atomic
def resolve_report(report: BoardReport, actor, *, hide: bool) -> BoardReport:
    """Close a report; ``hide`` takes the reported post off the board."""
    require("network.moderate", actor, report.thread)
    now = timezone.now()
    if hide:
        post = report.post
        type(post).objects.filter(pk=post.pk).update(hidden_at=now)
    BoardReport.objects.filter(pk=report.pk).update(resolved_at=now, resolved_by=actor)
    report.refresh_from_db()
    return report


def send_board_digests(now=None) -> int:
    """One mail per follower who wants it and per platform with new threads since the last
    one, at most once a day."""
    now = now or timezone.now()
    due = Follow.objects.filter(
        wants_digest=True,
        user__isnull=False,
        user__is_active=True,
        digest_sent_at__lte=now - timedelta(days=1),
    ).select_related("user", "platform")
    sent = 0
    for follow_obj in due:
        threads = list(
            Thread.objects.shown()
            .filter(
                platform=follow_obj.platform,
                created_at__gt=follow_obj.digest_sent_at,
                created_at__lte=now,
            )
            .exclude(author=follow_obj.user)[:30]
        )
        with transaction.atomic():
            if not Follow.objects.filter(
                pk=follow_obj.pk, digest_sent_at=follow_obj.digest_sent_at
            ).update(digest_sent_at=now):
                continue  # another scheduler run took it
            if threads:
                queue_mail(
                    f"network-digest:{follow_obj.pk}:{now:%Y%m%d}",
                    follow_obj.user,
                    "network/mail/digest",
                    {"platform": follow_obj.platform, "threads": threads},
                )
                sent += 1
    return sent
