"""How the JSON API answers errors, for the routers of every app.

Every error has one shape, ``{"detail": ...}``, and every operation documents every error it
may answer in the OpenAPI schema: 400 (input the domain refuses, or that cannot be stored),
401 (not logged in), 403 (not allowed), 404 (unknown object), 422 (input outside the schema,
e.g. an ``offset`` beyond :data:`hilfenetz.core.pagination.MAX_OFFSET`) and 429 (too many actions). Routers raise
Django's ``PermissionDenied``/``ValidationError`` from the services as they are; they are
mapped here.
"""

import re
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, NinjaAPI, Schema
from pydantic import BeforeValidator

ERROR_DESCRIPTIONS = {
    400: "The input was refused; `detail` says why.",
    401: "Log in first.",
    403: "Not allowed.",
    404: "Not found.",
    422: "The input does not match the schema; `detail` lists the problems.",
    429: "Too many actions; try again later.",
}


class Error(Schema):
    detail: Any = Field(description="A message, or a list of validation problems.")


def _iso_date_only(value):
    # Pydantic also reads numbers as Unix timestamps; the schema promises YYYY-MM-DD.
    if isinstance(value, date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError("Expected a date as YYYY-MM-DD.")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


def _status_of(exc: ValidationError) -> int:
    # A refusal may carry its own status (e.g. a rate limit: 429).
    return getattr(exc, "status_code", 400)


class HilfenetzAPI(NinjaAPI):
    """The project's NinjaAPI: the error mapping and its documentation."""

    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        self.add_exception_handler(
            PermissionDenied,
            lambda request, exc: self.create_response(
                request, {"detail": str(exc) or "Not allowed."}, status=403
            ),
        )
        self.add_exception_handler(
            ValidationError,
            lambda request, exc: self.create_response(
                request, {"detail": " ".join(exc.messages)}, status=_status_of(exc)
            ),
        )

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
            Error.model_json_schema()
        )
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_DESCRIPTIONS.items():
                    responses.setdefault(status, {"description": description, "content": reference})
        return schema
