import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from hilfenetz.core import images
from hilfenetz.exchange.models import ListingPhoto
from hilfenetz.exchange.tests.factories import ListingFactory, image_upload

pytestmark = pytest.mark.django_db


def test_prepare_image_resizes_to_the_asked_edge_once():
    prepared = images.prepare_image(image_upload(size=(800, 400), fmt="PNG"), max_edge=200)
    assert Image.open(io.BytesIO(prepared.read())).size == (200, 100)
    assert images.prepare_image(prepared) is prepared


def test_a_failing_save_leaves_no_file_behind(monkeypatch):
    photo = ListingPhoto(listing=ListingFactory(), alt_text="x")
    monkeypatch.setattr(photo, "save", lambda: (_ for _ in ()).throw(RuntimeError("db down")))
    with pytest.raises(RuntimeError):
        images.save_image(photo, "image", image_upload())
    assert photo.image.name and not default_storage.exists(photo.image.name)
