"""Alert words for people: categories, urgencies and sources in zh-CN and en."""

from __future__ import annotations

CATEGORY_NAMES = {
    "gi_bleeding": ("消化道出血", "GI bleeding"),
    "encephalopathy": ("意识模糊/嗜睡（肝性脑病）", "Confusion / sleepiness (encephalopathy)"),
    "ascites": ("腹胀/腹水", "Belly swelling (ascites)"),
    "infection": ("发热/感染", "Fever / infection"),
    "jaundice": ("黄疸", "Jaundice"),
    "renal": ("尿量减少（肾脏）", "Reduced urine (kidney)"),
    "infusion_reaction": ("输注反应", "Infusion reaction"),
    "syncope": ("晕厥", "Fainting"),
    "self_harm": ("自伤风险", "Self-harm risk"),
    "other": ("其他症状", "Other symptoms"),
}
URGENCY_NAMES = {"emergency": ("紧急", "Emergency"), "urgent": ("尽快", "Urgent"),
                 "routine": ("常规", "Routine")}
SOURCE_NAMES = {"free_text": ("短信原文", "Free text"), "structured": ("症状问卷", "Symptom check"),
                "score_rule": ("评分规则", "Score rule")}
STATUS_NAMES = {"open": ("待确认", "Open"), "acknowledged": ("已确认", "Acknowledged"),
                "triaged": ("已分级", "Triaged"), "closed": ("已关闭", "Closed")}
TRIAGE_NAMES = {"not_ae": ("非不良事件", "Not an AE"), "ae": ("不良事件", "AE"),
                "sae": ("严重不良事件", "SAE"), "duplicate": ("重复", "Duplicate")}


def _pick(table: dict[str, tuple[str, str]], key: str, language: str) -> str:
    zh, en = table.get(key, (key, key.replace("_", " ")))
    return en if language == "en" else zh


def category_name(category: str, language: str) -> str:
    """The category in words ('gi_bleeding' → '消化道出血' / 'GI bleeding')."""
    return _pick(CATEGORY_NAMES, category, language)


def urgency_name(urgency: str, language: str) -> str:
    return _pick(URGENCY_NAMES, urgency, language)


def source_name(source: str, language: str) -> str:
    return _pick(SOURCE_NAMES, source, language)


def status_name(status: str, language: str) -> str:
    return _pick(STATUS_NAMES, status, language)


def triage_name(triage: str, language: str) -> str:
    return _pick(TRIAGE_NAMES, triage, language)
