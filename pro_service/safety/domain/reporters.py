"""Who reported a symptom and what the reply says (issue 12): caregivers, crisis line.

A registered caregiver's text is about the participant: the alert is marked "reported
by caregiver (relation)" and the advice, addressed to the caregiver, speaks of the
patient. From the participant's own phone, a red flag about he, she or a relative is
marked "may concern another person". A self-harm reply names the site's crisis line.
"""

from __future__ import annotations

CAREGIVER_ADVICE = {
    "zh-CN": {
        "emergency": "您描述的病人情况可能很严重。请立即拨打{emergency}或马上送病人去最近的医院急诊。研究团队已收到通知。",
        "urgent": "谢谢您告诉我们。研究团队已收到通知，今天会联系您。如病人情况加重请拨打{emergency}。",
        "routine": "谢谢您告诉我们，研究团队会查看并在需要时联系您。如病人情况加重请拨打{emergency}。",
    },
    "en": {
        "emergency": "What you describe may be serious for the patient. Call {emergency} or take them to the nearest emergency department now. The study team has been told.",
        "urgent": "Thank you for telling us. The study team has been told and will contact you today. If the patient gets worse, call {emergency}.",
        "routine": "Thank you for telling us. The study team will review it and contact you if needed. If the patient gets worse, call {emergency}.",
    },
}
CRISIS = {
    "zh-CN": "如果您有伤害自己的想法，请马上拨打心理危机干预热线 {line}，或拨打{emergency}。",
    "en": "If you are thinking of harming yourself, call the crisis line {line} now, or {emergency}.",
}


def _lang(language: str) -> str:
    return "en" if language == "en" else "zh-CN"


def caregiver_advice(urgency: str, language: str, emergency_number: str) -> str:
    """What the caregiver should do now, in the caregiver's language."""
    return CAREGIVER_ADVICE[_lang(language)][urgency].format(emergency=emergency_number)


def crisis_text(language: str, crisis_line: str | None, emergency_number: str) -> str:
    """The crisis-line sentence for a self-harm report (the emergency number if none)."""
    return CRISIS[_lang(language)].format(
        line=crisis_line or emergency_number, emergency=emergency_number
    )


def marking(*, caregiver_relation: str | None, other_person: bool) -> str | None:
    """How staff see who the report is about."""
    if caregiver_relation is not None:
        return f"reported by caregiver ({caregiver_relation})"
    if other_person:
        return "may concern another person"
    return None
