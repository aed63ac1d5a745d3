"""The steps of an object's life (a listing, a meeting, a media item): read it again under a row
lock before a step, change its status in one place."""


def locked(obj, *related: str):
    """``obj`` read again with a row lock (in a transaction), with the ``related`` objects a step
    looks at: two requests changing it at once (an approval and a withdrawal) take turns, and
    the second sees what the first did."""
    rows = type(obj)._default_manager.select_for_update()
    if related:  # select_related() without names would join (and lock) every foreign key
        rows = rows.select_related(*related)
    return rows.get(pk=obj.pk)


def transition(obj, to: str, *, first=None) -> str:
    """Give ``obj`` the status ``to`` and save it. ``first``: fields that record a first time
    (first published), set only while still empty. Returns the status before, for the history
    the app writes."""
    previous, obj.status = obj.status, to
    fields = ["status", "updated_at"]
    for name, value in (first or {}).items():
        if getattr(obj, name) is None:
            setattr(obj, name, value)
            fields.append(name)
    obj.save(update_fields=fields)
    return previous
