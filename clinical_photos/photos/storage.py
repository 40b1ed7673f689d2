"""Where photos' encrypted bytes live: files under PHOTO_STORAGE_DIR, never under a public URL.

A blob's name is a random UUID (32 hex digits), never anything a patient sent, and the file
holds only ciphertext (see `crypto.py`); the row in the database holds its wrapped key and the
SHA-256 of the plaintext, which is checked on every read. Files are fanned out into two levels
of folders (`ab/cd/abcd...`) so no folder grows huge.

Writes are atomic: a temporary file in the blob's own folder, fsynced, renamed over the final
name, then the folder fsynced, so a crash leaves either the whole blob or a temporary file
that housekeeping removes, never half a photo under a real name.

Blobs are written before their row and removed after their row's transaction commits. Either
way a crash can leave a blob with no row (a "stray"), never a row whose blob was deleted by a
transaction that then rolled back. `tasks.sweep_stray_blobs` removes strays.
"""

import hashlib
import hmac
import logging
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import crypto
from .models import Label, Photo

logger = logging.getLogger(__name__)

BLOB_NAME = re.compile(r"[0-9a-f]{32}")
PARTIAL_PREFIX = ".partial-"


class PhotoIntegrityError(crypto.Unreadable):
    """A stored photo is missing, was changed, or is not the photo its row describes."""


class BlobStore:
    """Encrypted blobs on the local filesystem.

    The folder is read from settings each time (tests give each test its own), unless a root
    is given.
    """

    def __init__(self, root: Path | str | None = None) -> None:
        self._root = Path(root) if root is not None else None

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else Path(settings.PHOTO_STORAGE_DIR)

    @staticmethod
    def new_name() -> str:
        return uuid.uuid4().hex

    def path(self, name: str) -> Path:
        # The only check between a name and the filesystem: nothing else can become a path.
        if not BLOB_NAME.fullmatch(name):
            raise ValueError("A blob name is 32 lowercase hex digits.")
        return self.root / name[:2] / name[2:4] / name

    def write(self, name: str, data: bytes) -> None:
        path = self.path(name)
        created = _make_dirs(path.parent)
        descriptor, temp_name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=path.parent)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        # The rename is durable only once the folder that holds it is, and a new folder only
        # once its parent is.
        _fsync_dir(path.parent)
        for folder in created:
            _fsync_dir(folder.parent)

    def read(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, name: str) -> bool:
        """Remove a blob; False when it was already gone."""
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def blobs(self) -> Iterator[tuple[str, datetime]]:
        """Every blob's name and when it was last written."""
        for path, modified in self._files():
            name, folders = path.name, (path.parent.parent.name, path.parent.name)
            if BLOB_NAME.fullmatch(name) and folders == (name[:2], name[2:4]):
                yield name, modified

    def partial_files(self) -> Iterator[tuple[Path, datetime]]:
        """Temporary files left by writes that never finished (a process died)."""
        for path, modified in self._files():
            if path.name.startswith(PARTIAL_PREFIX):
                yield path, modified

    def _files(self) -> Iterator[tuple[Path, datetime]]:
        root = self.root
        if not root.is_dir():
            return
        for first in _subdirs(root):
            for second in _subdirs(first):
                with os.scandir(second) as entries:
                    for entry in entries:
                        if entry.is_file(follow_symlinks=False):
                            modified = entry.stat(follow_symlinks=False).st_mtime
                            yield Path(entry.path), datetime.fromtimestamp(modified, tz=UTC)


def _subdirs(folder: Path) -> list[Path]:
    with os.scandir(folder) as entries:
        return [
            Path(entry.path)
            for entry in entries
            if entry.is_dir(follow_symlinks=False) and len(entry.name) == 2
        ]


def _make_dirs(folder: Path) -> list[Path]:
    """Make the folder and any missing parents (owner only); the ones made, outermost first."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
    return list(reversed(missing))


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def photo_aad(photo_id: uuid.UUID | str) -> bytes:
    """The associated data that ties a blob to its row: a blob moved to another row fails."""
    return f"photo:{uuid.UUID(str(photo_id))}".encode()


def preview_aad(photo_id: uuid.UUID | str) -> bytes:
    return f"photo-preview:{uuid.UUID(str(photo_id))}".encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _delete_blob_after_commit(name: str) -> None:
    # Bound to today's folder now, not whatever settings say when the transaction commits.
    # Deleting after commit means a rollback never leaves a row without its blob; a crash
    # between commit and delete leaves a stray for housekeeping.
    transaction.on_commit(partial(BlobStore(BlobStore().root).delete, name), robust=True)


def store_photo(processed, *, practice, link, label: str, position: int, original_size: int):
    """Encrypt and store a processed photo, then create its row (in the caller's transaction).

    `processed` is the pipeline's ProcessedPhoto: data, content_type, format, original_format,
    width, height, sha256, problems, scores, preview. The blob is written first: if the row is
    never committed the blob is a stray, which housekeeping removes after an hour. The preview
    is sealed under the photo's key and kept in the row.
    """
    if link.photo_request.practice_id != practice.id:
        raise ValueError("The link belongs to another practice's request.")
    if label not in Label.values:
        raise ValueError(f"A photo's label is one of {Label.values}.")
    data = bytes(processed.data)
    sha256 = _sha256(data)
    if not hmac.compare_digest(sha256, processed.sha256):
        raise ValueError("The processed photo's SHA-256 does not match its bytes.")

    photo_id = uuid.uuid4()
    preview = bytes(processed.preview)
    sealed = crypto.seal(
        data,
        aad=photo_aad(photo_id),
        companions=((preview, preview_aad(photo_id)),) if preview else (),
    )
    store = BlobStore()
    blob_name = store.new_name()
    store.write(blob_name, sealed.ciphertext)
    try:
        return Photo.objects.create(
            id=photo_id,
            practice=practice,
            link=link,
            position=position,
            label=label,
            original_format=processed.original_format,
            original_size=original_size,
            content_type=processed.content_type,
            width=processed.width,
            height=processed.height,
            size=len(data),
            sha256=sha256,
            blob_name=blob_name,
            key_id=sealed.key_id,
            wrapped_key=sealed.wrapped_key,
            preview_ciphertext=sealed.companions[0] if sealed.companions else None,
            problems=list(processed.problems),
            scores=dict(processed.scores),
        )
    except BaseException:
        store.delete(blob_name)
        raise


def _integrity_alert(photo: Photo, reason: str) -> PhotoIntegrityError:
    # The photo's id only: never its bytes, its checksum, the patient or the link.
    logger.error(
        "ALERT photo integrity: photo %s %s. It was not shown.",
        photo.id,
        reason,
        extra={"alert": "photo_integrity", "photo_id": str(photo.id)},
    )
    return PhotoIntegrityError(f"Photo {photo.id} {reason}.")


def read_photo(photo: Photo) -> bytes:
    """The photo's bytes, exactly as stored; never bytes that fail any check.

    Raises `crypto.KeyDestroyed` for a photo whose key was destroyed, `crypto.UnknownKey`
    when its KEK is missing from settings, and `PhotoIntegrityError` (after logging an alert)
    when its blob is missing, changed, belongs to another photo, or does not match its SHA-256.
    """
    # The key as it is now, not as it was when the caller loaded the row: a removal that
    # committed since then must win, even before its blob is deleted.
    current = Photo.objects.filter(pk=photo.pk).values("wrapped_key", "key_id").first()
    if current is not None:
        photo.wrapped_key, photo.key_id = current["wrapped_key"], current["key_id"]
    if photo.wrapped_key is None:
        raise crypto.KeyDestroyed
    try:
        ciphertext = BlobStore().read(photo.blob_name)
    except FileNotFoundError:
        raise _integrity_alert(photo, "has no stored file") from None
    except ValueError:
        raise _integrity_alert(photo, "has a stored file name this service never made") from None
    try:
        data = crypto.open_sealed(
            ciphertext, key_id=photo.key_id, wrapped_key=photo.wrapped_key, aad=photo_aad(photo.id)
        )
    except crypto.AuthenticationFailed:
        raise _integrity_alert(
            photo, "could not be decrypted: its file or key was changed or swapped"
        ) from None
    except crypto.UnknownKey:
        logger.error(
            "Photo %s cannot be read: its key-encryption key is not configured.",
            photo.id,
            extra={"alert": "photo_key_missing", "photo_id": str(photo.id)},
        )
        raise
    if not hmac.compare_digest(_sha256(data), photo.sha256):
        raise _integrity_alert(photo, "does not match its SHA-256")
    return data


def read_preview(photo: Photo) -> bytes | None:
    """The photo's small preview, or None if it has none stored (photos from before previews).

    Raises what `read_photo` raises when the key is destroyed, missing or the bytes changed.
    """
    current = (
        Photo.objects.filter(pk=photo.pk).values("wrapped_key", "key_id", "preview_ciphertext")
    ).first()
    if current is None or current["wrapped_key"] is None:
        raise crypto.KeyDestroyed
    if current["preview_ciphertext"] is None:
        return None
    try:
        return crypto.open_sealed(
            bytes(current["preview_ciphertext"]),
            key_id=current["key_id"],
            wrapped_key=current["wrapped_key"],
            aad=preview_aad(photo.id),
        )
    except crypto.AuthenticationFailed:
        raise _integrity_alert(
            photo, "has a preview that could not be decrypted: it or its key was changed"
        ) from None


def destroy_photo_key(photo: Photo) -> None:
    """Make a photo unreadable for good: its wrapped key is removed and its blob deleted.

    The caller records who did this and why, in the same transaction. The blob goes when that
    transaction commits; without the key it could never be decrypted anyway.
    """
    Photo.objects.filter(pk=photo.pk).update(wrapped_key=None, preview_ciphertext=None)
    photo.wrapped_key = None
    photo.preview_ciphertext = None
    _delete_blob_after_commit(photo.blob_name)


def discard_unsent_photo(photo: Photo) -> bool:
    """Remove a photo the patient chose but never sent (row and blob). False if it was gone.

    A sent photo is part of a submission and is never removed this way.
    """
    if photo.response_id is not None:
        raise ValueError("This photo was sent; it is not discarded this way.")
    deleted, _ = Photo.objects.filter(pk=photo.pk, response__isnull=True).delete()
    if deleted:
        _delete_blob_after_commit(photo.blob_name)
    return bool(deleted)
