"""The district coordinator's year grid: platforms × months with the meetings proposed, agreed
and held, the two-to-three rhythm a year, and the platforms with nothing planned ahead."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from hilfenetz.network.models import Meeting, MeetingStatus

RHYTHM = (2, 3)  # meetings a year, as the district agreed
LOOKAHEAD = timedelta(days=183)
PLANNED = (
    MeetingStatus.PROPOSED,
    MeetingStatus.AGREED,
    MeetingStatus.INVITED,
)


def year_grid(platforms, year: int, now=None) -> list[dict]:
    """One row per platform: twelve cells of meetings, the count of the year (without the
    cancelled and sent back ones), whether it is within the rhythm, and whether anything is
    planned for the next six months."""
    now = now or timezone.now()
    platforms = list(platforms.order_by("district__name", "position", "name"))
    shown = Q(starts_at__year=year) & ~Q(
        status__in=(MeetingStatus.CANCELLED, MeetingStatus.SENT_BACK)
    )
    ahead = Q(status__in=PLANNED, starts_at__gte=now, starts_at__lte=now + LOOKAHEAD)
    # The year's meetings and those planned ahead (which may fall in the next year): one query.
    meetings = (
        Meeting.objects.filter(platform__in=platforms)
        .filter(shown | ahead)
        .annotate(in_year=ExpressionWrapper(shown, output_field=BooleanField()))
        .only("pk", "platform_id", "title", "starts_at", "status", "time_zone")
        .order_by("starts_at")
    )
    cells = defaultdict(lambda: [[] for _month in range(12)])
    planned_ahead = set()
    for meeting in meetings:
        if meeting.in_year:
            cells[meeting.platform_id][meeting.local_start().month - 1].append(meeting)
        if meeting.status in PLANNED and now <= meeting.starts_at <= now + LOOKAHEAD:
            planned_ahead.add(meeting.platform_id)
    rows = []
    for platform in platforms:
        months = cells[platform.pk]
        count = sum(len(month) for month in months)
        rows.append(
            {
                "platform": platform,
                "months": months,
                "count": count,
                "in_rhythm": RHYTHM[0] <= count <= RHYTHM[1],
                "nothing_ahead": platform.pk not in planned_ahead,
            }
        )
    return rows
