"""The stub must refuse what GOV.UK Notify refuses, or the tests above prove little."""

import time

import jwt
import requests

SMS = "/v2/notifications/sms"


def sms_request(stub, token: str | None, **body):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    payload = {
        "phone_number": "+447700900123",
        "template_id": stub.template_id,
        "personalisation": {"message": "Hello"},
        **body,
    }
    return requests.post(stub.url + SMS, json=payload, headers=headers, timeout=5)


def token_for(stub, *, secret=None, iss=None, iat=None) -> str:
    claims = {"iss": iss or stub.service_id, "iat": int(iat if iat is not None else time.time())}
    return jwt.encode(claims, secret or stub.secret, algorithm="HS256")


def test_a_good_token_is_accepted_with_notifys_answer(notify_stub):
    response = sms_request(notify_stub, token_for(notify_stub), reference="ours")

    assert response.status_code == 201
    assert response.json()["reference"] == "ours"
    assert response.json()["content"]["body"] == "Hello"


def test_a_missing_token_is_401_in_notifys_shape(notify_stub):
    response = sms_request(notify_stub, None)

    assert response.status_code == 401
    assert response.json()["errors"][0]["error"] == "AuthError"


def test_a_token_signed_with_another_secret_is_403(notify_stub):
    response = sms_request(notify_stub, token_for(notify_stub, secret="not-the-secret-" * 3))

    assert response.status_code == 403
    assert response.json() == {
        "status_code": 403,
        "errors": [{"error": "AuthError", "message": "Invalid token: API key not found"}],
    }


def test_a_stale_token_is_403(notify_stub):
    response = sms_request(notify_stub, token_for(notify_stub, iat=time.time() - 120))

    assert response.status_code == 403
    assert "clock" in response.json()["errors"][0]["message"]


def test_a_token_for_another_service_is_403(notify_stub):
    other_service = "0d4d3c6a-1b2c-4d5e-8f90-123456789abc"

    response = sms_request(notify_stub, token_for(notify_stub, iss=other_service))

    assert response.status_code == 403


def test_a_body_without_the_message_is_a_validation_error(notify_stub):
    response = sms_request(notify_stub, token_for(notify_stub), personalisation={})

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "error": "ValidationError",
        "message": "Missing personalisation: message",
    }
    assert [r.status for r in notify_stub.received] == [400]
