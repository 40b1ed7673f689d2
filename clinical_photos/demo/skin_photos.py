"""Photos of skin for the demo, drawn in code, as a patient's phone might take them.

Each is skin of one tone with texture at several scales (blotchiness, fine lines, pores, a few
hairs and freckles) and a problem on it (a rash, a mole or a wound) whose size and strength the
caller sets per visit, so photos of the same place weeks apart show it getting better or
worse. A "where it is" photo shows the arm, leg or back against a wall or a towel; a close-up
fills the frame and has a ruler beside the problem, as patients are asked to add. They are
sharp unless asked to be blurred: the service's own checks must find nothing else wrong.

They take a small fraction of a second each, because `make demo` draws them on its first
start; bench/synthetic_photos.py draws realistic, slower ones for measuring the checks.

Skin tones: Google's Monk Skin Tone Scale (Dr Ellis Monk), as published at
https://skintone.google/the-scale.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# The Monk Skin Tone Scale's tones that the demo's patients have.
MONK_3 = "#f7ead0"
MONK_4 = "#eadaba"
MONK_5 = "#d7bd96"
MONK_6 = "#a07e56"
MONK_8 = "#604134"

# Big enough for the service's checks (800 pixels on the short side), quick to draw.
WIDTH, HEIGHT = 1200, 900
# How much skin the frame's width covers.
CLOSE_UP_MM = 80.0
WHERE_MM = 420.0

WALL = "#e4ded3"
TOWEL = "#9fb3c8"


@dataclass(frozen=True)
class Problem:
    """What is on the skin at one visit."""

    kind: str  # "rash", "mole" or "wound"
    size_mm: float  # across its widest part
    # How angry it looks, 0 (barely) to 1 (at its worst): redness, darkness, number of spots.
    strength: float = 1.0


def skin_photo(
    problem: Problem,
    *,
    body: str,
    close_up: bool,
    tone: str,
    seed: int,
    visit: int = 0,
    blurred: bool = False,
) -> bytes:
    """A JPEG of `problem` on skin of `tone`.

    `body` is "arm", "leg" or "back": what a "where it is" photo shows around the problem (a
    close-up shows only skin). `seed` decides the skin and its marks, the same at every visit;
    `visit` decides how the phone was held and the problem's details that day.
    """
    px_per_mm = WIDTH / (CLOSE_UP_MM if close_up else WHERE_MM)
    colour = _rgb(tone)
    skin = _skin_of(seed, tone, px_per_mm).copy()
    rng = np.random.default_rng((seed, visit))
    # The problem near the middle of the frame, as far as the hand was steady.
    centre = (
        WIDTH * (0.5 + rng.uniform(-0.02, 0.02)),
        HEIGHT * ((0.4 if close_up else 0.5) + rng.uniform(-0.02, 0.02)),
    )
    _draw_problem(rng, skin, colour, problem, centre, px_per_mm)
    if close_up:
        skin *= _soft_light(rng)[..., None]
        picture = _with_ruler(rng, skin, px_per_mm)
    else:
        picture = _in_its_place(rng, skin, body, centre)
    # The sensor's noise, the same in each colour (a phone's noise reduction takes the rest).
    picture += rng.standard_normal((HEIGHT, WIDTH, 1), dtype=np.float32) * 1.5
    image = _8_bit(picture)
    if blurred:
        # The phone focused on something else: the checks should say so.
        image = image.filter(ImageFilter.GaussianBlur(4.5))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], np.float32)


def _smooth(rng, cell: float) -> np.ndarray:
    """A smooth random field of unit spread, its features about `cell` pixels across."""
    grid = rng.standard_normal((math.ceil(HEIGHT / cell) + 3, math.ceil(WIDTH / cell) + 3))
    field = Image.fromarray(grid.astype(np.float32), "F").resize(
        (WIDTH, HEIGHT), Image.Resampling.BICUBIC, box=(1, 1, 1 + WIDTH / cell, 1 + HEIGHT / cell)
    )
    field = np.asarray(field)
    return field / max(float(field[::8, ::8].std()), 1e-6)


@functools.lru_cache(maxsize=4)
def _skin_of(seed: int, tone: str, px_per_mm: float) -> np.ndarray:
    """The same skin for every visit of one patient's problem: drawn once, copied per photo."""
    return _skin(np.random.default_rng(seed), _rgb(tone), px_per_mm)


def _skin(rng, tone: np.ndarray, px_per_mm: float) -> np.ndarray:
    """Skin filling the frame: float32 RGB, 0-255."""
    # Unevenness over centimetres and millimetres, and the blood beneath: pinker in patches.
    shade = 1 + 0.03 * _smooth(rng, 12 * px_per_mm) + 0.015 * _smooth(rng, 3 * px_per_mm)
    pink = 0.03 + 0.04 * np.abs(_smooth(rng, 8 * px_per_mm))
    # Fine lines, pores, hairs and freckles: the crisp detail a phone resolves. As many in a
    # wider photo, where each is smaller, so every part of it has detail.
    marks = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(marks)
    count = 1300
    x0, y0 = rng.uniform(0, WIDTH, count), rng.uniform(0, HEIGHT, count)
    angles = rng.choice((0.5, 2.1), count) + rng.normal(0, 0.25, count)
    lengths = np.maximum(rng.uniform(0.8, 2.5, count) * px_per_mm, rng.uniform(6, 15, count))
    lines = np.stack([x0, y0, x0 + lengths * np.cos(angles), y0 + lengths * np.sin(angles)], 1)
    width = max(1, round(0.06 * px_per_mm))
    for line, depth in zip(lines.tolist(), rng.integers(60, 140, count).tolist(), strict=True):
        draw.line(line, fill=depth, width=width)
    radius = max(1.0, 0.08 * px_per_mm)
    dots = rng.uniform((0, 0), (WIDTH, HEIGHT), (1800, 2))
    boxes = np.concatenate([dots - radius, dots + radius], 1)
    for box, depth in zip(boxes.tolist(), rng.integers(70, 170, len(dots)).tolist(), strict=True):
        draw.ellipse(box, fill=depth)
    shade *= 1 - np.asarray(marks, np.float32) * (0.3 / 255)
    skin = tone * shade[..., None]
    skin[..., 1] *= 1 - pink
    skin[..., 2] *= 1 - 0.7 * pink
    return skin


def _outline(rng, centre, radius: float, roughness: float, squash=1.0, points=48) -> list:
    """An irregular round outline whose radius wanders by `roughness` (a share of it)."""
    wobble = np.convolve(np.tile(rng.standard_normal(points), 3), np.ones(5) / 5, mode="same")
    radii = radius * (1 + roughness * wobble[points : 2 * points])
    angles = np.linspace(0, 2 * math.pi, points, endpoint=False)
    return [
        (centre[0] + r * math.cos(a), centre[1] + squash * r * math.sin(a))
        for a, r in zip(angles, radii, strict=True)
    ]


def _paint(skin: np.ndarray, mask: Image.Image, colour, opacity: float) -> None:
    """Lay `colour` over the skin where `mask` is, keeping the skin's texture beneath it.

    Only the mask's bounding box is touched: a problem is a small part of the photo.
    """
    box = mask.getbbox()
    if box is None:
        return
    left, top, right, bottom = box
    alpha = np.asarray(mask.crop(box), np.float32)[..., None] * (opacity / 255)
    patch = skin[top:bottom, left:right]
    texture = patch.mean(axis=2, keepdims=True)
    texture /= max(float(texture.mean()), 1e-6)
    patch += alpha * (np.asarray(colour, np.float32) * texture - patch)


def _mask(draw_on) -> Image.Image:
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    draw_on(ImageDraw.Draw(mask))
    return mask


def _soften(mask: Image.Image, radius: float) -> Image.Image:
    """The mask's edges blurred, working only on the part of the frame it covers."""
    box = mask.getbbox()
    if box is None or radius <= 0:
        return mask
    pad = math.ceil(3 * radius) + 2
    box = (
        max(box[0] - pad, 0),
        max(box[1] - pad, 0),
        min(box[2] + pad, WIDTH),
        min(box[3] + pad, HEIGHT),
    )
    mask.paste(mask.crop(box).filter(ImageFilter.GaussianBlur(radius)), box[:2])
    return mask


def _scatter(rng, centre, radius: float, count: int, size: float) -> Image.Image:
    """`count` small round spots of about `size` within `radius` of `centre`."""
    distance = radius * np.sqrt(rng.uniform(0, 1, count))
    angle = rng.uniform(0, 2 * math.pi, count)
    spots = np.stack(
        [centre[0] + distance * np.cos(angle), centre[1] + distance * np.sin(angle)], 1
    )
    sizes = size * rng.uniform(0.5, 1.5, (count, 1))
    boxes = np.concatenate([spots - sizes, spots + sizes], 1).tolist()
    shades = rng.integers(140, 256, count).tolist()

    def draw(d):
        for box, shade in zip(boxes, shades, strict=True):
            d.ellipse(box, fill=shade)

    return _mask(draw)


def _draw_problem(rng, skin, tone, problem: Problem, centre, px_per_mm: float) -> None:
    radius = problem.size_mm / 2 * px_per_mm
    strength = problem.strength
    # Each colour is the skin's own, changed: redness and pigment show darker and browner on
    # darker skin, as they do on real skin.
    if problem.kind == "rash":
        patch = _mask(lambda d: d.polygon(_outline(rng, centre, radius, 0.25), fill=255))
        patch = _soften(patch, radius * 0.2)
        _paint(skin, patch, tone * (0.98, 0.66, 0.68), 0.3 + 0.5 * strength)
        spots = _scatter(rng, centre, radius, int(40 + 260 * strength), 0.45 * px_per_mm)
        _paint(skin, _soften(spots, 0.5), tone * (0.8, 0.45, 0.47), 0.35 + 0.5 * strength)
    elif problem.kind == "mole":
        # Brown, with an edge that grows more uneven and flecks that darken as it changes.
        outline = _outline(rng, centre, radius, 0.08 + 0.12 * strength)
        mole = _mask(lambda d: d.polygon(outline, fill=255))
        _paint(skin, _soften(mole, 0.06 * px_per_mm), tone * (0.5, 0.38, 0.33), 0.9)
        flecks = _scatter(rng, centre, radius * 0.6, int(12 + 30 * strength), 0.12 * radius)
        flecks = _soften(flecks, 0.05 * px_per_mm)
        _paint(skin, flecks, tone * (0.3, 0.2, 0.18), 0.25 + 0.55 * strength)
    else:  # a wound: a pink healing edge round a dark red scab
        halo = _mask(
            lambda d: d.polygon(_outline(rng, centre, radius * 1.25, 0.1, squash=0.5), fill=255)
        )
        halo = _soften(halo, radius * 0.25)
        _paint(skin, halo, tone * (1.0, 0.7, 0.7), 0.25 + 0.45 * strength)
        scab = _mask(lambda d: d.polygon(_outline(rng, centre, radius, 0.18, squash=0.3), fill=255))
        scab = _soften(scab, 0.08 * px_per_mm)
        _paint(skin, scab, tone * (0.55, 0.22, 0.2) * (0.8 + 0.2 * strength), 0.92)
        crust = _scatter(rng, centre, radius * 0.3, 40, 0.08 * radius)
        _paint(skin, _soften(crust, 0.1 * px_per_mm), tone * (0.3, 0.12, 0.1), 0.5)


def _soft_light(rng) -> np.ndarray:
    """Daylight from a window: a little brighter on one side, the skin curving away at the
    edges of a close-up."""
    x = np.linspace(-1, 1, WIDTH, dtype=np.float32)[None, :]
    y = np.linspace(-1, 1, HEIGHT, dtype=np.float32)[:, None]
    return 1 - 0.07 * (x * x + y * y) + rng.uniform(-0.04, 0.04) * x


def _falloff(distance: np.ndarray) -> np.ndarray:
    """Light on a limb, from its middle (0) to its edge (1): darker as it curves away."""
    return 1 - 0.35 * np.minimum(np.abs(distance), 1) ** 3


def _in_its_place(rng, skin, body: str, centre) -> np.ndarray:
    """The body part in the frame, against a wall (or, for a leg, a towel)."""
    # A towel's weave or a wall's paint: fine detail, so the background is as crisp as the skin.
    weave = (
        1
        + 0.02 * _smooth(rng, WIDTH / 40)
        + 0.02 * rng.standard_normal((HEIGHT, WIDTH), np.float32)
    )
    background = np.multiply.outer(weave, _rgb(TOWEL if body == "leg" else WALL))
    cx, cy = centre
    w, h = WIDTH, HEIGHT
    x = np.arange(w, dtype=np.float32)[None, :]
    y = np.arange(h, dtype=np.float32)[:, None]
    if body == "arm":  # a forearm across the frame, narrowing towards the wrist
        outline = [(-1, cy - 0.23 * h), (w, cy - 0.2 * h), (w, cy + 0.15 * h), (-1, cy + 0.32 * h)]
        light = _falloff((y - (cy + 0.05 * h - 0.08 * x)) / (0.275 * h - 0.06 * x))
    elif body == "leg":  # a lower leg down the frame, narrowing towards the ankle
        outline = [(cx - 0.2 * w, -1), (cx + 0.19 * w, -1), (cx + 0.14 * w, h), (cx - 0.16 * w, h)]
        light = _falloff((x - (cx - 0.01 * w + 0.03 * y)) / (0.2 * w - 0.06 * y))
    else:  # a back: the wall above the shoulders, the spine's groove down the middle
        outline = None
        spine = np.exp(-(((x - w / 2) / (0.03 * w)) ** 2))
        light = (1 - 0.12 * spine) * _falloff((x - w / 2) / (w / 2))

    def draw(d):
        if outline is not None:
            d.polygon(outline, fill=255)
            return
        d.rectangle((0, 0.18 * h, w, h), fill=255)
        d.ellipse((-0.19 * w, 0.08 * h, 0.54 * w, 0.5 * h), fill=255)
        d.ellipse((0.46 * w, 0.08 * h, 1.19 * w, 0.5 * h), fill=255)
        d.polygon([(0.41 * w, 0), (0.59 * w, 0), (0.66 * w, 0.2 * h), (0.34 * w, 0.2 * h)], 255)

    skin *= np.broadcast_to(light, (h, w))[..., None]
    picture = Image.composite(_8_bit(skin), _8_bit(background), _mask(draw))
    return np.asarray(picture, np.float32).copy()


def _8_bit(picture: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8), "RGB")


def _with_ruler(rng, skin: np.ndarray, px_per_mm: float) -> np.ndarray:
    """A plastic ruler along the bottom of a close-up, marked in millimetres, with its shadow."""
    image = _8_bit(skin)
    top = round(HEIGHT * rng.uniform(0.78, 0.82))
    depth = 22 * px_per_mm
    offset = 0.5 * px_per_mm
    shadow = _mask(lambda d: d.rectangle((0, top + offset, WIDTH, top + offset + depth), fill=80))
    image.paste((0, 0, 0), mask=_soften(shadow, 0.4 * px_per_mm))
    draw = ImageDraw.Draw(image)
    ink = (35, 35, 40)
    draw.rectangle((0, top, WIDTH, top + depth), fill=(242, 240, 232))
    font = ImageFont.load_default(size=round(3 * px_per_mm))
    start = rng.uniform(0, px_per_mm)
    line = max(1, round(px_per_mm / 10))
    for mm in range(int(WIDTH / px_per_mm) + 1):
        x = start + mm * px_per_mm
        tick = 6 if mm % 10 == 0 else 4.5 if mm % 5 == 0 else 3
        draw.line((x, top, x, top + tick * px_per_mm), fill=ink, width=line)
        if mm % 10 == 0 and mm:
            draw.text((x, top + 7 * px_per_mm), str(mm // 10), fill=ink, font=font, anchor="mt")
    return np.asarray(image, np.float32).copy()
