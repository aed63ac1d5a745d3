"""Crisis mode's workflow steps, one module each: switching, templates, intake, alerts."""

from hilfenetz.crisis.services.alerts import alert_volunteers, ask_for_alert, stop_alert
from hilfenetz.crisis.services.categories import (
    add_category,
    add_template,
    add_template_category,
    remove_template_category,
)
from hilfenetz.crisis.services.intake import (
    delete_offer,
    mark_offer,
    offer_accommodation,
    offers_for,
)
from hilfenetz.crisis.services.switching import (
    end_expired,
    history,
    mode_of,
    state_of,
    switch_off,
    switch_on,
)

__all__ = [
    "add_category",
    "add_template",
    "add_template_category",
    "alert_volunteers",
    "delete_offer",
    "ask_for_alert",
    "end_expired",
    "history",
    "mark_offer",
    "mode_of",
    "offer_accommodation",
    "offers_for",
    "remove_template_category",
    "state_of",
    "stop_alert",
    "switch_off",
    "switch_on",
]
