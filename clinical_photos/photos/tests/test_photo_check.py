"""`manage.py photo_check`: the upload pipeline from the command line, one JSON line per file."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from clinical_photos.core.tests.manage import run_manage
from clinical_photos.photos.pipeline import process_photo

from . import images


def run_command(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("photo_check", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def photos(tmp_path) -> dict[str, Path]:
    files = {
        "phone": ("IMG_0001.JPG", images.phone_jpeg()[0]),
        "heic": ("IMG_0002.HEIC", images.heic_with_gps()),
        "html": ("holiday.jpg", b"<!DOCTYPE html><html><body>not a photo</body></html>"),
    }
    paths = {}
    for key, (name, data) in files.items():
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths[key] = path
    return paths


def test_prints_one_json_line_per_file_with_the_pipelines_verdict(photos):
    lines = run_command("--json", str(photos["phone"]), str(photos["html"]))

    accepted, refused = lines
    expected = process_photo(photos["phone"].read_bytes())
    assert accepted == {
        "file": str(photos["phone"]),
        "accepted": True,
        "error": None,
        "code": None,
        "format": "JPEG",
        "width": 64,
        "height": 32,
        "problems": list(expected.problems),
        "scores": expected.scores,
        "original_format": "JPEG",
        "sha256": expected.sha256,
        "size": len(expected.data),
    }
    # A 64 x 32 picture is far too small for a clinician to see anything in.
    assert "low_resolution" in accepted["problems"]
    assert accepted["scores"]["short_side"] == 32
    assert refused["file"] == str(photos["html"])
    assert refused["accepted"] is False
    assert refused["error"].startswith("This file is a web page, not a photo.")
    assert refused["code"] == "not_a_photo"
    assert refused["format"] is None
    assert refused["width"] is None and refused["height"] is None
    assert refused["problems"] == [] and refused["scores"] == {}


def test_without_json_the_output_is_the_same(photos):
    assert run_command(str(photos["phone"])) == run_command("--json", str(photos["phone"]))


def test_clean_dir_gets_the_exact_bytes_that_would_be_stored(photos, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()

    lines = run_command("--clean-dir", str(clean), *map(str, photos.values()))

    phone, heic, html = lines
    written = clean / "IMG_0001.JPG"
    assert phone["clean_file"] == str(written)
    assert hashlib.sha256(written.read_bytes()).hexdigest() == phone["sha256"]
    assert written.read_bytes() == process_photo(photos["phone"].read_bytes()).data
    # The GPS the phone wrote is not in what would be stored.
    with Image.open(photos["phone"]) as original, Image.open(written) as stored:
        assert original.getexif().get_ifd(images.GPS_IFD)
        assert not stored.getexif().get_ifd(images.GPS_IFD)
    assert images.GPS_SENTINEL not in written.read_bytes()
    # A HEIC is stored as a JPEG, so its copy is named for that.
    assert heic["clean_file"] == str(clean / "IMG_0002.jpg")
    with Image.open(clean / "IMG_0002.jpg") as converted:
        assert converted.format == "JPEG"
    assert "clean_file" not in html
    assert sorted(p.name for p in clean.iterdir()) == ["IMG_0001.JPG", "IMG_0002.jpg"]


def test_two_files_with_the_same_name_do_not_overwrite_each_other(tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "photo.png").write_bytes(images.encode(images.picture(), "PNG"))

    lines = run_command(
        "--clean-dir", str(clean), str(tmp_path / "a/photo.png"), str(tmp_path / "b/photo.png")
    )

    assert [line["clean_file"] for line in lines] == [
        str(clean / "photo.png"),
        str(clean / "photo-2.png"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{phone}", "{missing}"], "Cannot read {missing}: not a readable file."),
        (["{folder}"], "Cannot read {folder}: not a readable file."),
        (["--clean-dir", "{nowhere}", "{phone}"], "--clean-dir {nowhere} is not a directory."),
        (["--clean-dir", "{phone}", "{phone}"], "--clean-dir {phone} is not a directory."),
    ],
)
def test_a_command_used_wrongly_says_why_and_judges_nothing(photos, tmp_path, args, message):
    paths = {
        "phone": photos["phone"],
        "missing": tmp_path / "missing.jpg",
        "folder": tmp_path,
        "nowhere": tmp_path / "nowhere",
    }
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("photo_check", *[arg.format(**paths) for arg in args], stdout=out)

    assert str(raised.value) == message.format(**paths)
    assert raised.value.returncode == 2  # what the shell gets, as for any usage error
    assert out.getvalue() == ""  # nothing judged when the command was used wrongly


def test_no_files_is_a_usage_error(db):
    with pytest.raises(CommandError, match="the following arguments are required: FILE"):
        call_command("photo_check")


class TestExitCodes:
    """What a script that runs the command sees: these need a process of its own."""

    def test_0_when_every_file_was_judged_even_if_refused(self, photos):
        result = run_manage("photo_check", "--json", str(photos["phone"]), str(photos["html"]))

        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert [line["accepted"] for line in lines] == [True, False]

    def test_2_for_a_command_used_wrongly(self, tmp_path):
        missing = tmp_path / "missing.jpg"

        no_files, unreadable = (
            run_manage("photo_check", "--json"),
            run_manage("photo_check", str(missing)),
        )

        for result in (no_files, unreadable):
            assert result.returncode == 2
            assert result.stdout == ""
            assert "Traceback" not in result.stderr
        assert "the following arguments are required: FILE" in no_files.stderr
        assert f"Cannot read {missing}: not a readable file." in unreadable.stderr
