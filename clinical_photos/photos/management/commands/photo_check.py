"""Run the upload pipeline on files from disk and say what it would store, one JSON line each.

For checking a photo a patient says was refused, or a new phone's files, without the website.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinical_photos.photos.pipeline import MAX_FILE_BYTES, PhotoRejected, process_photo

USAGE_ERROR = 2
EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}


class Command(BaseCommand):
    help = (
        "Check photo files exactly as an upload is checked (process_photo) and print one JSON "
        "object per file per line: file, accepted, error (the message the patient would see), "
        "code, format, width, height, problems, scores, original_format, sha256, size. "
        "Exits 0 when every file was judged, even if refused; 2 on a usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Photo files to check.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print JSON lines (the only output format; accepted for compatibility).",
        )
        parser.add_argument(
            "--clean-dir",
            metavar="DIR",
            help=(
                "Also write the exact bytes that would be stored (before encryption) into DIR, "
                "under each file's own name. When the stored format differs from the file's "
                "extension (a HEIC or WebP becomes JPEG or PNG), the extension is changed to "
                ".jpg or .png. Files already in DIR with that name are replaced."
            ),
        )

    def handle(self, *args, **options):
        paths = [Path(name) for name in options["files"]]
        for path in paths:
            if not path.is_file() or not os.access(path, os.R_OK):
                raise CommandError(f"Cannot read {path}: not a readable file.", returncode=2)
        clean_dir = options["clean_dir"]
        if clean_dir is not None and not Path(clean_dir).is_dir():
            raise CommandError(f"--clean-dir {clean_dir} is not a directory.", returncode=2)

        written: set[Path] = set()
        for path in paths:
            try:
                with path.open("rb") as f:
                    # One byte over the limit is enough for the pipeline to refuse a big file.
                    data = f.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}.", returncode=2) from None
            result = judge(str(path), data)
            if clean_dir is not None and result["accepted"]:
                target = clean_name(Path(clean_dir), path, result["format"], written)
                target.write_bytes(result.pop("_data"))
                written.add(target)
                result["clean_file"] = str(target)
            result.pop("_data", None)
            self.stdout.write(json.dumps(result))


def judge(name: str, data: bytes) -> dict:
    try:
        photo = process_photo(data, filename=Path(name).name)
    except PhotoRejected as rejected:
        return {
            "file": name,
            "accepted": False,
            "error": rejected.message,
            "code": rejected.code,
            "format": None,
            "width": None,
            "height": None,
            "problems": [],
            "scores": {},
            "original_format": None,
            "sha256": None,
            "size": None,
        }
    return {
        "file": name,
        "accepted": True,
        "error": None,
        "code": None,
        "format": photo.format,
        "width": photo.width,
        "height": photo.height,
        "problems": list(photo.problems),
        "scores": dict(photo.scores),
        "original_format": photo.original_format,
        "sha256": photo.sha256,
        "size": len(photo.data),
        "_data": photo.data,
    }


def clean_name(directory: Path, source: Path, stored_format: str, taken: set[Path]) -> Path:
    """DIR/<name>, with the stored format's extension if the name's does not match it; two
    inputs with the same name (from different folders) get -2, -3... rather than overwrite."""
    extensions = EXTENSIONS[stored_format]
    name = source.name if source.suffix.lower() in extensions else source.stem + extensions[0]
    target = directory / name
    number = 2
    while target in taken:
        target = directory / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return target
