"""Chatbot message texts in Simplified Chinese and English.

`{link}` is left in place for the service, which fills in the participant's web link.
Texts stay short: Chinese SMS are UCS-2, 70 characters a segment (67 once split).
No text repeats or judges a clinical answer beyond the read-back to confirm.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "zh-CN"
LINK = "{link}"

TEXTS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "invitation": "您好，请填写{title}。回复1开始，或打开链接填写：{link} "
        "回复稍后可暂停，回复TD退订。",
        "start_hint": "回复1开始填写{title}，或打开链接：{link}",
        "progress": "（{number}/{total}）",
        "choice_hint": "请回复数字：",
        "integer_hint": "请回复{minimum}到{maximum}之间的整数。",
        "yes_no_hint": "请回复：是 或 否",
        "free_text_hint": "请直接回复；没有请回复“无”。",
        "previous": "（原答案：{answer}）",
        "not_understood": "抱歉，未能识别您的回复。",
        "ambiguous": "您的回复里有{count}个答案（{candidates}），请只回复一个。",
        "offer_link": "如用短信回复不便，可打开链接继续填写：{link}",
        "first_item": "这已是第一题。",
        "paused": "好的，已暂停。方便时回复任意内容即可继续。",
        "resumed": "欢迎回来。",
        "readback": "您的回答：{answers}。回复“好”确认提交，回复“上一题”修改。",
        "confirm_hint": "请回复“好”确认提交，或回复“上一题”修改。",
        "thanks": "已收到您的回答，谢谢您的参与！",
        "already_done": "本次问卷已完成，谢谢！",
        "yes": "是",
        "no": "否",
        "nothing": "无",
        "list_separator": "，",
        "label_separator": " · ",
        "items_range": "第{first}-{last}题",
    },
    "en": {
        "invitation": "Hello, please complete the {title}. Reply 1 to start, "
        "or use this link: {link} Reply LATER to pause, STOP to opt out.",
        "start_hint": "Reply 1 to start the {title}, or use this link: {link}",
        "progress": "({number}/{total}) ",
        "choice_hint": "Reply with a number: ",
        "integer_hint": "Reply with a whole number from {minimum} to {maximum}.",
        "yes_no_hint": "Reply YES or NO.",
        "free_text_hint": "Reply in your own words, or NONE.",
        "previous": " (was: {answer})",
        "not_understood": "Sorry, we did not understand your reply. ",
        "ambiguous": "Your reply holds {count} answers ({candidates}); please reply with one. ",
        "offer_link": "If replying by SMS is hard, you can continue on the web: {link}",
        "first_item": "This is the first question. ",
        "paused": "OK, paused. Reply anything when you are ready to continue.",
        "resumed": "Welcome back. ",
        "readback": "Your answers: {answers}. Reply OK to submit, or BACK to change.",
        "confirm_hint": "Reply OK to submit, or BACK to change.",
        "thanks": "Thank you, your answers have been received.",
        "already_done": "This questionnaire is complete. Thank you!",
        "yes": "yes",
        "no": "no",
        "nothing": "none",
        "list_separator": ", ",
        "label_separator": ", ",  # "·" is not GSM-7: it would double an English SMS's segments
        "items_range": "Q{first}-{last}",
    },
}


def language_of(language: str) -> str:
    """Return a language we have texts for, falling back to Simplified Chinese."""
    if language in TEXTS:
        return language
    if language.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def text(key: str, language: str, link: str = LINK, **values: object) -> str:
    """Return message `key` in `language` with `values`; `{link}` stays unless given."""
    template = TEXTS[language_of(language)][key]
    return template.format(link=link, **values)


def localised(value: dict[str, str], language: str) -> str:
    """Pick the wording for `language` from a per-language dict, else any present."""
    chosen = language_of(language)
    if chosen in value:
        return value[chosen]
    for fallback in (DEFAULT_LANGUAGE, "en"):
        if fallback in value:
            return value[fallback]
    return next(iter(value.values()), "")
