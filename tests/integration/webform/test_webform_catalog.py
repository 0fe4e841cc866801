"""The web form's Chinese catalog: every page text translated, the compiled .mo current."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pro_service.webform.translations.zh_catalog import ZH

PACKAGE = Path(__file__).resolve().parents[3] / "pro_service" / "webform"
CATALOG = PACKAGE / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _ids(messages: object) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id  # type: ignore[attr-defined]
            for m in messages if m.id}  # type: ignore[attr-defined]


def _texts(catalog: object) -> dict[object, object]:
    def plain(value: object) -> object:
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    return {plain(m.id): plain(m.string) for m in catalog if m.id}  # type: ignore[attr-defined]


def test_every_text_of_the_pages_is_in_the_template_and_translated() -> None:
    used = {msg if isinstance(msg, str) else msg[0]
            for _file, _line, msg, *_ in extract_from_dir(str(PACKAGE), METHODS)}
    with (PACKAGE / "translations" / "messages.pot").open("rb") as f:
        assert _ids(read_po(f)) == used, "run pybabel extract (see zh_catalog.py)"
    assert used <= set(ZH)


def test_the_compiled_catalog_matches_its_source() -> None:
    with (CATALOG / "messages.po").open("rb") as f:
        po = read_po(f)
    with (CATALOG / "messages.mo").open("rb") as f:
        mo = read_mo(f)
    assert _texts(po) == _texts(mo), "run pybabel compile (see zh_catalog.py)"
    zh = gettext.translation("messages", str(PACKAGE / "translations"), ["zh_Hans_CN"])
    assert zh.gettext("Next") == "下一页"
