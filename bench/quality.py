"""How well the photo quality checks find blurry, too dark, too bright and too small photos.

    python bench/quality.py              a table
    python bench/quality.py --json       one line of JSON (make bench)
    python bench/quality.py --size small a quick run on 22 smaller photos
    python bench/quality.py --dump DIR   also write every photo to DIR to look at

The photos come from bench/synthetic_photos.py: phone-like photos of skin of every Monk skin
tone, in three kinds of scene (a close-up, a close-up with a blurred background, a wider shot
showing where the problem is), each taken sharp and well exposed, out of focus, with camera
shake, under-exposed in dim light and over-exposed, plus some barely soft and some small ones.
Each photo's labels say which problems it truly has. Every photo goes through the real upload
pipeline (`process_photo`), and what it reports is compared with the labels:

- true positive rate (tpr): of the photos that have the problem, the share it finds;
- false positive rate (fpr): of the photos that do not, the share it wrongly flags.

Goal: for blurry and too_dark, tpr at least 0.95 with fpr at most 0.05. False positives are
also counted per skin tone: a check that calls dark skin "too dark" fails the people it should
serve, whatever its average.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `python bench/quality.py` works as well as `-m`
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from bench.synthetic_photos import labelled_set  # noqa: E402
from clinical_photos.photos.pipeline import PhotoRejected, process_photo  # noqa: E402

PROBLEMS = ("blurry", "too_dark", "too_bright", "low_resolution")
GOALS = {
    "blurry": {"tpr_min": 0.95, "fpr_max": 0.05},
    "too_dark": {"tpr_min": 0.95, "fpr_max": 0.05},
}
MISSES_SHOWN = 20


@dataclass(frozen=True)
class Outcome:
    """One photo: what it truly has, and what the checks said."""

    name: str
    tone: int
    labels: frozenset[str]
    found: frozenset[str]
    degradation: str
    scores: dict
    rejected: str = ""  # the pipeline's code, if it refused the photo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    parser.add_argument("--size", choices=("full", "small"), default="full")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write each photo here as .jpg")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    outcomes, check_seconds = run_checks(args.seed, args.size, args.dump)
    result = summarise(outcomes)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["seconds_per_check"] = round(check_seconds / max(1, len(outcomes)), 3)
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        print_table(result)
    return 0


def run_checks(seed: int, size: str, dump: Path | None) -> tuple[list[Outcome], float]:
    """Make the labelled photos and put each through the pipeline."""
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
    outcomes = []
    check_seconds = 0.0
    for number, photo in enumerate(labelled_set(seed=seed, size=size), start=1):
        if dump:
            (dump / f"{number:03d}-{photo.name}.jpg").write_bytes(photo.data)
        start = time.perf_counter()
        try:
            processed = process_photo(photo.data)
            found, scores, rejected = frozenset(processed.problems), dict(processed.scores), ""
        except PhotoRejected as refusal:
            found, scores, rejected = frozenset(), {}, refusal.code
        check_seconds += time.perf_counter() - start
        outcomes.append(
            Outcome(
                photo.name, photo.tone, photo.labels, found, photo.degradation, scores, rejected
            )
        )
        if number % 10 == 0:
            print(f"quality: {number} photos checked", file=sys.stderr, flush=True)
    return outcomes, check_seconds


def summarise(outcomes: list[Outcome]) -> dict:
    result: dict = {"benchmark": "quality", "photos": len(outcomes)}
    for problem in PROBLEMS:
        result[problem] = rates(outcomes, problem)
    result["goals"] = {
        problem: {
            **goal,
            "met": (result[problem]["tpr"] or 0) >= goal["tpr_min"]
            and (result[problem]["fpr"] or 0) <= goal["fpr_max"],
        }
        for problem, goal in GOALS.items()
    }
    result["false_positives_by_tone"] = false_positives_by_tone(outcomes)
    # Each mistake with what was done to the photo, e.g.
    # "monk07-where-defocus: missed blurry (defocus sigma 7.1)".
    misses = [f"{o.name}: {what} ({o.degradation})" for o in outcomes for what in mistakes(o)]
    result["misses"] = misses[:MISSES_SHOWN]
    result["misses_total"] = len(misses)
    result["rejected"] = [f"{o.name}: {o.rejected}" for o in outcomes if o.rejected]
    return result


def rates(outcomes: list[Outcome], problem: str) -> dict:
    positives = [o for o in outcomes if problem in o.labels]
    negatives = [o for o in outcomes if problem not in o.labels]
    true_positives = sum(problem in o.found for o in positives)
    false_positives = sum(problem in o.found for o in negatives)
    return {
        "tpr": round(true_positives / len(positives), 3) if positives else None,
        "fpr": round(false_positives / len(negatives), 3) if negatives else None,
        "positives": len(positives),
        "negatives": len(negatives),
    }


def false_positives_by_tone(outcomes: list[Outcome]) -> dict:
    """Per problem, per Monk tone: how many photos without the problem were flagged."""
    table: dict = {}
    for problem in PROBLEMS:
        counts = {}
        for tone in sorted({o.tone for o in outcomes}):
            counts[f"monk{tone + 1:02d}"] = sum(
                problem in o.found and problem not in o.labels for o in outcomes if o.tone == tone
            )
        table[problem] = counts
    return table


def mistakes(outcome: Outcome) -> list[str]:
    missed = [f"missed {p}" for p in PROBLEMS if p in outcome.labels and p not in outcome.found]
    wrong = [f"wrongly {p}" for p in PROBLEMS if p in outcome.found and p not in outcome.labels]
    return missed + wrong


def print_table(result: dict) -> None:
    print(
        f"Quality checks on {result['photos']} labelled photos ({result['seconds']} s, "
        f"{result['seconds_per_check']} s per check)\n"
    )
    print(f"{'problem':<16}{'positives':>10}{'negatives':>10}{'tpr':>8}{'fpr':>8}  goal")
    for problem in PROBLEMS:
        row = result[problem]
        goal = result["goals"].get(problem)
        goal_text = ""
        if goal:
            verdict = "met" if goal["met"] else "NOT met"
            goal_text = f"tpr >= {goal['tpr_min']}, fpr <= {goal['fpr_max']}: {verdict}"
        print(
            f"{problem:<16}{row['positives']:>10}{row['negatives']:>10}"
            f"{_rate(row['tpr']):>8}{_rate(row['fpr']):>8}  {goal_text}"
        )
    print("\nFalse positives by Monk skin tone:")
    tones = list(next(iter(result["false_positives_by_tone"].values())))
    print(f"{'':<16}" + "".join(f"{t:>8}" for t in tones))
    for problem, counts in result["false_positives_by_tone"].items():
        print(f"{problem:<16}" + "".join(f"{counts[t]:>8}" for t in tones))
    if result["misses"]:
        shown = len(result["misses"])
        print(f"\nMistakes ({shown} of {result['misses_total']} shown):")
        for miss in result["misses"]:
            print(f"  {miss}")
    for refusal in result["rejected"]:
        print(f"  refused by the pipeline: {refusal}")


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
