"""What an escalation call says, in the staff member's language (Chinese by default)."""

from __future__ import annotations

from pro_service.safety.domain.wording import category_name

_PROMPT = {
    "zh-CN": "这里是研究安全提醒。受试者 {sid}，{category}，紧急情况，尚未有人确认。确认收到请按 1。",
    "en": "This is a study safety alert. Participant {sid}, {category}, emergency, not yet "
          "acknowledged. Press 1 to acknowledge.",
}
_ENDED = {
    "zh-CN": {"acknowledged": "已确认，谢谢。请尽快联系受试者。", "already": "此提醒已被确认，谢谢。",
              "refused": "您的角色无权确认此提醒，未作任何更改。", "ignored": "未确认。确认请按 1。",
              "no_input": "未收到按键。提醒将继续升级。"},
    "en": {"acknowledged": "Acknowledged, thank you. Please contact the participant.",
           "already": "This alert was already acknowledged. Thank you.",
           "refused": "Your role may not acknowledge this alert. Nothing was changed.",
           "ignored": "Not acknowledged. Press 1 to acknowledge.",
           "no_input": "No key pressed. The alert will keep escalating."},
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "zh-CN"


def spoken_id(study_id: str) -> str:
    """Digits spaced so text-to-speech reads them one by one: '302-0007' → '3 0 2, 0 0 0 7'."""
    return ", ".join(" ".join(part) for part in study_id.split("-"))


def prompt_text(language: str, study_id: str, category: str) -> str:
    lang = _lang(language)
    return _PROMPT[lang].format(sid=spoken_id(study_id), category=category_name(category, lang))


def ended_text(language: str, outcome: str) -> str:
    return _ENDED[_lang(language)][outcome]


def say_language(language: str) -> str:
    """Twilio <Say> language codes."""
    return "en-US" if language == "en" else "zh-CN"
