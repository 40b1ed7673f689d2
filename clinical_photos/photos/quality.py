"""Is a photo good enough for a clinician to use? Advice for the patient while they can retake it.

The checks run on every photo as it arrives, on the picture as it will be stored (the right way
up), and find four problems from a fixed list. They are advice, never a refusal: the patient can
always send a photo anyway, and the surgery sees the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageChops

BLURRY = "blurry"
TOO_DARK = "too_dark"
TOO_BRIGHT = "too_bright"
LOW_RESOLUTION = "low_resolution"
# In the order they are told: the first is the one most worth fixing.
PROBLEMS = (BLURRY, TOO_DARK, TOO_BRIGHT, LOW_RESOLUTION)


@dataclass(frozen=True)
class Advice:
    title: str  # what is wrong, in a few words
    what_to_do: str  # one or two sentences for the patient


PATIENT_ADVICE = {
    BLURRY: Advice(
        "This photo looks blurry",
        "Hold the phone steady, tap the screen on the problem to focus, and take it again.",
    ),
    TOO_DARK: Advice(
        "This photo looks too dark",
        "Move somewhere brighter, such as near a window in daylight, and take it again. "
        "Do not use the flash.",
    ),
    TOO_BRIGHT: Advice(
        "This photo looks too bright",
        "Move out of direct sunlight or away from a bright lamp, turn the flash off, "
        "and take it again.",
    ),
    LOW_RESOLUTION: Advice(
        "This photo is very small",
        "It may not show enough detail. Take the photo again with your phone's main camera, "
        "or send the original photo rather than a copy from a message or a screenshot.",
    ),
}

# What staff read: "may", because these are a computer's guesses, not a clinician's judgement.
STAFF_WORDS = {
    BLURRY: "may be blurry",
    TOO_DARK: "may be too dark",
    TOO_BRIGHT: "may be too bright",
    LOW_RESOLUTION: "may be too small to show detail",
}


@dataclass(frozen=True)
class Verdict:
    problems: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


def patient_advice(code: str) -> str:
    """The whole sentence a patient sees for one problem."""
    advice = PATIENT_ADVICE[code]
    return f"{advice.title}. {advice.what_to_do}"


def staff_words(problems) -> str:
    """One photo's problems for staff: "may be blurry and too dark"; empty when none."""
    words = [STAFF_WORDS[code] for code in PROBLEMS if code in problems]
    if not words:
        return ""
    # "may be blurry", "may be too dark" -> "may be blurry and too dark"
    rest = [word.removeprefix("may be ") for word in words[1:]]
    parts = [words[0], *rest]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def staff_summary(problem_lists: list[list[str]] | list[tuple[str, ...]]) -> list[str]:
    """For staff: one phrase per problem found, e.g. "2 of 5 photos may be blurry".

    `problem_lists` holds each photo's problems, one list per photo (empty for a good photo).
    """
    total = len(problem_lists)
    phrases = []
    for code in PROBLEMS:
        count = sum(1 for problems in problem_lists if code in problems)
        if not count:
            continue
        if total == 1:
            phrases.append(f"The photo {STAFF_WORDS[code]}")
        else:
            verb = STAFF_WORDS[code]
            phrases.append(f"{count} of {total} photos {verb}")
    return phrases


# --- The checks ------------------------------------------------------------------------------
# Everything below works on a small copy of the photo, about WORKING_SIZE pixels on its long
# side: roughly what a clinician sees on a screen, and what a JPEG's DCT-scaled decode gives at
# a fraction of the cost of a full decode (see pipeline.py).

WORKING_SIZE = 1000

# low_resolution: the short side of the stored photo, in pixels. Photos that messaging apps
# shrink (about 1600 x 1200) are still useful; below 800 on the short side a close-up of a
# 5 mm mole spans only a few dozen pixels and a clinician cannot zoom into its edge.
MIN_SHORT_SIDE = 800


def analysis_size(width: int, height: int) -> tuple[int, int]:
    """The smallest size worth decoding for the checks: about WORKING_SIZE on the long side."""
    long_side = max(width, height)
    if long_side <= WORKING_SIZE:
        return width, height
    return (
        max(1, -(-width * WORKING_SIZE // long_side)),
        max(1, -(-height * WORKING_SIZE // long_side)),
    )


# blurry: how crisp the crisper part of the photo's detail is (see _sharpness). 0 is a photo
# with no fine detail anywhere; 1 is detail as crisp as the pixels allow. On the labelled set
# every out-of-focus photo scored 0.23 or less, and the sharp photos that scored lowest (0.47)
# were all of the darkest skin, whose fine detail stands least above the noise: the threshold
# sits below them rather than catching a few more shaken photos at their expense.
BLUR_THRESHOLD = 0.46
# too_dark / too_bright: see _exposure.
DARK_THRESHOLD = 0.5
BRIGHT_THRESHOLD = 0.5


def assess(image: Image.Image, *, stored_size: tuple[int, int]) -> Verdict:
    """The problems a photo has and the scores behind them.

    `image` is the photo the right way up, at any size (the checks shrink it to WORKING_SIZE);
    `stored_size` is the size of the photo as stored, which decides `low_resolution`.
    Never raises for a valid image: a tiny, flat or see-through one still gets verdicts.
    """
    image = on_white(image)
    exposure = _exposure(_at_working_size(_brightest_channel(image)).histogram())
    sharpness = _sharpness(np.asarray(_at_working_size(image.convert("L")), dtype=np.float32))
    scores = {
        "sharpness": round(max(sharpness.score, 0.0), 3),
        "detail": round(sharpness.detail, 3),
        "darkness": round(exposure.darkness, 3),
        "brightness": round(exposure.brightness, 3),
        "short_side": min(stored_size),
    }
    problems = []
    badly_exposed = exposure.darkness >= DARK_THRESHOLD or exposure.brightness >= BRIGHT_THRESHOLD
    # In a photo too dark or washed out, noise or clipping hides whether it is in focus; the
    # patient is asked to fix the light first, and the retake is judged afresh.
    if not badly_exposed and sharpness.score < BLUR_THRESHOLD:
        problems.append(BLURRY)
    if exposure.darkness >= DARK_THRESHOLD:
        problems.append(TOO_DARK)
    elif exposure.brightness >= BRIGHT_THRESHOLD:
        problems.append(TOO_BRIGHT)
    if min(stored_size) < MIN_SHORT_SIDE:
        problems.append(LOW_RESOLUTION)
    return Verdict(problems=tuple(problems), scores=scores)


def on_white(image: Image.Image) -> Image.Image:
    """The picture as a browser shows it on the service's white pages: in RGB or greyscale."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def _brightest_channel(image: Image.Image) -> Image.Image:
    """Each pixel's brightest colour channel: how near it is to the most the camera can record.

    Exposure is judged by this rather than by luma, so a vivid red rash or a saturated blue
    towel is not taken for a dark one.
    """
    if image.mode == "L":
        return image
    red, green, blue = image.split()
    return ImageChops.lighter(red, ImageChops.lighter(green, blue))


def _at_working_size(channel: Image.Image) -> Image.Image:
    """One channel (0-255, gamma-encoded as stored) at about WORKING_SIZE."""
    size = analysis_size(*channel.size)
    if size != channel.size:
        # A box filter, like the DCT-scaled decode: each pixel the mean of the ones it covers.
        channel = channel.resize(size, Image.Resampling.BOX)
    return channel


@dataclass(frozen=True)
class _Sharpness:
    score: float  # 0 (no fine detail) to 1 (as crisp as the pixels allow)
    detail: float  # the share of the photo with enough detail to judge focus by
    noise: float  # the noise's standard deviation, in luma levels


# Tiles of the working image, each judged on its own, so a sharp subject in front of a blurred
# background counts as sharp.
_TILE = 32
# Two distances between the pixels compared, in working pixels (see _sharpness).
_NEAR, _FAR = 1, 3
# Tiles count only where the detail stands well above the noise.
_SIGNAL_OVER_NOISE = 2.0
_MIN_SIGNAL = 2.0  # luma levels squared: below this a tile is flat, whatever the noise
# Across and down. A shake along a diagonal smears both, so the diagonals add nothing but time.
_DIRECTIONS = ((0, 1), (1, 0))
# The sharpest parts decide: the score is that of the tile this far from the crispest, among
# the tiles with detail. Less than half, so a sharp subject on a blurred background passes;
# not much less, so the few edges a shake leaves crisp (a ruler's lines along the shake) do
# not decide. Calibrated on bench/quality.py's labelled set.
_SHARPEST_SHARE = 0.45


def _sharpness(luma: np.ndarray) -> _Sharpness:
    """How crisp the sharpest part of the photo is, in the direction it is least crisp.

    For each tile and direction this compares how much neighbouring pixels differ (a distance
    of _NEAR) with how much pixels a little further apart differ (_FAR). In fine detail, an
    edge or a texture, most of the change happens between neighbours, so the two are alike:
    the squared differences grow about in proportion to the distance. Where the picture is
    blurred, change is spread out smoothly and grows with the square of the distance. So

        s = log(far / near) / log(_FAR / _NEAR) - 1

    is near 0 for crisp detail and near 1 where blurred; the score is 1 - s. It does not
    depend on the detail's contrast, so pale and dark skin are judged alike. Sensor noise,
    which differs equally at every distance, is estimated from the flattest tiles and taken
    off first, so a noisy photo does not pass as a sharp one.

    A tile is as crisp as its least crisp direction with detail in it: a shaken photo is
    smeared along one direction, so a tile stays crisp across the smear but not along it. The
    photo scores as its crisper tiles do (see _SHARPEST_SHARE).

    Known weakness: a shake along a straight edge (a ruler's lines) leaves that edge crisp, so
    a shaken photo whose only detail is such edges can pass (docs/performance.md has figures).
    """
    height, width = luma.shape
    # The outermost strip is left out: frames, vignetting and the edges of whatever a phone
    # did to the picture say nothing about whether the subject is in focus.
    margin = max(_FAR, min(height, width) // 40)
    rows = (height - 2 * margin) // _TILE
    cols = (width - 2 * margin) // _TILE
    if rows < 2 or cols < 2:
        return _Sharpness(score=0.0, detail=0.0, noise=0.0)
    region = (slice(margin, margin + rows * _TILE), slice(margin, margin + cols * _TILE))

    def tile_energy(dy: int, dx: int, distance: int) -> np.ndarray:
        """The mean squared difference between pixels `distance` apart along (dy, dx), a tile
        at a time."""
        shifted = luma[
            region[0].start + dy * distance : region[0].stop + dy * distance,
            region[1].start + dx * distance : region[1].stop + dx * distance,
        ]
        difference = shifted - luma[region]
        np.square(difference, out=difference)
        tiles = difference.reshape(rows, _TILE, cols, _TILE)
        return np.einsum("ijkl->ik", tiles) / (_TILE * _TILE)

    energies = {d: (tile_energy(*d, _NEAR), tile_energy(*d, _FAR)) for d in _DIRECTIONS}
    noise_variance = _noise_variance(
        luma[region].reshape(rows, _TILE, cols, _TILE).mean(axis=(1, 3)),
        sum(near for near, _ in energies.values()) / len(energies),
    )
    threshold = np.maximum(_MIN_SIGNAL, _SIGNAL_OVER_NOISE * 2 * noise_variance)

    # Each tile is as crisp as its least crisp direction with detail in it: across a shake
    # the smear is crisp, along it it is not.
    crisp = np.ones((rows, cols), np.float32)
    detailed = np.zeros((rows, cols), bool)
    for near, far in energies.values():
        near = near - 2 * noise_variance
        far = far - 2 * noise_variance
        # Detail is change between neighbours: a smooth shadow across skin is not detail.
        has_detail = near > threshold
        ratio = np.clip(far / np.maximum(near, 1e-6), _FAR / _NEAR, (_FAR / _NEAR) ** 2)
        direction_crisp = 2 - np.log(ratio) / np.log(_FAR / _NEAR)  # 1 crisp .. 0 smooth
        crisp = np.where(has_detail, np.minimum(crisp, direction_crisp), crisp)
        detailed |= has_detail
    few = detailed.sum() < 2
    score = 0.0 if few else float(np.quantile(crisp[detailed], 1 - _SHARPEST_SHARE))
    return _Sharpness(
        score=score,
        detail=float(detailed.mean()),
        noise=float(np.sqrt(np.median(noise_variance))),
    )


# Tiles are grouped by brightness to estimate the noise: a camera's noise grows with the light
# each pixel caught, so a bright wall is noisier than dark skin in the same photo.
_BRIGHTNESS_BANDS = np.array([24, 48, 80, 112, 144, 176, 208, 240])
_FLATTEST_SHARE = 10  # percent


def _noise_variance(tile_means: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Each tile's noise variance, from the flattest tiles of about the same brightness.

    Noise adds the same to every difference, whatever the distance, and in the flattest tiles
    it is nearly all there is: there the mean squared neighbour difference is twice the
    noise's variance. A band with too few tiles to have flat ones borrows from all the tiles.
    """
    bands = np.digitize(tile_means, _BRIGHTNESS_BANDS)
    overall = float(np.percentile(near, _FLATTEST_SHARE)) / 2
    variance = np.full(near.shape, overall, np.float32)
    for band in np.unique(bands):
        members = bands == band
        if members.sum() >= 8:
            variance[members] = float(np.percentile(near[members], _FLATTEST_SHARE)) / 2
    return variance


@dataclass(frozen=True)
class _Exposure:
    darkness: float  # 0 (well lit) .. 1 (far too dark); DARK_THRESHOLD and over is too dark
    brightness: float  # 0 .. 1 (washed out); BRIGHT_THRESHOLD and over is too bright


# Calibrated on bench/quality.py's labelled set (docs/performance.md has the figures).
# too_dark: the photo's highlights (the brightest 1% of pixels, by their brightest channel).
# In any light good enough for a phone, something in the frame (a highlight on the skin, the
# background, the ruler) comes out bright; in a dim room nothing does, and the phone's raised
# gain leaves noise everywhere. Skin colour alone moves the middle of the histogram, not the
# top of it, which is why the middle is not used.
_HIGHLIGHTS_OK, _HIGHLIGHTS_DARK = 140.0, 60.0
# too_bright: the share of pixels clipped to white (any channel at 250 or more). Pale skin in
# good light has almost none; an over-exposed photo loses whole areas of skin to white.
_CLIPPED, _CLIPPED_SHARE_BAD = 250, 0.4


def _exposure(histogram: list[int]) -> _Exposure:
    """Exposure from the histogram of each pixel's brightest channel (see _brightest_channel).

    Each score is scaled so that its threshold (DARK_THRESHOLD, BRIGHT_THRESHOLD: 0.5) falls
    halfway between a plainly good and a plainly bad photo.
    """
    counts = np.asarray(histogram, dtype=np.float64)
    share_at_or_below = np.cumsum(counts) / max(1.0, counts.sum())
    highlights = float(np.searchsorted(share_at_or_below, 0.99))
    darkness = (_HIGHLIGHTS_OK - highlights) / (_HIGHLIGHTS_OK - _HIGHLIGHTS_DARK)
    brightness = float(1 - share_at_or_below[_CLIPPED - 1]) / _CLIPPED_SHARE_BAD
    return _Exposure(
        darkness=float(np.clip(darkness, 0, 1)), brightness=float(np.clip(brightness, 0, 1))
    )
