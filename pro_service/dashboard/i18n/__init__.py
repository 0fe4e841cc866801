"""The dashboard's zh-CN catalogue, built from one translation table per page group.

Each module in this package holds ``ZH = {"English text": "中文"}`` for its page group. Rebuild the
catalogue after changing any page text:

    .venv/bin/python -m pro_service.dashboard.i18n

It extracts every ``_()``/``gettext`` string of ``pro_service/dashboard`` (templates and Python),
writes ``translations/zh_Hans_CN/LC_MESSAGES/messages.po`` and compiles ``messages.mo``. A string
without a translation, or two tables translating one string differently, stops the build, naming it.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
PACKAGE = Path(__file__).resolve().parent.parent
OUT = PACKAGE / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
METHODS = [("**/i18n/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}


class CatalogueError(RuntimeError):
    """A page string has no translation, or two tables disagree."""


def tables() -> dict[str, str]:
    """Every page group's table merged; a string translated two ways is an error."""
    merged: dict[str, str] = {}
    modules = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name != "__main__"]
    for name in sorted(modules):
        table: dict[str, str] = importlib.import_module(f"{__name__}.{name}").ZH
        for source, text in table.items():
            if merged.get(source, text) != text:
                raise CatalogueError(f"{source!r} is translated differently in i18n/{name}.py")
            merged[source] = text
    return merged


def extracted() -> list[str]:
    """The page strings, in order of first appearance."""
    seen: dict[str, None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), METHODS, keywords=KEYWORDS, options_map=OPTIONS):
        for text in (message if isinstance(message, tuple) else (message,)):
            if text:
                seen.setdefault(text, None)
    return list(seen)


def build_catalog() -> Catalog:
    """The zh_Hans_CN catalogue of every page string; stops on any string left untranslated."""
    table = tables()
    missing = [s for s in extracted() if s not in table]
    if missing:
        raise CatalogueError("no zh-CN text for: " + "; ".join(repr(s) for s in missing))
    # fixed dates: the same texts build byte-identical files (no merge conflicts on rebuilds)
    catalog = Catalog(locale="zh_Hans_CN", project="pro-service dashboard", fuzzy=False,
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    for source in sorted(extracted()):
        catalog.add(source, table[source])
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> None:
    catalog = build_catalog()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "messages.po").open("wb") as po:
        write_po(po, catalog, omit_header=True, sort_output=True, width=0)
    (OUT / "messages.mo").write_bytes(compiled(catalog))
    print(f"{len(catalog)} strings -> {OUT}")
