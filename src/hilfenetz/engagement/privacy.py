"""The welcome's answers, the acknowledged standards and the records of a certificate of
conduct seen in a person's export and erasure."""

from hilfenetz.core import privacy
from hilfenetz.engagement.models import ConductCertificate, Onboarding, StandardsAcknowledgement


def export(user) -> dict:
    onboarding = Onboarding.objects.filter(user=user).first()
    return {
        "welcome": None
        if onboarding is None
        else {
            "intent": onboarding.intent,
            "finished": onboarding.finished_at.isoformat() if onboarding.finished_at else None,
            "skipped": onboarding.skipped_at.isoformat() if onboarding.skipped_at else None,
        },
        "standards_acknowledged": [
            {
                "version": a.version,
                "version_of": a.version_date.isoformat(),
                "acknowledged": a.acknowledged_at.isoformat(),
            }
            for a in StandardsAcknowledgement.objects.filter(user=user)
        ],
        "certificate_of_conduct_seen": [
            {"seen_on": c.seen_on.isoformat(), "due_on": c.due_on.isoformat()}
            for c in ConductCertificate.objects.filter(user=user)
        ],
    }


def erase(user) -> None:
    Onboarding.objects.filter(user=user).delete()
    StandardsAcknowledgement.objects.filter(user=user).delete()
    ConductCertificate.objects.filter(user=user).delete()


privacy.register("engagement", export=export, erase=erase)
