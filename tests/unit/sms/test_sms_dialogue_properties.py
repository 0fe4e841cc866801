"""Random reply sequences never crash the dialogue and leave a valid state."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pro_service.instruments.domain.definitions import Instrument
from pro_service.sms.domain.dialogue import step
from pro_service.sms.domain.state import Phase, State
from tests.unit.sms.sms_instruments import cldq, eq5d, symptoms

INSTRUMENTS = (eq5d(), cldq(3), symptoms())
MEANINGFUL = st.sampled_from(
    [
        "1",
        "2",
        "5",
        "7",
        "８",
        "三",
        "七十",
        "101",
        "-1",
        "7.5",
        "yes",
        "否",
        "无",
        "ok",
        "好",
        "BACK",
        "上一题",
        "LATER",
        "稍后",
        "STOP",
        "帮助",
        "中度",
        "",
        " ",
        "。",
        "dizzy",
    ]
)
REPLIES = st.lists(st.one_of(MEANINGFUL, st.text(max_size=12)), max_size=40)


def _assert_valid(state: State, instrument: Instrument) -> None:
    count = len(instrument.items)
    assert 0 <= state.index <= count
    assert state.retries >= 0
    if state.phase is Phase.ASKING:
        assert state.index < count
    assert (state.phase is Phase.PAUSED) == (state.resume_phase is not None)
    assert set(state.answers) <= {item.id for item in instrument.items}
    assert State.from_dict(json.loads(json.dumps(state.to_dict()))) == state


@settings(max_examples=300, deadline=None)
@given(
    instrument=st.sampled_from(INSTRUMENTS),
    language=st.sampled_from(["zh-CN", "en"]),
    replies=REPLIES,
)
def test_random_replies_keep_the_state_valid(
    instrument: Instrument, language: str, replies: list[str]
) -> None:
    state = State()
    for reply in replies:
        result = step(state, reply, instrument, language)
        assert result.replies, "every inbound text gets an answer"
        assert all(message.strip() for message in result.replies)
        state = result.state
        _assert_valid(state, instrument)


@settings(max_examples=100, deadline=None)
@given(replies=st.lists(st.sampled_from(["1", "3", "50", "BACK", "ok"]), max_size=30))
def test_completed_conversation_has_every_item_answered(replies: list[str]) -> None:
    instrument, state = eq5d(), State()
    for reply in ["1", *replies]:
        result = step(state, reply, instrument, "en")
        state = result.state
        for event in result.events:
            if event.kind == "completed":
                assert set(state.answers) == {item.id for item in instrument.items}
