"""Short names of questionnaire items for the SMS read-back ("行动 2 · 自理 1 · 健康 75").

Keyed by item id (ids are unique across the questionnaires). Items without a short name
(the CLDQ's 29, whose wording is long) are read back by number instead.
"""

from __future__ import annotations

from pro_service.sms.domain.texts import language_of

SHORT_LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "MO": "行动", "SC": "自理", "UA": "日常活动", "PD": "疼痛", "AD": "焦虑", "VAS": "健康",
        "SC_BLEED": "呕血黑便", "SC_CONFUSION": "糊涂嗜睡", "SC_ASCITES": "腹胀",
        "SC_FEVER": "发烧", "SC_JAUNDICE": "发黄", "SC_URINE": "尿少", "SC_INFUSION": "输注反应",
        "SC_OTHER": "其他",
    },
    "en": {
        "MO": "mobility", "SC": "self-care", "UA": "activities", "PD": "pain", "AD": "anxiety",
        "VAS": "health", "SC_BLEED": "bleeding", "SC_CONFUSION": "confusion",
        "SC_ASCITES": "swelling", "SC_FEVER": "fever", "SC_JAUNDICE": "yellowing",
        "SC_URINE": "less urine", "SC_INFUSION": "infusion", "SC_OTHER": "other",
    },
}


def short_label(item_id: str, language: str) -> str | None:
    """The item's short name in the language, or None when it is read back by number."""
    return SHORT_LABELS[language_of(language)].get(item_id)
