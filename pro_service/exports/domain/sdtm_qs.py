"""Item-level CDISC SDTM QS rows (SDTMIG v3.4 §6.3.13 Questionnaires) for EQ-5D-5L and CLDQ.

One row per answered item of each current complete response. Variable lengths follow the
SDTMIG: QSTESTCD ≤ 8 characters (letters, digits, underscore; not starting with a digit),
QSTEST ≤ 40. EQ-5D-5L codes are those of CDISC Controlled Terminology (QS "EQ-5D-5L",
EQ5D02xx); the CLDQ has no CDISC terminology, so its codes are the item ids and its
labels the item's English wording without the shared recall-period stem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pro_service.exports.domain.rows import BASELINE_TIMEPOINT, local_time, study_day
from pro_service.instruments.domain.definitions import Instrument

DOMAIN = "QS"
TESTCD_MAX, TEST_MAX = 8, 40

QS_COLUMNS = (
    "STUDYID", "DOMAIN", "USUBJID", "QSSEQ", "QSTESTCD", "QSTEST", "QSCAT", "QSORRES",
    "QSSTRESC", "QSSTRESN", "QSBLFL", "VISITNUM", "VISIT", "QSDTC", "QSDY", "QSEVLINT",
    "QSEVINTX",
)

QSCAT = {"EQ5D5L": "EQ-5D-5L", "CLDQ": "CLDQ"}

# CDISC CT, QS codelists "EQ-5D-5L TESTCD" / "TEST" (C-codes in the CT release the sponsor pins).
EQ5D5L_TERMS = {
    "MO": ("EQ5D0201", "EQ5D02-Mobility"),
    "SC": ("EQ5D0202", "EQ5D02-Self-Care"),
    "UA": ("EQ5D0203", "EQ5D02-Usual Activities"),
    "PD": ("EQ5D0204", "EQ5D02-Pain/Discomfort"),
    "AD": ("EQ5D0205", "EQ5D02-Anxiety/Depression"),
    "VAS": ("EQ5D0206", "EQ5D02-EQ VAS Score"),
}


@dataclass(frozen=True)
class QsItem:
    id: str
    testcd: str
    test: str
    labels: Mapping[int, str]  # coded option → English label (empty for integer items)


@dataclass(frozen=True)
class QsInstrument:
    code: str
    qscat: str
    items: tuple[QsItem, ...]
    evlint: str = ""  # ISO 8601 duration of the recall period, e.g. -P2W
    evintx: str = ""  # the recall period as text when it is no duration, e.g. TODAY


@dataclass(frozen=True)
class Visit:
    num: int
    name: str


@dataclass(frozen=True)
class QsResponse:
    """One current complete response of one subject, as the QS rows need it."""

    study_id: str
    timezone: str
    baseline: date | None
    instrument: str
    timepoint: str
    completed_at: datetime  # UTC, first submission of the occasion
    answers: Mapping[str, Any]
    first_infusion: date | None = None  # the QSBLFL reference; the baseline anchor if unset


def usubjid(studyid: str, study_id: str) -> str:
    """Unique subject id: the study id joined to the participant's pseudonymous study id."""
    return f"{studyid}-{study_id}"


def visit_name(code: str, label: str) -> str:
    """VISIT: BASELINE, WEEK n, otherwise the protocol's label in capitals."""
    if code == BASELINE_TIMEPOINT:
        return "BASELINE"
    if match := re.fullmatch(r"W(\d+)", code):
        return f"WEEK {int(match.group(1))}"
    return label.upper()[:TEST_MAX]


def visits(timepoints: Iterable[tuple[str, str]]) -> dict[str, Visit]:
    """VISITNUM by position in the protocol's list of (code, label) timepoints, from 1."""
    return {code: Visit(n, visit_name(code, label))
            for n, (code, label) in enumerate(timepoints, start=1)}


def clean_testcd(raw: str, taken: set[str]) -> str:
    """An SDTM-valid, unique test code from an item id (suffix digits resolve clashes)."""
    code = re.sub(r"[^A-Z0-9_]", "", raw.upper()) or "ITEM"
    if code[0].isdigit():
        code = f"Q{code}"
    candidate, n = code[:TESTCD_MAX], 1
    while candidate in taken:
        n += 1
        candidate = code[:TESTCD_MAX - len(str(n))] + str(n)
    taken.add(candidate)
    return candidate


def shorten(text: str, limit: int = TEST_MAX) -> str:
    """Cut at a word boundary so the text fits `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0]
    return (cut if cut and len(cut) <= limit else text[:limit]).rstrip(" ,;:-")


def _common_stem(texts: list[str]) -> int:
    """How many leading words every text shares (the recall-period stem, e.g. "In the past…")."""
    words = [t.split() for t in texts]
    if len(words) < 2:
        return 0
    n = 0
    while all(len(w) > n + 1 for w in words) and len({w[n] for w in words}) == 1:
        n += 1
    return n


_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}


def evaluation_interval(recall_en: str) -> tuple[str, str]:
    """(QSEVLINT, QSEVINTX) of a recall period: "the past 2 weeks" → ("-P2W", "")."""
    text = " ".join(recall_en.lower().split())
    match = re.search(r"past (\d+|one|two|three|four|six) (day|week|month|year)s?\b", text)
    if match:
        n = match.group(1)
        count = int(n) if n.isdigit() else _NUMBERS[n]
        return f"-P{count}{_UNITS[match.group(2)]}", ""
    return "", text.upper()[:TEST_MAX] if text else ""


def qs_instrument(instrument: Instrument) -> QsInstrument:
    """The QS view of an instrument: test codes, labels and English option labels."""
    english = [item.text.get("en", item.id) for item in instrument.items]
    stem = _common_stem(english)
    taken: set[str] = set()
    items = []
    for item, text in zip(instrument.items, english, strict=True):
        labels = {c.code: c.label.get("en", str(c.code)) for c in item.choices}
        if instrument.code == "EQ5D5L" and item.id in EQ5D5L_TERMS:
            testcd, test = EQ5D5L_TERMS[item.id]
            taken.add(testcd)
        else:
            testcd = clean_testcd(item.id, taken)
            phrase = " ".join(text.split()[stem:]).rstrip("?.")
            test = shorten(f"{testcd}-{phrase[:1].upper()}{phrase[1:]}")
        items.append(QsItem(item.id, testcd, test, labels))
    evlint, evintx = evaluation_interval(instrument.recall_period.get("en", ""))
    return QsInstrument(instrument.code, QSCAT.get(instrument.code, instrument.code), tuple(items),
                        evlint, evintx)


def _results(item: QsItem, value: Any) -> tuple[str, str, float | int | None]:
    """QSORRES (English option label or the number), QSSTRESC and QSSTRESN."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value), str(value), None
    return item.labels.get(int(value), str(value)), str(value), value


def qs_rows(studyid: str, responses: Iterable[QsResponse], instruments: Mapping[str, QsInstrument],
            visit_of: Mapping[str, Visit], *, first_seq: int = 1,
            keep: Callable[[QsResponse], bool] | None = None) -> list[dict[str, Any]]:
    """QS rows of one subject's responses, numbered QSSEQ from `first_seq` in the given order.

    Responses `keep` rejects still take their QSSEQ numbers and baseline candidacy, then
    leave the output: a filtered file keeps the numbers and flags of the full one.
    QSBLFL marks, per QSTESTCD, the last non-missing result dated on or before the first
    infusion (SDTMIG v3.4 §4.5.9: the baseline is the last value before the first dose).
    """
    rows: list[dict[str, Any]] = []
    dropped: set[int] = set()
    baseline_row: dict[str, tuple[datetime, int]] = {}
    seq = first_seq
    for resp in responses:
        spec, visit = instruments[resp.instrument], visit_of.get(resp.timepoint)
        local = local_time(resp.completed_at, resp.timezone)
        reference = resp.first_infusion or resp.baseline
        kept = keep is None or keep(resp)
        for item in spec.items:
            if resp.answers.get(item.id) is None:
                continue
            orres, stresc, stresn = _results(item, resp.answers[item.id])
            if stresc != "" and reference is not None and local.date() <= reference:
                previous = baseline_row.get(item.testcd)
                if previous is None or previous[0] <= resp.completed_at:
                    baseline_row[item.testcd] = (resp.completed_at, len(rows))
            if not kept:
                dropped.add(len(rows))
            rows.append({
                "STUDYID": studyid, "DOMAIN": DOMAIN, "USUBJID": usubjid(studyid, resp.study_id),
                "QSSEQ": seq, "QSTESTCD": item.testcd, "QSTEST": item.test, "QSCAT": spec.qscat,
                "QSORRES": orres, "QSSTRESC": stresc, "QSSTRESN": stresn, "QSBLFL": "",
                "VISITNUM": visit.num if visit else None,
                "VISIT": visit.name if visit else resp.timepoint,
                "QSDTC": local.replace(tzinfo=None).isoformat(timespec="seconds"),
                "QSDY": study_day(local.date(), resp.baseline),
                "QSEVLINT": spec.evlint, "QSEVINTX": spec.evintx,
            })
            seq += 1
    for _, index in baseline_row.values():
        rows[index]["QSBLFL"] = "Y"
    return [row for n, row in enumerate(rows) if n not in dropped] if dropped else rows
