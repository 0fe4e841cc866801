"""Parse one SMS reply as the answer to one questionnaire item (DESIGN §5).

Accepted forms, by response type:

- choice: an option word, i.e. any `Choice.label` or `Choice.words` entry matched after
  case and width folding (the participant's language wins when languages disagree), else
  the option code as a digit ("3"), a full-width digit ("３") or a Chinese numeral
  ("三", "叁"), optionally followed by 分 ("3分").
- integer (EQ VAS): a whole number in [minimum, maximum] (0-100 when unset), as digits,
  full-width digits or a Chinese numeral ("七十五"), optionally followed by 分.
- yes_no: 是/有/对/y/yes and 否/没有/无/不是/n/no and close variants, also followed by words
  that only repeat or soften the answer (`polarity.yes_or_no`).
- free_text: any non-empty text; 无/没有/no/none and similar, and a plain no with only
  courtesy after it ("没有，谢谢", "no thanks"), mean "nothing to add" (value None).

Numbers may also be English words ("seven", "seventy-five"). A lone answer wrapped in a few
words ("我选2", "我选了3", "答案：3", "2吧，谢谢", "I choose seven", "3 please") or named by its
place ("第三个", "the third one") is understood (`wrappers.unwrap`); words that make it
approximate or negate it ("大概75", "about 75", "不选3") are not taken off. An option given by
its number and its words ("2 轻微困难", "slight (2)") is that option, or AMBIGUOUS when they differ;
a reply holding two candidate numbers ("2或3", "2 or 3") is `AMBIGUOUS` and asked again,
never guessed; one number said twice ("3 3", "三，三") is that number. On a VAS, a percentage
("百分之七十五", "75%") is the number and full marks ("满分") the maximum. A yes/no item does not
take a reply only about today ("现在没有了"): it asks about the time since the last check-in.
Anything else that is not exactly an answer stays not understood.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from pro_service.instruments.domain.definitions import Item, ResponseType
from pro_service.sms.domain.labels import short_label
from pro_service.sms.domain.normalise import normalise
from pro_service.sms.domain.numerals import chinese_to_int, english_to_int
from pro_service.sms.domain.polarity import yes_or_no
from pro_service.sms.domain.texts import language_of
from pro_service.sms.domain.wrappers import number_candidates, unwrap

AnswerValue = int | bool | str | None

_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FULLWIDTH_DIGITS = frozenset("０１２３４５６７８９")
_NOTHING = frozenset(
    {
        "无",
        "没有",
        "没",
        "没了",
        "没有了",
        "无其他",
        "暂时没有",
        "没有其他",
        "没有其他的",
        "无其他不适",
        "没有别的",
        "没别的",
        "没有不舒服",
        "一切正常",
        "都挺好",
        "都好",
        "nothing else",
        "nothing more",
        "all good",
        "no",
        "none",
        "nothing",
        "n/a",
        "na",
        "nil",
    }
)


class How(StrEnum):
    """How a reply was understood; stored with the answer as its provenance."""

    DIGIT = "digit"
    FULLWIDTH_DIGIT = "fullwidth_digit"
    CHINESE_NUMERAL = "chinese_numeral"
    ENGLISH_NUMBER = "english_number"
    OPTION_WORD = "option_word"
    YES_NO_WORD = "yes_no_word"
    FREE_TEXT = "free_text"
    NOTHING_TO_ADD = "nothing_to_add"


class Problem(StrEnum):
    EMPTY = "empty"
    NOT_UNDERSTOOD = "not_understood"
    OUT_OF_RANGE = "out_of_range"
    AMBIGUOUS = "ambiguous"  # two or more candidate answers in one reply


@dataclass(frozen=True)
class ParsedAnswer:
    value: AnswerValue
    raw: str
    how: How


@dataclass(frozen=True)
class ParseError:
    problem: Problem
    raw: str
    candidates: tuple[str, ...] = ()  # AMBIGUOUS: the answers the reply held


def parse(item: Item, text: str, language: str) -> ParsedAnswer | ParseError:
    """Read `text` as an answer to `item`, or say why it cannot be one."""
    folded = normalise(text, keep_leading=True)
    if not folded:
        return ParseError(Problem.EMPTY, text)
    if item.type is ResponseType.FREE_TEXT:
        return _free_text(text, folded)
    direct = _typed(item, text, folded, language)
    if isinstance(direct, ParsedAnswer):
        return direct
    core = unwrap(_without_item_name(item, folded), days=item.type is not ResponseType.YES_NO)
    if item.type is ResponseType.CHOICE:
        labelled = _number_with_label(item, text, core, language)
        if labelled is not None:  # "2 轻微困难", "slight (2)": the number and its option's words
            return labelled
    if item.type is not ResponseType.YES_NO:
        candidates = number_candidates(core)
        if len(candidates) > 1 and not _repeated(item, text, core, candidates):
            return ParseError(Problem.AMBIGUOUS, text, tuple(candidates))
        if len(candidates) > 1:  # "3 3", "三，三": one answer said twice
            core = candidates[0]
    if core and core != folded:
        wrapped = _typed(item, text, core, language)
        if isinstance(wrapped, ParsedAnswer) or wrapped.problem is Problem.OUT_OF_RANGE:
            return wrapped
    return direct


_NAME_SEPARATORS = " :：,，.。、=是"  # not "-": "健康 -5" stays a negative number


def _without_item_name(item: Item, folded: str) -> str:
    """The reply without the item's own short name before the answer ("行动 2", "pain: 3",
    "呕血黑便：没有"), as the read-back names it; another item's name stays."""
    for language in ("zh-CN", "en"):
        name = short_label(item.id, language)
        if name and folded.startswith(name) and len(folded) > len(name):
            rest = folded[len(name):]
            if rest[0] in _NAME_SEPARATORS or language == "zh-CN":
                return rest.lstrip(_NAME_SEPARATORS) or folded
    return folded


_REPEAT_SEPARATORS = frozenset(" ,，.。、")


def _repeated(item: Item, raw: str, core: str, candidates: list[str]) -> bool:
    """The reply is one number said again and again ("3 3", "75，75"), and nothing else. On a
    VAS a digit said twice ("5 5") may be 55 split by a space: it is not taken."""
    if item.type is ResponseType.INTEGER and len(candidates[0]) == 1:
        return False
    values = {_number(raw, candidate) for candidate in candidates}
    if len(values) != 1 or None in values:
        return False
    rest = core
    for candidate in candidates:
        rest = rest.replace(candidate, "", 1)
    return set(rest) <= _REPEAT_SEPARATORS


def _typed(item: Item, raw: str, folded: str, language: str) -> ParsedAnswer | ParseError:
    if item.type is ResponseType.CHOICE:
        return _choice(item, raw, folded, language)
    if item.type is ResponseType.INTEGER:
        return _integer(item, raw, folded)
    return _yes_no(raw, folded)


def integer_range(item: Item) -> tuple[int, int]:
    """The inclusive bounds of an integer item; the EQ VAS range when it sets none."""
    low = 0 if item.minimum is None else item.minimum
    high = 100 if item.maximum is None else item.maximum
    return low, high


def _number(raw: str, folded: str) -> tuple[int, How] | None:
    if _INTEGER.fullmatch(folded):
        how = How.FULLWIDTH_DIGIT if _FULLWIDTH_DIGITS.intersection(raw) else How.DIGIT
        return int(folded), how
    value = chinese_to_int(folded)
    if value is not None:
        return value, How.CHINESE_NUMERAL
    value = english_to_int(folded)
    return None if value is None else (value, How.ENGLISH_NUMBER)


def _choice(
    item: Item, raw: str, folded: str, language: str
) -> ParsedAnswer | ParseError:
    code = _option_words(item, language).get(folded)
    if code is not None:  # words first: an option may be named "十分" (extremely)
        return ParsedAnswer(code, raw, How.OPTION_WORD)
    number = _number(raw, folded.removesuffix("分").strip())
    if number is None:
        return ParseError(Problem.NOT_UNDERSTOOD, raw)
    value, how = number
    if value not in {choice.code for choice in item.choices}:
        return ParseError(Problem.OUT_OF_RANGE, raw)
    return ParsedAnswer(value, raw, how)


# An option's number with its words, either way round: "2 轻微困难", "2. slight", "slight (2)"
_NUMBERED = (re.compile(r"(?P<number>[0-9]+|[一二三四五六七]|(?:one|two|three|four|five|six|seven)\b)"
                        r"\s*[.、:)\-]?\s*(?P<words>[^\s0-9.、:)\-].*)"),
             re.compile(r"(?P<words>.*[^\s0-9(\-])\s*[(\-]?\s*(?P<number>[0-9]+)\)?"))


def _number_with_label(item: Item, raw: str, core: str, language: str
                       ) -> ParsedAnswer | ParseError | None:
    """The option a reply names twice, by number and by words; two different options are
    AMBIGUOUS (both named back); None when the reply is not a number with words."""
    found_any = [found for pattern in _NUMBERED if (found := pattern.fullmatch(core))]
    words = _option_words(item, language) if found_any else {}
    for found in found_any:
        number = _number(raw, found["number"])
        code = words.get(unwrap(found["words"].strip()))
        if number is None or code is None:
            continue
        if number[0] == code:
            return ParsedAnswer(code, raw, number[1])
        return ParseError(Problem.AMBIGUOUS, raw, (found["number"], found["words"].strip()))
    return None


def _option_words(item: Item, language: str) -> dict[str, int]:
    """Map each folded label and extra word to its code, own language first."""
    preferred = language_of(language)
    others = {
        lang for choice in item.choices for lang in (*choice.label, *choice.words)
    }
    languages = [preferred, *sorted(others - {preferred})]
    lookup: dict[str, int] = {}
    for lang in languages:
        for choice in item.choices:
            words = (choice.label.get(lang, ""), *choice.words.get(lang, ()))
            for word in filter(None, (_option_word(w) for w in words)):
                lookup.setdefault(word, choice.code)
    return lookup


@functools.lru_cache(maxsize=4096)
def _option_word(word: str) -> str:
    """An option word folded once, not on every reply (the questionnaires' words are few)."""
    return normalise(word)


# Words for the top of a scale ("满分", "百分之百": full marks, a hundred per cent)
_TOP = frozenset({"满分", "百分之百", "百分百"})


def _integer(item: Item, raw: str, folded: str) -> ParsedAnswer | ParseError:
    low, high = integer_range(item)
    if folded in _TOP:
        return ParsedAnswer(high, raw, How.CHINESE_NUMERAL)
    number = _number(raw, folded.removesuffix("分").strip())
    if number is None:
        return ParseError(Problem.NOT_UNDERSTOOD, raw)
    value, how = number
    if not low <= value <= high:
        return ParseError(Problem.OUT_OF_RANGE, raw)
    return ParsedAnswer(value, raw, how)


def _yes_no(raw: str, folded: str) -> ParsedAnswer | ParseError:
    value = yes_or_no(folded)
    if value is None:
        return ParseError(Problem.NOT_UNDERSTOOD, raw)
    return ParsedAnswer(value, raw, How.YES_NO_WORD)


def _free_text(raw: str, folded: str) -> ParsedAnswer:
    # "没有，谢谢", "no thanks", "nope", "没事": a no with nothing after it is nothing to add
    if folded in _NOTHING or yes_or_no(folded) is False or unwrap(folded, days=False) in _NOTHING:
        return ParsedAnswer(None, raw, How.NOTHING_TO_ADD)
    return ParsedAnswer(raw.strip(), raw, How.FREE_TEXT)
