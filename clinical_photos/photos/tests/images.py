"""Test images made in code, so no binary files are committed and each one says what it holds.

Every piece of metadata carries a SENTINEL string, so a test can show it is gone from the stored
bytes simply by searching for it.
"""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

pillow_heif.register_heif_opener()

RED = (255, 0, 0)
BLUE = (0, 0, 255)
MARKER = 16  # the red square in the top-left corner is MARKER x MARKER pixels

GPS_SENTINEL = b"GPS-SENTINEL"
MAKE_SENTINEL = b"MAKE-SENTINEL"
MAKER_NOTE_SENTINEL = b"MAKERNOTE-SENTINEL"
XMP_SENTINEL = b"XMP-SENTINEL"
IPTC_SENTINEL = b"IPTC-SENTINEL"
COMMENT_SENTINEL = b"COMMENT-SENTINEL"
THUMBNAIL_SENTINEL = b"THUMBNAIL-SENTINEL"
TRAILER_SENTINEL = b"TRAILING-JUNK-SENTINEL"
SECOND_IMAGE_SENTINEL = b"SECOND-IMAGE-SENTINEL"
ALL_SENTINELS = (
    GPS_SENTINEL,
    MAKE_SENTINEL,
    MAKER_NOTE_SENTINEL,
    XMP_SENTINEL,
    IPTC_SENTINEL,
    COMMENT_SENTINEL,
    THUMBNAIL_SENTINEL,
    TRAILER_SENTINEL,
    SECOND_IMAGE_SENTINEL,
)

ORIENTATION = 0x0112
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def picture(size: tuple[int, int] = (64, 32)) -> Image.Image:
    """Blue, with a red square in the top-left corner, so a test can tell which way is up."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, MARKER, MARKER))
    return image


def corner_colours(image: Image.Image) -> dict[str, tuple[int, ...]]:
    """The colour near each corner (a few pixels in, away from compression fringes)."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    inset = MARKER // 2
    return {
        "top_left": rgb.getpixel((inset, inset)),
        "top_right": rgb.getpixel((w - 1 - inset, inset)),
        "bottom_left": rgb.getpixel((inset, h - 1 - inset)),
        "bottom_right": rgb.getpixel((w - 1 - inset, h - 1 - inset)),
    }


def reddest_corner(image: Image.Image) -> str:
    colours = corner_colours(image)
    return max(colours, key=lambda corner: colours[corner][0] - colours[corner][2])


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def encode(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def plain(size: tuple[int, int] = (640, 480), colour=(200, 120, 90), *, striped=False):
    """A photo-sized picture of one colour; striped, it has some detail for previews to keep."""
    image = Image.new("RGB", size, colour)
    if striped:
        width, height = size
        stripe = (colour[0] // 2, colour[1], 255 - colour[2])
        for x in range(0, width, 40):
            image.paste(stripe, (x, 0, x + 12, height))
    return image


def jpeg(image: Image.Image | None = None, *, quality: int = 92, **plain_options) -> bytes:
    """A JPEG of `image`, or of a plain picture (`plain`'s options) when none is given."""
    return encode(image or plain(**plain_options), "JPEG", quality=quality)


def png(image: Image.Image | None = None, **plain_options) -> bytes:
    return encode(
        image or plain(**{"size": (320, 240), "colour": (10, 200, 30), **plain_options}), "PNG"
    )


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = MAKE_SENTINEL.decode()  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 40.0)
    gps[0x1B] = b"ASCII\x00\x00\x00" + GPS_SENTINEL  # GPSProcessingMethod
    return exif


# --- JPEG ------------------------------------------------------------------------------------


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def without_app0(jpeg: bytes) -> bytes:
    """A Pillow JPEG starts SOI, APP0 JFIF; phones write Exif first and no JFIF."""
    assert jpeg[2:4] == b"\xff\xe0"
    (length,) = struct.unpack_from(">H", jpeg, 4)
    return jpeg[:2] + jpeg[4 + length :]


def scan_data(jpeg: bytes) -> bytes:
    """From the first SOS marker to the end of the EOI marker (for a JPEG with no thumbnail)."""
    return jpeg[jpeg.index(b"\xff\xda") : jpeg.rindex(b"\xff\xd9") + 2]


def tiff(ifd0: list, exif_ifd: list, gps_ifd: list, thumbnail: bytes) -> bytes:
    """A little-endian TIFF block as phones write into APP1: IFD0, Exif and GPS IFDs, IFD1 with a
    JPEG thumbnail. Entries are (tag, type, count, value bytes)."""
    ifd0 = [*ifd0, (EXIF_IFD, 4, 1, None), (GPS_IFD, 4, 1, None)]
    ifd1 = [(0x0103, 3, 1, struct.pack("<H", 6)), (0x0201, 4, 1, None), (0x0202, 4, 1, None)]

    def size(entries):
        extra = sum(len(v) + len(v) % 2 for *_, v in entries if v is not None and len(v) > 4)
        return 2 + 12 * len(entries) + 4 + extra

    at_ifd0 = 8
    at_exif = at_ifd0 + size(ifd0)
    at_gps = at_exif + size(exif_ifd)
    at_ifd1 = at_gps + size(gps_ifd)
    at_thumb = at_ifd1 + size(ifd1)
    pointers = {
        EXIF_IFD: at_exif,
        GPS_IFD: at_gps,
        0x0201: at_thumb,
        0x0202: len(thumbnail),
    }

    def ifd(entries, start, next_ifd):
        head = struct.pack("<H", len(entries))
        data_at = start + 2 + 12 * len(entries) + 4
        data = b""
        for tag, kind, count, value in entries:
            if value is None:
                value = struct.pack("<I", pointers[tag])
            if len(value) <= 4:
                head += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
            else:
                head += struct.pack("<HHII", tag, kind, count, data_at + len(data))
                data += value + b"\x00" * (len(value) % 2)
        return head + struct.pack("<I", next_ifd) + data

    return (
        b"II*\x00"
        + struct.pack("<I", at_ifd0)
        + ifd(ifd0, at_ifd0, at_ifd1)
        + ifd(exif_ifd, at_exif, 0)
        + ifd(gps_ifd, at_gps, 0)
        + ifd(ifd1, at_ifd1, 0)
        + thumbnail
    )


def _ascii(text: bytes) -> tuple[int, int, bytes]:
    return 2, len(text) + 1, text + b"\x00"


def _rationals(*values: tuple[int, int]) -> tuple[int, int, bytes]:
    return 5, len(values), b"".join(struct.pack("<II", n, d) for n, d in values)


def phone_exif(orientation: int = 1) -> bytes:
    """The payload of an APP1 Exif segment as a phone writes it, thumbnail and all."""
    thumbnail = encode(picture((16, 8)), "JPEG", comment=THUMBNAIL_SENTINEL)
    ifd0 = [
        (0x010F, *_ascii(MAKE_SENTINEL)),  # Make
        (0x0110, *_ascii(b"Model 12 Pro")),  # Model
        (ORIENTATION, 3, 1, struct.pack("<H", orientation)),
    ]
    maker_note = b"Apple iOS\x00\x00\x01MM" + MAKER_NOTE_SENTINEL
    exif_ifd = [
        (0x9003, *_ascii(b"2026:01:02 03:04:05")),  # DateTimeOriginal
        (0x927C, 7, len(maker_note), maker_note),  # MakerNote
    ]
    processing = b"ASCII\x00\x00\x00" + GPS_SENTINEL
    gps_ifd = [
        (0x0001, *_ascii(b"N")),
        (0x0002, *_rationals((51, 1), (30, 1), (1250, 100))),
        (0x0003, *_ascii(b"W")),
        (0x0004, *_rationals((0, 1), (7, 1), (4000, 100))),
        (0x001B, 7, len(processing), processing),  # GPSProcessingMethod
    ]
    return b"Exif\x00\x00" + tiff(ifd0, exif_ifd, gps_ifd, thumbnail)


def xmp_packet() -> bytes:
    return (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:description>" + XMP_SENTINEL + b"</dc:description>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def iptc_payload() -> bytes:
    record = b"\x1c\x02\x78" + struct.pack(">H", len(IPTC_SENTINEL)) + IPTC_SENTINEL  # caption
    record += b"\x00" * (len(record) % 2)
    return b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record


def phone_jpeg(orientation: int = 1, size: tuple[int, int] = (64, 32)) -> tuple[bytes, bytes]:
    """A JPEG laid out the way a phone writes one, with every kind of metadata a phone adds and
    junk after the end. Returns (the file, its scan data from SOS to EOI)."""
    clean = without_app0(encode(picture(size), "JPEG", quality=90))
    icc = srgb_icc()
    second_image = encode(picture((8, 8)), "JPEG", comment=SECOND_IMAGE_SENTINEL)
    data = (
        clean[:2]
        + segment(0xE1, phone_exif(orientation))
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet())
        + segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + icc)
        + segment(0xED, iptc_payload())
        + segment(0xFE, COMMENT_SENTINEL)
        + clean[2:]
        + second_image  # what multi-picture phones put after the end of the first image
        + TRAILER_SENTINEL
    )
    return data, scan_data(clean)


def jpeg_with_size_in_header(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims another size (as a decompression bomb would)."""
    data = bytearray(encode(picture((16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


# --- PNG -------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(
    width: int,
    height: int,
    *,
    bit_depth: int,
    colour_type: int,
    rows: bytes,
    before_idat: tuple[bytes, ...] = (),
) -> bytes:
    """A PNG written chunk by chunk; `rows` is the unfiltered pixel rows, one after another."""
    row_bytes = len(rows) // height
    filtered = b"".join(b"\x00" + rows[y * row_bytes : (y + 1) * row_bytes] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + b"".join(before_idat)
        + png_chunk(b"IDAT", zlib.compress(filtered, 9))
        + png_chunk(b"IEND", b"")
    )


def png_chunk_types(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    kinds, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        kinds.append(kind)
        pos += 12 + length
    return kinds


def png_with_text_and_exif(orientation: int = 1) -> bytes:
    info = PngInfo()
    info.add_text("Comment", COMMENT_SENTINEL.decode())
    info.add_text("Author", MAKE_SENTINEL.decode(), zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", xmp_packet().decode(), zip=False)
    return encode(
        picture(),
        "PNG",
        pnginfo=info,
        exif=exif_with_gps(orientation).tobytes(),
        icc_profile=srgb_icc(),
        dpi=(300, 300),
    )


def png_bomb(width: int = 10_000, height: int = 6_000) -> bytes:
    """Tiny on disk, `width` x `height` black pixels once decoded."""
    row = b"\x00" + b"\x00" * width  # filter byte, then one byte per greyscale pixel
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def apng() -> bytes:
    frames = [picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:])


# --- HEIF and WebP ---------------------------------------------------------------------------


def heic_with_gps(orientation: int = 6) -> bytes:
    """What an iPhone sends: HEIC with Exif (GPS, orientation), XMP and a colour profile."""
    return encode(
        picture(),
        "HEIF",
        quality=90,
        exif=exif_with_gps(orientation).tobytes(),
        xmp=xmp_packet(),
        icc_profile=srgb_icc(),
    )


def webp_vp8x_with_size(width: int, height: int) -> bytes:
    """A WebP whose extended header claims a canvas of `width` x `height`."""
    data = bytearray(encode(picture((16, 16)), "WEBP", exif=exif_with_gps().tobytes(), quality=80))
    assert data[12:16] == b"VP8X"
    data[24:27] = (width - 1).to_bytes(3, "little")
    data[27:30] = (height - 1).to_bytes(3, "little")
    return bytes(data)


def fits() -> bytes:
    cards = [
        "SIMPLE  =                    T",
        "BITPIX  =                    8",
        "NAXIS   =                    2",
        "NAXIS1  =                    4",
        "NAXIS2  =                    4",
        "END",
    ]
    header = "".join(card.ljust(80) for card in cards).ljust(2880).encode()
    return header + bytes(16).ljust(2880, b"\x00")
