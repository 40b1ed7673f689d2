"""What the upload pipeline stores for each kind of photo, and what it refuses."""

import hashlib
import io
import logging
import struct
import warnings
from unittest import mock

import pytest
from PIL import Image, ImageOps

from clinical_photos.photos import jpeg_segments, pipeline, quality
from clinical_photos.photos.pipeline import PhotoRejected, process_photo

from . import images


def stored_image(photo) -> Image.Image:
    image = Image.open(io.BytesIO(photo.data))
    image.load()
    return image


def assert_browser_ready(photo):
    image = stored_image(photo)
    assert image.format == photo.format
    assert photo.content_type == {"JPEG": "image/jpeg", "PNG": "image/png"}[photo.format]
    assert image.mode in ("RGB", "RGBA")
    assert image.size == (photo.width, photo.height)
    # Every test image here is tiny: the checks say so, and still judge the rest.
    assert "low_resolution" in photo.problems
    assert set(photo.problems) <= set(quality.PROBLEMS)
    assert {"sharpness", "darkness", "brightness", "short_side"} <= photo.scores.keys()
    preview = Image.open(io.BytesIO(photo.preview))
    assert preview.format == "JPEG"
    assert max(preview.size) <= 512
    assert "exif" not in preview.info
    return image


def refusal(data: bytes) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        process_photo(data)
    return caught.value


class TestPhoneJpeg:
    def test_keeps_the_compressed_pixels_byte_for_byte(self):
        data, scan = images.phone_jpeg()

        photo = process_photo(data, filename="IMG_0001.JPG")

        # Everything from the first scan to the end-of-image marker is exactly what was sent.
        assert photo.data.endswith(scan)
        assert photo.format == photo.original_format == "JPEG"
        assert (photo.width, photo.height) == (64, 32)

    def test_removes_every_kind_of_metadata_and_whatever_follows_the_image(self):
        data, _ = images.phone_jpeg()
        for sentinel in images.ALL_SENTINELS:  # the test image really carries all of it
            assert sentinel in data
        original = Image.open(io.BytesIO(data)).getexif()
        assert original.get_ifd(images.GPS_IFD)

        photo = process_photo(data)

        for sentinel in images.ALL_SENTINELS:
            assert sentinel not in photo.data, sentinel
        assert b"Exif" not in photo.data  # orientation 1: no Exif at all
        assert b"http://ns.adobe.com/xap" not in photo.data
        assert b"Photoshop 3.0" not in photo.data
        assert photo.data.count(b"\xff\xd8") == 1  # no thumbnail or second image inside
        assert photo.data.endswith(b"\xff\xd9")
        image = assert_browser_ready(photo)
        assert not image.getexif()
        assert "comment" not in image.info

    def test_keeps_the_colour_profile(self):
        data, _ = images.phone_jpeg()

        photo = process_photo(data)

        assert stored_image(photo).info["icc_profile"] == images.srgb_icc()

    def test_the_stored_bytes_are_only_the_segments_needed_to_show_it(self):
        data, _ = images.phone_jpeg()

        parsed = jpeg_segments.parse(process_photo(data).data)

        markers = {segment.marker for segment in parsed.segments}
        assert markers <= {0xE2, 0xDB, 0xC0, 0xC4, 0xDA}
        assert parsed.trailing == 0

    def test_orientation_6_is_kept_as_a_bare_exif_orientation_and_the_size_is_as_shown(self):
        data, scan = images.phone_jpeg(orientation=6)

        photo = process_photo(data)

        assert (photo.width, photo.height) == (32, 64)  # a quarter turn when shown
        assert photo.data.endswith(scan)  # pixels untouched
        image = stored_image(photo)
        exif = image.getexif()
        assert dict(exif) == {images.ORIENTATION: 6}
        assert not exif.get_ifd(images.GPS_IFD)
        assert b"Exif\x00\x00" + jpeg_segments.orientation_only_exif(6) in photo.data
        for sentinel in images.ALL_SENTINELS:
            assert sentinel not in photo.data
        # A viewer that follows the orientation shows the red corner top right, as the phone did.
        assert images.reddest_corner(ImageOps.exif_transpose(image)) == "top_right"

    @pytest.mark.parametrize("orientation", [2, 3, 4, 5, 7, 8])
    def test_every_other_orientation_is_kept(self, orientation):
        data, _ = images.phone_jpeg(orientation=orientation)

        photo = process_photo(data)

        assert dict(stored_image(photo).getexif()) == {images.ORIENTATION: orientation}
        expected = (32, 64) if orientation >= 5 else (64, 32)
        assert (photo.width, photo.height) == expected

    def test_a_plain_jpeg_is_stored_unchanged(self):
        data = images.encode(images.picture(), "JPEG", quality=85)

        photo = process_photo(data)

        assert photo.data == data  # Pillow's JFIF header is already minimal
        assert photo.sha256 == hashlib.sha256(data).hexdigest()

    def test_a_jfif_jpeg_with_exif_gets_a_minimal_jfif_and_a_bare_orientation(self):
        exif = images.exif_with_gps(orientation=8).tobytes()
        data = images.encode(images.picture(), "JPEG", exif=exif, dpi=(300, 300))

        photo = process_photo(data)

        parsed = jpeg_segments.parse(photo.data)
        app0, app1 = parsed.segments[:2]
        assert app0.payload == b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        assert app1.payload == b"Exif\x00\x00" + jpeg_segments.orientation_only_exif(8)
        assert images.GPS_SENTINEL not in photo.data
        assert (photo.width, photo.height) == (32, 64)

    def test_a_progressive_jpeg_keeps_all_its_scans(self):
        clean = images.without_app0(
            images.encode(images.picture((80, 48)), "JPEG", progressive=True, quality=80)
        )
        data = clean[:2] + images.segment(0xE1, images.phone_exif()) + clean[2:]

        photo = process_photo(data)

        assert photo.data.endswith(images.scan_data(clean))
        assert (photo.width, photo.height) == (80, 48)

    def test_a_greyscale_jpeg_is_kept_as_it_is(self):
        data = images.encode(images.picture().convert("L"), "JPEG")

        photo = process_photo(data)

        assert photo.data == data
        assert stored_image(photo).mode == "L"

    def test_a_cmyk_jpeg_is_converted_to_rgb(self):
        data = images.encode(images.picture().convert("CMYK"), "JPEG", quality=95)

        photo = process_photo(data)

        image = assert_browser_ready(photo)
        assert image.mode == "RGB"
        assert images.reddest_corner(image) == "top_left"

    def test_a_one_pixel_jpeg(self):
        photo = process_photo(images.encode(Image.new("RGB", (1, 1), "red"), "JPEG"))

        assert (photo.width, photo.height) == (1, 1)


class TestHeic:
    def test_becomes_a_jpeg_the_right_way_up_with_no_exif_or_xmp(self):
        data = images.heic_with_gps(orientation=6)
        assert images.GPS_SENTINEL in data and images.XMP_SENTINEL in data

        photo = process_photo(data, filename="IMG_0002.HEIC")

        assert photo.original_format == "HEIF"
        assert photo.format == "JPEG"
        assert (photo.width, photo.height) == (32, 64)
        image = assert_browser_ready(photo)
        assert images.reddest_corner(image) == "top_right"
        assert not image.getexif()
        assert b"Exif" not in photo.data
        assert b"xmp" not in photo.data.lower()
        for sentinel in images.ALL_SENTINELS:
            assert sentinel not in photo.data

    def test_keeps_the_colour_profile(self):
        photo = process_photo(images.heic_with_gps())

        assert stored_image(photo).info["icc_profile"] == images.srgb_icc()

    def test_an_upright_heic(self):
        photo = process_photo(images.heic_with_gps(orientation=1))

        assert (photo.width, photo.height) == (64, 32)
        assert images.reddest_corner(stored_image(photo)) == "top_left"

    def test_a_transparent_heic_becomes_a_png(self):
        image = images.picture().convert("RGBA")
        image.putpixel((60, 30), (0, 0, 255, 0))

        photo = process_photo(images.encode(image, "HEIF", quality=-1))

        assert photo.format == "PNG"
        assert assert_browser_ready(photo).mode == "RGBA"


class TestPng:
    def test_drops_text_xmp_and_exif_chunks_and_keeps_the_colour_profile(self):
        data = images.png_with_text_and_exif()
        for kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"pHYs"):
            assert kind in images.png_chunk_types(data)

        photo = process_photo(data)

        assert images.png_chunk_types(photo.data) == [b"IHDR", b"iCCP", b"IDAT", b"IEND"]
        for sentinel in images.ALL_SENTINELS:
            assert sentinel not in photo.data
        image = assert_browser_ready(photo)
        assert image.info["icc_profile"] == images.srgb_icc()
        assert images.reddest_corner(image) == "top_left"
        assert photo.format == photo.original_format == "PNG"

    def test_exif_orientation_is_applied_to_the_pixels(self):
        photo = process_photo(images.png_with_text_and_exif(orientation=6))

        assert (photo.width, photo.height) == (32, 64)
        assert images.reddest_corner(stored_image(photo)) == "top_right"
        assert b"eXIf" not in photo.data

    def test_the_pixels_are_unchanged(self):
        source = images.picture()

        photo = process_photo(images.encode(source, "PNG"))

        assert stored_image(photo).tobytes() == source.tobytes()

    def test_16_bit_greyscale_is_scaled_not_clipped(self):
        rows = struct.pack(">4H", 65535, 32896, 0, 257)

        photo = process_photo(images.raw_png(4, 1, bit_depth=16, colour_type=0, rows=rows))

        image = assert_browser_ready(photo)
        assert image.mode == "RGB"
        assert [image.getpixel((x, 0)) for x in range(4)] == [
            (255, 255, 255),
            (128, 128, 128),
            (0, 0, 0),
            (1, 1, 1),
        ]

    def test_16_bit_colour_with_and_without_alpha(self):
        rgb = process_photo(
            images.raw_png(1, 1, bit_depth=16, colour_type=2, rows=struct.pack(">3H", 65535, 0, 0))
        )
        rgba = process_photo(
            images.raw_png(
                1, 1, bit_depth=16, colour_type=6, rows=struct.pack(">4H", 0, 0, 65535, 0)
            )
        )

        assert stored_image(rgb).getpixel((0, 0)) == (255, 0, 0)
        assert stored_image(rgba).mode == "RGBA"
        assert stored_image(rgba).getpixel((0, 0))[3] == 0

    def test_palette(self):
        source = images.picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)

        photo = process_photo(images.encode(source, "PNG"))

        image = assert_browser_ready(photo)
        assert image.mode == "RGB"
        assert images.reddest_corner(image) == "top_left"

    def test_palette_with_a_transparent_colour_keeps_its_transparency(self):
        source = images.picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
        blue_index = source.getpixel((40, 20))

        photo = process_photo(images.encode(source, "PNG", transparency=blue_index))

        image = assert_browser_ready(photo)
        assert image.mode == "RGBA"
        assert image.getpixel((40, 20))[3] == 0
        assert image.getpixel((0, 0)) == (255, 0, 0, 255)

    def test_rgba_keeps_its_transparency(self):
        source = images.picture().convert("RGBA")
        source.putpixel((63, 31), (0, 0, 255, 100))

        photo = process_photo(images.encode(source, "PNG"))

        image = assert_browser_ready(photo)
        assert image.tobytes() == source.tobytes()

    def test_rgba_with_nothing_see_through_becomes_rgb(self):
        photo = process_photo(images.encode(images.picture().convert("RGBA"), "PNG"))

        assert assert_browser_ready(photo).mode == "RGB"

    def test_greyscale_with_alpha_and_one_bit(self):
        la = images.picture().convert("LA")
        la.putpixel((0, 0), (10, 0))

        assert assert_browser_ready(process_photo(images.encode(la, "PNG"))).mode == "RGBA"
        one_bit = images.encode(images.picture().convert("1"), "PNG")
        assert assert_browser_ready(process_photo(one_bit)).mode == "RGB"

    def test_a_one_pixel_png(self):
        photo = process_photo(images.encode(Image.new("RGB", (1, 1), "red"), "PNG"))

        assert (photo.width, photo.height) == (1, 1)
        assert stored_image(photo).getpixel((0, 0)) == (255, 0, 0)

    def test_data_after_the_end_is_not_stored(self):
        data = images.encode(images.picture(), "PNG") + images.TRAILER_SENTINEL

        photo = process_photo(data)

        assert images.TRAILER_SENTINEL not in photo.data


class TestWebp:
    def test_becomes_a_jpeg_with_no_exif(self):
        data = images.encode(
            images.picture(), "WEBP", quality=90, exif=images.exif_with_gps().tobytes()
        )
        assert images.GPS_SENTINEL in data

        photo = process_photo(data)

        assert photo.original_format == "WEBP"
        assert photo.format == "JPEG"
        image = assert_browser_ready(photo)
        assert not image.getexif()
        assert images.GPS_SENTINEL not in photo.data
        assert images.reddest_corner(image) == "top_left"

    def test_orientation_is_applied(self):
        data = images.encode(
            images.picture(), "WEBP", quality=90, exif=images.exif_with_gps(6).tobytes()
        )

        photo = process_photo(data)

        assert (photo.width, photo.height) == (32, 64)
        assert images.reddest_corner(stored_image(photo)) == "top_right"

    def test_a_transparent_webp_becomes_a_png(self):
        source = images.picture().convert("RGBA")
        source.putpixel((63, 31), (0, 0, 255, 0))

        photo = process_photo(images.encode(source, "WEBP", lossless=True))

        assert photo.format == "PNG"
        assert assert_browser_ready(photo).getpixel((63, 31))[3] == 0


class TestRefused:
    @pytest.mark.parametrize(
        ("data", "code", "words"),
        [
            pytest.param(
                b"<!DOCTYPE html><html><body>Hello</body></html>",
                "not_a_photo",
                "This file is a web page, not a photo.",
                id="html",
            ),
            pytest.param(
                b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
                "not_a_photo",
                "This file is a drawing (SVG), not a photo.",
                id="svg",
            ),
            pytest.param(
                b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
                "not_a_photo",
                "This file is a PDF document, not a photo.",
                id="pdf",
            ),
            pytest.param(
                b"#!/bin/sh\necho hello\n",
                "not_a_photo",
                "This file is a program or script, not a photo.",
                id="script",
            ),
            pytest.param(
                b"Dear doctor, my rash is getting worse.\n",
                "not_a_photo",
                "This file is a text file, not a photo.",
                id="text",
            ),
            pytest.param(
                b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
                "not_a_photo",
                "This file is a video, not a photo.",
                id="video",
            ),
            pytest.param(
                images.encode(images.picture(), "TIFF"),
                "unsupported_image",
                "We cannot accept TIFF images.",
                id="tiff",
            ),
            pytest.param(
                images.encode(images.picture(), "GIF"),
                "unsupported_image",
                "We cannot accept GIF images.",
                id="gif",
            ),
            pytest.param(
                images.encode(images.picture(), "BMP"),
                "unsupported_image",
                "We cannot accept BMP images.",
                id="bmp",
            ),
            pytest.param(
                images.fits(), "unsupported_image", "We cannot accept FITS images.", id="fits"
            ),
            pytest.param(
                b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
                "unsupported_image",
                "We cannot accept AVIF images.",
                id="avif",
            ),
            pytest.param(
                bytes(range(256)) * 4,
                "not_a_photo",
                "We cannot open this file as a photo.",
                id="unknown",
            ),
            pytest.param(
                b"BMI 27, weight going down\n",
                "not_a_photo",
                "This file is a text file, not a photo.",
                id="text-starting-like-a-bitmap",
            ),
            pytest.param(b"", "empty", "This file is empty.", id="empty"),
        ],
    )
    def test_files_that_are_not_photos_we_take(self, data, code, words):
        rejected = refusal(data)

        assert rejected.code == code
        assert rejected.message.startswith(words)
        if code in ("not_a_photo", "unsupported_image"):
            assert "Send a photo saved as a JPEG, PNG, HEIC or WebP file" in rejected.message

    def test_the_file_name_and_declared_type_count_for_nothing(self):
        html = b"<html><body>not a photo</body></html>"

        assert refusal(html).code == "not_a_photo"
        with pytest.raises(PhotoRejected):
            process_photo(html, filename="IMG_0001.jpg")

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param(images.phone_jpeg()[0][:1500], id="jpeg"),
            pytest.param(images.encode(images.picture(), "PNG")[:-30], id="png"),
            pytest.param(images.encode(images.picture(), "WEBP")[:-20], id="webp"),
            pytest.param(images.heic_with_gps()[:-50], id="heic"),
        ],
    )
    def test_a_truncated_photo(self, data):
        rejected = refusal(data)

        assert rejected.code == "truncated"
        assert rejected.message.startswith("Part of this photo is missing.")
        assert "Try sending it again" in rejected.message

    def test_a_jpeg_cut_just_before_its_end_marker(self):
        data = images.encode(images.picture(), "JPEG")

        assert refusal(data[:-2]).code == "truncated"

    def test_a_corrupt_png(self):
        png = images.encode(images.picture(), "PNG")
        idat = png.index(b"IDAT")
        (length,) = struct.unpack_from(">I", png, idat - 4)
        broken = png[: idat + 4] + b"\x78\x9c" + b"\xff" * (length - 2) + png[idat + 4 + length :]

        rejected = refusal(broken)

        assert rejected.code == "corrupt"
        assert rejected.message.startswith("This photo is damaged and we cannot open it.")

    def test_a_corrupt_jpeg(self):
        data = bytearray(images.encode(images.picture(), "JPEG"))
        sof = data.index(b"\xff\xc0")
        data[sof + 11] = 0x00  # the first component's sampling factors: impossible

        rejected = refusal(bytes(data))

        assert rejected.code == "corrupt"
        assert rejected.message.startswith("This photo is damaged and we cannot open it.")

    def test_a_jpeg_with_a_broken_segment_length(self):
        data = images.encode(images.picture(), "JPEG")
        broken = data[:4] + b"\x00\x01" + data[6:]

        assert refusal(broken).code == "corrupt"

    def test_a_file_over_20_mb(self):
        data = images.encode(images.picture(), "JPEG")
        big = data + b"\x00" * (pipeline.MAX_FILE_BYTES + 1 - len(data))

        rejected = refusal(big)

        assert rejected.code == "too_large"
        assert rejected.message.startswith(
            "This photo is too big. Each photo must be 20 MB or smaller."
        )

    def test_exactly_20_mb_is_not_too_big(self):
        data = images.encode(images.picture(), "JPEG")
        padded = data + b"\x00" * (pipeline.MAX_FILE_BYTES - len(data))

        photo = process_photo(padded)

        assert photo.data == data  # the padding came after the end of the image, so it is cut

    def test_an_animated_png_or_webp(self):
        frames = [images.picture(), images.picture().rotate(180)]
        webp = images.encode(frames[0], "WEBP", save_all=True, append_images=frames[1:])

        for data in (images.apng(), webp):
            rejected = refusal(data)
            assert rejected.code == "animated"
            assert rejected.message == "This is a moving image. Send a still photo instead."


class TestTooManyPixels:
    def test_a_60_megapixel_png_bomb_is_refused_from_its_header_without_decoding(self):
        bomb = images.png_bomb(10_000, 6_000)
        assert len(bomb) < 200_000  # small on disk, 60 million pixels once decoded

        with mock.patch.object(Image, "open", wraps=Image.open) as opened:
            rejected = refusal(bomb)

        assert opened.call_count == 0  # Pillow never even parsed it, let alone decoded it
        assert rejected.code == "too_many_pixels"
        assert rejected.message.startswith("This photo has too many pixels")

    def test_a_jpeg_header_claiming_60_megapixels(self):
        with mock.patch.object(Image, "open", wraps=Image.open) as opened:
            assert refusal(images.jpeg_with_size_in_header(10_000, 6_000)).code == (
                "too_many_pixels"
            )
        assert opened.call_count == 0

    def test_a_webp_header_claiming_60_megapixels(self):
        data = images.webp_vp8x_with_size(10_000, 6_000)

        assert refusal(data).code == "too_many_pixels"

    def test_exactly_50_megapixels_is_allowed_past_the_header_check(self):
        pipeline._check_pixels(10_000, 5_000)
        with pytest.raises(PhotoRejected):
            pipeline._check_pixels(10_000, 5_001)

    def test_pillow_limit_is_above_ours_by_default(self):
        assert Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS >= pipeline.MAX_PIXELS

    @pytest.mark.parametrize("pixels_over", [1.5, 3])  # Pillow's warning, then its error
    def test_a_lower_pillow_limit_is_honoured_without_a_warning_or_error(
        self, monkeypatch, pixels_over
    ):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", int(64 * 32 / pixels_over))

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rejected = refusal(images.encode(images.picture(), "PNG"))

        assert rejected.code == "too_many_pixels"


class TestUnexpectedErrors:
    def test_become_a_plain_refusal_and_log_only_the_error_type(self, monkeypatch, caplog):
        def explode(data):
            raise RuntimeError("secret content " + data[:8].hex())

        monkeypatch.setattr(pipeline, "_process_png", explode)

        with caplog.at_level(logging.WARNING, logger="clinical_photos.photos.pipeline"):
            rejected = refusal(images.encode(images.picture(), "PNG"))

        assert rejected.code == "unreadable"
        assert rejected.message.startswith("We could not read this photo.")
        assert "RuntimeError" in caplog.text
        assert "secret content" not in caplog.text
        assert rejected.__cause__ is None
        assert rejected.__suppress_context__

    def test_random_bytes_after_a_jpeg_signature(self):
        rejected = refusal(b"\xff\xd8\xff" + bytes(range(256)) * 8)

        assert rejected.code in ("corrupt", "truncated")


class TestJpegSegments:
    def test_fill_bytes_and_restart_markers_in_the_scan_are_kept(self):
        data = images.encode(images.picture((64, 64)), "JPEG", restart_marker_blocks=1)
        assert b"\xff\xdd" in data  # DRI

        photo = process_photo(data)

        assert photo.data == data

    def test_an_orientation_in_a_big_endian_exif_is_read(self):
        tiff = jpeg_segments.orientation_only_exif(8)

        assert jpeg_segments.exif_orientation(tiff) == 8
        assert jpeg_segments.exif_orientation(b"junk") == 1
        assert jpeg_segments.exif_orientation(b"II*\x00\xff\xff\x00\x00") == 1
