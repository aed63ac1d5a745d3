"""Integers from outside larger than a bigint column holds never reach the database: every URL
with a number in its path answers 404, every API operation with an integer input 422, every
form with a number or a choice of rows says the input is invalid."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.api import api
from hilfenetz.core.integers import BIGINT_MAX, BIGINT_MIN, IdConverter
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.models import District

pytestmark = pytest.mark.django_db

TOO_LARGE, TOO_SMALL = BIGINT_MAX + 1, BIGINT_MIN - 1


def named_patterns(resolver=None, namespace=""):
    """(name, converters) of every named URL pattern of the project."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, converters in named_patterns(entry, inner):
                yield name, {**getattr(entry.pattern, "converters", {}), **converters}
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, getattr(entry.pattern, "converters", {})


def numbered_urls():
    """A URL of each pattern with a number in its path, that number too large for a bigint."""
    for name, converters in named_patterns():
        numbers = [
            key for key, c in converters.items() if isinstance(c, IdConverter | IntConverter)
        ]
        if numbers:
            kwargs = {key: TOO_LARGE if key in numbers else "x" for key in converters}
            yield name, reverse(name, kwargs=kwargs)


URLS = dict(numbered_urls())


def test_there_are_numbered_urls_and_they_are_all_bounded():
    assert len(URLS) > 30
    plain = [
        name for name, c in named_patterns() if any(type(v) is IntConverter for v in c.values())
    ]
    assert not plain, f"use <id:…> instead of <id:…> in {plain}"


@pytest.mark.parametrize("name", sorted(URLS))
def test_a_number_beyond_a_bigint_in_a_url_is_not_found(name):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    too_large = URLS[name]
    too_small = too_large.replace(str(TOO_LARGE), str(TOO_SMALL))
    for url in (too_large, too_small):
        for method in (client.get, client.post):
            assert method(url).status_code == 404, url


def _is_integer(schema):
    return schema.get("type") == "integer" or any(
        option.get("type") == "integer" for option in schema.get("anyOf", ())
    )


def api_integer_inputs():
    """(method, path template, where, name) of every integer input of every API operation."""
    schema = api.get_openapi_schema(path_prefix="")
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", ()):
                if _is_integer(parameter["schema"]):
                    yield method, path, parameter["in"], parameter["name"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
                for name, prop in components[ref]["properties"].items():
                    if _is_integer(prop):
                        yield method, path, "body", name


INPUTS = list(api_integer_inputs())


def test_the_api_has_integer_inputs():
    wheres = {where for _m, _p, where, _n in INPUTS}
    assert {"path", "query", "body"} <= wheres, INPUTS


@pytest.mark.parametrize(("method", "path", "where", "name"), INPUTS)
@pytest.mark.parametrize("number", [TOO_LARGE, TOO_SMALL])
def test_an_integer_beyond_a_bigint_in_the_api_is_refused(method, path, where, name, number):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = "/api/v1" + re.sub(r"\{[^}]+\}", "1", path)
    query, body = {}, {}
    if where == "path":
        url = "/api/v1" + path.replace("{" + name + "}", str(number))
        url = re.sub(r"\{[^}]+\}", "1", url)
    elif where == "query":
        query[name] = number
    else:
        body[name] = number
    if method == "get":
        response = client.get(url, query)
    else:
        response = getattr(client, method)(
            url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
            body,
            content_type="application/json",
        )
    assert response.status_code in (404, 422), (url, response.status_code, response.content)
    if where != "path" or response.status_code == 422:
        assert response.status_code == 422
        assert name in response.content.decode()


def form_classes():
    for app in ("accounts", "directory", "exchange", "media", "network"):
        module = importlib.import_module(f"hilfenetz.{app}.forms")
        for form in vars(module).values():
            if (
                inspect.isclass(form)
                and issubclass(form, forms.BaseForm)
                and form.__module__ == module.__name__
                and any(isinstance(f, NUMBER_FIELDS) for f in form.base_fields.values())
            ):
                yield form


NUMBER_FIELDS = (forms.IntegerField, forms.ModelChoiceField)
FORMS = list(form_classes())


@pytest.fixture
def form_kwargs():
    """What the forms that need more than their data are given by their views."""
    user = UserFactory(is_superuser=True, is_staff=True)
    meeting = MeetingFactory()
    item = MediaItemFactory()
    return {
        "user": user,
        "platform": meeting.platform,
        "meeting": meeting,
        "item": item,
        "districts": District.objects.all(),
        "district": meeting.platform.district,
        "invitations": meeting.invitations.all(),
    }


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
@pytest.mark.parametrize("number", [TOO_LARGE, TOO_SMALL])
def test_a_form_says_a_number_beyond_a_bigint_is_invalid(form_class, number, form_kwargs):
    params = inspect.signature(form_class.__init__).parameters
    kwargs = {key: value for key, value in form_kwargs.items() if key in params}
    fields = {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, NUMBER_FIELDS)
    }
    data = {
        name: [number] if isinstance(field, forms.ModelMultipleChoiceField) else number
        for name, field in fields.items()
    }
    form = form_class(data=data, **kwargs)
    assert not form.is_valid()
    assert set(fields) <= set(form.errors), (form.errors, fields)
