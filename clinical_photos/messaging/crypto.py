"""Encrypting text message bodies at rest.

A text holds the patient's link, and the rule is that the service keeps only the SHA-256 of a
link's token. Until GOV.UK Notify has the text (and for good in the demo outbox, where staff
click the link), the body is kept, so it is kept encrypted: a copy of the database or a backup
does not give away working links.

The key is derived from SECRET_KEY with HKDF and a fixed `info` label rather than being
SECRET_KEY itself. The label separates this key from every other use of SECRET_KEY (Django
signs sessions, password reset tokens and messages with it), so none of them can be turned
against the others, and any other part of the service that needs its own key derives it with
its own label. Deriving it (rather than keeping a second secret) means the web server and the
task worker always agree on it with no more configuration. SECRET_KEY_FALLBACKS are tried too,
so rotating SECRET_KEY the way Django documents it keeps queued texts readable.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Changing this label makes every stored body unreadable: give a new label a new version.
KEY_INFO = b"clinical_photos.messaging.text-message-body.v1"


class UnreadableBody(Exception):
    """The body was encrypted with a key the service no longer has."""


def _derive_key(secret: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(key)


@lru_cache(maxsize=4)
def _cipher_for(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_derive_key(secret)) for secret in secrets])


def _cipher() -> MultiFernet:
    # Django itself refuses an empty SECRET_KEY when it is read.
    fallbacks = tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _cipher_for((settings.SECRET_KEY, *fallbacks))


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise UnreadableBody(
            "This text was encrypted with a key the service no longer has."
        ) from error
