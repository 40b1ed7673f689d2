import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinical_photos.photos import crypto

# The key from settings/test.py, and a second one for rotation.
FIRST_KEY = "dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM="
SECOND_KEY = base64.b64encode(bytes(range(32))).decode()
PHOTO_AAD = b"photo:3f0c1a52-9a57-4d0e-8d4e-6b0f3a1c2d4e"
MARKER = b"PLAINTEXT-MARKER-7d1e"


def use_keys(settings, keys: str, current: str) -> None:
    settings.PHOTO_ENCRYPTION_KEYS = keys
    settings.PHOTO_ENCRYPTION_KEY_ID = current


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


class TestSealed:
    def test_round_trip(self):
        sealed = crypto.seal(MARKER * 10, aad=PHOTO_AAD)

        assert sealed.key_id == "test-1"
        assert len(sealed.wrapped_key) == crypto.WRAPPED_KEY_BYTES
        assert MARKER not in sealed.ciphertext
        opened = crypto.open_sealed(
            sealed.ciphertext, key_id=sealed.key_id, wrapped_key=sealed.wrapped_key, aad=PHOTO_AAD
        )
        assert opened == MARKER * 10

    def test_a_wrapped_key_from_the_database_may_be_a_memoryview(self):
        sealed = crypto.seal(b"x", aad=PHOTO_AAD)

        opened = crypto.open_sealed(
            memoryview(sealed.ciphertext),
            key_id=sealed.key_id,
            wrapped_key=memoryview(sealed.wrapped_key),
            aad=PHOTO_AAD,
        )
        assert opened == b"x"

    def test_each_seal_has_its_own_key_and_nonce(self):
        first = crypto.seal(MARKER, aad=PHOTO_AAD)
        second = crypto.seal(MARKER, aad=PHOTO_AAD)

        assert first.wrapped_key != second.wrapped_key
        assert first.ciphertext != second.ciphertext
        # The data keys themselves differ, not only their wrapping.
        ring = crypto.KeyRing.from_settings()
        assert ring.unwrap("test-1", first.wrapped_key) != ring.unwrap("test-1", second.wrapped_key)

    def test_other_associated_data_fails(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                sealed.ciphertext,
                key_id=sealed.key_id,
                wrapped_key=sealed.wrapped_key,
                aad=b"photo:another",
            )

    def test_a_changed_ciphertext_fails(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                flip_last_byte(sealed.ciphertext),
                key_id=sealed.key_id,
                wrapped_key=sealed.wrapped_key,
                aad=PHOTO_AAD,
            )

    def test_a_changed_wrapped_key_fails(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                sealed.ciphertext,
                key_id=sealed.key_id,
                wrapped_key=flip_last_byte(sealed.wrapped_key),
                aad=PHOTO_AAD,
            )

    def test_another_photos_wrapped_key_fails(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)
        other = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                sealed.ciphertext,
                key_id=sealed.key_id,
                wrapped_key=other.wrapped_key,
                aad=PHOTO_AAD,
            )

    def test_a_wrapped_key_filed_under_another_id_fails(self, settings):
        # The same key bytes under a second id: the id is bound into the wrap.
        use_keys(settings, f"test-1:{FIRST_KEY},alias:{FIRST_KEY}", "test-1")
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.open_sealed(
                sealed.ciphertext, key_id="alias", wrapped_key=sealed.wrapped_key, aad=PHOTO_AAD
            )

    def test_a_destroyed_key_cannot_be_read(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        with pytest.raises(crypto.KeyDestroyed, match="destroyed"):
            crypto.open_sealed(
                sealed.ciphertext, key_id=sealed.key_id, wrapped_key=None, aad=PHOTO_AAD
            )

    def test_an_unknown_key_says_which_and_what_to_do(self, settings):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)
        use_keys(settings, f"test-2:{SECOND_KEY}", "test-2")

        with pytest.raises(crypto.UnknownKey) as raised:
            crypto.open_sealed(
                sealed.ciphertext, key_id="test-1", wrapped_key=sealed.wrapped_key, aad=PHOTO_AAD
            )
        assert "'test-1'" in str(raised.value)
        assert "PHOTO_ENCRYPTION_KEYS" in str(raised.value)
        assert "rotate_photo_keys" in str(raised.value)

    def test_bytes_that_are_not_a_sealed_blob_fail(self):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)

        for not_a_blob in (b"", b"\x02" + sealed.ciphertext[1:], sealed.ciphertext[:20]):
            with pytest.raises(crypto.AuthenticationFailed):
                crypto.open_sealed(
                    not_a_blob, key_id="test-1", wrapped_key=sealed.wrapped_key, aad=PHOTO_AAD
                )


class TestRewrap:
    def test_moves_the_key_to_the_current_kek_and_leaves_the_ciphertext(self, settings):
        sealed = crypto.seal(MARKER, aad=PHOTO_AAD)
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        key_id, wrapped_key = crypto.rewrap(sealed.key_id, sealed.wrapped_key)

        assert key_id == "test-2"
        use_keys(settings, f"test-2:{SECOND_KEY}", "test-2")
        opened = crypto.open_sealed(
            sealed.ciphertext, key_id=key_id, wrapped_key=wrapped_key, aad=PHOTO_AAD
        )
        assert opened == MARKER

    def test_a_destroyed_key_cannot_be_rewrapped(self):
        with pytest.raises(crypto.KeyDestroyed):
            crypto.rewrap("test-1", None)


class TestText:
    def test_round_trip(self):
        text = "It itches at night. Café, 5 days — worse after a bath."

        blob = crypto.encrypt_text(text, aad=b"response:1")

        assert text.encode() not in blob
        assert crypto.decrypt_text(blob, aad=b"response:1") == text

    def test_the_envelope_carries_its_version_key_id_and_wrapped_key(self):
        blob = crypto.encrypt_text("hello", aad=b"response:1")

        assert blob[0] == crypto.TEXT_VERSION
        assert blob[2 : 2 + blob[1]] == b"test-1"
        assert crypto.text_key_id(blob) == "test-1"
        overhead = 2 + len("test-1") + crypto.WRAPPED_KEY_BYTES + crypto.NONCE_BYTES
        assert len(blob) == overhead + len("hello") + crypto.TAG_BYTES

    def test_other_associated_data_fails(self):
        blob = crypto.encrypt_text("hello", aad=b"response:1")

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.decrypt_text(blob, aad=b"response:2")

    def test_a_changed_text_fails(self):
        blob = crypto.encrypt_text("hello", aad=b"response:1")

        with pytest.raises(crypto.AuthenticationFailed):
            crypto.decrypt_text(flip_last_byte(blob), aad=b"response:1")

    @pytest.mark.parametrize("not_a_text", [b"", b"\x01", b"\x09" + bytes(100), bytes([1, 6])])
    def test_bytes_that_are_not_a_text_fail(self, not_a_text):
        with pytest.raises(crypto.AuthenticationFailed):
            crypto.decrypt_text(not_a_text, aad=b"response:1")

    def test_rewrap_moves_it_to_the_current_kek(self, settings):
        blob = crypto.encrypt_text("hello", aad=b"response:1")
        use_keys(settings, f"test-1:{FIRST_KEY},test-2:{SECOND_KEY}", "test-2")

        moved = crypto.rewrap_text(blob)

        use_keys(settings, f"test-2:{SECOND_KEY}", "test-2")
        assert crypto.text_key_id(moved) == "test-2"
        assert crypto.decrypt_text(moved, aad=b"response:1") == "hello"
        with pytest.raises(crypto.UnknownKey):
            crypto.decrypt_text(blob, aad=b"response:1")


class TestKeyRing:
    def test_reads_the_settings(self, settings):
        use_keys(settings, f" test-1:{FIRST_KEY} , test-2:{SECOND_KEY} ", "test-2")

        ring = crypto.KeyRing.from_settings()

        assert ring.current_id == "test-2"
        assert ring.keys == {"test-1": base64.b64decode(FIRST_KEY), "test-2": bytes(range(32))}

    def test_accepts_url_safe_base64(self):
        key = base64.urlsafe_b64encode(bytes([251] * 32)).decode()
        assert "-" in key or "_" in key

        assert crypto.KeyRing.parse(f"k:{key}", "k").current_key == bytes([251] * 32)

    def test_never_shows_its_keys(self):
        ring = crypto.KeyRing.parse(f"test-1:{FIRST_KEY}", "test-1")

        assert FIRST_KEY not in repr(ring)
        assert repr(base64.b64decode(FIRST_KEY)) not in repr(ring)

    @pytest.mark.parametrize(
        ("keys", "current", "setting", "says"),
        [
            ("", "test-1", "PHOTO_ENCRYPTION_KEYS", "is empty"),
            ("   ", "test-1", "PHOTO_ENCRYPTION_KEYS", "is empty"),
            (FIRST_KEY, "test-1", "PHOTO_ENCRYPTION_KEYS", "entry 1 is not in the form"),
            (f"test-1:{FIRST_KEY},", "test-1", "PHOTO_ENCRYPTION_KEYS", "entry 2"),
            (f":{FIRST_KEY}", "test-1", "PHOTO_ENCRYPTION_KEYS", "entry 1 is not in the form"),
            (f"bad id:{FIRST_KEY}", "test-1", "PHOTO_ENCRYPTION_KEYS", "has an id that"),
            ("test-1:not*base64!", "test-1", "PHOTO_ENCRYPTION_KEYS", "not valid base64"),
            (
                f"test-1:{base64.b64encode(bytes(16)).decode()}",
                "test-1",
                "PHOTO_ENCRYPTION_KEYS",
                "is 16 bytes long; it must be exactly 32",
            ),
            (
                f"test-1:{FIRST_KEY},test-1:{SECOND_KEY}",
                "test-1",
                "PHOTO_ENCRYPTION_KEYS",
                "lists the id 'test-1' twice",
            ),
            (f"test-1:{FIRST_KEY}", "", "PHOTO_ENCRYPTION_KEY_ID", "is empty"),
            (f"test-1:{FIRST_KEY}", "test-9", "PHOTO_ENCRYPTION_KEY_ID", "no key with that id"),
        ],
    )
    def test_says_what_is_wrong_with_the_settings(self, settings, keys, current, setting, says):
        use_keys(settings, keys, current)

        with pytest.raises(ImproperlyConfigured) as raised:
            crypto.seal(b"x", aad=PHOTO_AAD)

        message = str(raised.value)
        assert setting in message
        assert says in message
        # The message may name a key's id, never the key.
        assert SECOND_KEY not in message
        assert FIRST_KEY[:12] not in message

    def test_is_read_again_when_the_settings_change(self, settings):
        assert crypto.seal(b"x", aad=PHOTO_AAD).key_id == "test-1"
        use_keys(settings, f"test-2:{SECOND_KEY}", "test-2")

        assert crypto.seal(b"x", aad=PHOTO_AAD).key_id == "test-2"
