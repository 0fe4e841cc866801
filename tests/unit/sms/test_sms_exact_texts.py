"""The exact texts participants receive, in Chinese and English, and the edges behind them.

Each prompt, re-prompt and read-back is pinned word for word: a changed separator, hint or
fallback is a changed message on the participant's phone. The rest of the file pins small
rules the conversation relies on: retries reset when the item changes or the chat pauses,
language fallback, number words, wrapper stripping and reply trimming.
"""

from __future__ import annotations

import pytest

from pro_service.instruments.domain.definitions import Choice, Instrument, Item, ResponseType
from pro_service.sms.domain.dialogue import current_prompt, step
from pro_service.sms.domain.normalise import normalise, trim
from pro_service.sms.domain.numerals import chinese_to_int, english_to_int
from pro_service.sms.domain.prompts import allowed, describe, item_prompt, readback, reprompt, start_hint
from pro_service.sms.domain.replies import How, ParsedAnswer, ParseError, Problem, parse
from pro_service.sms.domain.state import AnswerRecord, Phase, State
from pro_service.sms.domain.texts import language_of, localised
from pro_service.sms.domain.wrappers import number_candidates, unwrap
from tests.unit.sms.sms_instruments import cldq, eq5d, symptoms

EQ5D = eq5d()
SYMPTOMS = symptoms()
MOBILITY, VAS = EQ5D.item("MO"), EQ5D.item("VAS")
BLEEDING, OTHER = SYMPTOMS.item("SC_BLEED"), SYMPTOMS.item("SC_OTHER")
CHOICES_ZH = "1 无困难 2 轻微 3 中度 4 严重 5 无法"
CHOICES_EN = "1 no problems, 2 slight, 3 moderate, 4 severe, 5 unable"


def _record(value: object) -> AnswerRecord:
    return AnswerRecord(value, str(value), How.DIGIT)


# -- prompts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "回复1开始填写症状自查，或打开链接：{link}"),
    ("en", "Reply 1 to start the symptom check, or use this link: {link}"),
])
def test_the_start_hint_names_the_questionnaire(language: str, wanted: str) -> None:
    assert start_hint(SYMPTOMS, language) == wanted


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "（6/6）今天健康打分？\n请回复0到100之间的整数。"),
    ("en", "(6/6) Health today?\nReply with a whole number from 0 to 100."),
])
def test_an_integer_item_is_asked_by_its_short_sms_wording_with_its_range(
        language: str, wanted: str) -> None:
    assert item_prompt(EQ5D, 5, language) == wanted


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "（1/3）有出血或黑便吗？\n请回复：是 或 否"),
    ("en", "(1/3) Any bleeding or black stools?\nReply YES or NO."),
])
def test_a_yes_no_item_is_asked_with_the_yes_no_hint(language: str, wanted: str) -> None:
    assert item_prompt(SYMPTOMS, 0, language) == wanted


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "（3/3）还有其他不适吗？（原答案：无）\n请直接回复；没有请回复“无”。"),
    ("en", "(3/3) Anything else? (was: none)\nReply in your own words, or NONE."),
])
def test_a_free_text_item_asked_again_shows_the_earlier_answer(language: str, wanted: str) -> None:
    previous = AnswerRecord(None, "无", How.NOTHING_TO_ADD)
    assert item_prompt(SYMPTOMS, 2, language, previous) == wanted


def test_the_sms_wording_is_preferred_to_the_full_question() -> None:
    assert "今天健康打分？" in item_prompt(EQ5D, 5, "zh-CN")
    assert "0-100分" not in item_prompt(EQ5D, 5, "zh-CN")


@pytest.mark.parametrize(("item", "language", "wanted"), [
    (MOBILITY, "zh-CN", "请回复数字：" + CHOICES_ZH),
    (MOBILITY, "en", "Reply with a number: " + CHOICES_EN),
    (VAS, "zh-CN", "请回复0到100之间的整数。"),
    (VAS, "en", "Reply with a whole number from 0 to 100."),
    (BLEEDING, "zh-CN", "请回复：是 或 否"),
    (BLEEDING, "en", "Reply YES or NO."),
    (OTHER, "zh-CN", "请直接回复；没有请回复“无”。"),
    (OTHER, "en", "Reply in your own words, or NONE."),
])
def test_each_response_type_has_its_own_allowed_answers(item: Item, language: str,
                                                        wanted: str) -> None:
    assert allowed(item, language) == wanted


# -- re-prompts ------------------------------------------------------------------------


@pytest.mark.parametrize(("item", "language", "wanted"), [
    (BLEEDING, "zh-CN", "抱歉，未能识别您的回复。请回复：是 或 否"),
    (BLEEDING, "en", "Sorry, we did not understand your reply. Reply YES or NO."),
    (VAS, "zh-CN", "抱歉，未能识别您的回复。请回复0到100之间的整数。"),
    (VAS, "en", "Sorry, we did not understand your reply. Reply with a whole number from 0 to 100."),
])
def test_a_reply_not_understood_is_answered_with_the_allowed_answers(
        item: Item, language: str, wanted: str) -> None:
    assert reprompt(item, language, offer_link=False) == wanted


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "抱歉，未能识别您的回复。请回复：是 或 否\n如用短信回复不便，可打开链接继续填写：{link}"),
    ("en", "Sorry, we did not understand your reply. Reply YES or NO.\n"
           "If replying by SMS is hard, you can continue on the web: {link}"),
])
def test_the_web_link_is_offered_on_its_own_line(language: str, wanted: str) -> None:
    assert reprompt(BLEEDING, language, offer_link=True) == wanted


@pytest.mark.parametrize(("candidates", "shown"), [
    (("2", "3"), "2, 3"),
    (("1", "2", "3"), "1, 2, 3"),
    (("1", "2", "3", "4"), "1, 2, 3, …"),
    (("1", "2", "3", "4", "5"), "1, 2, 3, …"),
])
def test_an_ambiguous_reply_shows_at_most_three_of_its_answers(candidates: tuple[str, ...],
                                                               shown: str) -> None:
    problem = ParseError(Problem.AMBIGUOUS, "x", candidates)
    count = len(candidates)
    assert reprompt(MOBILITY, "zh-CN", False, problem) == (
        f"您的回复里有{count}个答案（{shown}），请只回复一个。请回复数字：" + CHOICES_ZH)
    assert reprompt(MOBILITY, "en", False, problem) == (
        f"Your reply holds {count} answers ({shown}); please reply with one. "
        "Reply with a number: " + CHOICES_EN)


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "您的回复里有2个答案（2, 3），请只回复一个。请回复数字：" + CHOICES_ZH),
    ("en", "Your reply holds 2 answers (2, 3); please reply with one. Reply with a number: "
           + CHOICES_EN),
])
def test_the_conversation_asks_again_with_the_answers_a_reply_held(language: str,
                                                                   wanted: str) -> None:
    asking = State(phase=Phase.ASKING)
    assert step(asking, "2 or 3", EQ5D, language).replies == (wanted,)


# -- read-back -------------------------------------------------------------------------


def test_an_unanswered_item_is_read_back_as_a_question_mark() -> None:
    answers = {"MO": _record(2)}
    zh = readback(EQ5D, answers, "zh-CN")
    assert zh == ("您的回答：行动 2 · 自理 ? · 日常活动 ? · 疼痛 ? · 焦虑 ? · 健康 ?。"
                  "回复“好”确认提交，回复“上一题”修改。")
    en = readback(EQ5D, answers, "en")
    assert en == ("Your answers: mobility 2, self-care ?, activities ?, pain ?, anxiety ?, "
                  "health ?. Reply OK to submit, or BACK to change.")


def test_a_numbered_group_ends_where_a_labelled_item_follows() -> None:
    numbered = cldq(12)
    mixed = Instrument(
        numbered.code, numbered.version, numbered.title, numbered.license,
        numbered.recall_period, numbered.languages,
        (*numbered.items[:12], MOBILITY, *numbered.items[:2]), numbered.scoring,
    )
    answers = {item.id: _record(1 + n % 7) for n, item in enumerate(numbered.items)}
    answers["MO"] = _record(4)
    assert readback(mixed, answers, "zh-CN") == (
        "您的回答：第1-10题 1-2-3-4-5-6-7-1-2-3 · 第11-12题 4-5 · 行动 4 · 第14-15题 1-2。"
        "回复“好”确认提交，回复“上一题”修改。")
    assert readback(mixed, answers, "en") == (
        "Your answers: Q1-10 1-2-3-4-5-6-7-1-2-3, Q11-12 4-5, mobility 4, Q14-15 1-2. "
        "Reply OK to submit, or BACK to change.")


@pytest.mark.parametrize(("value", "shown"), [
    ("a" * 19, "a" * 19),
    ("a" * 20, "a" * 20),
    ("a" * 21, "a" * 20 + "..."),
    ("头晕" * 15, "头晕" * 10 + "..."),
])
def test_a_free_text_answer_is_read_back_to_twenty_characters(value: str, shown: str) -> None:
    record = AnswerRecord(value, value, How.FREE_TEXT)
    assert describe(OTHER, record, "en") == shown


@pytest.mark.parametrize(("value", "zh", "en"), [
    (None, "无", "none"), (True, "是", "yes"), (False, "否", "no"), (7, "7", "7"),
])
def test_answers_are_described_in_the_participant_s_words(value: object, zh: str, en: str) -> None:
    record = AnswerRecord(value, "x", How.YES_NO_WORD)
    assert (describe(BLEEDING, record, "zh-CN"), describe(BLEEDING, record, "en")) == (zh, en)


# -- conversation states ---------------------------------------------------------------


@pytest.mark.parametrize(("language", "wanted"), [
    ("zh-CN", "本次问卷已完成，谢谢！"), ("en", "This questionnaire is complete. Thank you!"),
])
def test_a_finished_conversation_answers_that_it_is_complete(language: str, wanted: str) -> None:
    done = State(phase=Phase.DONE)
    assert step(done, "1", EQ5D, language).replies == (wanted,)
    assert current_prompt(done, EQ5D, language) == wanted


def test_a_paused_conversation_s_prompt_is_where_it_paused() -> None:
    paused = State(phase=Phase.PAUSED, index=5, resume_phase=Phase.ASKING)
    assert current_prompt(paused, EQ5D, "en") == item_prompt(EQ5D, 5, "en")
    invited = State(phase=Phase.PAUSED, resume_phase=Phase.INVITED)
    assert current_prompt(invited, EQ5D, "en") == start_hint(EQ5D, "en")


def _after(state: State, *texts: str, instrument: Instrument = EQ5D) -> State:
    for text in texts:
        state = step(state, text, instrument, "en").state
    return state


def test_retries_count_again_from_zero_on_the_previous_item() -> None:
    state = _after(State(phase=Phase.ASKING, index=1), "what?", "back")
    assert (state.index, state.retries) == (0, 0)
    # one invalid reply to the new item is a first one: no web link yet
    assert "{link}" not in step(state, "what?", EQ5D, "en").replies[0]


def test_back_on_the_first_item_clears_the_retries() -> None:
    state = _after(State(phase=Phase.ASKING), "what?", "back")
    assert (state.phase, state.index, state.retries) == (Phase.ASKING, 0, 0)


def test_a_pause_clears_the_retries() -> None:
    state = _after(State(phase=Phase.ASKING, index=1), "what?", "later")
    assert state.retries == 0
    resumed = _after(state, "hello")
    assert "{link}" not in step(resumed, "what?", EQ5D, "en").replies[0]


def test_a_valid_answer_to_the_last_item_leaves_no_retries_for_the_read_back() -> None:
    state = _after(State(phase=Phase.ASKING, index=5), "what?", "70")
    assert (state.phase, state.retries) == (Phase.CONFIRMING, 0)


def test_a_completed_conversation_holds_no_retry_count() -> None:
    stored = State(phase=Phase.CONFIRMING, index=6, retries=1)
    assert _after(stored, "ok").retries == 0


# -- languages -------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "chosen"), [
    ("zh-CN", "zh-CN"), ("en", "en"), ("en-GB", "en"), ("EN-us", "en"), ("EN", "en"),
    ("fr", "zh-CN"), ("zh-TW", "zh-CN"), ("", "zh-CN"),
])
def test_any_english_locale_reads_english_and_any_other_chinese(language: str,
                                                                chosen: str) -> None:
    assert language_of(language) == chosen


def test_an_english_locale_gets_the_english_texts() -> None:
    assert start_hint(SYMPTOMS, "en-GB") == start_hint(SYMPTOMS, "en")


@pytest.mark.parametrize(("value", "language", "wanted"), [
    ({"zh-CN": "中", "en": "E"}, "en", "E"),
    ({"zh-CN": "中", "en": "E"}, "fr", "中"),
    ({"en": "E"}, "zh-CN", "E"),
    ({"fr": "F", "en": "E"}, "zh-CN", "E"),
    ({"fr": "F", "zh-CN": "中"}, "en", "中"),
    ({"fr": "F"}, "en", "F"),
    ({}, "en", ""),
])
def test_a_wording_missing_in_the_language_falls_back_to_chinese_then_english_then_any(
        value: dict[str, str], language: str, wanted: str) -> None:
    assert localised(value, language) == wanted


# -- replies ---------------------------------------------------------------------------


def test_nothing_to_add_keeps_the_reply_as_sent() -> None:
    assert parse(OTHER, " 无 ", "zh-CN") == ParsedAnswer(None, " 无 ", How.NOTHING_TO_ADD)


def test_a_yes_no_reply_not_understood_says_so_with_the_reply() -> None:
    assert parse(BLEEDING, "maybe", "en") == ParseError(Problem.NOT_UNDERSTOOD, "maybe")


# Option words that disagree across languages: "same" is option 1 in Chinese, option 2 in
# English; option 2 has no Chinese label at all.
CLASH = Item(
    "CLASH", {"zh-CN": "q", "en": "q"}, {"zh-CN": "q", "en": "q"}, ResponseType.CHOICE,
    choices=(
        Choice(1, {"zh-CN": "same"}, words={"en": ("first",)}),
        Choice(2, {"en": "same"}),
    ),
)


@pytest.mark.parametrize(("language", "code"), [("zh-CN", 1), ("en", 2), ("en-GB", 2)])
def test_the_participant_s_language_wins_when_option_words_disagree(language: str,
                                                                    code: int) -> None:
    parsed = parse(CLASH, "Same", language)
    assert parsed == ParsedAnswer(code, "Same", How.OPTION_WORD)


def test_an_option_without_a_label_in_a_language_has_no_word_there() -> None:
    assert parse(CLASH, "first", "zh-CN") == ParsedAnswer(1, "first", How.OPTION_WORD)
    assert parse(CLASH, "", "zh-CN") == ParseError(Problem.EMPTY, "")
    assert isinstance(parse(CLASH, "xxxx", "en"), ParseError)


# -- numbers and wrappers --------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    ("two hundred", 200), ("nine hundred", 900), ("three hundred and five", 305),
    ("ten hundred", None), ("zero hundred", None), ("twenty hundred", None),
    ("nineteen hundred", None),
])
def test_english_hundreds_take_a_multiplier_from_one_to_nine(text: str, value: int | None) -> None:
    assert english_to_int(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("三十三十", None), ("一百一百", None), ("十十", None), ("一百二十", 120), ("零", 0), ("七", 7),
])
def test_a_chinese_unit_may_not_repeat_or_grow(text: str, value: int | None) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(("text", "core"), [
    ("3please", "3"), ("q3thanks", "q3"), ("7 thanks", "7"), ("option1x", "1x"),
    ("number12", "12"),
    ("谢谢", "谢谢"), ("吧", "吧"), ("选", "选"), ("我选", "我选"), ("选2", "2"),
])
def test_a_wrapper_is_taken_off_only_around_something(text: str, core: str) -> None:
    assert unwrap(text) == core


@pytest.mark.parametrize(("text", "candidates"), [
    ("two or three-ish", ["two", "three"]),
    ("seven- or six", ["seven", "six"]),
    ("2 - 3", ["2", "3"]),
])
def test_number_candidates_lose_their_trailing_dashes_and_spaces(text: str,
                                                                 candidates: list[str]) -> None:
    assert number_candidates(text) == candidates


@pytest.mark.parametrize(("text", "plain", "signed"), [
    ("-1", "1", "-1"), ("...ok", "ok", "...ok"), (" +5!", "5", "+5"), ("?.5", "5", ".5"),
    ("(2)", "2", "2"),
])
def test_a_leading_sign_is_kept_only_when_asked(text: str, plain: str, signed: str) -> None:
    assert normalise(text) == plain
    assert trim(text) == plain
    assert normalise(text, keep_leading=True) == signed
