"""Fictional starts for the demo: most volunteers went through the welcome and some of them
acknowledged the district's current standards; the newest volunteer (``ehrenamt30@…``) has
not started yet and is welcomed at their next login. Coordinators saw the certificates of
conduct of some volunteers; one of them is due again soon."""

from datetime import timedelta

from django.utils import timezone

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.engagement import services
from hilfenetz.engagement.models import Intent, Onboarding


@step(70, "Getting started: welcomes, acknowledged standards, certificates of conduct")
def engagement(ctx: DemoContext):
    users = ctx.users
    now = timezone.now()
    *settled, _newest = users["volunteers"]
    for person in users["help_seekers"]:
        Onboarding.objects.create(
            user=person, intent=Intent.SEEK, place_chosen=True, finished_at=now
        )
    standards = services.current_standards(ctx.district)
    acknowledged = 0
    for i, person in enumerate(settled):
        intent = Intent.ORGANISATION if i % 5 == 0 else Intent.HELP
        Onboarding.objects.create(user=person, intent=intent, place_chosen=True, finished_at=now)
        # two in three acknowledged; the others see the notice on their pages
        if standards is not None and i % 3 != 2:
            services.acknowledge_standards(person, standards.version)
            acknowledged += 1
    ctx.progress(
        f"{len(settled)} volunteers welcomed, {acknowledged} acknowledged the standards; "
        "ehrenamt30@… is welcomed at the next login"
    )
    coordinators = {c.home_municipality_id: c for c in users["municipal_coordinators"]}
    # Esslingen's first, so that its coordinator's overview shows the certificate due soon
    esslingen = users["municipal_coordinators"][0].home_municipality_id
    working_with_children = sorted(
        (p for p in settled if p.home_municipality_id in coordinators),
        key=lambda p: p.home_municipality_id != esslingen,
    )[:4]
    today = timezone.localdate()
    for i, person in enumerate(working_with_children):
        # the first one's certificate is due in about three weeks: its reminder goes out
        seen = today - timedelta(days=5 * 365 - 20) if i == 0 else today - timedelta(days=90 * i)
        services.record_certificate(coordinators[person.home_municipality_id], person, seen)
        ctx.progress(f"  certificate of conduct of {person} seen on {seen}")
