"""Import a domain package in a fresh interpreter with web and database libraries blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, pkgutil, sys, types

    BLOCKED = {"flask", "sqlalchemy", "marshmallow", "flask_sqlalchemy", "flask_smorest",
               "twilio", "apscheduler"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked import: {name}")
            return None

    sys.meta_path.insert(0, Block())
    # pro_service/__init__.py holds the app factory; an empty stand-in package runs only the domain.
    root = types.ModuleType("pro_service")
    root.__path__ = [sys.argv[1] + "/pro_service"]
    sys.modules["pro_service"] = root

    package = sys.argv[2]
    domain = importlib.import_module(package)
    for module in pkgutil.iter_modules(domain.__path__):
        importlib.import_module(f"{package}.{module.name}")
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
    assert not loaded, loaded
    print("ok", len(list(pkgutil.iter_modules(domain.__path__))))
    """
)


def import_blocked(package: str) -> subprocess.CompletedProcess[str]:
    """Import every module of `package` with Flask, SQLAlchemy, marshmallow & co. blocked."""
    return subprocess.run(  # noqa: S603 - fixed argv: this interpreter and a literal script
        [sys.executable, "-c", SCRIPT, str(REPO), package],
        capture_output=True, text=True, cwd=REPO, check=False, timeout=60,
    )
