"""Alert timing and wording rules (DESIGN §6): acknowledgement deadlines, SAE clock, advice."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pro_service.messages.domain.segments import count_segments

# DESIGN §6: no acknowledgement in time → escalate (emergency 15 min, urgent 4 h, routine 2 working days)
ACK_WINDOW = {"emergency": timedelta(minutes=15), "urgent": timedelta(hours=4)}
ROUTINE_WORKING_DAYS = 2
SAE_REPORTING = timedelta(hours=24)  # ICH E2A: SAE reported within 24 h of awareness
URGENCY_RANK = {"routine": 0, "urgent": 1, "emergency": 2}
DEDUP_WINDOW = timedelta(hours=24)

# Suggested MedDRA preferred terms per category (the investigator confirms or changes them).
MEDDRA_SUGGESTION = {
    "gi_bleeding": ("Haematemesis", "Melaena", "Gastrointestinal haemorrhage"),
    "encephalopathy": ("Hepatic encephalopathy", "Confusional state", "Somnolence"),
    "ascites": ("Ascites", "Abdominal distension", "Weight increased"),
    "infection": ("Pyrexia", "Chills", "Infection"),
    "jaundice": ("Jaundice", "Ocular icterus"),
    "renal": ("Oliguria", "Acute kidney injury"),
    "infusion_reaction": ("Infusion related reaction", "Rash", "Dyspnoea"),
    "syncope": ("Syncope", "Dizziness"),
    "self_harm": ("Suicidal ideation", "Intentional self-injury"),
    "other": ("Malaise",),
}


def ack_deadline(urgency: str, since: datetime, tz: str) -> datetime:
    """When an unacknowledged alert escalates; routine counts working days (Mon–Fri, local)."""
    if urgency in ACK_WINDOW:
        return since + ACK_WINDOW[urgency]
    local = since.astimezone(ZoneInfo(tz))
    days = 0
    while days < ROUTINE_WORKING_DAYS:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days += 1
    return local.astimezone(since.tzinfo)


def more_urgent(a: str, b: str) -> str:
    return a if URGENCY_RANK[a] >= URGENCY_RANK[b] else b


ADVICE = {
    "zh-CN": {
        "emergency": "您报告的情况可能很严重。请立即拨打{emergency}或马上去最近的医院急诊。研究团队已收到通知。",
        "urgent": "谢谢您告诉我们。研究团队已收到通知，{when}会给您打电话。如情况加重请拨打{emergency}。",
        "routine": "谢谢您告诉我们，研究团队会查看并在需要时联系您。如感觉不适加重请拨打{emergency}。",
    },
    "en": {
        "emergency": "What you describe may be serious. Call {emergency} or go to the nearest emergency department now. The study team has been told.",
        "urgent": "Thank you for telling us. The study team has been told and will call you {when}. If you get worse, call {emergency}.",
        "routine": "Thank you for telling us. The study team will review it and contact you if needed. If you feel worse, call {emergency}.",
    },
}
# When the site team calls back: working hours are Monday-Friday 08:00-18:00 in the site's zone
# (an assumption, as for routine deadlines; public holidays are not known to the service).
WORK_START, WORK_END = time(8), time(18)
CALL_BACK = {
    "zh-CN": {"today": "今天", "this_morning": "今天上午", "tomorrow_morning": "明天上午",
              "monday_morning": "周一上午"},
    "en": {"today": "today", "this_morning": "this morning", "tomorrow_morning": "tomorrow morning",
           "monday_morning": "on Monday morning"},
}


def call_back_when(now: datetime, tz: str) -> str:
    """When the team can call: `today` in working hours, else the next working morning."""
    local = now.astimezone(ZoneInfo(tz))
    clock = local.time().replace(tzinfo=None)
    if local.weekday() < 5 and clock < WORK_END:
        return "today" if clock >= WORK_START else "this_morning"
    days = 1
    while (local.weekday() + days) % 7 >= 5:
        days += 1
    return "tomorrow_morning" if days == 1 else "monday_morning"


def advice(urgency: str, language: str, emergency_number: str, *, now: datetime | None = None,
           tz: str = "Asia/Shanghai") -> str:
    """What to do now, in the participant's language; the call-back promise matches the site clock."""
    lang = "en" if language == "en" else "zh-CN"
    when = CALL_BACK[lang][call_back_when(now, tz) if now is not None else "today"]
    return ADVICE[lang][urgency].format(emergency=emergency_number, when=when)


STAFF_SMS_MAX_SEGMENTS = 2


def staff_alert_text(*, study_id: str, category: str, urgency: str, reported: str, code: str,
                     level: int, link: str, note: str | None = None) -> str:
    """The staff SMS: no phone number or free text; when the participant reported it (`reported`,
    site time with its zone, e.g. "2027-01-04 17:50 UTC+8"), the ACK code and a link to the alert
    page, within two segments.

    The wording shortens step by step when a long link would need a third segment; the code,
    study id and link always stay. `note` is the alert's marking ("reported by caregiver
    (daughter)", "may concern another person", issue 12).
    """
    at = reported
    what = category.replace("_", " ") + (f" ({note})" if note else "")
    escalated = f" [escalated, level {level}]" if level else ""
    short_esc = f" [L{level}]" if level else ""
    variants = (
        f"[pro-service] {urgency.upper()} possible AE{escalated}: participant {study_id}, {what}, "
        f"reported {at}. Reply ACK {code} to acknowledge. {link}",
        f"[pro-service] {urgency.upper()}{short_esc}: {study_id}, {what}, reported {at}. "
        f"Reply ACK {code}. {link}",
        f"{urgency.upper()}{short_esc} {study_id} {what} {at} ACK {code} {link}",
    )
    for text in variants:
        if count_segments(text)[1] <= STAFF_SMS_MAX_SEGMENTS:
            return text
    return variants[-1]


def alert_link(public_base_url: str, code: str) -> str:
    """The staff dashboard page of an alert (login required)."""
    return f"{public_base_url.rstrip('/')}/dashboard/alerts/{code}"
