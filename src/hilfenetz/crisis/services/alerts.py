"""The mail to everyone who asked to hear when a district turns crisis mode on."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task

from hilfenetz.core.mail import queue_mail
from hilfenetz.core.predicates import require
from hilfenetz.crisis.models import AlertRequest, CrisisMode


def ask_for_alert(person) -> None:
    require("crisis.ask_for_alert", person)
    try:
        with transaction.atomic():
            AlertRequest.objects.create(user=person)
    except IntegrityError:  # asked already (a double click)
        pass


def stop_alert(person) -> None:
    AlertRequest.objects.filter(user=person).delete()


@task()
def alert_volunteers(mode_id: int, started: str) -> int:
    """One mail per person who asked for it and lives in the district (or told no place), in
    their language. Keyed by the switch-on, so running it again mails nobody twice."""
    mode = CrisisMode.objects.select_related("district").filter(pk=mode_id, is_on=True).first()
    if mode is None or mode.started_at is None or mode.started_at.isoformat() != started:
        return 0  # turned off (or on again) meanwhile: that switch mails for itself
    requests = AlertRequest.objects.filter(user__is_active=True).filter(
        Q(user__home_municipality__district=mode.district_id)
        | Q(user__home_municipality__isnull=True)
    )
    sent = 0
    for request in requests.select_related("user"):
        person = request.user
        queue_mail(
            f"crisis-alert:{mode.pk}:{started}:{person.pk}",
            person,
            "crisis/mail/alert",
            {"mode": mode, "banner": mode.texts(person.preferred_language)},
        )
        sent += 1
    return sent
