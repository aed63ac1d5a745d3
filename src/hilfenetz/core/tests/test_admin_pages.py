"""Every model of the admin opens for a district coordinator without a server error: its
change, history and delete pages, for one object of the shared access-matrix world."""

import pytest
from django.tasks import TaskResultStatus
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hilfenetz.core import audit
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.models import Topic
from hilfenetz.core.tests.access import build_world
from hilfenetz.media.models import MediaPolicy

pytestmark = pytest.mark.django_db


def test_every_admin_page_of_an_object_answers_a_district_coordinator(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    # the rows the world does not make on its way
    Topic.objects.create(name="Wohnen", slug="wohnen")
    MediaPolicy.objects.create(district=world.district)
    audit.record(world.here, "renamed", note="Hierdorf")
    DBTaskResult.objects.create(  # a task out of attempts (the admin's "Failed tasks")
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="hilfenetz.exchange.similarity.embed_listing",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        worker_ids=[f"gone-{n}" for n in range(9)],
        exception_class_path="hilfenetz.media.tasks.PreviewFailed",
        traceback="PreviewFailed: no preview",
    )
    coordinator = world.users["district_coordinator"]
    request = RequestFactory().get("/")
    request.user = coordinator
    client.force_login(coordinator)
    opened, without_object = [], []
    for model, model_admin in admin_site._registry.items():
        # one of the coordinator's rows, else any row (the forbidden path must not fail either)
        obj = (
            model_admin.get_queryset(request).order_by("pk").first()
            or model._default_manager.order_by("pk").first()
        )
        if obj is None:
            without_object.append(model._meta.label)
            continue
        info = model._meta.app_label, model._meta.model_name
        for page in ("change", "history", "delete"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[obj.pk])
            status = client.get(url).status_code
            assert status in (200, 302, 403), (url, status)
            opened.append(model._meta.label)
    assert not without_object, f"the world has no object of {without_object}"
    assert len(set(opened)) == len(admin_site._registry)
