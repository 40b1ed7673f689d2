"""The quality checks, through the pipeline every upload goes through: what a patient is told."""

import io

import numpy as np
import pytest
from PIL import Image

from clinical_photos.photos import quality
from clinical_photos.photos.pipeline import process_photo

from . import images
from . import quality_images as make
from .images import jpeg, png

SHARP = make.detailed()


def problems(image_or_bytes) -> tuple[str, ...]:
    data = image_or_bytes if isinstance(image_or_bytes, bytes) else jpeg(image_or_bytes)
    return process_photo(data).problems


class TestBlur:
    def test_a_sharp_photo_has_no_problems(self):
        assert problems(SHARP) == ()

    @pytest.mark.parametrize("radius", [4, 8, 16])
    def test_out_of_focus_is_blurry(self, radius):
        assert problems(make.out_of_focus(SHARP, radius)) == (quality.BLURRY,)

    @pytest.mark.parametrize("length", [10, 20])
    def test_shaken_is_blurry(self, length):
        assert problems(make.shaken(SHARP, length)) == (quality.BLURRY,)

    def test_shaken_up_and_down_is_blurry_too(self):
        shaken_downwards = make.shaken(SHARP, 20).transpose(Image.Transpose.TRANSPOSE)

        assert problems(shaken_downwards) == (quality.BLURRY,)

    def test_a_sharp_close_up_in_front_of_a_blurred_background_is_not_blurry(self):
        assert problems(make.sharp_middle(SHARP, 12)) == ()

    def test_sensor_noise_does_not_pass_a_blurred_photo_as_sharp(self):
        noisy = make.with_noise(make.out_of_focus(SHARP, 8), 10)

        assert problems(noisy) == (quality.BLURRY,)

    def test_a_12_megapixel_photo_is_judged_as_its_smaller_copy_would_be(self):
        big = make.detailed((4000, 3000), seed=3)

        assert problems(big) == ()
        assert problems(make.out_of_focus(big, 20)) == (quality.BLURRY,)


class TestExposure:
    def test_a_dim_photo_is_too_dark_and_not_called_blurry(self):
        assert problems(make.exposed(SHARP, -5, noise=0.002)) == (quality.TOO_DARK,)

    def test_a_washed_out_photo_is_too_bright(self):
        assert problems(make.exposed(SHARP, 3)) == (quality.TOO_BRIGHT,)

    def test_a_vivid_red_is_not_taken_for_dark(self):
        red = Image.merge(
            "RGB", (SHARP.getchannel("R"), *[SHARP.getchannel("G").point(lambda v: v // 5)] * 2)
        )

        assert quality.TOO_DARK not in problems(red)


class TestSize:
    def test_a_small_photo_is_low_resolution_and_still_judged(self):
        small = make.detailed((640, 480))

        verdict = process_photo(jpeg(small))

        assert verdict.problems == (quality.LOW_RESOLUTION,)
        assert verdict.scores["short_side"] == 480

    def test_the_short_side_of_the_photo_as_stored_decides(self):
        # 900 x 1200 as stored: an Exif orientation of 6 turns a 1200 x 900 JPEG.
        data, _ = images.phone_jpeg(orientation=6, size=(1200, 900))

        assert process_photo(data).scores["short_side"] == 900


class TestRightWayUp:
    def test_the_preview_is_the_right_way_up(self):
        data, _ = images.phone_jpeg(orientation=6, size=(1200, 600))

        preview = Image.open(io.BytesIO(process_photo(data).preview)).convert("RGB")

        # Stored as 600 x 1200 once turned; the red marker ends up top right.
        assert preview.size == (256, 512)
        assert images.reddest_corner(preview) == "top_right"


class TestAnythingValidGetsAVerdict:
    """No valid image is turned into an error by the checks."""

    @pytest.mark.parametrize(
        "image",
        [
            Image.new("RGB", (1, 1), "white"),
            Image.new("L", (3, 2000), 128),
            Image.new("RGB", (1600, 1200), (128, 128, 128)),
            Image.new("RGB", (1600, 1200), (0, 0, 0)),
            Image.new("RGB", (1600, 1200), (255, 255, 255)),
            Image.new("RGBA", (1600, 1200), (0, 0, 0, 0)),
            Image.new("LA", (1200, 1600), (10, 128)),
            Image.new("P", (1600, 1200), 3),
        ],
        ids=[
            "one pixel",
            "a thin strip",
            "grey",
            "black",
            "white",
            "wholly see-through",
            "grey and half see-through",
            "palette",
        ],
    )
    def test_plain_and_odd_images(self, image):
        verdict = process_photo(png(image))

        assert set(verdict.problems) <= set(quality.PROBLEMS)
        assert {"sharpness", "darkness", "brightness", "short_side"} <= verdict.scores.keys()

    def test_a_picture_with_no_detail_at_all_is_called_blurry(self):
        grey = Image.new("RGB", (1600, 1200), (128, 128, 128))

        assert process_photo(jpeg(grey)).problems == (quality.BLURRY,)

    def test_a_see_through_picture_is_judged_as_shown_on_white(self):
        clear = Image.new("RGBA", (1600, 1200), (0, 0, 0, 0))

        assert process_photo(png(clear)).problems == (quality.TOO_BRIGHT,)

    def test_16_bit(self):
        detail = np.asarray(SHARP.convert("L"), np.uint16) * 257
        image = Image.fromarray(detail)
        assert image.mode == "I;16"

        assert process_photo(png(image)).problems == ()

    def test_a_50_megapixel_photo(self):
        huge = Image.new("RGB", (8660, 5773), (128, 128, 128))

        verdict = process_photo(png(huge))

        assert verdict.scores["short_side"] == 5773
        assert quality.LOW_RESOLUTION not in verdict.problems


class TestWords:
    def test_every_problem_has_advice_for_the_patient_and_words_for_staff(self):
        for code in quality.PROBLEMS:
            assert quality.patient_advice(code).endswith(".")
            assert quality.STAFF_WORDS[code].startswith("may be")

    def test_the_advice_for_blur_is_what_to_do(self):
        assert quality.patient_advice(quality.BLURRY) == (
            "This photo looks blurry. Hold the phone steady, tap the screen on the problem to "
            "focus, and take it again."
        )

    def test_staff_summary(self):
        found = [["blurry"], [], ["blurry", "low_resolution"], ["too_dark"], []]

        assert quality.staff_summary(found) == [
            "2 of 5 photos may be blurry",
            "1 of 5 photos may be too dark",
            "1 of 5 photos may be too small to show detail",
        ]
        assert quality.staff_summary([[], []]) == []
        assert quality.staff_summary([["too_bright"]]) == ["The photo may be too bright"]

    def test_staff_words_for_one_photo(self):
        assert quality.staff_words(["too_dark", "blurry"]) == "may be blurry and too dark"
        assert quality.staff_words([]) == ""
