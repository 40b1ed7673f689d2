"""What happens to every photo a patient sends, before it is encrypted and stored.

Pure functions, no database. A photo is judged by its content only, never by its name or the
type the phone declared: it must start with the signature of a JPEG, PNG, HEIC/HEIF or WebP
image and then decode in full. What is stored is an 8-bit JPEG or PNG a browser can show, the
right way up, with its colour profile and with no other metadata (no GPS, no camera serial
numbers, no thumbnails that might show what was cropped out).

- JPEG: the compressed pixels are kept exactly as the phone wrote them; only the metadata
  segments are removed (see jpeg_segments for why that is done by hand).
- PNG: re-encoded by Pillow, which is lossless.
- HEIC/HEIF and WebP: decoded and converted once to JPEG at quality 92 (PNG if transparent).

Every photo is also checked for quality (quality.py: blurry, too dark, too bright, too small)
and gets a small preview for the timeline, both from a copy about 1000 pixels across. A JPEG,
which is stored as sent, is never fully decoded: a DCT-scaled decode at a quarter or an eighth
of the size still reads every bit of the compressed image (so a damaged or cut-off file is
still refused) but skips most of the work of turning it into full-size pixels.

Anything refused raises PhotoRejected, whose message is written for the patient.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import zlib
from dataclasses import dataclass, field

import pillow_heif
from PIL import Image, ImageCms, ImageOps

from . import jpeg_segments, quality

pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB per photo
MAX_PIXELS = 50_000_000  # refuse before a full decode
JPEG_QUALITY = 92
# The timeline's previews fit in this box: its columns are 200 to 300 CSS pixels wide, so
# this is sharp on a screen of two device pixels per CSS pixel.
PREVIEW_SIZE = (512, 512)
PREVIEW_QUALITY = 85

# Pillow warns about (and over twice the limit refuses) images bigger than Image.MAX_IMAGE_PIXELS
# when it opens them. Each format's header is read here first and anything over the lower of
# MAX_PIXELS and Pillow's limit is refused, so Pillow's own check never fires: no stray warning,
# no uncaught error. Pillow's limit is left as it is, since it is process-wide and guards other
# code too; its default (about 89 million) is above ours.
_SRGB = ImageCms.createProfile("sRGB")

_TRY_AGAIN = "Send a photo saved as a JPEG, PNG, HEIC or WebP file instead."

EMPTY = "This file is empty. Choose the photo again and send it."
TOO_BIG = (
    "This photo is too big. Each photo must be 20 MB or smaller. "
    "Send a smaller copy, or take the photo again with your phone's usual camera settings."
)
TOO_MANY_PIXELS = (
    "This photo has too many pixels for us to use (more than 50 megapixels). "
    "Send a smaller copy, or take the photo again with your phone's usual camera settings."
)
TRUNCATED = (
    "Part of this photo is missing. It may not have finished saving or sending. "
    "Try sending it again, or take the photo again."
)
CORRUPT = "This photo is damaged and we cannot open it. Take the photo again and send the new one."
ANIMATED = "This is a moving image. Send a still photo instead."
UNREADABLE = (
    "We could not read this photo. Try sending it again. "
    "If that does not work, take the photo again and send the new one."
)
UNKNOWN_FILE = f"We cannot open this file as a photo. {_TRY_AGAIN}"


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes  # exactly the bytes to store (before encryption)
    content_type: str  # "image/jpeg" or "image/png"
    format: str  # stored format: "JPEG" or "PNG"
    original_format: str  # "JPEG", "PNG", "HEIF", "WEBP"
    width: int  # as stored (the right way up)
    height: int
    sha256: str  # hex of data
    problems: tuple[str, ...] = ()  # from quality.PROBLEMS: advice, never a refusal
    scores: dict = field(default_factory=dict)  # the measures behind the problems
    preview: bytes = b""  # a small JPEG for the timeline, the right way up


class PhotoRejected(Exception):
    """The photo cannot be stored. `message` is for the patient; `code` is for machines."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def process_photo(data: bytes, *, filename: str = "") -> ProcessedPhoto:
    """Check a photo and return what to store, or raise PhotoRejected.

    `filename` is accepted so callers can pass what they have, but it is deliberately not used:
    the content alone decides, and a name may hold personal details, so it is not logged.
    """
    try:
        return _process(bytes(data))
    except PhotoRejected as rejected:
        logger.info("Photo refused: %s", rejected.code)
        raise
    except Exception as exc:
        # Only the type: an exception's text can quote the file's content.
        logger.warning("Photo could not be processed: %s", type(exc).__name__)
        raise PhotoRejected("unreadable", UNREADABLE) from None


def _process(data: bytes) -> ProcessedPhoto:
    if not data:
        raise PhotoRejected("empty", EMPTY)
    if len(data) > MAX_FILE_BYTES:
        raise PhotoRejected("too_large", TOO_BIG)
    kind = identify(data)
    if kind == "JPEG":
        return _process_jpeg(data)
    if kind == "PNG":
        return _process_png(data)
    if kind == "WEBP":
        return _process_webp(data)
    return _process_heif(data)


# --- What kind of file is it? ----------------------------------------------------------------

_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_GENERIC_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2", b"heif"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"avc1", b"3gp4", b"3gp5"}

# Image formats we recognise but do not take, by signature.
_OTHER_IMAGES = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"SIMPLE  =", "FITS"),
    (b"8BPS", "Photoshop"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"\xff\x0a", "JPEG XL"),
)

_BMP_HEADER_SIZES = {struct.pack("<I", n) for n in (12, 40, 52, 56, 64, 108, 124)}

# Things that are not images at all, by signature.
_NOT_IMAGES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"#!", "a program or script"),
)


def _not_a_photo(what: str) -> PhotoRejected:
    return PhotoRejected("not_a_photo", f"This file is {what}, not a photo. {_TRY_AGAIN}")


def _unsupported(name: str) -> PhotoRejected:
    return PhotoRejected("unsupported_image", f"We cannot accept {name} images. {_TRY_AGAIN}")


def identify(data: bytes) -> str:
    """The format ("JPEG", "PNG", "WEBP" or "HEIF") from its signature, else PhotoRejected."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        return _identify_iso_media(data)
    for signature, name in _OTHER_IMAGES:
        if data.startswith(signature):
            raise _unsupported(name)
    # "BM" alone could start a text file; a bitmap's next header has one of a few sizes.
    if data[:2] == b"BM" and data[14:18] in _BMP_HEADER_SIZES:
        raise _unsupported("BMP")
    for signature, what in _NOT_IMAGES:
        if data.startswith(signature):
            raise _not_a_photo(what)
    raise _identify_text(data)


def _identify_iso_media(data: bytes) -> str:
    (box_size,) = struct.unpack_from(">I", data, 0)
    end = min(max(box_size, 16), len(data), 256)
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    if brands & _HEVC_BRANDS:
        return "HEIF"
    if brands & _AVIF_BRANDS:
        raise _unsupported("AVIF")
    if brands & _GENERIC_HEIF_BRANDS:
        return "HEIF"
    if brands & _VIDEO_BRANDS:
        raise _not_a_photo("a video")
    raise PhotoRejected("not_a_photo", UNKNOWN_FILE)


def _identify_text(data: bytes) -> PhotoRejected:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (b"<svg" in head[:1024] and head.startswith((b"<?xml", b"<!"))):
        return _not_a_photo("a drawing (SVG)")
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta")):
        return _not_a_photo("a web page")
    if head.startswith((b"<script", b"<?php")):
        return _not_a_photo("a program or script")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _not_a_photo("a text file")
    return PhotoRejected("not_a_photo", UNKNOWN_FILE)


# --- Each format -----------------------------------------------------------------------------


def _process_jpeg(data: bytes) -> ProcessedPhoto:
    try:
        parsed = jpeg_segments.parse(data)
        frames = parsed.frames
    except jpeg_segments.JpegTruncated:
        raise PhotoRejected("truncated", TRUNCATED) from None
    except jpeg_segments.JpegError:
        raise PhotoRejected("corrupt", CORRUPT) from None
    if len(frames) != 1:
        raise PhotoRejected("corrupt", CORRUPT)
    frame = frames[0]
    _check_pixels(frame.width, frame.height)
    orientation = parsed.orientation
    stored = jpeg_segments.strip_metadata(parsed, orientation=orientation)
    if (
        frame.marker in jpeg_segments.BROWSER_SOF_MARKERS
        and frame.precision == 8
        and frame.components in (1, 3)
    ):
        # The stored bytes are what is decoded, to prove they are a real, whole image: at a
        # reduced scale, which reads all of it (see the module's docstring).
        small = _decode(stored, "JPEG", scaled_to=quality.analysis_size(frame.width, frame.height))
        if small.size != _scaled_size(frame.width, frame.height, small.size):
            raise PhotoRejected("corrupt", CORRUPT)
        # The stored bytes keep only the Exif orientation, which this applies.
        upright = ImageOps.exif_transpose(small)
        # Orientations 5-8 turn the picture a quarter turn when it is shown.
        width, height = (
            (frame.width, frame.height) if orientation < 5 else (frame.height, frame.width)
        )
        return _result(stored, "JPEG", "JPEG", width, height, small=upright)
    # CMYK, 12-bit, arithmetic-coded or lossless JPEGs: browsers cannot be relied on to show
    # them, so these (never seen from a phone camera) are decoded in full and re-encoded once.
    image = _decode(stored, "JPEG")
    if image.size != (frame.width, frame.height):
        raise PhotoRejected("corrupt", CORRUPT)
    ImageOps.exif_transpose(image, in_place=True)
    return _store(image, "JPEG", transparency_allowed=False, lossless=False)


def _process_png(data: bytes) -> ProcessedPhoto:
    width, height = _png_size(data)
    _check_pixels(width, height)
    image = _decode(data, "PNG")
    _refuse_animation(image)
    ImageOps.exif_transpose(image, in_place=True)
    return _store(image, "PNG", transparency_allowed=True, lossless=True)


def _process_webp(data: bytes) -> ProcessedPhoto:
    width, height = _webp_size(data)
    _check_pixels(width, height)
    image = _decode(data, "WEBP")
    _refuse_animation(image)
    ImageOps.exif_transpose(image, in_place=True)
    return _store(image, "WEBP", transparency_allowed=True, lossless=False)


def _process_heif(data: bytes) -> ProcessedPhoto:
    _check_iso_boxes(data)
    try:
        # Reads the container only; nothing is decoded until the image is loaded.
        width, height = pillow_heif.open_heif(io.BytesIO(data)).size
    except (OSError, ValueError, RuntimeError, SyntaxError, KeyError, IndexError):
        raise PhotoRejected("corrupt", CORRUPT) from None
    _check_pixels(width, height)
    image = _decode(data, "HEIF")
    # No exif_transpose here: in HEIF the container's own rotation and mirroring (irot/imir)
    # are what count, libheif applies them while decoding, and pillow-heif resets the Exif
    # Orientation to 1 for that reason. Applying it again would turn the photo twice.
    return _store(image, "HEIF", transparency_allowed=True, lossless=False)


# --- Headers, read before anything is decoded ------------------------------------------------


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise PhotoRejected("corrupt", CORRUPT)
    pillow_limit = Image.MAX_IMAGE_PIXELS
    limit = MAX_PIXELS if pillow_limit is None else min(MAX_PIXELS, pillow_limit)
    if width * height > limit:
        raise PhotoRejected("too_many_pixels", TOO_MANY_PIXELS)


def _png_size(data: bytes) -> tuple[int, int]:
    """The IHDR size, after checking every chunk is whole up to IEND."""
    n = len(data)
    if n < 8 + 8 + 13 or data[12:16] != b"IHDR":
        raise PhotoRejected("truncated" if n < 33 else "corrupt", TRUNCATED if n < 33 else CORRUPT)
    width, height = struct.unpack_from(">II", data, 16)
    pos = 8
    while True:
        if pos + 12 > n:
            raise PhotoRejected("truncated", TRUNCATED)
        length, kind = struct.unpack_from(">I4s", data, pos)
        if length > 0x7FFFFFFF:
            raise PhotoRejected("corrupt", CORRUPT)
        pos += 12 + length
        if pos > n:
            raise PhotoRejected("truncated", TRUNCATED)
        if kind == b"IEND":
            return width, height


def _webp_size(data: bytes) -> tuple[int, int]:
    """The canvas size from the first chunk's header (as libwebp reads it)."""
    (riff_size,) = struct.unpack_from("<I", data, 4)
    if len(data) < 8 + riff_size or len(data) < 30:
        raise PhotoRejected("truncated", TRUNCATED)
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L" and data[20] == 0x2F:
        (bits,) = struct.unpack_from("<I", data, 21)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise PhotoRejected("corrupt", CORRUPT)


def _check_iso_boxes(data: bytes) -> None:
    """Every top-level box of a HEIF file must fit inside the file."""
    pos, n = 0, len(data)
    while pos < n:
        if pos + 8 > n:
            raise PhotoRejected("truncated", TRUNCATED)
        (size,) = struct.unpack_from(">I", data, pos)
        if size == 0:  # the last box runs to the end of the file
            return
        if size == 1:
            if pos + 16 > n:
                raise PhotoRejected("truncated", TRUNCATED)
            (size,) = struct.unpack_from(">Q", data, pos + 8)
        if size < 8:
            raise PhotoRejected("corrupt", CORRUPT)
        if pos + size > n:
            raise PhotoRejected("truncated", TRUNCATED)
        pos += size


# --- Decoding and storing --------------------------------------------------------------------


def _decode(
    data: bytes, pillow_format: str, *, scaled_to: tuple[int, int] | None = None
) -> Image.Image:
    """Open and decode all of it, turning Pillow's many ways of saying "bad file" into a refusal.

    `scaled_to` (JPEG only) asks for a DCT-scaled decode to the smallest of 1/1, 1/2, 1/4 or
    1/8 of the size that is at least this big.
    """
    try:
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
        if scaled_to is not None:
            image.draft("RGB", scaled_to)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected("too_many_pixels", TOO_MANY_PIXELS) from None
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        RuntimeError,
        struct.error,
        zlib.error,
    ) as exc:
        if "truncated" in str(exc).lower():
            raise PhotoRejected("truncated", TRUNCATED) from None
        raise PhotoRejected("corrupt", CORRUPT) from None
    return image


def _scaled_size(width: int, height: int, decoded: tuple[int, int]) -> tuple[int, int]:
    """The size a DCT-scaled decode of a width x height JPEG gives at the scale it chose."""
    scale = max(1, round(width / decoded[0]))
    return -(-width // scale), -(-height // scale)


def _refuse_animation(image: Image.Image) -> None:
    # Storing only the first frame would silently drop what the patient meant to send.
    if getattr(image, "n_frames", 1) > 1:
        raise PhotoRejected("animated", ANIMATED)


def _store(
    image: Image.Image, original_format: str, *, transparency_allowed: bool, lossless: bool
) -> ProcessedPhoto:
    """Encode a decoded, upright image as an 8-bit RGB(A) JPEG or PNG with no metadata."""
    pixels, icc_profile = _browser_pixels(image, keep_alpha=transparency_allowed)
    # Nothing from the original's info (Exif, XMP, comments) may reach the encoder: pillow-heif
    # in particular writes Exif back from info otherwise. The info is emptied rather than the
    # pixels copied into a fresh image, which at 50 megapixels would take another 200 MB.
    fresh = pixels
    fresh.info = {}
    del pixels
    # The checks and the preview need only a small copy; a box filter, like a JPEG's DCT scaling.
    factor = max(1, min(fresh.size) // min(quality.analysis_size(*fresh.size)))
    small = fresh.reduce(factor) if factor > 1 else fresh
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    out = io.BytesIO()
    if lossless or fresh.mode == "RGBA":
        fresh.save(out, format="PNG", compress_level=6, **extra)
        stored_format = "PNG"
    else:
        fresh.save(
            out, format="JPEG", quality=JPEG_QUALITY, subsampling="4:2:0", optimize=True, **extra
        )
        stored_format = "JPEG"
    return _result(out.getvalue(), stored_format, original_format, *fresh.size, small=small)


def _browser_pixels(image: Image.Image, *, keep_alpha: bool) -> tuple[Image.Image, bytes | None]:
    """8-bit RGB (or RGBA if any pixel is see-through) and the ICC profile that fits it."""
    icc_profile = image.info.get("icc_profile") or None
    colour_space = icc_profile[16:20] if icc_profile and len(icc_profile) >= 20 else None

    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # Pillow clips 16-bit values to 255 when converting; scale them down instead.
        image = image.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    elif image.mode == "1":
        image = image.convert("L")

    alpha = None
    see_through = image.mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in image.info
    if keep_alpha and see_through:
        alpha = image.convert("RGBA").getchannel("A")
        if alpha.getextrema() == (255, 255):
            alpha = None

    rgb = None
    if colour_space == b"GRAY" and image.mode in ("L", "LA", "La"):
        rgb = _to_srgb(image.convert("L"), icc_profile)
    elif colour_space == b"CMYK" and image.mode == "CMYK":
        rgb = _to_srgb(image, icc_profile)
    if rgb is not None:
        icc_profile = None  # the pixels are now sRGB, which browsers assume
    else:
        rgb = image.convert("RGB") if image.mode != "RGB" else image
        if colour_space != b"RGB ":
            icc_profile = None  # a profile for other colours would be wrong on RGB pixels
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb, icc_profile


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def make_preview(image: Image.Image) -> bytes:
    """A small JPEG of an upright image, for the timeline. See-through parts are shown on white."""
    # Mostly a box filter by a whole factor (the checks' ~1000-pixel copy halves to ~500), which
    # costs a fraction of a resampling filter and looks the same at this size.
    factor = max(1, round(max(image.size) / max(PREVIEW_SIZE)))
    small = image.reduce(factor) if factor > 1 else image
    if small.width > PREVIEW_SIZE[0] or small.height > PREVIEW_SIZE[1]:
        scale = min(PREVIEW_SIZE[0] / small.width, PREVIEW_SIZE[1] / small.height)
        size = (max(1, round(small.width * scale)), max(1, round(small.height * scale)))
        small = small.resize(size, Image.Resampling.BILINEAR)
    small = quality.on_white(small)
    small = small.convert("RGB") if small.mode != "RGB" else small.copy()
    small.info = {}  # nothing of the original's metadata (Exif among it) reaches the preview
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=PREVIEW_QUALITY)
    return buffer.getvalue()


def _result(
    data: bytes,
    stored_format: str,
    original_format: str,
    width: int,
    height: int,
    *,
    small: Image.Image,
) -> ProcessedPhoto:
    """What to store, with the quality verdict and preview made from `small`, an upright copy
    of the stored picture about quality.WORKING_SIZE across."""
    verdict = quality.assess(small, stored_size=(width, height))
    return ProcessedPhoto(
        data=data,
        content_type="image/jpeg" if stored_format == "JPEG" else "image/png",
        format=stored_format,
        original_format=original_format,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        problems=verdict.problems,
        scores=verdict.scores,
        preview=make_preview(small),
    )
