from django.core.checks import Error, register
from django.db import DatabaseError

from hilfenetz.core.installation import UploadsNotShared, check_uploads


@register("files", deploy=True)
def uploads_are_shared(app_configs, **kwargs):
    """``check --deploy``: this server's upload storage is the installation's (see
    core/installation.py)."""
    try:
        check_uploads()
    except DatabaseError:
        return []  # not migrated yet: there is no installation to compare with
    except UploadsNotShared as exc:
        return [Error(str(exc), id="hilfenetz.E001")]
    return []
