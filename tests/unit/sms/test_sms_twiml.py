"""The webhook's TwiML answer is the document the twilio library's MessagingResponse writes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from twilio.twiml.messaging_response import MessagingResponse

from pro_service.sms.webhooks import twiml


def _library(replies: list[str]) -> str:
    doc = MessagingResponse()
    for text in replies:
        doc.message(text)
    return str(doc)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), max_size=4))
def test_twiml_matches_the_library(replies: list[str]) -> None:
    assert twiml(replies).get_data(as_text=True) == _library(replies)


def test_twiml_escapes_markup_and_keeps_chinese() -> None:
    answer = twiml(["a<b>&c", "请回复1"])
    assert answer.mimetype == "application/xml"
    assert answer.get_data(as_text=True) == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>a&lt;b&gt;&amp;c</Message>'
        "<Message>请回复1</Message></Response>")
    assert twiml([]).get_data(as_text=True) == '<?xml version="1.0" encoding="UTF-8"?><Response />'
