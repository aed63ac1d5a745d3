"""Rules of the shared models: topics and the history."""

from hilfenetz.core.predicates import always, predicate, rule
from hilfenetz.core.roles import is_administrator, is_coordinator

# Topics are shared by every district (they have no scope): every coordinator sees them.
rule("core.topic.view", is_coordinator | is_administrator)
rule("core.topic.change", is_administrator)
rule("core.topic.add", is_coordinator | is_administrator)
rule("core.topic.delete", is_administrator)


@predicate
def sees_history_entry(user, entry):
    """A history entry is read by those who coordinate the place it was recorded for."""
    return entry is None or entry.scope_covered_by(user)


rule("core.auditentry.view", (is_coordinator | is_administrator) & sees_history_entry)
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
