"""Production refuses to start without its secrets, and passes Django's deployment checks."""

import pytest

from clinical_photos.core.tests.manage import run_manage

COMPLETE = {
    "SECRET_KEY": "k3V9q-not-a-real-key-0Zr8pLmW2xYtB7nC4dF6gH1jK5sQ9uE3aR8vT2wX",
    "ALLOWED_HOSTS": "photos.example.nhs.uk",
    "SERVICE_BASE_URL": "https://photos.example.nhs.uk",
    "DATABASE_URL": "sqlite:////tmp/clinical-photos-settings-test.sqlite3",
    "SMS_BACKEND": "notify",
    "NOTIFY_API_KEY": (
        "key-11111111-1111-1111-1111-111111111111-22222222-2222-2222-2222-222222222222"
    ),
    "NOTIFY_SMS_TEMPLATE_ID": "33333333-3333-3333-3333-333333333333",
    "NOTIFY_CALLBACK_TOKEN": "y" * 40,
    "PHOTO_ENCRYPTION_KEYS": "prod-1:cHJvZHVjdGlvbi1rZXktZm9yLXRoZS10ZXN0LW9ubHk=",
    "PHOTO_ENCRYPTION_KEY_ID": "prod-1",
}


def _manage(env: dict, *args: str):
    return run_manage(*args, settings="clinical_photos.config.settings.production", env=env)


@pytest.mark.parametrize("missing", sorted(COMPLETE.keys() - {"SMS_BACKEND"}))
def test_production_refuses_to_start_and_names_the_missing_setting(missing):
    settings = {k: v for k, v in COMPLETE.items() if k != missing}
    result = _manage(settings, "check")
    assert result.returncode != 0
    assert f"The environment variable {missing} is not set" in result.stderr


def test_production_passes_the_deployment_checks():
    result = _manage(COMPLETE, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_photo_key_that_is_not_32_bytes():
    settings = {**COMPLETE, "PHOTO_ENCRYPTION_KEYS": "prod-1:c2hvcnQ="}
    result = _manage(settings, "check")
    assert result.returncode != 0
    assert "photos.E001" in result.stderr
