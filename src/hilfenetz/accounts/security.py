def login_identifier(request, credentials):
    """The login name axes counts failures for: the e-mail address, lower-cased."""
    credentials = credentials or {}
    value = (
        credentials.get("email") or credentials.get("login") or credentials.get("username") or ""
    )
    return value.strip().lower()
