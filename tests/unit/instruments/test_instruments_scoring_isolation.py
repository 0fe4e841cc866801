"""Scoring imports no web, database or schema library (STYLE: domain import rules)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# `pro_service/__init__.py` imports Flask for the app factory, so an empty module
# with the real path stands in for it: this checks the instruments' own imports.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, sys, types

    BLOCKED = {"flask", "sqlalchemy", "marshmallow", "flask_sqlalchemy", "werkzeug"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked import of {name}")
            return None

    sys.meta_path.insert(0, Block())
    package = types.ModuleType("pro_service")
    package.__path__ = [sys.argv[1] + "/pro_service"]
    sys.modules["pro_service"] = package

    from pro_service.instruments import scoring

    print(scoring.format_index(scoring.eq5d_index("21354")))
    answers = {f"CLDQ{n:02d}": 5 for n in range(1, 30)}
    print(scoring.cldq_scores(answers).overall)
    print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
    """
)


def test_scoring_imports_and_scores_with_flask_sqlalchemy_and_marshmallow_blocked() -> (
    None
):
    result = subprocess.run(  # noqa: S603 - fixed interpreter and script
        [sys.executable, "-c", SCRIPT, str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["0.310", "5.0", "[]"]


def test_the_block_really_stops_a_blocked_import() -> None:
    probe = SCRIPT.split("from pro_service.instruments")[0] + "import marshmallow\n"
    result = subprocess.run(  # noqa: S603 - fixed interpreter and script
        [sys.executable, "-c", probe, str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "blocked import of marshmallow" in result.stderr
