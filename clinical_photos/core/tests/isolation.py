"""What every test starts with, whichever app it tests: an empty cache and a photo folder of its
own. Loaded for the whole suite by the root conftest."""

import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def photo_storage(settings, tmp_path):
    """Each test stores photos in a folder of its own, removed afterwards."""
    settings.PHOTO_STORAGE_DIR = tmp_path / "photos"
    return settings.PHOTO_STORAGE_DIR
