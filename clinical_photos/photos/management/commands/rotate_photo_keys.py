"""Move every stored data key onto the current key-encryption key.

To rotate: add a new key to PHOTO_ENCRYPTION_KEYS, point PHOTO_ENCRYPTION_KEY_ID at it, restart,
run this command, check with `--check`, and only then remove the old key. Only the 60-byte
wrapped keys change; photos' blobs are never read or rewritten. What patients write (see
ENCRYPTED_TEXT_FIELDS) is sealed under the same keys, so it is moved too: otherwise removing the
old key would lose it while `--check` said all was well.

Safe to stop and run again: each batch is one transaction, and a key already under the current
KEK is left alone. Photos whose keys were destroyed have nothing to move and are skipped.
"""

from collections import Counter

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from clinical_photos.photos import crypto
from clinical_photos.photos.models import Photo

# Every field that holds `crypto.encrypt_text` output. A new one must be added here.
ENCRYPTED_TEXT_FIELDS = [
    ("patient_upload.PatientResponse", "text_encrypted"),
    ("photo_requests.PatientLink", "draft_note_encrypted"),
]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Re-wrap every photo's key, and every patient text's key, under "
        "PHOTO_ENCRYPTION_KEY_ID. Photos themselves are not rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; count keys still under older key ids, exit 1 if there are any.",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, check: bool, batch_size: int, **options):
        ring = crypto.KeyRing.from_settings()
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if check:
            self._check(ring)
        else:
            self._rotate(ring, batch_size)

    def _check(self, ring: crypto.KeyRing) -> None:
        photos = Counter(
            dict(
                Photo.objects.filter(wrapped_key__isnull=False)
                .exclude(key_id=ring.current_id)
                .values_list("key_id")
                .annotate(count=Count("pk"))
                .order_by()
            )
        )
        texts, unreadable_texts = Counter(), 0
        for model, field in _text_fields():
            for blob in _encrypted(model, field).values_list(field, flat=True).iterator():
                try:
                    key_id = crypto.text_key_id(blob)
                except crypto.Unreadable:
                    unreadable_texts += 1
                    continue
                if key_id != ring.current_id:
                    texts[key_id] += 1
        if not photos and not texts and not unreadable_texts:
            self.stdout.write(f"Every photo and text key is under {ring.current_id!r}.")
            return
        for key_id in sorted(photos.keys() | texts.keys()):
            missing = "" if key_id in ring.keys else " (this key is not configured)"
            self.stdout.write(
                f"{key_id!r}: {_plural(photos[key_id], 'photo')}, "
                f"{_plural(texts[key_id], 'text')}{missing}"
            )
        if unreadable_texts:
            self.stdout.write(
                f"{_plural(unreadable_texts, 'text')} could not be parsed: they are not "
                f"encrypted text this service wrote."
            )
        raise CommandError(
            f"{_plural(photos.total(), 'photo')} and {_plural(texts.total(), 'text')} are "
            f"still under older keys; {unreadable_texts} unparsable. Remove no key until this "
            f"says all is well (run `manage.py rotate_photo_keys`).",
            returncode=1,
        )

    def _rotate(self, ring: crypto.KeyRing, batch_size: int) -> None:
        current = ring.current_id
        photos_moved, photos_failed = _rotate_photos(current, batch_size)
        texts_moved, texts_failed = 0, Counter()
        for model, field in _text_fields():
            moved, failed = _rotate_texts(model, field, current, batch_size)
            texts_moved, texts_failed = texts_moved + moved, texts_failed + failed
        photos_current = Photo.objects.filter(key_id=current, wrapped_key__isnull=False).count()
        destroyed = Photo.objects.filter(wrapped_key__isnull=True).count()
        self.stdout.write(
            f"Re-wrapped {_plural(photos_moved, 'photo key')} and "
            f"{_plural(texts_moved, 'text key')} under {current!r}. "
            f"{_plural(photos_current, 'photo')} now under it; "
            f"{_plural(destroyed, 'photo')} skipped (key destroyed)."
        )
        failed = photos_failed + texts_failed
        if failed:
            for key_id, count in sorted(failed.items()):
                self.stderr.write(f"Could not re-wrap {_plural(count, 'key')} under {key_id!r}.")
            raise CommandError(
                f"{_plural(failed.total(), 'key')} could not be re-wrapped: their key-encryption "
                f"key is missing or they were changed. Keep every old key until this is fixed.",
                returncode=1,
            )


def _text_fields():
    for label, field in ENCRYPTED_TEXT_FIELDS:
        model = apps.get_model(label)
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            # Listed ahead of a change still being made elsewhere; nothing is stored in it yet.
            continue
        yield model, field


def _encrypted(model, field):
    return model.objects.filter(**{f"{field}__isnull": False}).order_by("pk")


def _rotate_photos(current: str, batch_size: int) -> tuple[int, Counter]:
    moved, failed = 0, Counter()
    to_move = Photo.objects.filter(wrapped_key__isnull=False).exclude(key_id=current).order_by("pk")
    after = None
    while True:
        page = to_move if after is None else to_move.filter(pk__gt=after)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return moved, failed
        after = ids[-1]
        with transaction.atomic():
            changed = []
            # Locked and read again: a key destroyed or moved meanwhile is left as it is now.
            for photo in to_move.select_for_update().filter(pk__in=ids):
                try:
                    photo.key_id, photo.wrapped_key = crypto.rewrap(photo.key_id, photo.wrapped_key)
                except crypto.Unreadable:
                    failed[photo.key_id] += 1
                    continue
                changed.append(photo)
            Photo.objects.bulk_update(changed, ["key_id", "wrapped_key"])
            moved += len(changed)


def _rotate_texts(model, field: str, current: str, batch_size: int) -> tuple[int, Counter]:
    moved, failed = 0, Counter()
    after = None
    while True:
        page = _encrypted(model, field)
        if after is not None:
            page = page.filter(pk__gt=after)
        ids = list(page.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return moved, failed
        after = ids[-1]
        with transaction.atomic():
            changed = []
            for row in _encrypted(model, field).select_for_update().filter(pk__in=ids):
                blob = bytes(getattr(row, field))
                try:
                    if crypto.text_key_id(blob) == current:
                        continue
                    setattr(row, field, crypto.rewrap_text(blob))
                except crypto.UnknownKey as error:
                    failed[error.key_id] += 1
                    continue
                except crypto.Unreadable:
                    failed["(unreadable)"] += 1
                    continue
                changed.append(row)
            model.objects.bulk_update(changed, [field])
            moved += len(changed)
