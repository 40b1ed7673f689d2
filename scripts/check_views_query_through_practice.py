"""Fails when a view queries a model directly instead of through the user's practice.

Every query for a practice's data must start from `request.user.practice` so that another
practice's records answer 404 (see docs/adr/0002-practice-scoped-queries.md). Views may still
use `Model.objects` for data that belongs to no practice; list those here with a reason.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "clinical_photos"
# (file, model) pairs allowed to query directly, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("accounts/views.py", "User"): "login looks up the account by email before any practice",
    ("accounts/views.py", "TOTPDevice"): "a user's own devices, filtered by user",
}


def problems() -> list[str]:
    found = []
    for path in sorted(ROOT.glob("**/*views.py")):
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and (relative, node.value.id) not in ALLOWED
            ):
                found.append(
                    f"{relative}:{node.lineno}: {node.value.id}.objects in a view; "
                    "query through request.user.practice instead"
                )
    return found


if __name__ == "__main__":
    issues = problems()
    print("\n".join(issues) or "Every view queries through the practice.")
    sys.exit(1 if issues else 0)
