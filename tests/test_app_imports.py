"""scripts/check_app_imports.py, which `make check` runs, fails on the two mistakes it is for:
apps that import each other in a circle, and core importing an app. Shown on small made-up
projects, then on this one."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_app_imports.py"


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_app_imports", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _project(tmp_path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


def test_a_circle_between_two_apps_is_found(checker, tmp_path):
    root = _project(
        tmp_path,
        {
            "inbox/views.py": "from clinical_photos.filing import services\n",
            # A lazy import inside a function is still a dependency.
            "filing/services.py": "def f():\n    from clinical_photos.inbox import views\n",
        },
    )

    [problem] = checker.problems(root)

    assert "import each other in a circle: filing, inbox" in problem
    assert "filing -> inbox (clinical_photos/filing/services.py:2)" in problem


def test_a_relative_import_that_climbs_out_of_its_app_is_counted(checker, tmp_path):
    root = _project(
        tmp_path,
        {
            "records/inbox/views.py": "from ...accounts import permissions\n",
            "accounts/permissions.py": "from ..records import models\n",
        },
    )

    [problem] = checker.problems(root)

    assert "import each other in a circle: accounts, records" in problem
    assert "records -> accounts (clinical_photos/records/inbox/views.py:1)" in problem


def test_core_importing_an_app_is_found(checker, tmp_path):
    root = _project(tmp_path, {"core/views.py": "import clinical_photos.records.models\n"})

    [problem] = checker.problems(root)

    assert "core imports records; core must import no other app" in problem


def test_imports_pointing_one_way_pass_and_tests_and_migrations_are_left_out(checker, tmp_path):
    root = _project(
        tmp_path,
        {
            "records/views.py": "from clinical_photos.patients import models\n",
            "patients/models.py": "from clinical_photos.core import forms\n",
            "core/forms.py": "import django\n",
            "patients/tests/test_x.py": "from clinical_photos.records import views\n",
            "patients/migrations/0001_initial.py": "from clinical_photos.records import x\n",
        },
    )

    assert checker.problems(root) == []
    assert checker.layers(checker.import_graph(root)[0]) == [["core"], ["patients"], ["records"]]


def test_this_project_passes(checker):
    assert checker.problems() == []
