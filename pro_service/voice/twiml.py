"""The TwiML of an escalation call and of the answers to its keypress."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from pro_service.safety.calls import CallOrder
from pro_service.voice.domain.script import ended_text, prompt_text, say_language

REPEATS = 3


def call_twiml(order: CallOrder, action_url: str) -> str:
    """Say who and what (repeated) inside a one-digit Gather posting to the signed webhook."""
    doc = VoiceResponse()
    gather = doc.gather(num_digits=1, action=action_url, method="POST", timeout=6)
    text = prompt_text(order.language, order.study_id, order.category)
    for _ in range(REPEATS):
        gather.say(text, language=say_language(order.language))
        gather.pause(length=1)
    doc.say(ended_text(order.language, "no_input"), language=say_language(order.language))
    return str(doc)


def answer_twiml(language: str, outcome: str) -> str:
    """What the callee hears after pressing a key."""
    doc = VoiceResponse()
    doc.say(ended_text(language, outcome), language=say_language(language))
    doc.hangup()
    return str(doc)
