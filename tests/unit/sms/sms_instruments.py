"""Small instruments built in code for the chatbot tests (not the JSON files)."""

from __future__ import annotations

from pro_service.instruments.domain.definitions import (
    Choice,
    Instrument,
    Item,
    ResponseType,
)

_EQ_LEVELS_ZH = ("无困难", "轻微", "中度", "严重", "无法")
_EQ_LEVELS_EN = ("no problems", "slight", "moderate", "severe", "unable")
_EQ_DIMENSIONS = (
    ("MO", "行动能力？", "Mobility?"),
    ("SC", "自我照顾？", "Self-care?"),
    ("UA", "日常活动？", "Usual activities?"),
    ("PD", "疼痛/不舒服？", "Pain/discomfort?"),
    ("AD", "焦虑/抑郁？", "Anxiety/depression?"),
)


def _levels(zh: tuple[str, ...], en: tuple[str, ...]) -> tuple[Choice, ...]:
    return tuple(
        Choice(
            code=code,
            label={"zh-CN": f"我{zh_word}", "en": f"I have {en_word}"},
            words={"zh-CN": (zh_word,), "en": (en_word,)},
        )
        for code, (zh_word, en_word) in enumerate(zip(zh, en, strict=True), start=1)
    )


def eq5d() -> Instrument:
    """An EQ-5D-5L shaped instrument: five 1-5 choice items and the VAS 0-100."""
    choices = _levels(_EQ_LEVELS_ZH, _EQ_LEVELS_EN)
    items = tuple(
        Item(
            id=item_id,
            text={"zh-CN": zh, "en": en},
            sms={"zh-CN": zh, "en": en},
            type=ResponseType.CHOICE,
            choices=choices,
        )
        for item_id, zh, en in _EQ_DIMENSIONS
    )
    vas = Item(
        id="VAS",
        text={"zh-CN": "今天的健康状况0-100分？", "en": "Your health today, 0-100?"},
        sms={"zh-CN": "今天健康打分？", "en": "Health today?"},
        type=ResponseType.INTEGER,
        minimum=0,
        maximum=100,
    )
    return _instrument(
        "EQ5D5L", {"zh-CN": "健康问卷", "en": "health questionnaire"}, (*items, vas)
    )


def cldq(count: int = 4) -> Instrument:
    """A CLDQ shaped instrument: `count` items scored 1-7 with labels only."""
    choices = tuple(
        Choice(code=code, label={"zh-CN": f"{code}分", "en": f"score {code}"})
        for code in range(1, 8)
    )
    items = tuple(
        Item(
            id=f"CLDQ{n:02d}",
            text={"zh-CN": f"第{n}题", "en": f"Question {n}"},
            sms={"zh-CN": f"第{n}题", "en": f"Question {n}"},
            type=ResponseType.CHOICE,
            choices=choices,
        )
        for n in range(1, count + 1)
    )
    return _instrument(
        "CLDQ", {"zh-CN": "肝病问卷", "en": "liver questionnaire"}, items
    )


def symptoms() -> Instrument:
    """A symptom check: two yes/no items and a free-text item."""
    items = (
        _yes_no(
            "SC_BLEED", "有出血或黑便吗？", "Any bleeding or black stools?", "bleeding"
        ),
        _yes_no("SC_FEVER", "有发热或寒战吗？", "Any fever or chills?", "fever"),
        Item(
            id="SC_OTHER",
            text={"zh-CN": "还有其他不适吗？", "en": "Anything else?"},
            sms={"zh-CN": "还有其他不适吗？", "en": "Anything else?"},
            type=ResponseType.FREE_TEXT,
            required=False,
        ),
    )
    return _instrument("SYMPTOMS", {"zh-CN": "症状自查", "en": "symptom check"}, items)


def _yes_no(item_id: str, zh: str, en: str, category: str) -> Item:
    return Item(
        id=item_id,
        text={"zh-CN": zh, "en": en},
        sms={"zh-CN": zh, "en": en},
        type=ResponseType.YES_NO,
        safety_category=category,
        safety_urgency="urgent",
    )


def _instrument(
    code: str, title: dict[str, str], items: tuple[Item, ...]
) -> Instrument:
    return Instrument(
        code=code,
        version="test",
        title=title,
        license="test only",
        recall_period={"zh-CN": "今天", "en": "today"},
        languages=("zh-CN", "en"),
        items=items,
        scoring={"scorer": "none"},
    )
