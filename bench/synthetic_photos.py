"""Phone-like clinical photographs of skin, made from scratch, with known faults.

The benchmarks need inputs that behave like what patients really send: 12 megapixel JPEGs (or
HEICs) of 3 to 6 MB with real detail at several scales and sensor noise, not flat test cards. The
quality benchmark also needs photos whose faults are known exactly. So a photo is made in two
steps, the way a real one is.

1. A scene, in LINEAR light: float32, 1.0 = full scale when correctly exposed (white paper in
   the brightest part of the frame is at 0.75-0.88, as a phone's auto-exposure leaves it, so pale
   skin stays just below white). Light adds up linearly, so blur and exposure are only right
   on linear values (blurring sRGB values makes bright edges too dark; scaling them is not what
   a longer exposure does). The scene holds:
   - skin whose base colour is one of the 10 tones of the Monk Skin Tone scale;
   - texture at several scales: blotchiness and redness (melanin and blood, centimetres), a
     network of fine furrows and raised plateaus (millimetres), pores (a tenth of a millimetre)
     and a few hairs. The furrows, pores and bumps are a height map lit from one side, so they
     shade the way real skin relief does, rather than being painted on;
   - a lesion: a mole (an irregular darker patch with a crisp-ish edge and texture inside) or a
     rash (a red patch with clusters of raised spots);
   - sometimes a ruler or a coin for scale, as patients are asked to add (crisp edges, a shadow);
   - soft shading from the light, the body's curve darkening towards its edges, a few specular
     highlights where the skin is shiny;
   - a background: a wall, fabric or a towel.
   Sizes are in millimetres of skin, turned into pixels from the field of view, so a close-up
   shows pores a few pixels wide and a wider shot does not. The scene is drawn at half the
   photo's resolution (`render_scale`): a phone's lens, demosaicing and noise reduction do not
   resolve detail finer than about 2 pixels anyway, and it makes a 12 MP photo 4 times cheaper.

2. A camera, in the order a real one works, on linear light until the gamma:
   optics (defocus: a Gaussian; camera shake: the mean along a straight line at an angle)
   -> the phone's mild sharpening -> exposure (x 2**stops, and any colour cast)
   -> sensor noise (Poisson-Gaussian: shot noise grows with the signal, read noise does not; when
   the light is short the phone raises the gain, a higher ISO, which amplifies both, so an
   under-exposed photo is dark AND noisy, like a phone in a dim room; noise reduction takes some
   of it away) -> clipping (light beyond what a pixel holds is white: over-exposure washes
   highlights out) -> sRGB gamma -> 8 bits -> baseline JPEG, 4:2:0, with a phone-like Exif block.
   The scene is enlarged to the sensor's pixels just before the per-pixel noise; the exposure
   and the coarse colour noise are applied before that, at a quarter of the cost (scaling and
   enlarging are both linear, so their order does not matter).

`labelled_set` photographs scenes of every Monk tone and every kind of scene with known defocus,
camera shake, under- and over-exposure and low resolution, so quality checks can be calibrated
and judged. Everything is deterministic for a seed.

Skin tones: Google's Monk Skin Tone Scale (Dr Ellis Monk), 10 tones, as published at
https://skintone.google/the-scale (hex values as given there, tone 1 lightest to 10 darkest).
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pillow_heif
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Google's Monk Skin Tone Scale (https://skintone.google/the-scale), tones 1 to 10, lightest to
# darkest. Indexed 0-9 here: `tone` 0 is Monk 1.
MONK_TONES = (
    "#f6ede4",
    "#f3e7db",
    "#f7ead0",
    "#eadaba",
    "#d7bd96",
    "#a07e56",
    "#825c43",
    "#604134",
    "#3a312a",
    "#292420",
)

SCENE_KINDS = ("close_up", "close_up_blurred_background", "where")

# How much skin the width of the frame covers, in mm, per kind of scene.
_FIELD_OF_VIEW_MM = {
    "close_up": (55.0, 90.0),
    "close_up_blurred_background": (70.0, 110.0),
    "where": (300.0, 450.0),
}

_BACKGROUND_COLOURS = (  # sRGB: walls, bedding, towels, clothes
    "#e9e4da",
    "#d8d8d4",
    "#c9c1b0",
    "#8a8f99",
    "#3d4a63",
    "#5f7660",
    "#b9a3a3",
    "#f2efe8",
    "#6b5b4b",
    "#a9b8c9",
)

_PHONES = (  # make, model, software, as phones write them in Exif
    ("Apple", "iPhone 13", "17.5.1"),
    ("samsung", "SM-A546B", "A546BXXS8CXK1"),
    ("Google", "Pixel 7a", "HDA1.240905.001"),
    ("Apple", "iPhone SE (2nd generation)", "16.7.10"),
    ("motorola", "moto g54 5G", "U1TDS34.94-12-9-7"),
)


# --- colour ---------------------------------------------------------------------------------------


def srgb_to_linear(value) -> np.ndarray:
    """sRGB values 0..1 to linear light (IEC 61966-2-1)."""
    v = np.asarray(value, dtype=np.float64)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)


def hex_to_linear(colour: str) -> np.ndarray:
    return srgb_to_linear([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


_LUT_STEPS = 16383  # 14-bit linear values, as a phone's image processor has


def _make_srgb_lut() -> np.ndarray:
    x = (np.arange(_LUT_STEPS + 1) + 0.5) / _LUT_STEPS  # entry i stands for i..i+1
    srgb = np.where(x <= 0.0031308, 12.92 * x, 1.055 * x ** (1 / 2.4) - 0.055)
    return np.clip(np.round(255 * srgb), 0, 255).astype(np.uint8)


_SRGB_LUT = _make_srgb_lut()


def _to_srgb8(plane: np.ndarray) -> np.ndarray:
    """Linear values to 8-bit sRGB, clipping to 0..1 on the way (overwrites `plane`)."""
    plane *= _LUT_STEPS
    np.clip(plane, 0, _LUT_STEPS, out=plane)
    return _SRGB_LUT[plane.astype(np.uint16)]


# --- image tools: float32 planes, shape (height, width) or (planes, height, width) ---------------


def _noise(rng, h: int, w: int, cell_y: float, cell_x: float | None = None, angle: float = 0.0):
    """A smooth random field of unit spread, its features about `cell` pixels across.

    Bicubic interpolation of a grid of random values, one per cell. With an `angle` the cells
    (and so the features) are turned by that many radians. The field is made at a reduced size
    where its cells are still several pixels wide, then enlarged: fast, and just as smooth.
    """
    cell_x = cell_y if cell_x is None else cell_x
    if cell_y < 1.2 and cell_x < 1.2:
        # Finer than a pixel: what is left is pixel noise, weaker because it averages out.
        return rng.standard_normal((h, w), dtype=np.float32) * max(cell_x, cell_y, 0.3)
    cell_y, cell_x = max(cell_y, 1.0), max(cell_x, 1.0)
    f = max(1, int(min(cell_y, cell_x) / 4))
    hs, ws = math.ceil(h / f), math.ceil(w / f)
    cy, cx = cell_y / f, cell_x / f
    if angle == 0.0:
        grid = rng.standard_normal((math.ceil(hs / cy) + 4, math.ceil(ws / cx) + 4))
        image = Image.fromarray(grid.astype(np.float32)).resize(
            (ws, hs), Image.Resampling.BICUBIC, box=(1.5, 1.5, 1.5 + ws / cx, 1.5 + hs / cy)
        )
    else:
        ca, sa = math.cos(angle), math.sin(angle)
        # Output pixel (X, Y) reads the grid at u = (X cos + Y sin) / cx, v = (Y cos - X sin) / cy.
        corners = [(0, 0), (ws, 0), (0, hs), (ws, hs)]
        us = [(x * ca + y * sa) / cx for x, y in corners]
        vs = [(y * ca - x * sa) / cy for x, y in corners]
        grid = rng.standard_normal(
            (math.ceil(max(vs) - min(vs)) + 6, math.ceil(max(us) - min(us)) + 6)
        )
        u0, v0 = 2 - min(us), 2 - min(vs)
        affine = (ca / cx, sa / cx, u0, -sa / cy, ca / cy, v0)
        image = Image.fromarray(grid.astype(np.float32)).transform(
            (ws, hs), Image.Transform.AFFINE, affine, resample=Image.Resampling.BICUBIC
        )
    if f > 1:
        image = image.resize((w, h), Image.Resampling.BICUBIC, box=(0, 0, w / f, h / f))
    field = np.array(image)
    field *= 1 / max(float(field[::7, ::7].std()), 1e-6)
    return field


def _smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - edge0) * (1 / (edge1 - edge0)), 0, 1)
    return t * t * (3 - 2 * t)


def _box_along(a: np.ndarray, width: int, axis: int) -> np.ndarray:
    """The mean over a window `width` pixels long along one axis: O(N) whatever the width."""
    if width <= 1:
        return a
    before = width // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (before + 1, width - 1 - before)
    c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis, dtype=np.float32)
    n = c.shape[axis]
    hi = [slice(None)] * a.ndim
    lo = [slice(None)] * a.ndim
    hi[axis], lo[axis] = slice(width, n), slice(0, n - width)
    out = c[tuple(hi)] - c[tuple(lo)]
    out *= 1 / width
    return out


def _blur_small(a: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur with an exact separable kernel: for small sigmas."""
    radius = max(1, math.ceil(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(0, radius + 1) / sigma) ** 2)
    kernel = (kernel / (2 * kernel.sum() - kernel[0])).astype(np.float32)
    out = a
    for axis in (-1, -2):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="edge")
        n = out.shape[axis]

        def window(start, axis=axis, n=n, padded=padded):
            index = [slice(None)] * a.ndim
            index[axis] = slice(start, start + n)
            return padded[tuple(index)]

        acc = window(radius) * kernel[0]
        pair = np.empty_like(acc)
        for i in range(1, radius + 1):  # the kernel is symmetric: add both sides, then weigh
            np.add(window(radius - i), window(radius + i), out=pair)
            pair *= kernel[i]
            acc += pair
        out = acc
    return out


def _blur_3(a: np.ndarray) -> np.ndarray:
    """A quick small blur (sigma about 0.7): [1, 2, 1] / 4 along each axis."""
    out = a
    for axis in (-1, -2):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (1, 1)
        p = np.pad(out, pad, mode="edge")
        n = out.shape[axis]
        index = [slice(None)] * a.ndim

        def window(start, index=index, axis=axis, n=n, p=p):
            index[axis] = slice(start, start + n)
            return p[tuple(index)]

        acc = window(0) + window(2)
        acc += window(1)
        acc += window(1)
        acc *= 0.25
        out = acc
    return out


def _resize(plane: np.ndarray, width: int, height: int, box=None) -> np.ndarray:
    image = Image.fromarray(plane)
    return np.asarray(image.resize((width, height), Image.Resampling.BICUBIC, box=box))


# Keys' cubic (a = -0.5, as Pillow's BICUBIC) at the offsets that doubling the size needs: the
# new pixel a quarter of a pixel from an old one weighs the old ones at 0, -1/+1 (towards it),
# +1/-1 (away) and +2/-2 by these.
_CUBIC_2X = (0.8671875, 0.2265625, -0.0703125, -0.0234375)


def _upsample2(a: np.ndarray) -> np.ndarray:
    """Double a plane's size (bicubic, pixel centres aligned), as Pillow would, but in place
    in numpy: twice as fast, with no copy out of Pillow."""
    h, w = a.shape
    near, towards, away, far = _CUBIC_2X
    padded = np.pad(a, 2, mode="edge")
    wide = np.empty((h + 4, 2 * w), dtype=np.float32)
    for target, step in ((wide[:, 0::2], -1), (wide[:, 1::2], 1)):
        np.multiply(padded[:, 2 : 2 + w], near, out=target)
        target += towards * padded[:, 2 + step : 2 + step + w]
        target += away * padded[:, 2 - step : 2 - step + w]
        target += far * padded[:, 2 + 2 * step : 2 + 2 * step + w]
    del padded
    out = np.empty((2 * h, 2 * w), dtype=np.float32)
    for target, step in ((out[0::2], -1), (out[1::2], 1)):
        np.multiply(wide[2 : 2 + h], near, out=target)
        target += towards * wide[2 + step : 2 + step + h]
        target += away * wide[2 - step : 2 - step + h]
        target += far * wide[2 + 2 * step : 2 + 2 * step + h]
    return out


def gaussian_blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of float32 planes over their last two axes; `a` is left as it was.

    Large blurs are done on a copy shrunk by an averaging factor f: averaging over f x f
    pixels is itself a blur of variance (f*f - 1) / 12, the rest is blurred on the small copy,
    and bicubic upsampling (which reproduces smooth curves exactly) brings it back. The cost
    hardly depends on sigma.
    """
    if sigma <= 0.05:
        return a
    if sigma < 3:
        return _blur_small(a, sigma)
    f = max(2, round(sigma / 2))
    h, w = a.shape[-2:]
    hs, ws = math.ceil(h / f), math.ceil(w / f)
    pad = [(0, 0)] * (a.ndim - 2) + [(0, hs * f - h), (0, ws * f - w)]
    padded = np.pad(a, pad, mode="edge") if pad[-1][1] or pad[-2][1] else a
    small = padded.reshape((*a.shape[:-2], hs, f, ws, f)).mean(axis=(-3, -1), dtype=np.float32)
    rest = math.sqrt(max(sigma * sigma - (f * f - 1) / 12, 0.25)) / f
    small = _blur_small(small, rest)
    box = (0, 0, w / f, h / f)
    if a.ndim == 2:
        return _resize(small, w, h, box)
    return np.stack([_resize(p, w, h, box) for p in small.reshape(-1, hs, ws)]).reshape(a.shape)


def motion_blur(a: np.ndarray, length: float, angle_degrees: float) -> np.ndarray:
    """Camera shake: the mean along a straight line `length` pixels long at an angle.

    The image is sheared so that the line runs along the rows (each column moved up or down by
    a whole number of pixels), averaged along the rows with cumulative sums, and sheared back:
    O(N) whatever the length.
    """
    if length < 1.0:
        return a
    theta = math.radians(angle_degrees)
    dx, dy = math.cos(theta), math.sin(theta)
    transposed = abs(dy) > abs(dx)
    if transposed:
        a = np.swapaxes(a, -1, -2)
        dx, dy = dy, dx
    run = max(1, round(length * abs(dx)))  # how many columns the line crosses
    h, w = a.shape[-2:]
    offsets = np.round(np.arange(w) * (dy / dx)).astype(np.intp)
    offsets -= offsets.min()
    m = int(offsets.max())
    padded = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(m, m), (0, 0)], mode="edge")
    rows = np.arange(h + m)[:, None] + offsets[None, :]
    sheared = np.take_along_axis(padded, np.broadcast_to(rows, (*a.shape[:-2], *rows.shape)), -2)
    sheared = _box_along(sheared, run, -1)
    back = np.arange(h)[:, None] + (m - offsets)[None, :]
    out = np.take_along_axis(sheared, np.broadcast_to(back, (*a.shape[:-2], *back.shape)), -2)
    if transposed:
        out = np.swapaxes(out, -1, -2)
    return np.ascontiguousarray(out)


def _draw_mask(size: tuple[int, int], draw, blur: float = 0.0) -> np.ndarray:
    """Draw with Pillow on an 8-bit mask (fast), soften the edge, return float32 0..1."""
    mask = Image.new("L", size, 0)
    draw(ImageDraw.Draw(mask))
    if blur > 0:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(mask, dtype=np.float32) * (1 / 255)


def _dots(rng, h: int, w: int, count: int, radius: tuple[float, float], blur: float):
    """`count` soft round dots at random places, radii in a range, strengths 0.4-1."""
    ys, xs = rng.uniform(0, h, count), rng.uniform(0, w, count)
    rs = rng.uniform(*radius, count)
    strengths = rng.integers(100, 256, count)

    def draw(d):
        for x, y, r, s in zip(
            xs.tolist(), ys.tolist(), rs.tolist(), strengths.tolist(), strict=True
        ):
            d.ellipse((x - r, y - r, x + r, y + r), fill=s)

    return _draw_mask((w, h), draw, blur=blur)


def _slope(height_map: np.ndarray, angle: float) -> np.ndarray:
    """How steeply the surface rises towards the light (a central difference)."""
    slope = np.zeros_like(height_map)
    slope[:, 1:-1] = (height_map[:, 2:] - height_map[:, :-2]) * (0.5 * math.cos(angle))
    slope[1:-1, :] += (height_map[2:, :] - height_map[:-2, :]) * (0.5 * math.sin(angle))
    return slope


# --- the scene ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """What is in front of the camera, in linear light.

    `linear` has shape (3, h, w): planes R, G, B, float32, 1.0 = full scale when correctly
    exposed. It is drawn at `render_scale` times the size of the photo (`width` x `height`).
    """

    linear: np.ndarray
    width: int
    height: int
    kind: str
    tone: int  # 0-9: Monk Skin Tone scale 1-10
    lesion: str  # "mole" or "rash"
    scale_object: str | None  # "ruler", "coin" or None
    background: str  # "wall", "fabric" or "towel"
    field_of_view_mm: float  # skin across the width of the frame
    seed: int

    @property
    def render_scale(self) -> float:
        return self.linear.shape[-1] / self.width


def make_scene(
    seed: int,
    *,
    kind: str = "close_up",
    tone: int | None = None,
    width: int = 4000,
    height: int = 3000,
    lesion: str | None = None,
    scale_object: str | None = "random",
    render_scale: float = 0.5,
) -> Scene:
    """Draw a scene of skin for a photo `width` x `height` pixels. Deterministic for a seed.

    `tone` 0-9 is Monk 1-10 (random if None); `lesion` "mole" or "rash" (random if None);
    `scale_object` "ruler", "coin", None, or "random" (never one in a wider "where" shot).
    """
    if kind not in SCENE_KINDS:
        raise ValueError(f"kind must be one of {SCENE_KINDS}")
    rng = np.random.default_rng([seed, SCENE_KINDS.index(kind), 7919])
    tone = int(rng.integers(10)) if tone is None else int(tone)
    lesion = lesion or ("mole" if rng.random() < 0.5 else "rash")
    if scale_object == "random":
        scale_object = None if kind == "where" else ("ruler", "coin", None)[int(rng.integers(3))]
    h, w = max(16, round(height * render_scale)), max(16, round(width * render_scale))
    fov = float(rng.uniform(*_FIELD_OF_VIEW_MM[kind]))
    px_per_mm = w / fov
    close = kind != "where"

    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    skin_mask, across = _skin_region(rng, kind, h, w, xx, yy)

    # Light: a soft gradient across the frame with gentle unevenness, and the body's curve
    # turning away from the light towards its edges.
    angle = rng.uniform(0, 2 * math.pi)
    ramp = xx * math.cos(angle) + yy * math.sin(angle)
    ramp -= ramp.min()
    ramp *= rng.uniform(0.15, 0.35) / max(float(ramp.max()), 1e-6)
    # A well-exposed photo keeps the brightest skin a little below white: the light is set so
    # that white paper in the brightest part would be at 75-88% of full scale.
    light = rng.uniform(0.75, 0.88) - ramp
    light *= 1.0 + 0.05 * _noise(rng, h, w, w / 3)
    del ramp
    body_light = light * (0.5 + 0.5 * np.sqrt(np.clip(1 - across * across, 0, 1)))
    del across, xx, yy

    albedo, height_map = _skin(rng, tone, h, w, px_per_mm)
    lesion_mask = _add_lesion(rng, albedo, height_map, lesion, tone, h, w, px_per_mm, close)
    _add_hairs(rng, albedo, h, w, px_per_mm, tone, close)

    # The relief lit from the side of the light: slopes towards it brighter, away darker.
    slope = _slope(height_map, angle + math.pi)
    slope *= (0.045 if close else 0.018) / max(float(slope[::5, ::5].std()), 1e-6)
    relief = np.clip(1 + slope, 0.5, 1.6)
    del slope, height_map
    for c in range(3):
        albedo[c] *= relief
        albedo[c] *= body_light
    skin = albedo
    _add_sheen(rng, skin, h, w, px_per_mm, body_light, relief, lesion_mask)
    del relief

    background_name = ("wall", "fabric", "towel")[int(rng.integers(3))]
    if kind == "close_up_blurred_background":
        # Far behind the subject: drawn small and strongly out of focus, as with a phone's
        # shallow depth of field close up.
        hs, ws = max(8, h // 4), max(8, w // 4)
        small = _background(rng, background_name, hs, ws, px_per_mm * 0.25 * 0.3)
        small = gaussian_blur(small, ws * rng.uniform(0.012, 0.02))
        background = np.stack([_resize(p, w, h) for p in small])
    else:
        background = _background(rng, background_name, h, w, px_per_mm)
    background *= light

    scene = background
    scene *= 1 - skin_mask
    skin *= skin_mask
    scene += skin
    del skin

    if scale_object == "ruler":
        _add_ruler(rng, scene, h, w, px_per_mm)
    elif scale_object == "coin":
        _add_coin(rng, scene, h, w, px_per_mm)

    if kind == "close_up_blurred_background":
        # Only the middle 30-50% of the frame is in the plane of focus; the curved skin falls
        # out of focus towards the edges.
        cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r = np.hypot(xx - cx, yy - cy) * (1 / w)
        sharp_radius = math.sqrt(rng.uniform(0.3, 0.5) * (h / w) / math.pi)
        weight = _smoothstep(sharp_radius, sharp_radius * 1.7, r)
        del yy, xx, r
        soft = gaussian_blur(scene, w * 0.007)
        soft -= scene
        soft *= weight
        scene += soft
    np.clip(scene, 0, None, out=scene)
    return Scene(
        linear=scene,
        width=width,
        height=height,
        kind=kind,
        tone=tone,
        lesion=lesion,
        scale_object=scale_object,
        background=background_name,
        field_of_view_mm=fov,
        seed=seed,
    )


def _skin_region(rng, kind, h, w, xx, yy):
    """A limb-like band: the skin mask, and where each pixel is across the limb (-1..1)."""
    angle = rng.uniform(-0.6, 0.6) + (math.pi / 2 if rng.random() < 0.3 else 0.0)
    nx, ny = -math.sin(angle), math.cos(angle)  # across the limb
    side = 1 if rng.random() < 0.5 else -1
    if kind == "close_up":  # fills the frame; at most an edge of background shows
        half_width = h * rng.uniform(0.8, 1.3)
        centre_offset = side * h * rng.uniform(0.1, 0.4)
    elif kind == "close_up_blurred_background":
        half_width = h * rng.uniform(0.3, 0.42)
        centre_offset = h * rng.uniform(-0.05, 0.05)
    else:
        half_width = h * rng.uniform(0.2, 0.32)
        centre_offset = h * rng.uniform(-0.1, 0.1)
    cx, cy = w / 2, h / 2
    along = ((xx - cx) * math.cos(angle) + (yy - cy) * math.sin(angle)) * (1 / w)
    d = (xx - cx) * nx + (yy - cy) * ny - centre_offset
    d -= (rng.uniform(-0.25, 0.25) * w) * along * along  # a gentle bend
    local_half = half_width * (1 + rng.uniform(-0.15, 0.15) * along)
    across = d / local_half
    edge = max(1.0, w / 1500)
    mask = 1 - _smoothstep(-edge, edge, np.abs(d) - local_half)
    return mask, across


def _skin(rng, tone, h, w, px_per_mm):
    """The skin's colour (3 planes), and its relief (a height map)."""
    base = hex_to_linear(MONK_TONES[tone])
    mm2 = (h / px_per_mm) * (w / px_per_mm)  # area of skin in the frame, mm squared
    # Melanin, unevenly spread (absorbs more blue than red), and blood (takes green and blue).
    melanin = 0.06 * _noise(rng, h, w, 15 * px_per_mm)
    melanin += 0.02 * _noise(rng, h, w, 4 * px_per_mm)
    blood = np.clip(_noise(rng, h, w, 12 * px_per_mm) + 0.5, 0, None)
    blood *= 0.035
    # Relief. Gentle undulation; the skin's network of furrows: two families of long wavy lines
    # crossing at an angle (the rhomboid pattern of skin), the zero lines of stretched random
    # fields, and a finer, weaker isotropic one; small bumps; pores.
    height_map = 2.0 * _noise(rng, h, w, 5 * px_per_mm)
    furrows = np.zeros((h, w), dtype=np.float32)
    first, crossing = rng.uniform(0, math.pi), rng.uniform(0.9, 1.5)
    for angle, across, along, depth in (
        (first, 0.8, 5.0, 1.0),
        (first + crossing, 1.0, 4.0, 0.8),
        (0.0, 0.6, 0.6, 0.35),
    ):
        field = _noise(rng, h, w, across * px_per_mm, along * px_per_mm, angle)
        np.abs(field, out=field)
        field *= 1 / 0.3
        np.subtract(1, field, out=field)
        np.clip(field, 0, 1, out=field)
        field *= field
        field *= depth
        furrows += field
    height_map -= furrows
    height_map += 0.35 * _noise(rng, h, w, 0.25 * px_per_mm)  # small bumps
    pore_radius = 0.05 * px_per_mm
    if pore_radius >= 0.7:
        count = int(mm2 * rng.uniform(0.6, 1.4))
        pores = _dots(rng, h, w, count, (0.6 * pore_radius, 1.4 * pore_radius), 0.4 * pore_radius)
        height_map -= 0.5 * pores
    else:
        pores = np.zeros((h, w), dtype=np.float32)
    # Furrows and pores hold a little shadow even in soft light.
    shade = 1 - 0.06 * furrows - 0.18 * pores
    del furrows, pores
    albedo = np.empty((3, h, w), dtype=np.float32)
    for c, (melanin_weight, blood_weight) in enumerate(((0.8, 0.0), (1.0, 1.0), (1.2, 0.8))):
        plane = albedo[c]
        np.multiply(melanin, -melanin_weight, out=plane)
        np.exp(plane, out=plane)
        plane *= shade
        if blood_weight:
            plane *= 1 - blood_weight * blood
        plane *= base[c]
    if tone < 5 and rng.random() < 0.5:  # freckles on lighter skin
        radius = (0.25 * px_per_mm, 0.8 * px_per_mm)
        count = int(mm2 * rng.uniform(0.01, 0.06))
        freckles = _dots(rng, h, w, count, radius, max(0.6, 0.25 * px_per_mm))
        freckles *= rng.uniform(0.15, 0.3)
        for c, weight in enumerate((0.6, 1.0, 1.3)):
            albedo[c] *= 1 - weight * freckles
    return albedo, height_map


def _add_hairs(rng, albedo, h, w, px_per_mm, tone, close):
    """A few fine hairs, drawn at twice the size and shrunk, so their edges are smooth."""
    count = int(rng.integers(2, 14) if close else rng.integers(20, 60))
    width = max(1, round(0.1 * px_per_mm))
    strokes = []
    for _ in range(count):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        heading, bend = rng.uniform(0, 2 * math.pi), rng.uniform(-0.1, 0.1)
        step = rng.uniform(0.4, 1.5) * px_per_mm
        points = [(2 * x, 2 * y)]
        for _ in range(16):
            heading += bend + rng.normal(0, 0.03)
            x, y = x + step * math.cos(heading), y + step * math.sin(heading)
            points.append((2 * x, 2 * y))
        strokes.append((points, int(rng.integers(120, 230))))
    mask = Image.new("L", (2 * w, 2 * h), 0)
    draw = ImageDraw.Draw(mask)
    for points, strength in strokes:
        draw.line(points, fill=strength, width=width, joint="curve")
    hair = np.asarray(mask.reduce(2), dtype=np.float32) * (1 / 255)
    if not close:
        hair *= 0.4
    colour = (0.045, 0.03, 0.02) if tone < 4 else (0.02, 0.016, 0.013)
    for c in range(3):
        albedo[c] += hair * (colour[c] - albedo[c])


def _add_lesion(rng, albedo, height_map, lesion, tone, h, w, px_per_mm, close):
    """Paint a mole or a rash into the skin and its relief; return its mask (for the sheen)."""
    mask = np.zeros((h, w), dtype=np.float32)
    spread = (0.3, 0.7) if close else (0.4, 0.6)
    cx, cy = w * rng.uniform(*spread), h * rng.uniform(*spread)
    if lesion == "mole":
        radius = rng.uniform(2.5, 6.0) * px_per_mm
        margin = 1.6 * radius + 4
    else:
        radius = rng.uniform(10, 22) * px_per_mm
        margin = 1.5 * radius + 4
    x0, y0 = max(0, int(cx - margin)), max(0, int(cy - margin))
    x1, y1 = min(w, int(cx + margin)), min(h, int(cy + margin))
    ch, cw = y1 - y0, x1 - x0
    if ch < 8 or cw < 8:
        return mask
    ly, lx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    lx += x0 - cx
    ly += y0 - cy
    if lesion == "mole":
        # An irregular outline: a circle with random low harmonics.
        angles = np.linspace(0, 2 * math.pi, 240, endpoint=False)
        wobble = sum(
            rng.uniform(0, 0.13 / k**0.6) * np.cos(k * angles + rng.uniform(0, 2 * math.pi))
            for k in range(2, 10)
        )
        r = radius * (1 + wobble)
        squash = rng.uniform(0.7, 1.0)
        outline = [
            (float(cx - x0 + a), float(cy - y0 + b))
            for a, b in zip(r * np.cos(angles), squash * r * np.sin(angles), strict=True)
        ]
        m = _draw_mask((cw, ch), lambda d: d.polygon(outline, fill=255), 0.06 * px_per_mm)
        centre = np.exp(-(lx * lx + ly * ly) / (2 * (0.6 * radius) ** 2))
        texture = 0.15 * _noise(rng, ch, cw, 0.6 * px_per_mm)
        texture += 0.1 * _noise(rng, ch, cw, 0.2 * px_per_mm)
        # How much light the mole sends back compared with the skin around it.
        darkness = rng.uniform(0.25, 0.5) * (1 - 0.35 * centre) * np.exp(texture)
        colour = (1.0, 0.8, 0.7) if tone < 7 else (1.0, 0.9, 0.85)
        for c in range(3):
            region = albedo[c, y0:y1, x0:x1]
            region *= 1 - m * (1 - np.clip(darkness * colour[c], 0.03, 1))
        height_map[y0:y1, x0:x1] += 2.5 * _blur_small(m, max(0.7, 0.3 * px_per_mm))
        mask[y0:y1, x0:x1] = m
        return mask
    # A rash: a patch of redness with an uneven edge, and clusters of raised spots.
    dist = np.hypot(lx, ly) * (1 / radius)
    patch = _smoothstep(0.0, 0.6, 1.0 - dist + 0.3 * _noise(rng, ch, cw, 5 * px_per_mm))
    spots = []
    for _ in range(int(rng.integers(3, 7))):  # clusters
        a, rr = rng.uniform(0, 2 * math.pi), 0.8 * radius * math.sqrt(rng.uniform(0, 1))
        kx, ky = cx - x0 + rr * math.cos(a), cy - y0 + rr * math.sin(a)
        cluster = rng.uniform(2, 6) * px_per_mm
        for _ in range(int(rng.integers(8, 30))):
            size = rng.uniform(0.3, 1.2) * px_per_mm
            sx, sy = kx + rng.normal(0, cluster), ky + rng.normal(0, cluster)
            squash = rng.uniform(0.6, 1.0)
            spots.append(
                (
                    (sx - size, sy - size * squash, sx + size, sy + size * squash),
                    int(rng.integers(90, 255)),
                )
            )

    def draw(d):
        for box, strength in spots:
            d.ellipse(box, fill=strength)

    papules = _draw_mask((cw, ch), draw, blur=max(0.6, 0.2 * px_per_mm))
    redness = 0.4 * patch * rng.uniform(0.6, 1.0) + 0.5 * papules
    # Red on lighter skin; darker and more violet on darker skin.
    factors = (0.93, 0.55, 0.62) if tone < 5 else (0.78, 0.6, 0.68)
    for c in range(3):
        albedo[c, y0:y1, x0:x1] *= 1 - redness * (1 - factors[c])
    height_map[y0:y1, x0:x1] += 2.0 * papules
    mask[y0:y1, x0:x1] = papules
    return mask


def _add_sheen(rng, skin, h, w, px_per_mm, light, relief, lesion_mask):
    """Specular highlights: a few broad shiny areas, broken up by the skin's relief."""
    sheen = np.zeros((h, w), dtype=np.float32)
    for _ in range(int(rng.integers(2, 5))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        sx = min(rng.uniform(6, 20) * px_per_mm, rng.uniform(0.05, 0.15) * w)
        sy = sx * rng.uniform(0.25, 0.6)
        a = rng.uniform(0, math.pi)
        x0, x1 = max(0, int(cx - 3 * sx)), min(w, int(cx + 3 * sx))
        y0, y1 = max(0, int(cy - 3 * sx)), min(h, int(cy + 3 * sx))
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        ly, lx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        lx -= cx
        ly -= cy
        u = lx * math.cos(a) + ly * math.sin(a)
        v = ly * math.cos(a) - lx * math.sin(a)
        sheen[y0:y1, x0:x1] += rng.uniform(0.03, 0.12) * np.exp(
            -0.5 * ((u / sx) ** 2 + (v / sy) ** 2)
        )
    # Glints on the slopes that face the light and on the tops of small bumps.
    sparkle = relief - 1
    sparkle *= 1.5
    sparkle += 1
    np.clip(sparkle, 0, 2, out=sparkle)
    sheen *= sparkle
    sheen *= light
    sheen *= 1 - 0.7 * lesion_mask  # a mole or a spot is rougher: less shiny
    skin += sheen


def _background(rng, name, h, w, px_per_mm):
    colour = hex_to_linear(_BACKGROUND_COLOURS[int(rng.integers(len(_BACKGROUND_COLOURS)))])
    texture = 1 + 0.1 * _noise(rng, h, w, w / 4)
    texture += 0.04 * _noise(rng, h, w, w / 12)
    if name == "wall":
        texture += 0.015 * _noise(rng, h, w, 1.0 * px_per_mm)
    elif name == "fabric":
        period = rng.uniform(0.6, 1.4) * px_per_mm
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        weave = np.sin(xx * (2 * math.pi / period)) * np.sin(yy * (2 * math.pi / period))
        texture += 0.07 * weave + 0.04 * _noise(rng, h, w, 0.8 * px_per_mm)
    else:
        pile = np.tanh(_noise(rng, h, w, 1.2 * px_per_mm))
        texture += 0.16 * pile + 0.05 * _noise(rng, h, w, 0.4 * px_per_mm)
    return np.stack([texture * colour[c] for c in range(3)])


def _add_ruler(rng, scene, h, w, px_per_mm):
    """A white plastic ruler with millimetre marks near one edge of the frame, with a shadow."""
    breadth = 15 * px_per_mm
    angle = rng.uniform(-0.2, 0.2)
    cx = w / 2 + rng.uniform(-0.1, 0.1) * w
    cy = h / 2 + (1 if rng.random() < 0.5 else -1) * h * rng.uniform(0.36, 0.44)
    length = 1.3 * w
    ca, sa = math.cos(angle), math.sin(angle)
    # Everything is drawn in a band of the frame around the ruler.
    y0 = max(0, int(cy - 0.5 * breadth - abs(sa) * length / 2 - 3 * px_per_mm))
    y1 = min(h, int(cy + 0.5 * breadth + abs(sa) * length / 2 + 4 * px_per_mm))
    if y1 - y0 < 4:
        return

    def at(u, v):  # along and across the ruler, in pixels, to the band's coordinates
        return (cx + u * ca - v * sa, cy - y0 + u * sa + v * ca)

    half, edge = length / 2, breadth / 2
    body = [at(-half, -edge), at(half, -edge), at(half, edge), at(-half, edge)]
    shift = 1.2 * px_per_mm
    shadow_outline = [(x + shift, y + 1.2 * shift) for x, y in body]
    size = (w, y1 - y0)
    body_mask = _draw_mask(size, lambda d: d.polygon(body, fill=255), blur=0.6)
    shadow = _draw_mask(size, lambda d: d.polygon(shadow_outline, fill=255), blur=1.2 * px_per_mm)
    font = ImageFont.load_default(size=max(8, round(3 * px_per_mm)))
    first = -int(half / px_per_mm)
    line_width = max(1, round(0.15 * px_per_mm))

    def marks(d):
        for mm in range(first, -first + 1):
            u = mm * px_per_mm
            tick = 7 if mm % 10 == 0 else 5.5 if mm % 5 == 0 else 4
            d.line([at(u, -edge), at(u, -edge + tick * px_per_mm)], fill=255, width=line_width)
            if (mm - first) % 10 == 0:
                number = str((mm - first) // 10)
                d.text(at(u, -edge + 10 * px_per_mm), number, fill=255, font=font, anchor="mm")

    ink = _draw_mask(size, marks, blur=0.5)
    ink *= body_mask
    plastic = rng.uniform(0.75, 0.85)
    for c in range(3):
        band = scene[c, y0:y1]
        band *= 1 - 0.45 * shadow * (1 - body_mask)
        band += body_mask * (plastic * (1 - 0.96 * ink) - band)


def _add_coin(rng, scene, h, w, px_per_mm):
    """A copper 2p coin (25.9 mm across) near one side of the frame, with a shadow."""
    radius = 25.9 / 2 * px_per_mm
    cx = w * (0.15 if rng.random() < 0.5 else 0.85) + rng.uniform(-0.04, 0.04) * w
    cy = h * rng.uniform(0.25, 0.75)
    margin = radius + 4 * px_per_mm
    x0, y0 = max(0, int(cx - margin)), max(0, int(cy - margin))
    x1, y1 = min(w, int(cx + margin)), min(h, int(cy + margin))
    ch, cw = y1 - y0, x1 - x0
    if ch < 8 or cw < 8:
        return
    lcx, lcy = cx - x0, cy - y0
    offset = 1.3 * px_per_mm

    def disc(r, dx=0.0, dy=0.0):
        return lambda d: d.ellipse((lcx - r + dx, lcy - r + dy, lcx + r + dx, lcy + r + dy), 255)

    coin = _draw_mask((cw, ch), disc(radius), blur=0.6)
    shadow = _draw_mask((cw, ch), disc(radius, offset, offset), blur=1.2 * px_per_mm)
    rim = coin - _draw_mask((cw, ch), disc(0.88 * radius), blur=0.6)
    relief = 0.05 * _noise(rng, ch, cw, 2.0 * px_per_mm)
    relief += 0.03 * _noise(rng, ch, cw, 0.3 * px_per_mm)
    ly, lx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    glint = np.exp(
        -((lx - lcx + 0.4 * radius) ** 2 + (ly - lcy + 0.4 * radius) ** 2)
        / (2 * (0.35 * radius) ** 2)
    )
    copper = hex_to_linear("#b87350") * rng.uniform(0.7, 1.0)
    for c in range(3):
        region = scene[c, y0:y1, x0:x1]
        region *= 1 - 0.5 * shadow * (1 - coin)
        metal = copper[c] * (1 + relief) * (0.85 + 0.4 * rim) + 0.25 * glint * copper[c] / copper[0]
        region += coin * (metal - region)


# --- the camera -----------------------------------------------------------------------------------

# A small phone pixel (binned to 12 MP) holds a few thousand electrons; its read noise is a few.
# Indoors in good light a phone already runs at a raised ISO, so full scale is under a thousand
# electrons: about 4 levels of noise out of 255 in every tone, as phone photos show at 100%.
_FULL_WELL = 750.0  # electrons at full scale at the gain used in good light
_READ_NOISE = 2.5  # electrons


def capture(
    scene: Scene,
    *,
    exposure_stops: float = 0.0,
    defocus_sigma: float = 0.0,
    motion_length: float = 0.0,
    motion_angle: float = 0.0,
    gain: float | None = None,
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0),
    seed: int = 0,
) -> Image.Image:
    """Photograph a scene: an 8-bit sRGB image `scene.width` x `scene.height`.

    Blur sizes are in pixels of the photo. `gain` is the sensor gain over what good light
    needs; by default a phone short of light raises it by half as many stops as the photo is
    under-exposed (it has run out of ISO and shutter time), so under-exposure comes with
    amplified noise. `white_balance` multiplies R, G, B (a colour cast).
    """
    rng = np.random.default_rng([seed, 104729])
    scale = scene.render_scale
    # Optics, on linear light.
    x = scene.linear
    x = gaussian_blur(x, defocus_sigma * scale)
    x = motion_blur(x, motion_length * scale, motion_angle)
    # The phone's sharpening (it sharpens what its noise reduction keeps, so before the noise).
    soft = _blur_3(x)
    soft *= -0.6
    soft += 1.6 * x
    x = soft
    # Exposure (before the enlargement to the sensor's pixels, to save time: both are linear).
    exposure = (2.0**exposure_stops) * np.asarray(white_balance, dtype=np.float32)
    for c in range(3):
        x[c] *= exposure[c]
    np.clip(x, 0, None, out=x)
    # Sensor noise: Poisson shot noise (variance proportional to the signal) and read noise,
    # both amplified by the gain.
    if gain is None:
        gain = 2.0 ** (0.5 * max(0.0, -exposure_stops))
    shot = gain / _FULL_WELL  # variance per unit of signal
    read = (gain * _READ_NOISE / _FULL_WELL) ** 2
    # The phone's noise reduction takes away more of the noise the higher the gain.
    reduction = 1 / (1 + 0.3 * (gain - 1))
    shot, read = shot * reduction, read * reduction
    if scale > 1:  # the photo is a smaller copy: averaging pixels averages the noise away
        shot, read = shot / scale**2, read / scale**2
    # Colour noise: blotchy, a few pixels across (what a phone's colour noise reduction leaves),
    # growing with the gain. Coarse, so added at the scene's resolution.
    h, w = x.shape[-2:]
    chroma = min(0.5, 0.1 * gain**0.5)
    for c in range(3):
        sd = x[c] * shot
        sd += read
        np.sqrt(sd, out=sd)
        sd *= _noise(rng, h, w, 2.5)
        sd *= chroma
        x[c] += sd
    # Luminance noise: after demosaicing every colour shares most of a pixel's noise. Its size
    # follows the brightness; worked out here and enlarged with the picture.
    sd = 0.25 * x[0] + 0.5 * x[1] + 0.25 * x[2]
    np.clip(sd, 0, None, out=sd)
    sd *= shot
    sd += read
    np.sqrt(sd, out=sd)
    # Onto the sensor's pixels, with the luminance noise of each pixel.
    width, height = scene.width, scene.height
    noise = rng.standard_normal((height, width), dtype=np.float32)
    doubling = x.shape[-2:] == (height // 2, width // 2) and not height % 2 and not width % 2
    if doubling:
        # The size of the noise varies slowly: each value serves a 2 x 2 block of pixels.
        blocks = noise.reshape(height // 2, 2, width // 2, 2)
        blocks *= sd[:, None, :, None]
    else:
        noise *= _resize(sd, width, height)
    del sd
    out = []
    for c in range(3):
        plane = _upsample2(x[c]) if doubling else np.array(_resize(x[c], width, height))
        plane += noise
        # Clipping (light beyond what a pixel holds is white), sRGB gamma, 8 bits.
        out.append(Image.fromarray(_to_srgb8(plane)))
        del plane
    return Image.merge("RGB", out)


def camera(
    scene: Scene,
    *,
    exposure_stops: float = 0.0,
    defocus_sigma: float = 0.0,
    motion_length: float = 0.0,
    motion_angle: float = 0.0,
    quality: int = 92,
    seed: int = 0,
    gain: float | None = None,
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0),
    exif: Image.Exif | None = None,
) -> bytes:
    """Photograph a scene (see `capture`) and return a baseline JPEG, 4:2:0, with `exif`."""
    image = capture(
        scene,
        exposure_stops=exposure_stops,
        defocus_sigma=defocus_sigma,
        motion_length=motion_length,
        motion_angle=motion_angle,
        gain=gain,
        white_balance=white_balance,
        seed=seed,
    )
    return encode_jpeg(image, quality=quality, exif=exif)


def encode_jpeg(image: Image.Image, *, quality: int = 92, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": quality, "subsampling": 2, "progressive": False, "optimize": False}
    if exif is not None:
        options["exif"] = exif.tobytes()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def phone_exif(seed: int, *, width: int, height: int) -> Image.Exif:
    """A small Exif block like a phone's: make, model, orientation, times, exposure, GPS."""
    rng = np.random.default_rng([seed, 31337])
    make, model, software = _PHONES[seed % len(_PHONES)]
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = 6 if seed % 2 else 1  # 6: the phone was held upright, pixels stored sideways
    exif[0x0131] = software
    minute = int(rng.integers(0, 600))
    stamp = f"2025:03:{1 + seed % 28:02d} {8 + minute // 60:02d}:{minute % 60:02d}:{seed % 60:02d}"
    exif[0x0132] = stamp
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = stamp  # DateTimeOriginal
    sub[0x829A] = 1 / 120  # ExposureTime
    sub[0x829D] = 1.8  # FNumber
    sub[0x8827] = int(rng.choice([32, 50, 64, 100, 200]))  # ISO
    sub[0xA002] = width  # PixelXDimension
    sub[0xA003] = height
    sub[0xA434] = f"{model} back camera 4.2mm f/1.8"  # LensModel
    gps = exif.get_ifd(0x8825)
    lat, lon = 51.3 + rng.uniform(0, 2.2), -2.8 + rng.uniform(0, 3.0)  # somewhere in England
    gps[0x0001] = "N"
    gps[0x0002] = _degrees(lat)
    gps[0x0003] = "W" if lon < 0 else "E"
    gps[0x0004] = _degrees(abs(lon))
    gps[0x0006] = round(float(rng.uniform(5, 120)), 1)  # altitude, metres
    return exif


def _degrees(value: float) -> tuple[float, float, float]:
    d = int(value)
    m = int((value - d) * 60)
    return (float(d), float(m), round((value - d - m / 60) * 3600, 2))


# --- photos for the other benchmarks --------------------------------------------------------------


def _baseline(seed: int, width: int, height: int) -> Image.Image:
    scene = make_scene(seed, kind=SCENE_KINDS[seed % 3], tone=seed % 10, width=width, height=height)
    return capture(scene, seed=seed)


def phone_photo_jpeg(
    seed: int, *, width: int = 4000, height: int = 3000, quality: int = 92
) -> bytes:
    """An in-focus, well-exposed phone photo of skin: a baseline JPEG (4:2:0) with phone Exif.

    12 MP by default and 3 to 6 MB at quality 92. Deterministic for a seed; the Monk tone
    (seed % 10) and the kind of scene (seed % 3) change with it; odd seeds have Exif
    Orientation 6 (held upright), even seeds 1.
    """
    image = _baseline(seed, width, height)
    return encode_jpeg(image, quality=quality, exif=phone_exif(seed, width=width, height=height))


def phone_photo_heic(
    seed: int, *, width: int = 4000, height: int = 3000, quality: int = 50
) -> bytes:
    """The same photo as `phone_photo_jpeg(seed)`, as an iPhone's HEIC (HEVC, 4:2:0, Exif).

    libheif's quality scale is not Apple's: at 80 a noisy 12 MP photo comes out at about 7 MB,
    twice the JPEG; at 50 it is 2-3 MB, about what an iPhone's 12 MP HEIC weighs. x265's
    "ultrafast" preset keeps it to a few seconds (its default takes over a minute).
    """
    image = _baseline(seed, width, height)
    heif = pillow_heif.from_pillow(image)
    buffer = io.BytesIO()
    heif.save(
        buffer,
        quality=quality,
        chroma=420,
        enc_params={"preset": "ultrafast"},
        exif=phone_exif(seed, width=width, height=height).tobytes(),
    )
    return buffer.getvalue()


# --- the labelled set for the quality benchmark ---------------------------------------------------

BLURRY, TOO_DARK, TOO_BRIGHT, LOW_RESOLUTION = "blurry", "too_dark", "too_bright", "low_resolution"


@dataclass(frozen=True)
class LabelledPhoto:
    name: str
    data: bytes  # a JPEG, as a phone would send it
    labels: frozenset[str]  # the problems it truly has
    tone: int  # 0-9: Monk Skin Tone scale 1-10
    scene: str  # one of SCENE_KINDS
    degradation: str  # what was done to it, e.g. "defocus sigma 12.3"
    width: int  # of the pixels as stored; about half carry Exif Orientation 6 (held upright)
    height: int


@dataclass(frozen=True)
class _Take:
    variant: str
    degradation: str
    labels: frozenset[str]
    options: dict  # for camera()


def _takes(rng: np.random.Generator, width: int, variants: tuple[str, ...]) -> list[_Take]:
    """How each photo of a scene is taken. Blur sizes are scaled from a 4000-pixel-wide photo,
    so a blurry photo looks as blurry at any size when it fills the same screen."""
    per_4000 = width / 4000
    takes = []
    for variant in variants:
        # Auto-exposure is never exact: good photos are up to a third of a stop under, or a
        # sixth over (pale skin is then close to white but not washed out).
        jitter = float(rng.uniform(-0.35, 0.15))
        if variant == "sharp":
            options = {"exposure_stops": jitter}
            takes.append(_Take(variant, f"sharp, exposure {jitter:+.2f}", frozenset(), options))
        elif variant == "soft":  # slight lens softness: not blurry
            sigma = float(rng.uniform(0.6, 1.5)) * per_4000
            options = {"exposure_stops": jitter, "defocus_sigma": sigma}
            takes.append(_Take(variant, f"lens softness sigma {sigma:.1f}", frozenset(), options))
        elif variant == "defocus":
            sigma = float(rng.uniform(6, 20)) * per_4000
            options = {"exposure_stops": jitter, "defocus_sigma": sigma}
            takes.append(_Take(variant, f"defocus sigma {sigma:.1f}", frozenset({BLURRY}), options))
        elif variant == "motion":
            length = float(rng.uniform(25, 80)) * per_4000
            angle = float(rng.uniform(0, 180))
            options = {"exposure_stops": jitter, "motion_length": length, "motion_angle": angle}
            degradation = f"camera shake {length:.0f} px at {angle:.0f} degrees"
            takes.append(_Take(variant, degradation, frozenset({BLURRY}), options))
        elif variant == "dark":
            # A dim room: the phone raises its gain as far as it can and is still short of
            # light, so the photo is dark and noisy, often with a warm cast.
            stops = float(rng.uniform(-4.0, -2.5))
            warm = float(rng.uniform(0.0, 0.12))
            options = {"exposure_stops": stops, "white_balance": (1 + warm / 3, 1.0, 1 - warm)}
            takes.append(
                _Take(variant, f"under-exposed {stops:.1f} stops", frozenset({TOO_DARK}), options)
            )
        elif variant == "bright":
            stops = float(rng.uniform(2.0, 3.5))
            options = {"exposure_stops": stops}
            takes.append(
                _Take(variant, f"over-exposed +{stops:.1f} stops", frozenset({TOO_BRIGHT}), options)
            )
        else:
            raise ValueError(variant)
    return takes


@dataclass(frozen=True)
class _Job:
    index: int
    seed: int
    tone: int
    kind: str
    width: int
    height: int
    variants: tuple[str, ...]
    low_resolution: bool


def _plan(seed: int, size: str) -> list[_Job]:
    """Which scenes to draw and which photos to take of each."""
    basic = ("sharp", "defocus", "motion", "dark", "bright")
    jobs: list[_Job] = []
    if size == "small":
        width, height = 1600, 1200
        picks = [(0, "close_up"), (4, "close_up_blurred_background"), (8, "where"), (9, "close_up")]
        for tone, kind in picks:
            jobs.append(_Job(len(jobs), seed, tone, kind, width, height, basic, False))
        low = [(640, 480, 2, "close_up", ("sharp",)), (800, 600, 6, "where", ("dark",))]
    elif size == "full":
        width, height = 4000, 3000
        for tone in range(10):
            for kind in SCENE_KINDS:
                # One photo in three also gets a barely soft take.
                extra = ("soft",) if (tone + SCENE_KINDS.index(kind)) % 3 == 0 else ()
                jobs.append(_Job(len(jobs), seed, tone, kind, width, height, basic + extra, False))
        low = []
        for i in range(12):
            w, h = ((640, 480), (800, 600))[i % 2]
            variant = ("sharp", "sharp", "defocus", "motion", "dark", "bright")[i % 6]
            low.append((w, h, (3 * i + 1) % 10, SCENE_KINDS[i % 3], (variant,)))
    else:
        raise ValueError('size must be "small" or "full"')
    for w, h, tone, kind, variants in low:
        jobs.append(_Job(len(jobs), seed, tone, kind, w, h, variants, True))
    return jobs


def _photograph(job: _Job) -> list[LabelledPhoto]:
    scene_seed = job.seed * 100_003 + job.index
    # A small photo is a shrunk copy of a bigger one: drawn at twice its size, so it is sharp.
    render_scale = 2.0 if job.low_resolution else 0.5
    scene = make_scene(
        scene_seed,
        kind=job.kind,
        tone=job.tone,
        width=job.width,
        height=job.height,
        render_scale=render_scale,
    )
    rng = np.random.default_rng([job.seed, job.index, 1618])
    photos = []
    for number, take in enumerate(_takes(rng, job.width, job.variants)):
        photo_seed = scene_seed * 10 + number
        exif = phone_exif(photo_seed, width=job.width, height=job.height)
        data = camera(scene, seed=photo_seed, exif=exif, **take.options)
        labels = take.labels | ({LOW_RESOLUTION} if job.low_resolution else frozenset())
        prefix = f"{job.width}x{job.height}-" if job.low_resolution else ""
        name = f"{prefix}monk{job.tone + 1:02d}-{job.kind}-{take.variant}"
        degradation = take.degradation
        if job.low_resolution:
            degradation = f"{degradation}; {job.width}x{job.height}"
        photos.append(
            LabelledPhoto(
                name,
                data,
                frozenset(labels),
                job.tone,
                job.kind,
                degradation,
                job.width,
                job.height,
            )
        )
    return photos


def labelled_set(
    *, seed: int = 0, size: str = "full", workers: int | None = None
) -> Iterator[LabelledPhoto]:
    """Photos with known problems, for every Monk tone and kind of scene. Deterministic.

    "full": 12 MP photos; each of the 30 pairs of tone and scene kind is photographed sharp and
    well exposed, out of focus (blurry), with camera shake (blurry), under-exposed in dim light
    (too_dark) and over-exposed (too_bright); 10 of them also barely soft (not blurry); and 12
    small photos (640x480, 800x600: low_resolution, with any other problem they have).
    "small": 1600x1200, 22 photos, for tests.

    Photos are made `workers` processes at a time (default: one per CPU for "full") and
    yielded in a fixed order as they are ready.
    """
    jobs = _plan(seed, size)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if size == "full" else 1
    if workers <= 1:
        for job in jobs:
            yield from _photograph(job)
        return
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        for photos in pool.map(_photograph, jobs):
            yield from photos
    finally:  # also when the caller stops early: drop the photos not started yet
        pool.shutdown(wait=True, cancel_futures=True)
