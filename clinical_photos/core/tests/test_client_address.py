from django.test import RequestFactory

from clinical_photos.core.client_address import client_address


def test_the_load_balancer_s_entry_is_trusted_not_the_client_s_claim():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_address(request) == "198.51.100.7"


def test_without_a_load_balancer_the_connection_s_address_is_used():
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"
