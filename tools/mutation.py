"""Mutation testing of the pure cores with mutmut, one module at a time (`make mutation`).

Each module is mutated in its own scratch copy of the repository (build/mutation/<module>) with
only that module's unit tests as the judge, so a run stays small and the modules can be run
separately: `python tools/mutation.py audit crypto`. A large core is also split by files
(`safety-context`, `safety-detect`). `--again` continues a module's previous run: it judges
the mutants of functions that changed since (mutmut keeps the verdicts of unchanged ones) and
judges again, with the current tests, the mutants the previous run left alive. Mutants listed in docs/mutation.md as
equivalent (no test can tell them from the original) are reported apart from the survivors.
The score is killed / (all mutants - equivalent ones); the goal is at least 90 % per module.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "mutation"
EQUIVALENTS = REPO / "docs" / "mutation.md"
GOAL = 0.90
# A mutant that makes the tests hang (an endless loop) was noticed by them, like a failure.
DETECTED = frozenset({"killed", "timeout"})


@dataclass(frozen=True)
class Module:
    name: str
    mutate: tuple[str, ...]  # globs of the files to mutate, relative to the repository
    tests: str  # the unit tests that judge them


def _files(folder: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{folder}/{name}.py" for name in names)


SAFETY = "pro_service/safety/domain"
# the matching hot path, and the rules around it: each half is judged by all safety tests
SAFETY_DETECT = _files(SAFETY, "detect", "mentions", "cues", "catchall", "prefilter")
SAFETY_CONTEXT = _files(
    SAFETY, "context", "scope", "asking", "normalise", "lexicon", "reporters", "wording",
    "permissions", "rota", "escalation", "evaluation", "data",
)


MODULES = {
    m.name: m
    for m in (
        Module("instruments", ("pro_service/instruments/domain/*",), "tests/unit/instruments"),
        Module("schedule", ("pro_service/schedule/domain/*",), "tests/unit/schedule"),
        Module("audit", ("pro_service/audit/domain.py",), "tests/unit/audit"),
        Module("crypto", ("pro_service/core/crypto.py",), "tests/unit/core"),
        Module("sms", ("pro_service/sms/domain/*",), "tests/unit/sms"),
        Module("safety", (f"{SAFETY}/*",), "tests/unit/safety"),
        Module("safety-context", SAFETY_CONTEXT, "tests/unit/safety"),
        Module("safety-detect", SAFETY_DETECT, "tests/unit/safety"),
    )
}
# run by `make mutation` without MODULES: the whole of each core once
DEFAULT = ("instruments", "schedule", "audit", "crypto", "sms", "safety")
COPIED = ("pro_service", "tests", "questionnaires", "protocols", "pytest.ini")
SETUP_CFG = """[mutmut]
source_paths = pro_service
only_mutate ={mutate}
pytest_add_cli_args_test_selection = {tests}
also_copy =
    questionnaires
    protocols
    pytest.ini
"""


def equivalents() -> set[str]:
    """Mutant names listed in docs/mutation.md (a `name` in backticks at a table row start)."""
    if not EQUIVALENTS.is_file():
        return set()
    return set(re.findall(r"^\| `([\w.]+__mutmut_\d+)`", EQUIVALENTS.read_text("utf-8"), re.M))


def prepare(module: Module, again: bool = False) -> Path:
    """A scratch copy holding the source, the tests and the data they read.

    Fresh, or with `again` the previous one refreshed in place: mutmut keeps its verdicts
    (mutants/) and regenerates the mutants of source files that changed since.
    """
    work = BUILD / module.name
    if work.exists() and not again:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "test-output")
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(source, work / name)
    mutate = "".join(f"\n    {glob}" for glob in module.mutate)
    (work / "setup.cfg").write_text(SETUP_CFG.format(mutate=mutate, tests=module.tests))
    # mutmut runs the tests in work/mutants: ../shared from there must be the real one
    shared = REPO.parent / "shared"
    if shared.is_dir() and not (work / "shared").exists():
        (work / "shared").symlink_to(shared)
    return work


def mutmut(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mutmut", *args]
    return subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)  # noqa: S603


def _judge(work: Path, children: int, *names: str) -> None:
    result = mutmut(work, "run", "--max-children", str(children), *names)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)


def statuses(work: Path) -> dict[str, str]:
    """Mutant name -> status from `mutmut results --all true`."""
    out = mutmut(work, "results", "--all", "true").stdout
    found = {}
    for line in out.splitlines():
        name, _, status = line.strip().partition(": ")
        if "__mutmut_" in name:
            found[name] = status.strip()
    return found


def run(module: Module, children: int, again: bool = False) -> dict[str, object]:
    work = BUILD / module.name
    alive: set[str] | None = None  # None: a fresh run judges every mutant
    if again and (work / "mutants").is_dir():
        judged = {n: s for n, s in statuses(work).items() if s != "not checked"}
        alive = {n for n, s in judged.items() if s not in DETECTED} - equivalents()
    prepare(module, again=alive is not None)
    # everything without a verdict: every mutant, or again those of new and changed functions
    # and those an interrupted run did not reach
    _judge(work, children)
    if alive:
        current = statuses(work)
        rerun = sorted(n for n in alive if current.get(n, "killed") not in DETECTED)
        if rerun:
            _judge(work, children, *rerun)
    found = statuses(work)
    known = equivalents()
    survivors = sorted(n for n, s in found.items() if s not in DETECTED and n not in known)
    listed = sorted(n for n in found if n in known)
    killed = sum(s in DETECTED for s in found.values())
    judged = len(found) - len(listed)
    score = killed / judged if judged else 0.0
    return {"module": module.name, "mutants": len(found), "killed": killed,
            "equivalent": listed, "survivors": {n: found[n] for n in survivors},
            "score": round(score, 4), "goal_met": score >= GOAL}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", choices=[*MODULES, []], default=[])
    parser.add_argument("--children", type=int, default=1, help="parallel mutants (CPU is scarce)")
    parser.add_argument("--again", action="store_true",
                        help="continue the previous run: changed functions and survivors only")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    names = args.modules or list(DEFAULT)
    results = [run(MODULES[name], args.children, args.again) for name in names]
    for r in results:
        print(f"{r['module']:12} {r['killed']:4}/{r['mutants'] - len(r['equivalent']):<4} killed "
              f"= {100 * r['score']:5.1f} %  ({len(r['equivalent'])} equivalent listed, "
              f"{len(r['survivors'])} survivors)  {'ok' if r['goal_met'] else 'BELOW 90 %'}")
        for name, status in r["survivors"].items():
            print(f"    {status:12} {name}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(r["goal_met"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
