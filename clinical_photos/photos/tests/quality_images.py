"""Photos for testing the quality checks, made in code: detail at several scales, then blurred,
shaken, darkened or washed out by a known amount.

These are quick, plain stand-ins. bench/synthetic_photos.py makes realistic photos of skin of
every tone, with a camera model, for measuring the checks; the tests use both.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .images import jpeg


def detailed(size: tuple[int, int] = (1600, 1200), *, seed: int = 0) -> Image.Image:
    """A sharp, well-exposed RGB picture: texture at several scales, spots, lines and noise."""
    width, height = size
    rng = np.random.default_rng(seed)
    texture = np.zeros((height, width), np.float32)
    for cell, amplitude in ((150, 30.0), (40, 16.0), (10, 8.0), (3, 5.0)):
        coarse = rng.normal(0, 1, (height // cell + 2, width // cell + 2)).astype(np.float32)
        layer = Image.fromarray(coarse, mode="F").resize(
            (width + 2 * cell, height + 2 * cell), Image.Resampling.BICUBIC
        )
        texture += amplitude * np.asarray(layer.crop((cell, cell, cell + width, cell + height)))
    base = np.clip(150 + texture, 0, 255).astype(np.uint8)
    tint = np.stack([base, (base * 0.8).astype(np.uint8), (base * 0.7).astype(np.uint8)], -1)
    image = Image.fromarray(tint, "RGB")
    draw = ImageDraw.Draw(image)
    scale = width / 1600
    for _ in range(40):
        x, y = rng.integers(0, width), rng.integers(0, height)
        radius = int(rng.integers(6, 50) * scale) + 1
        shade = int(rng.integers(40, 120))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(shade, shade // 2, 40))
    for _ in range(25):
        points = [int(v) for v in rng.integers(0, min(width, height), 4)]
        draw.line(points, fill=(60, 40, 30), width=max(1, int(2 * scale)))
    return with_noise(image, 3.0, seed=seed)


def with_noise(image: Image.Image, sigma: float, *, seed: int = 0) -> Image.Image:
    pixels = np.asarray(image, np.float32)
    noise = np.random.default_rng(seed + 1).normal(0, sigma, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), image.mode)


def out_of_focus(image: Image.Image, radius: float) -> Image.Image:
    return with_noise(image.filter(ImageFilter.GaussianBlur(radius)), 2.0)


def shaken(image: Image.Image, length: int) -> Image.Image:
    """Smeared sideways by `length` pixels, as when the phone moves while the shutter is open."""
    pixels = np.asarray(image, np.float32)
    running = np.cumsum(pixels, axis=1)
    smeared = (running[:, length:] - running[:, :-length]) / length
    smeared = np.pad(smeared, ((0, 0), (length // 2, length - length // 2), (0, 0)), mode="edge")
    return with_noise(Image.fromarray(smeared.astype(np.uint8), image.mode), 2.0)


def sharp_middle(image: Image.Image, radius: float) -> Image.Image:
    """A close-up: the middle third sharp, the background behind it out of focus."""
    width, height = image.size
    blurred = image.filter(ImageFilter.GaussianBlur(radius))
    box = (width // 3, height // 3, 2 * width // 3, 2 * height // 3)
    blurred.paste(image.crop(box), box[:2])
    return blurred


def exposed(image: Image.Image, stops: float, *, noise: float = 0.0) -> Image.Image:
    """Darker (negative stops) or brighter, in linear light as a camera would, then clipped."""
    pixels = np.asarray(image, np.float32) / 255
    linear = np.where(pixels <= 0.04045, pixels / 12.92, ((pixels + 0.055) / 1.055) ** 2.4)
    linear *= 2.0**stops
    if noise:
        linear += np.random.default_rng(7).normal(0, noise, linear.shape).astype(np.float32)
    linear = np.clip(linear, 0, 1)
    encoded = np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)
    return Image.fromarray((encoded * 255 + 0.5).astype(np.uint8), image.mode)


def sharp_photo(seed: int = 5) -> bytes:
    return jpeg(detailed(seed=seed))


def blurry_photo(seed: int = 5, radius: float = 12) -> bytes:
    return jpeg(out_of_focus(detailed(seed=seed), radius))


def dark_photo(seed: int = 5) -> bytes:
    """The same scene in a dim room."""
    return jpeg(exposed(detailed(seed=seed), -5, noise=0.002))
