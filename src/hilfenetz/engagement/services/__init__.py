"""How a volunteer starts on the platform, as the district's standards of civic engagement
(Standards Bürgerschaftliches Engagement) describe it: one module per part."""

from hilfenetz.engagement.services.certificates import (
    certificates_of,
    due_after,
    due_soon_date,
    record_certificate,
    send_certificate_reminders,
)
from hilfenetz.engagement.services.confirmation import (
    confirmation_languages,
    confirmation_of,
    confirmation_pdf,
)
from hilfenetz.engagement.services.figures import onboarding_counts
from hilfenetz.engagement.services.overview import (
    new_since,
    volunteers_overview,
    write_to_volunteer,
)
from hilfenetz.engagement.services.standards import (
    StandardsVersion,
    acknowledge_standards,
    current_standards,
    current_standards_in,
    has_acknowledged,
    notice_due,
    remember_volunteer,
    standards_for,
    standards_pending,
)
from hilfenetz.engagement.services.welcome import (
    STEPS,
    answer_intent,
    choose_place,
    choose_platforms,
    followed_platform_ids,
    needs_welcome,
    next_step,
    offices_for,
    onboarding_of,
    platforms_offered,
    skip_welcome,
    step_to_show,
)

__all__ = [
    "confirmation_languages",
    "confirmation_of",
    "confirmation_pdf",
    "certificates_of",
    "due_after",
    "due_soon_date",
    "send_certificate_reminders",
    "STEPS",
    "StandardsVersion",
    "acknowledge_standards",
    "answer_intent",
    "choose_place",
    "choose_platforms",
    "current_standards",
    "current_standards_in",
    "followed_platform_ids",
    "has_acknowledged",
    "needs_welcome",
    "step_to_show",
    "new_since",
    "next_step",
    "notice_due",
    "offices_for",
    "onboarding_counts",
    "onboarding_of",
    "platforms_offered",
    "record_certificate",
    "remember_volunteer",
    "skip_welcome",
    "standards_for",
    "standards_pending",
    "volunteers_overview",
    "write_to_volunteer",
]
