"""The scorer imports and scores in a plain interpreter where Flask and SQLAlchemy are absent."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# Runs in a fresh interpreter: any import of a web or database library raises, exactly as in
# a notebook environment that never installed them. The real pro_service package is imported.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys

    BLOCKED = {"flask", "sqlalchemy", "marshmallow", "flask_sqlalchemy", "flask_smorest",
               "flask_babel", "flask_migrate", "alembic", "twilio", "apscheduler", "psycopg"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked import: {name}")
            return None

    sys.meta_path.insert(0, Block())
    sys.path.insert(0, sys.argv[1])

    from pro_service.instruments.scoring import cldq_scores, eq5d_index

    answers = {f"CLDQ{n:02d}": 1 + n % 7 for n in range(1, 30)}
    scores = cldq_scores(answers)
    loaded = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
    print(json.dumps({
        "cn_11111": eq5d_index("11111"),
        "cn_55555": eq5d_index("55555"),
        "us_21345": eq5d_index("21345", "5L-US"),
        "overall": scores.overall,
        "domains": scores.domains,
        "loaded": loaded,
    }))
    """
)


def _run() -> dict[str, object]:
    result = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and a literal script
        [sys.executable, "-c", SCRIPT, str(REPO)],
        capture_output=True, text=True, cwd="/", check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_scorer_imports_and_scores_with_flask_and_sqlalchemy_blocked() -> None:
    from pro_service.instruments.scoring import cldq_scores, eq5d_index

    out = _run()
    assert out["loaded"] == []
    assert out["cn_11111"] == 1.0
    # The same numbers as in-process scoring (which the value-set reference tests check).
    assert out["cn_55555"] == eq5d_index("55555")
    assert out["cn_55555"] < 0
    assert out["us_21345"] == eq5d_index("21345", "5L-US")
    answers = {f"CLDQ{n:02d}": 1 + n % 7 for n in range(1, 30)}
    assert out["overall"] == cldq_scores(answers).overall
    assert set(out["domains"]) == {"AS", "FA", "SY", "AC", "EM", "WO"}


def test_importing_the_package_loads_no_flask() -> None:
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import pro_service; "
              "print('flask' in sys.modules)")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", script, str(REPO)],
        capture_output=True, text=True, cwd="/", check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
