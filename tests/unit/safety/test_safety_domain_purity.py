"""The detection domain imports and runs with Flask and SQLAlchemy unavailable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# The `pro_service` package __init__ builds the Flask app, so the script stands in
# an empty package object for it: what is checked is everything under
# pro_service.safety.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, sys, types

    BLOCKED = {"flask", "flask_sqlalchemy", "flask_migrate", "flask_smorest",
               "sqlalchemy", "marshmallow", "twilio", "apscheduler"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked: {name}")
            return None

    sys.meta_path.insert(0, Block())
    package = types.ModuleType("pro_service")
    package.__path__ = [sys.argv[1] + "/pro_service"]
    sys.modules["pro_service"] = package

    from pro_service.safety.detect import detect
    from pro_service.safety.domain import evaluation  # noqa: F401

    assert [str(f.category) for f in detect("今天吐血了")] == ["gi_bleeding"]
    assert not BLOCKED & {name.split(".")[0] for name in sys.modules}
    print("pure")
    """
)


def test_domain_imports_without_flask_or_sqlalchemy() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pure"
