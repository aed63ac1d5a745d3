"""Directory workflows, one module per job: search, offices and contacts, organisation profiles
and teams, freshness (confirm, overdue, remind), import, history, and what the exports ask.

Every change goes through here so that it is checked against the rules and written to the
history (:mod:`hilfenetz.core.audit`).
"""

from hilfenetz.directory.services.freshness import (
    REMINDER_REPEAT_DAYS,
    overdue_entries,
    remind_coordinators,
    verify,
)
from hilfenetz.directory.services.history import (
    CONTACT_PERSONAL,
    MEMBER_PERSONAL,
    forget_people,
    history,
)
from hilfenetz.directory.services.imports import (
    apply_import,
    plan_contact_import,
    plan_for,
    plan_import,
)
from hilfenetz.directory.services.offices import (
    CONTACT_FIELDS,
    OFFICE_FIELDS,
    create_office,
    delete_contact,
    office_districts,
    save_contact,
    served_municipalities,
    update_office,
)
from hilfenetz.directory.services.organisation_import import (
    Duplicates,
    continue_import,
    organisation_sample,
    plan_organisation_import,
    start_organisation_import,
    undo_import,
)
from hilfenetz.directory.services.publishing import data_date
from hilfenetz.directory.services.search import (
    Filters,
    office_window,
    offices_for_municipality,
    search_offices,
    search_organisations,
)
from hilfenetz.directory.services.tables import (
    MAX_IMPORT_ROWS,
    ORGANISATION_IMPORT_COLUMNS,
    ImportKind,
    ImportPlan,
    ImportRow,
    import_district,
    import_districts,
    read_table,
    sample_table,
)
from hilfenetz.directory.services.teams import (
    MEMBER_FIELDS,
    TEAM_FIELDS,
    delete_member,
    profile_for,
    save_member,
    update_profile,
    update_team,
)

__all__ = [
    "CONTACT_FIELDS",
    "CONTACT_PERSONAL",
    "MAX_IMPORT_ROWS",
    "MEMBER_FIELDS",
    "MEMBER_PERSONAL",
    "ORGANISATION_IMPORT_COLUMNS",
    "OFFICE_FIELDS",
    "REMINDER_REPEAT_DAYS",
    "TEAM_FIELDS",
    "Duplicates",
    "Filters",
    "ImportKind",
    "ImportPlan",
    "ImportRow",
    "apply_import",
    "continue_import",
    "create_office",
    "data_date",
    "delete_contact",
    "delete_member",
    "forget_people",
    "history",
    "import_district",
    "import_districts",
    "office_window",
    "organisation_sample",
    "offices_for_municipality",
    "office_districts",
    "overdue_entries",
    "plan_contact_import",
    "plan_for",
    "plan_import",
    "plan_organisation_import",
    "profile_for",
    "read_table",
    "remind_coordinators",
    "save_contact",
    "save_member",
    "sample_table",
    "search_offices",
    "search_organisations",
    "start_organisation_import",
    "served_municipalities",
    "undo_import",
    "update_office",
    "update_profile",
    "update_team",
    "verify",
]
