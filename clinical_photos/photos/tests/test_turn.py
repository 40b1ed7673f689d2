"""Turning a stored photo to look at it: the same pixels, turned, and nothing else changed."""

import io

import pytest
from PIL import Image, ImageChops, ImageOps

from clinical_photos.photos import jpeg_segments, turn

from .images import encode, picture, reddest_corner


def upright(data: bytes) -> Image.Image:
    """The picture as a browser shows it: the Exif orientation applied."""
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def stored_jpeg(orientation: int) -> bytes:
    """A JPEG as the service stores one: the phone's pixels, with only an Exif orientation."""
    data = encode(picture((64, 32)), "JPEG", quality=90)
    return jpeg_segments.strip_metadata(jpeg_segments.parse(data), orientation=orientation)


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_jpeg_is_turned_without_touching_its_pixels(orientation, degrees):
    stored = stored_jpeg(orientation)

    turned = turn.turned(stored, "image/jpeg", degrees)

    # Clockwise, as the page says; Pillow's rotate() turns the other way.
    assert same_pixels(upright(turned), upright(stored).rotate(-degrees, expand=True))
    # Only the orientation changed: the compressed picture is byte for byte the same.
    kept = [s.to_bytes() for s in jpeg_segments.parse(stored).segments if s.marker != 0xE1]
    assert [s.to_bytes() for s in jpeg_segments.parse(turned).segments if s.marker != 0xE1] == kept


def test_a_quarter_turn_right_puts_the_top_left_corner_top_right():
    turned = turn.turned(stored_jpeg(1), "image/jpeg", 90)
    assert reddest_corner(upright(turned)) == "top_right"
    assert upright(turned).size == (32, 64)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_png_is_turned_losslessly(degrees):
    stored = encode(picture((64, 32)), "PNG")

    turned = turn.turned(stored, "image/png", degrees)

    assert same_pixels(upright(turned), upright(stored).rotate(-degrees, expand=True))
    assert Image.open(io.BytesIO(turned)).format == "PNG"


@pytest.mark.parametrize(("asked", "kept"), [("90", 90), ("180", 180), ("270", 270), ("0", 0)])
def test_a_quarter_turn_is_read_from_a_query(asked, kept):
    assert turn.quarter_turn(asked) == kept


@pytest.mark.parametrize("asked", [None, "", "45", "360", "-90", "abc", "9" * 5000, "90\x00", "٩٠"])
def test_anything_else_is_no_turn(asked):
    assert turn.quarter_turn(asked) == 0
