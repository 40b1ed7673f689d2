"""Run every benchmark, one after another, each printing its one line of JSON (`make bench`).

Each runs as `python bench/NAME.py --json` in a process of its own, so one's memory and
servers cannot touch the next one's figures. Their lines are printed as they come; their
progress goes to stderr. The exit status is non-zero only when a benchmark crashed (exited
non-zero or printed no result), never because a goal was missed: the JSON says that.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# In this order; quality.py is run when it is there.
BENCHMARKS = ("ingest", "memory", "upload_load", "quality")
OPTIONAL = {"quality"}


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    crashed = []
    for name in BENCHMARKS:
        script = BENCH / f"{name}.py"
        if name in OPTIONAL and not script.exists():
            continue
        if not run(name, script):
            crashed.append(name)
    return 1 if crashed else 0


def run(name: str, script: Path) -> bool:
    """Run one benchmark, passing its lines through; whether it gave its result."""
    result_given = False
    with subprocess.Popen(  # noqa: S603 (our own interpreter and scripts)
        [sys.executable, str(script), "--json"],
        cwd=BENCH.parent,
        stdout=subprocess.PIPE,
        text=True,
    ) as benchmark:
        for line in benchmark.stdout:
            print(line, end="", flush=True)
            result_given = result_given or line.lstrip().startswith("{")
    if benchmark.returncode == 0 and result_given:
        return True
    print(
        json.dumps({"benchmark": name, "crashed": True, "exit": benchmark.returncode}), flush=True
    )
    return False


if __name__ == "__main__":
    sys.exit(main())
