"""Keywords work in any state; sentences asking to stop are flagged, not obeyed."""

from __future__ import annotations

import pytest

from pro_service.sms.domain.keywords import Keyword, classify, stop_wish


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", Keyword.STOP),
        ("stop", Keyword.STOP),
        ("Stop!", Keyword.STOP),
        ("stop.", Keyword.STOP),
        ("  STOP  ", Keyword.STOP),
        ("ＳＴＯＰ", Keyword.STOP),
        ("ｓｔｏｐ！", Keyword.STOP),
        ("STOP 12345", Keyword.STOP),
        ("STOPALL", Keyword.STOP),
        ("Unsubscribe", Keyword.STOP),
        ("CANCEL", Keyword.STOP),
        ("end", Keyword.STOP),
        ("QUIT", Keyword.STOP),
        ("TD", Keyword.STOP),
        ("td", Keyword.STOP),
        ("退订", Keyword.STOP),
        ("退订。", Keyword.STOP),
        ("【退订】", Keyword.STOP),
        ("START", Keyword.START),
        ("unstop", Keyword.START),
        ("订阅", Keyword.START),
        ("HELP", Keyword.HELP),
        ("Info", Keyword.HELP),
        ("帮助", Keyword.HELP),
        ("帮助？", Keyword.HELP),
        ("BACK", Keyword.BACK),
        ("上一题", Keyword.BACK),
        ("返回", Keyword.BACK),
        ("later", Keyword.LATER),
        ("LATER", Keyword.LATER),
        ("稍后", Keyword.LATER),
        ("PAUSE", Keyword.LATER),
        ("暂停", Keyword.LATER),
    ],
)
def test_keyword_is_recognised_whatever_its_case_width_or_punctuation(
    text: str, expected: Keyword
) -> None:
    assert classify(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "YES",
        "yes",
        "1",
        "no",
        "stopped",
        "stop texting me",
        "please stop sending",
        "backache",
        "ending",
        "不要再发了",
        "退订谢谢",
        "",
        "   ",
        "好",
    ],
)
def test_ordinary_reply_is_not_a_keyword(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "stop texting me",
        "Please stop sending these",
        "please stop sending",
        "Don't text me anymore",
        "no more messages please",
        "I want to unsubscribe",
        "remove me from this",
        "不要再发了",
        "别发了",
        "别再发短信了",
        "不想收到短信",
        "我不想再收到",
        "请停止发送",
        "退订谢谢",
        "我要退出",
    ],
)
def test_wish_to_stop_in_words_is_recognised(text: str) -> None:
    assert stop_wish(text)


@pytest.mark.parametrize(
    "text",
    ["STOP", "退订", "TD", "1", "no", "none", "I stopped bleeding", "好的", "有", ""],
)
def test_keyword_or_answer_is_not_a_wish_to_stop(text: str) -> None:
    assert not stop_wish(text)
