"""Every chatbot item prompt of every real instrument stays within two SMS segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from pro_service.instruments.service import load_all
from pro_service.messages.domain.segments import count_segments
from pro_service.sms.domain.prompts import invitation, item_prompt

INSTRUMENTS = load_all(Path(__file__).resolve().parents[3] / "questionnaires")
CASES = [(code, i, lang) for code, ins in INSTRUMENTS.items() for i in range(len(ins.items))
         for lang in ("zh-CN", "en")]


@pytest.mark.parametrize(("code", "index", "language"), CASES)
def test_item_prompt_fits_in_two_segments(code, index, language):
    text = item_prompt(INSTRUMENTS[code], index, language)
    encoding, segments = count_segments(text)
    assert segments <= 2, f"{code} item {index + 1} ({language}, {encoding}): {segments} segments: {text}"


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_invitation_with_a_link_fits_in_three_segments(code, language):
    link = "https://pro.example.org/s/" + "x" * 32
    assert count_segments(invitation(INSTRUMENTS[code], language, link))[1] <= 3
