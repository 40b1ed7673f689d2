"""Take a JPEG apart into its marker segments and put it back together without its metadata.

Why hand-written: Pillow can only remove a JPEG's metadata by decoding and re-encoding it, and
every re-encode loses detail a clinician may need (fine texture, the edge of a mole). A JPEG is
a list of marker segments followed by compressed scan data, so dropping the segments that hold
metadata and copying the rest byte for byte keeps the photo exactly as the phone took it.

Only the segments needed to decode the picture are copied (an allow-list, not a deny-list), so
metadata in a segment nobody thought of is dropped too:
- DQT, DHT, DAC, DRI, DNL, SOFn and SOS with its compressed scan data: the picture itself;
- APP2 "ICC_PROFILE": the colour profile, so colours look as they did on the phone;
- APP14 "Adobe": a 12-byte flag saying how the colour channels are encoded; without it some
  decoders show an RGB or CMYK JPEG in the wrong colours.
APP0 "JFIF" can carry a thumbnail, so it is written afresh with none. Everything else goes:
Exif (GPS, maker notes, thumbnails), XMP, IPTC, MPF, comments and anything after the end.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

SOI = 0xD8
EOI = 0xD9
SOS = 0xDA
DQT = 0xDB
DNL = 0xDC
DRI = 0xDD
DHP = 0xDE
EXP = 0xDF
DHT = 0xC4
DAC = 0xCC
APP0 = 0xE0
APP1 = 0xE1
APP2 = 0xE2
APP14 = 0xEE
COM = 0xFE

# Start of frame: every 0xC0-0xCF marker except DHT, JPG (0xC8) and DAC.
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {DHT, 0xC8, DAC}
# Baseline, extended and progressive Huffman-coded frames: what every browser decodes.
BROWSER_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2})
_DECODING_MARKERS = SOF_MARKERS | {DQT, DHT, DAC, DRI, DNL, DHP, EXP}

ICC_PROFILE_ID = b"ICC_PROFILE\x00"
ADOBE_ID = b"Adobe"
JFIF_ID = b"JFIF\x00"
EXIF_ID = b"Exif\x00\x00"

ORIENTATION_TAG = 0x0112

# In scan data 0xFF is followed by 0x00 (a stuffed byte) or RST0-7; anything else is a marker.
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")


class JpegError(ValueError):
    """The bytes are not a whole, well-formed JPEG."""


class JpegTruncated(JpegError):
    """The JPEG stops before its end-of-image marker."""


@dataclass(frozen=True)
class Segment:
    marker: int
    payload: bytes  # without the marker and the two length bytes
    scan: bytes = b""  # compressed data that follows an SOS segment

    def to_bytes(self) -> bytes:
        return _segment(self.marker, self.payload) + self.scan


@dataclass(frozen=True)
class Frame:
    marker: int
    precision: int
    width: int
    height: int
    components: int


@dataclass(frozen=True)
class ParsedJpeg:
    segments: tuple[Segment, ...]
    trailing: int  # how many bytes followed the end-of-image marker

    @property
    def frames(self) -> tuple[Frame, ...]:
        return tuple(_frame(s) for s in self.segments if s.marker in SOF_MARKERS)

    @property
    def has_jfif(self) -> bool:
        return any(s.marker == APP0 and s.payload.startswith(JFIF_ID) for s in self.segments)

    @property
    def orientation(self) -> int:
        """The Exif Orientation (1-8) of the first Exif segment, 1 when absent or unreadable."""
        for s in self.segments:
            if s.marker == APP1 and s.payload.startswith(EXIF_ID):
                return exif_orientation(s.payload[len(EXIF_ID) :])
        return 1


def parse(data: bytes) -> ParsedJpeg:
    """Split a JPEG into segments, checking every length, up to its end-of-image marker."""
    if data[:2] != b"\xff\xd8":
        raise JpegError("no start-of-image marker")
    n = len(data)
    pos = 2
    segments: list[Segment] = []
    while True:
        if pos >= n:
            raise JpegTruncated("ends between segments")
        if data[pos] != 0xFF:
            raise JpegError(f"expected a marker at {pos}")
        while pos < n and data[pos] == 0xFF:  # any number of fill bytes may precede a marker
            pos += 1
        if pos >= n:
            raise JpegTruncated("ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == EOI:
            return ParsedJpeg(tuple(segments), trailing=n - pos)
        if marker in (0x00, 0x01, SOI) or 0xD0 <= marker <= 0xD7:
            raise JpegError(f"unexpected marker 0x{marker:02X}")
        if pos + 2 > n:
            raise JpegTruncated("ends inside a segment length")
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2:
            raise JpegError("segment length too short")
        if pos + length > n:
            raise JpegTruncated("ends inside a segment")
        payload = data[pos + 2 : pos + length]
        pos += length
        scan = b""
        if marker == SOS:
            found = _MARKER_IN_SCAN.search(data, pos)
            if found is None:
                raise JpegTruncated("ends inside the scan data")
            scan = data[pos : found.start()]
            pos = found.start()
        segments.append(Segment(marker, payload, scan))


def strip_metadata(parsed: ParsedJpeg, *, orientation: int = 1) -> bytes:
    """The JPEG with only what is needed to show it; a bare Exif Orientation if not 1."""
    out = [b"\xff\xd8"]
    if parsed.has_jfif:
        # Version 1.01, no density units, 1:1 pixels, no thumbnail.
        out.append(_segment(APP0, JFIF_ID + b"\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
    if 2 <= orientation <= 8:
        out.append(_segment(APP1, EXIF_ID + orientation_only_exif(orientation)))
    for s in parsed.segments:
        if _keep(s):
            out.append(s.to_bytes())
    out.append(b"\xff\xd9")
    return b"".join(out)


def orientation_only_exif(orientation: int) -> bytes:
    """A TIFF header and one IFD holding only the Orientation tag (big-endian)."""
    return (
        b"MM\x00\x2a\x00\x00\x00\x08"  # header, IFD0 at offset 8
        + struct.pack(">H", 1)  # one entry
        + struct.pack(">HHIHH", ORIENTATION_TAG, 3, 1, orientation, 0)  # SHORT, count 1
        + b"\x00\x00\x00\x00"  # no next IFD (so no thumbnail)
    )


def exif_orientation(tiff: bytes) -> int:
    """Read the Orientation tag from IFD0 of a TIFF-structured Exif block; 1 if unusable."""
    if tiff[:4] == b"II*\x00":
        order = "<"
    elif tiff[:4] == b"MM\x00*":
        order = ">"
    else:
        return 1
    try:
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for i in range(count):
            tag, kind, _n, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * i)
            if tag == ORIENTATION_TAG:
                return value if kind == 3 and 1 <= value <= 8 else 1
    except struct.error:
        return 1
    return 1


def _keep(s: Segment) -> bool:
    if s.marker in _DECODING_MARKERS or s.marker == SOS:
        return True
    if s.marker == APP2:
        return s.payload.startswith(ICC_PROFILE_ID)
    if s.marker == APP14:
        return s.payload.startswith(ADOBE_ID)
    return False


def _frame(s: Segment) -> Frame:
    if len(s.payload) < 6:
        raise JpegError("start-of-frame segment too short")
    precision, height, width, components = struct.unpack_from(">BHHB", s.payload)
    return Frame(s.marker, precision, width, height, components)


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) > 0xFFFF - 2:
        raise JpegError("segment too long")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload
