"""Service-level SMS texts: keywords, unknown senders, opted-out and idle participants."""

from __future__ import annotations

TEXTS = {
    "zh-CN": {
        "stopped": "您已退订本研究短信，不会再收到短信。如需恢复请回复“订阅”。如有不适请联系研究医生{site_phone}，紧急情况请拨打{emergency}。",
        "started": "您已重新订阅本研究短信。回复TD可随时退订。",
        "help": "本研究短信服务。研究团队电话：{site_phone}。紧急情况请拨打{emergency}。回复TD退订。",
        "opted_out": "您已退订短信。如需恢复请回复“订阅”。紧急情况请拨打{emergency}。",
        "withdrawn": "您已不再参加本研究的短信随访。如有疑问请联系研究团队：{site_phone}。",
        "nothing_open": "目前没有需要填写的问卷，谢谢！如有不适请联系研究团队：{site_phone}。",
        "stop_wish": "已收到。研究团队会与您联系确认是否停止短信。如需立即退订请回复TD。",
        "too_long": "您的短信太长，请分几条发送。",
        "next": "还有一份问卷：",
    },
    "en": {
        "stopped": "You are unsubscribed and will get no more study SMS. Reply START to resume. If you feel unwell call your study doctor {site_phone}; in an emergency call {emergency}.",
        "started": "You are subscribed to study SMS again. Reply STOP at any time to opt out.",
        "help": "Study SMS service. Study team: {site_phone}. In an emergency call {emergency}. Reply STOP to opt out.",
        "opted_out": "You have opted out of SMS. Reply START to resume. In an emergency call {emergency}.",
        "withdrawn": "You no longer take part in the study's SMS follow-up. Questions: {site_phone}.",
        "nothing_open": "There is no questionnaire to answer right now. Thank you! If you feel unwell call {site_phone}.",
        "stop_wish": "Thank you. The study team will contact you to confirm whether to stop SMS. To stop now, reply STOP.",
        "too_long": "Your message is too long; please send it in shorter parts.",
        "next": "There is one more questionnaire: ",
    },
}
# Unknown numbers are not screened (no site, no participant), so the reply itself says what to do
# in an emergency: all of this trial's sites are in mainland China (120).
UNKNOWN_SENDER = ("此号码不接收短信。如有紧急情况请立即拨打120。"
                  "This number does not accept messages. In an emergency call 120 now.")


def say(key: str, language: str, **values: object) -> str:
    """A service text in the participant's language (Simplified Chinese by default)."""
    lang = "en" if language == "en" else "zh-CN"
    return TEXTS[lang][key].format(**values)
