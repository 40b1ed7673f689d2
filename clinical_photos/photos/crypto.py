"""Envelope encryption for what patients send: photos, and the short text they write.

Each photo (and each piece of text) gets a fresh random 256-bit data key of its own. The bytes
are encrypted with it using AES-256-GCM and a random 96-bit nonce, with associated data that
names what the bytes belong to (a photo's id), so a blob copied onto another row does not
decrypt. The data key is then wrapped by a key-encryption key (KEK) from settings and kept
beside the row with the KEK's id. That gives two things plain encryption with one key cannot:

- Destroying one photo's wrapped key makes that photo unreadable for good, even in backups of
  the blob store, without touching any other photo.
- Rotating the KEK re-wraps 60-byte keys (`manage.py rotate_photo_keys`); the blobs, which may
  be megabytes each, are never rewritten.

Data keys are wrapped with AES-256-GCM too, rather than AES key wrap (RFC 3394). Both are
approved for the job (NIST SP 800-38D and 800-38F); GCM lets the wrap carry associated data,
and it carries the KEK's id and a purpose label, so a wrapped key filed under another id, or
moved into another kind of envelope, fails to unwrap instead of being tried as something else.
It also keeps the module to a single primitive. A random nonce per wrap is safe well past
2**32 wraps under one KEK, which is far more photos than the service will hold before the KEK
is rotated. AES key wrap's one advantage, no nonce, buys nothing here.

KEKs come from PHOTO_ENCRYPTION_KEYS ("id:base64-of-32-bytes" entries separated by commas) and
PHOTO_ENCRYPTION_KEY_ID (the one new data keys are wrapped with). Never rename a key's id: the
id is bound into every key wrapped under it.
"""

import base64
import binascii
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
WRAPPED_KEY_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES
# The Photo.key_id column holds 40 characters.
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,40}")

# Labels bound into the associated data. Changing one makes everything sealed under it
# unreadable: a new format gets a new version instead.
_WRAP_LABEL = b"clinical_photos.photos.data-key.v1|"
_BLOB_LABEL = b"clinical_photos.photos.blob.v1|"
_TEXT_LABEL = b"clinical_photos.photos.text.v1|"
BLOB_VERSION = 1
TEXT_VERSION = 1

KEYS_SETTING = "PHOTO_ENCRYPTION_KEYS"
KEY_ID_SETTING = "PHOTO_ENCRYPTION_KEY_ID"
_HOW_TO_MAKE_A_KEY = (
    'Make a key with: python -c "import base64, os; '
    'print(base64.b64encode(os.urandom(32)).decode())"'
)


class Unreadable(Exception):
    """Bytes that cannot be decrypted. The subclasses say why."""


class KeyDestroyed(Unreadable):
    """The data key was destroyed on purpose: the bytes can never be read again."""

    def __init__(self) -> None:
        super().__init__("The key for these bytes was destroyed, so they cannot be read.")


class UnknownKey(Unreadable):
    """The data key is wrapped by a KEK that is not in settings (removed before rotation?)."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__(
            f"The key-encryption key {key_id!r} is not in {KEYS_SETTING}. Put it back, run "
            f"`manage.py rotate_photo_keys`, and only then remove it."
        )


class AuthenticationFailed(Unreadable):
    """The bytes, their wrapped key or their associated data were changed or swapped."""


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    key_id: str
    wrapped_key: bytes
    # Smaller things that belong with it (a photo's preview), under the same data key, so
    # destroying that one key makes them unreadable together. Each has its own nonce and
    # associated data.
    companions: tuple[bytes, ...] = ()

    def __repr__(self) -> str:
        return f"Sealed(key_id={self.key_id!r}, {len(self.ciphertext)} bytes)"


@dataclass(frozen=True)
class KeyRing:
    """The key-encryption keys, by id, and the id of the one new data keys are wrapped with."""

    keys: dict[str, bytes]
    current_id: str

    def __repr__(self) -> str:
        # Never the key bytes: a ring may end up in a traceback or a debug page.
        return f"KeyRing(ids={sorted(self.keys)}, current_id={self.current_id!r})"

    @classmethod
    def from_settings(cls) -> "KeyRing":
        keys = getattr(settings, KEYS_SETTING, "")
        current_id = getattr(settings, KEY_ID_SETTING, "")
        return _parse_key_ring(keys, current_id)

    @classmethod
    def parse(cls, keys: str, current_id: str) -> "KeyRing":
        """Read the settings' format. Error messages name the setting and the key's id, never
        the key itself."""
        keys, current_id = (keys or "").strip(), (current_id or "").strip()
        if not keys:
            raise ImproperlyConfigured(
                f"{KEYS_SETTING} is empty. Set it to one or more 'id:base64-of-32-bytes' "
                f"entries separated by commas. {_HOW_TO_MAKE_A_KEY}"
            )
        parsed: dict[str, bytes] = {}
        for number, entry in enumerate(keys.split(","), start=1):
            key_id, colon, encoded = (part.strip() for part in entry.partition(":"))
            if not colon or not key_id or not encoded:
                raise ImproperlyConfigured(
                    f"{KEYS_SETTING} entry {number} is not in the form 'id:base64-of-32-bytes'."
                )
            if not KEY_ID_PATTERN.fullmatch(key_id):
                raise ImproperlyConfigured(
                    f"{KEYS_SETTING} entry {number} has an id that is not 1 to 40 letters, "
                    f"digits, '.', '_' or '-'."
                )
            if key_id in parsed:
                raise ImproperlyConfigured(f"{KEYS_SETTING} lists the id {key_id!r} twice.")
            try:
                key = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
            except (binascii.Error, ValueError):
                raise ImproperlyConfigured(
                    f"{KEYS_SETTING}: the key with id {key_id!r} is not valid base64."
                ) from None
            if len(key) != KEY_BYTES:
                raise ImproperlyConfigured(
                    f"{KEYS_SETTING}: the key with id {key_id!r} is {len(key)} bytes long; "
                    f"it must be exactly {KEY_BYTES} bytes (AES-256). {_HOW_TO_MAKE_A_KEY}"
                )
            parsed[key_id] = key
        if not current_id:
            raise ImproperlyConfigured(
                f"{KEY_ID_SETTING} is empty. Set it to the id of the key in {KEYS_SETTING} "
                f"that new photos are encrypted with."
            )
        if current_id not in parsed:
            raise ImproperlyConfigured(
                f"{KEY_ID_SETTING} is {current_id!r}, but {KEYS_SETTING} has no key with that "
                f"id (it has {', '.join(repr(key_id) for key_id in parsed)})."
            )
        return cls(keys=parsed, current_id=current_id)

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_id]

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """The data key wrapped by the current KEK, and that KEK's id."""
        nonce = os.urandom(NONCE_BYTES)
        aad = _WRAP_LABEL + self.current_id.encode()
        return self.current_id, nonce + AESGCM(self.current_key).encrypt(nonce, data_key, aad)

    def unwrap(self, key_id: str, wrapped_key: bytes | None) -> bytes:
        if wrapped_key is None:
            raise KeyDestroyed
        kek = self.keys.get(key_id)
        if kek is None:
            raise UnknownKey(key_id)
        wrapped_key = bytes(wrapped_key)  # PostgreSQL hands a BinaryField back as a memoryview.
        if len(wrapped_key) != WRAPPED_KEY_BYTES:
            raise AuthenticationFailed("The wrapped key is not the length of one.")
        nonce, sealed = wrapped_key[:NONCE_BYTES], wrapped_key[NONCE_BYTES:]
        try:
            return AESGCM(kek).decrypt(nonce, sealed, _WRAP_LABEL + key_id.encode())
        except InvalidTag:
            raise AuthenticationFailed(
                f"The wrapped key does not unwrap under the key-encryption key {key_id!r}."
            ) from None


@lru_cache(maxsize=8)
def _parse_key_ring(keys: str, current_id: str) -> KeyRing:
    # Cached on the settings' values, so tests that change them get a new ring.
    return KeyRing.parse(keys, current_id)


def _new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(
    plaintext: bytes, *, aad: bytes, companions: tuple[tuple[bytes, bytes], ...] = ()
) -> Sealed:
    """Encrypt with a new data key of its own, wrapped by the current KEK.

    `aad` names what the bytes belong to (a photo's id); `open_sealed` needs the same value.
    `companions` are (plaintext, aad) pairs sealed under the same data key; each aad must
    differ from `aad` and from the others, so one can never be opened as another.
    """
    if len({aad, *(companion_aad for _, companion_aad in companions)}) != 1 + len(companions):
        raise ValueError("Each thing sealed under one key needs associated data of its own.")
    ring = KeyRing.from_settings()
    data_key = _new_data_key()
    key_id, wrapped_key = ring.wrap(data_key)
    return Sealed(
        ciphertext=_encrypt(data_key, plaintext, aad),
        key_id=key_id,
        wrapped_key=wrapped_key,
        companions=tuple(_encrypt(data_key, data, extra) for data, extra in companions),
    )


def _encrypt(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = bytes([BLOB_VERSION])
    return header + nonce + AESGCM(data_key).encrypt(nonce, plaintext, _BLOB_LABEL + header + aad)


def open_sealed(ciphertext: bytes, *, key_id: str, wrapped_key: bytes | None, aad: bytes) -> bytes:
    """The plaintext, or one of the `Unreadable` errors: never bytes that were changed."""
    data_key = KeyRing.from_settings().unwrap(key_id, wrapped_key)
    ciphertext = bytes(ciphertext)
    if len(ciphertext) < 1 + NONCE_BYTES + TAG_BYTES or ciphertext[0] != BLOB_VERSION:
        raise AuthenticationFailed("These bytes are not a sealed blob this service wrote.")
    header, rest = ciphertext[:1], ciphertext[1:]
    nonce, body = rest[:NONCE_BYTES], rest[NONCE_BYTES:]
    try:
        return AESGCM(data_key).decrypt(nonce, body, _BLOB_LABEL + header + aad)
    except InvalidTag:
        raise AuthenticationFailed(
            "The bytes were changed, or belong to something else (their associated data "
            "does not match)."
        ) from None


def rewrap(key_id: str, wrapped_key: bytes | None) -> tuple[str, bytes]:
    """The same data key, wrapped by the current KEK. The ciphertext does not change."""
    ring = KeyRing.from_settings()
    return ring.wrap(ring.unwrap(key_id, wrapped_key))


# Short text a patient writes, sealed into one bytes value that carries its own wrapped key:
#   version (1 byte) | key id length (1 byte) | key id (ASCII) | wrapped key (60 bytes)
#   | nonce (12 bytes) | ciphertext and tag
# The text's associated data covers the version and the caller's `aad`, not the key id or the
# wrapped key: those are authenticated by the wrap itself, and leaving them out lets
# `rewrap_text` move a value to a new KEK without decrypting the text.


@dataclass(frozen=True)
class _TextEnvelope:
    key_id: str
    wrapped_key: bytes
    nonce: bytes
    body: bytes

    def to_bytes(self) -> bytes:
        key_id = self.key_id.encode("ascii")
        return (
            bytes([TEXT_VERSION, len(key_id)]) + key_id + self.wrapped_key + self.nonce + self.body
        )

    @classmethod
    def from_bytes(cls, blob: bytes) -> "_TextEnvelope":
        blob = bytes(blob)
        if len(blob) < 2 or blob[0] != TEXT_VERSION:
            raise AuthenticationFailed("These bytes are not encrypted text this service wrote.")
        id_end = 2 + blob[1]
        key_end = id_end + WRAPPED_KEY_BYTES
        nonce_end = key_end + NONCE_BYTES
        if len(blob) < nonce_end + TAG_BYTES:
            raise AuthenticationFailed("These bytes are too short to be encrypted text.")
        try:
            key_id = blob[2:id_end].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This encrypted text's key id is not readable.") from None
        return cls(key_id, blob[id_end:key_end], blob[key_end:nonce_end], blob[nonce_end:])


def encrypt_text(text: str, *, aad: bytes) -> bytes:
    """Seal text (a patient's note or reason) into one value for a BinaryField."""
    ring = KeyRing.from_settings()
    data_key = _new_data_key()
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(data_key).encrypt(nonce, text.encode(), _TEXT_LABEL + bytes([TEXT_VERSION]) + aad)
    key_id, wrapped_key = ring.wrap(data_key)
    return _TextEnvelope(key_id, wrapped_key, nonce, body).to_bytes()


def decrypt_text(blob: bytes, *, aad: bytes) -> str:
    envelope = _TextEnvelope.from_bytes(blob)
    data_key = KeyRing.from_settings().unwrap(envelope.key_id, envelope.wrapped_key)
    try:
        plaintext = AESGCM(data_key).decrypt(
            envelope.nonce, envelope.body, _TEXT_LABEL + bytes([TEXT_VERSION]) + aad
        )
    except InvalidTag:
        raise AuthenticationFailed(
            "The text was changed, or belongs to something else (its associated data does not "
            "match)."
        ) from None
    return plaintext.decode()


def text_key_id(blob: bytes) -> str:
    """The id of the KEK an encrypted text's key is wrapped with (for rotation reports)."""
    return _TextEnvelope.from_bytes(blob).key_id


def rewrap_text(blob: bytes) -> bytes:
    """The same encrypted text with its data key wrapped by the current KEK."""
    envelope = _TextEnvelope.from_bytes(blob)
    key_id, wrapped_key = rewrap(envelope.key_id, envelope.wrapped_key)
    return _TextEnvelope(key_id, wrapped_key, envelope.nonce, envelope.body).to_bytes()
