"""Outbound notices that are not part of a conversation: reminders and notes to site staff."""

from __future__ import annotations

LINK = "{link}"

_REMINDER = {
    "zh-CN": "提醒：{title}尚未完成。回复1开始，或打开链接：{link} 回复TD退订。",
    "en": "Reminder: your {title} is not finished yet. Reply 1 to start, or use: {link} Reply STOP to opt out.",
}
_LINK_ONLY = {
    "zh-CN": "您好，请填写{title}：{link} 回复TD退订。",
    "en": "Hello, please complete the {title}: {link} Reply STOP to opt out.",
}


def reminder(title: dict[str, str], language: str) -> str:
    """A reminder for an open occasion; the link is filled in at send time."""
    lang = language if language in _REMINDER else "zh-CN"
    return _REMINDER[lang].format(title=title.get(lang, ""), link=LINK)


def link_invitation(title: dict[str, str], language: str) -> str:
    """An invitation carrying only the web link (channel sms_link)."""
    lang = language if language in _LINK_ONLY else "zh-CN"
    return _LINK_ONLY[lang].format(title=title.get(lang, ""), link=LINK)


def delivery_failed_note(study_id: str, kind: str) -> str:
    """Tell site staff an SMS could not be delivered after every retry."""
    return f"[pro-service] SMS to participant {study_id} ({kind}) could not be delivered. Please contact them."


def stop_wish_note(study_id: str) -> str:
    """Ask site staff to confirm whether a participant wants no more SMS."""
    return (f"[pro-service] Participant {study_id} may want to stop receiving SMS (free-text request). "
            "Please confirm with them and record an opt-out if so.")


def opted_out_note(study_id: str) -> str:
    return f"[pro-service] Participant {study_id} replied STOP and is opted out of SMS."
