"""Integers from outside, bounded in one place to what both SQLite and PostgreSQL store.

Ids are ``bigint`` (``DEFAULT_AUTO_FIELD``): signed 64 bits. A larger number is no id of any
row, but handed to the database it fails (SQLite: OverflowError, PostgreSQL: out of range). So
a URL with a larger ``<id:…>`` does not match (404), and the API's :data:`Id` answers 422.
Form fields are bounded by their model fields' ranges (Django's validators) or their own
``max_value``; choices of rows never reach the driver with such a number (``pk`` lookups
answer "no row", ``__in`` lookups drop it, see :mod:`hilfenetz.core.lookups`).
"""

from typing import Annotated

from django.urls import register_converter
from pydantic import Field

BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1

#: An id (or any integer stored as bigint) in an API parameter or schema.
Id = Annotated[int, Field(ge=BIGINT_MIN, le=BIGINT_MAX)]


class IdConverter:
    """``<id:pk>`` in URL patterns: like ``<id:…>``, but only numbers a bigint column holds."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
