"""A stored photo turned a quarter, half or three-quarter turn clockwise, only to look at it.

A patient may hold the phone sideways; a clinician comparing two photos turns one to match the
other. Nothing is stored: each copy is made for the response that shows it.

A JPEG is stored with the phone's compressed pixels and at most an Exif orientation (see
jpeg_segments), and browsers show a JPEG the way its orientation says. So a JPEG is turned by
writing a new orientation, which costs no decoding and loses nothing; re-encoding would blur the
fine detail a clinician looks for. A PNG is re-encoded, which for PNG is lossless.
"""

import io

from PIL import Image

from . import jpeg_segments

QUARTER_TURNS = (0, 90, 180, 270)

# Each Exif orientation as the matrix that takes the stored pixels to the picture shown
# (x to the right, y down), from the Exif 2.3 table of orientations.
_ORIENTATIONS = {
    1: ((1, 0), (0, 1)),
    2: ((-1, 0), (0, 1)),  # mirrored left to right
    3: ((-1, 0), (0, -1)),  # half a turn
    4: ((1, 0), (0, -1)),  # mirrored top to bottom
    5: ((0, 1), (1, 0)),  # mirrored along the top-left to bottom-right diagonal
    6: ((0, -1), (1, 0)),  # a quarter turn clockwise
    7: ((0, -1), (-1, 0)),  # mirrored along the other diagonal
    8: ((0, 1), (-1, 0)),  # a quarter turn anticlockwise
}
_BY_MATRIX = {matrix: orientation for orientation, matrix in _ORIENTATIONS.items()}
_QUARTER_CLOCKWISE = _ORIENTATIONS[6]
# Pillow's own names turn anticlockwise.
_PILLOW_TURNS = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def quarter_turn(asked: str | None) -> int:
    """The turn a query asks for (degrees clockwise): 90, 180 or 270; anything else is 0."""
    return int(asked) if asked in ("90", "180", "270") else 0


def swaps_sides(degrees: int) -> bool:
    """Whether the turn makes a landscape photo portrait (and the other way round)."""
    return degrees in (90, 270)


def turned(data: bytes, content_type: str, degrees: int) -> bytes:
    """The stored photo's bytes, shown turned `degrees` clockwise (one of QUARTER_TURNS)."""
    if degrees not in QUARTER_TURNS:
        raise ValueError(f"Photos turn only in quarter turns, not {degrees} degrees.")
    if degrees == 0:
        return data
    if content_type == "image/jpeg":
        parsed = jpeg_segments.parse(data)
        return jpeg_segments.strip_metadata(
            parsed, orientation=_after_turning(parsed.orientation, degrees)
        )
    with Image.open(io.BytesIO(data)) as image:
        icc_profile = image.info.get("icc_profile")
        out = io.BytesIO()
        extra = {"icc_profile": icc_profile} if icc_profile else {}
        image.transpose(_PILLOW_TURNS[degrees]).save(out, format="PNG", **extra)
    return out.getvalue()


def _after_turning(orientation: int, degrees: int) -> int:
    """The orientation that shows the picture `orientation` shows, then turned clockwise."""
    matrix = _ORIENTATIONS.get(orientation, _ORIENTATIONS[1])
    for _ in range(degrees // 90):
        matrix = _times(_QUARTER_CLOCKWISE, matrix)
    return _BY_MATRIX[matrix]


def _times(a, b):
    return tuple(
        tuple(sum(a[row][k] * b[k][column] for k in range(2)) for column in range(2))
        for row in range(2)
    )
