"""Rules of the shared models: topics and the history."""

from hilfenetz.core.predicates import always, rule
from hilfenetz.core.roles import coordinates_object, is_administrator, is_coordinator, no_object

# Topics are shared by every district (they have no scope): every coordinator sees them.
rule("core.topic.view", is_coordinator | is_administrator)
rule("core.topic.change", is_administrator)
rule("core.topic.add", is_coordinator | is_administrator)
rule("core.topic.delete", is_administrator)

# A history entry is read by those who coordinate the place it was recorded for.
rule("core.auditentry.view", (is_coordinator | is_administrator) & (no_object | coordinates_object))
# The history is written by the services only and never edited.
never = ~always
rule("core.auditentry.change", never)
rule("core.auditentry.add", never)
rule("core.auditentry.delete", never)

# Failed background tasks and the figures of the running platform: the administrator's alone.
rule("core.failedtask.view", is_administrator)
rule("core.failedtask.retry", is_administrator)
rule("core.failedtask.change", never)
rule("core.failedtask.add", never)
rule("core.failedtask.delete", never)
rule("core.status.view", is_administrator)
# The one moderation queue of every app (``core/moderation.py``), and its count in the menu.
rule("core.moderation_queue", is_coordinator | is_administrator)
