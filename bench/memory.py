"""How much memory one server process needs to take the biggest submissions the service allows.

Measured: the peak resident memory (VmHWM in /proc/PID/status) of the one worker process of a
real server (gunicorn, one sync worker, the settings the resilience tests run the server with,
on a SQLite database and a photo folder made for the run) while one patient goes from the link
in their text to "Photos sent" exactly as a browser without JavaScript does: open the link,
date of birth, one multipart post of the choose-photos form, agree and send. Two cases, each in
a fresh server:

- five photos of just under the 20 MB a photo may be (pipeline.MAX_FILE_BYTES): phone-like
  JPEGs from bench/synthetic_photos.py at quality 100, with as many pixels as keep them under;
- one PNG of 50 megapixels (just under pipeline.MAX_PIXELS), a phone photo enlarged to
  8660 x 5773, as big as it can be and still be accepted.

Compared with: the worker's resident memory when idle (after it has answered one request),
and the goal of at most 300 MB at the peak (MB here are 2**20 bytes, as in the service's
20 MB limit). Each case checks the photos were really stored (rows committed, blobs
decrypting to their checksums); anything else is reported as an error.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import io
import math
import tempfile
import time

import requests
from PIL import Image

from bench import _support
from bench.synthetic_photos import phone_photo_jpeg
from clinical_photos.photos.pipeline import MAX_FILE_BYTES, MAX_PIXELS

PEAK_RSS_MB_MAX = 300
PNG_SIZE = (8660, 5773)  # 49,994,180 pixels: the most a photo may have, at 3:2


def main() -> None:
    parser = _support.command_line(__doc__)
    args = parser.parse_args()

    _support.progress("Making five JPEGs of just under 20 MB and one 50 MP PNG")
    jpegs = _support.make_photos(jpeg_just_under_limit, range(5))
    png = png_50_megapixels(seed=7)
    cases = {
        "five_20mb_photos": [
            _support.Upload(f"IMG_{n:04}.JPG", data, "image/jpeg") for n, data in enumerate(jpegs)
        ],
        "png_50mp": [_support.Upload("enlarged.png", png, "image/png")],
    }
    result: dict = {"benchmark": "memory"}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as name:
        folder = Path(name)
        _support.start_django(f"sqlite:///{folder}/service.sqlite3", folder / "photos")
        from tests.resilience.service import make_requests

        tokens = make_requests(len(cases))
        _support.close_database_connections()
        for (case, uploads), token in zip(cases.items(), tokens, strict=True):
            _support.progress(f"Sending {case} to a fresh server")
            result[case] = peak_while_sending(folder, case, token, uploads)
        _support.close_database_connections()
    peaks = [result[case]["peak_rss_mb"] for case in cases]
    failed = any(result[case]["error"] for case in cases)
    # Unknown when a worker died before its peak could be read: the error says why.
    result["peak_rss_mb"] = None if None in peaks else max(peaks)
    result["goal"] = {
        "peak_rss_mb_max": PEAK_RSS_MB_MAX,
        "met": not failed
        and result["peak_rss_mb"] is not None
        and result["peak_rss_mb"] <= PEAK_RSS_MB_MAX,
    }
    _support.report(result, one_line=args.json)


def jpeg_just_under_limit(seed: int) -> bytes:
    """A phone photo at quality 100, with as many pixels (4:3) as keep it just under the limit.

    A JPEG's size grows about in step with its pixels, so each try scales the pixels by how far
    the last one missed; the first guess (28 MP) usually lands between 85% and 100%.
    """
    pixels, best = 28e6, b""
    for _ in range(4):
        width = round(math.sqrt(pixels * 4 / 3))
        data = phone_photo_jpeg(seed, width=width, height=width * 3 // 4, quality=100)
        if len(data) <= MAX_FILE_BYTES:
            best = max(best, data, key=len)
            if len(data) >= 0.85 * MAX_FILE_BYTES:
                break
        pixels = min(0.98 * MAX_PIXELS, pixels * 0.95 * MAX_FILE_BYTES / len(data))
    if not best:
        raise RuntimeError(f"No photo for seed {seed} came under {MAX_FILE_BYTES} bytes")
    return best


def png_50_megapixels(seed: int) -> bytes:
    """A phone photo drawn at a fraction of 50 MP and enlarged to it (smoothly, as an editor
    would), saved as PNG: the least enlargement that brings the file under the size limit.
    A PNG of a photo's own sensor noise at 50 MP would be several times too big."""
    width, height = PNG_SIZE
    for factor in (4, 5, 6, 8):
        small = phone_photo_jpeg(seed, width=width // factor, height=height // factor)
        enlarged = Image.open(io.BytesIO(small)).resize(PNG_SIZE, Image.Resampling.BICUBIC)
        out = io.BytesIO()
        enlarged.save(out, "PNG")
        if out.tell() <= MAX_FILE_BYTES:
            return out.getvalue()
    raise RuntimeError(f"No 50 MP PNG came under {MAX_FILE_BYTES} bytes")


def server_env(folder: Path) -> dict[str, str]:
    """The resilience tests' server settings (the test settings, which are production's
    security settings with published keys), on this run's database and photo folder."""
    return {
        "DJANGO_SETTINGS_MODULE": "tests.resilience.server_settings",
        "DATABASE_URL": f"sqlite:///{folder}/service.sqlite3",
        "PHOTO_STORAGE_DIR": str(folder / "photos"),
    }


def peak_while_sending(folder: Path, case: str, token: str, uploads: list) -> dict:
    error = None
    log_path = folder / f"server-{case}.log"
    # Longer than gunicorn's 30 s before a worker is killed for time: this measures memory, and
    # a busy machine must not turn a slow answer into a missing figure.
    with _support.gunicorn(server_env(folder), workers=1, log_path=log_path, timeout=120) as server:
        (worker,) = server.workers()
        idle = _support.memory_mb(worker, "VmRSS")
        started = time.monotonic()
        try:
            _support.send_photos(_support.Browser(server.url), token, uploads)
        except (_support.JourneyFailed, requests.RequestException) as failed:
            error = str(failed)
        seconds = time.monotonic() - started
        try:
            peak = _support.memory_mb(worker, "VmHWM")
        except FileNotFoundError:
            peak = None
            error = "the worker process ended (killed for time or memory?)" + (
                f"; {error}" if error else ""
            )
        if error:
            _support.progress(f"{case} failed: {error}\n{server.log_tail()}")
    stored = photos_stored(token)
    if not error and stored != len(uploads):
        error = f"{stored} of {len(uploads)} photos stored"
    sizes = [len(upload.content) for upload in uploads]
    return {
        "photos": len(uploads),
        "photo_mb_min_max": [_support.megabytes(min(sizes)), _support.megabytes(max(sizes))],
        "megapixels": [megapixels(upload.content) for upload in uploads],
        "idle_rss_mb": idle,
        "peak_rss_mb": peak,
        "seconds": round(seconds, 1),
        "stored": stored,
        "error": error,
    }


def photos_stored(token: str) -> int:
    """Photos sent through this link whose row committed and whose blob decrypts to it."""
    from clinical_photos.patient_upload.journey import UPLOAD
    from clinical_photos.photos import storage

    link = UPLOAD.find(token)
    return sum(
        1 for photo in link.photos.filter(response__isnull=False) if storage.read_photo(photo)
    )


def megapixels(data: bytes) -> float:
    width, height = Image.open(io.BytesIO(data)).size
    return round(width * height / 1e6, 1)


if __name__ == "__main__":
    main()
