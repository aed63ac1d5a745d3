"""What every directory workflow does: check the rule, apply the changed fields."""


def plain(value):
    if hasattr(value, "all"):
        return sorted(str(v) for v in value.all())
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def apply_changes(obj, data: dict, fields: list[str]) -> dict:
    """Set ``fields`` from ``data`` on ``obj``; return ``{field: [old, new]}`` of what changed."""
    diff = {}
    for name in fields:
        if name not in data:
            continue
        old, new = getattr(obj, name), data[name]
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            diff[name] = [plain(old), plain(new)]
            setattr(obj, name, new)
    return diff
