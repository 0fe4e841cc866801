"""The body-system safety net: vague but affirmed mentions are flagged.

Alone, a safety-net match is asked about (issue 12): an unsure result at routine.
"""

from __future__ import annotations

import pytest

from pro_service.safety.detect import detect
from pro_service.safety.domain.catchall import load_net


def _found(text: str) -> dict[str, str]:
    return {str(f.category): str(f.urgency) for f in detect(text)}


def _flagged(text: str) -> dict[str, str]:
    """Findings and the questions a "yes" would turn into findings."""
    result = detect(text)
    asked = {str(q.category): str(q.urgency) for q in result.unsure}
    return asked | _found(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("大便的颜色有点发乌", "gi_bleeding"),
        ("my poo looks a funny dark colour", "gi_bleeding"),
        ("小便的颜色像可乐", "jaundice"),
        ("only did a tiny dribble of pee all day", "renal"),
        ("肚子撑得跟怀孕了一样", "ascites"),
        ("I fell over in the garden this morning", "syncope"),
        ("feel really foggy and spaced out", "encephalopathy"),
        ("心口那里堵得慌", "other"),
    ],
)
def test_affirmed_body_system_mention_is_flagged(text: str, category: str) -> None:
    assert category in _flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "大便颜色没有发黑",
        "如果小便颜色变深要告诉你们吗",
        "my neighbour fell over last week",
        "吃了黑芝麻，大便会不会变黑？",
        "尿量跟平时差不多",
        "watching a film about a man who faints",
    ],
)
def test_negated_hypothetical_or_other_mentions_are_not(text: str) -> None:
    assert _flagged(text) == {}


def test_specific_terms_keep_their_urgency() -> None:
    assert _found("今天拉了黑便") == {"gi_bleeding": "emergency"}


def test_a_net_match_alone_is_asked_about_at_routine() -> None:
    result = detect("大便的颜色有点发紫")
    assert not result.findings
    [question] = result.unsure
    assert (str(question.category), str(question.urgency)) == ("gi_bleeding", "routine")
    assert str(question.reason) == "catchall"


def test_every_rule_names_known_concepts() -> None:
    net = load_net()
    assert net.rules
    assert all(set(r.concepts) <= net.concepts.keys() for r in net.rules)
