"""Fold an SMS reply to a comparable form: NFKC, case-folded, trimmed of punctuation.

Folding also reads what a phone may add to or put instead of a plain character: traditional
characters of the words replies use (選 -> 选, 沒有 -> 没有, 對 -> 对), digits drawn in circles
that NFKC leaves alone ("❸", "➌") and the marks that turn a digit or sign into an emoji (the
keycap of "3️⃣", variation selectors); chat stickers written as text ("[微笑]") at its ends.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_APOSTROPHES = {0x2018: "'", 0x2019: "'", 0x02BC: "'"}
# Traditional forms of the characters replies are made of (answers, option words, keywords,
# yes/no, start and confirm words): each has one simplified form. 參 is left out: as a numeral
# it is 叁 (numerals.py reads it), elsewhere 参.
_TRADITIONAL = str.maketrans(
    "選擇對沒無輕嚴從來時間爾幾經總個題後暫訂閱幫開確認誤問還點兒過謝們應該貳號項說説錯會給種級"
    "檔條難麼樣這覺為約嗎準備繼續醫護師請離夠聽寫數頭發現兩陸萬煩務歡樂讓處氣裏喚動顧擔慮"
    "憂鬱願乾淨單極",
    "选择对没无轻严从来时间尔几经总个题后暂订阅帮开确认误问还点儿过谢们应该贰号项说说错会给种级"
    "档条难么样这觉为约吗准备继续医护师请离够听写数头发现两陆万烦务欢乐让处气里唤动顾担虑"
    "忧郁愿干净单极",
)
# Circled digits NFKC does not fold ("❸", "➂", "➌", "⓷"); "①" and "⑶" it folds itself.
_CIRCLED = {
    start + n: str(n + 1) for start in (0x2776, 0x2780, 0x278A, 0x24F5) for n in range(10)
} | {0x24FF: "0"}
# A keycap ("3️⃣") and variation selectors only dress the character before them.
_DRESSING = dict.fromkeys((0x20E3, 0xFE0E, 0xFE0F))
_FOLD = {**_APOSTROPHES, **_CIRCLED, **_DRESSING}
# Chat-app stickers a phone may send as text ("[微笑]", "[抱拳]", "[玫瑰]"), at either end of a
# reply; only friendly ones, so a sticker that reports how one feels ("[生病]") is kept.
_STICKER_NAMES = (
    "微笑|憨笑|愉快|呲牙|可爱|调皮|偷笑|害羞|得意|坏笑|笑脸|嘿哈|机智|耶|加油|好的|抱拳|合十|"
    "握手|强|胜利|ok|爱心|心|玫瑰|鲜花|拥抱|鼓掌|庆祝|太阳|咖啡|福|礼物|红包|比心"
)
_STICKERS = re.compile(
    rf"^(?:\s*\[(?:{_STICKER_NAMES})\])+|(?:\[(?:{_STICKER_NAMES})\]\s*)+$"
)
# Characters kept at the start of a reply because they change its meaning ("-1", ".5", and
# "~75", "≈75": about 75, a hedge).
_KEEP_LEADING = frozenset("+-.~≈")


def _is_edge_noise(char: str) -> bool:
    """Whitespace, punctuation, symbols and controls that may surround a reply."""
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def fold(text: str) -> str:
    """Return `text` in NFKC (full-width to ASCII), case-folded, simplified, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    folded = folded.translate(_TRADITIONAL)
    bare = _STICKERS.sub("", folded)
    return _SPACES.sub(" ", bare if bare.strip() else folded).strip()


def trim(text: str, keep_leading: bool = False) -> str:
    """Strip surrounding punctuation, symbols and spaces; maybe keep a leading sign and a
    trailing "+"."""
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        if keep_leading and text[start] in _KEEP_LEADING:
            break
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        if keep_leading and text[end - 1] == "+":  # "75+": 75 or more, a hedge
            break
        end -= 1
    return text[start:end].strip()


def normalise(text: str, keep_leading: bool = False) -> str:
    """Fold and trim a reply: "Ｓｔｏｐ!" and " stop. " both become "stop"."""
    return trim(fold(text), keep_leading=keep_leading)


_PARTS = re.compile(r"[\s,.!;:，。！；：、]+")


def parts(folded: str) -> list[str]:
    """The pieces of a normalised reply between spaces and punctuation ("好的，开始" -> 好的, 开始)."""
    return [part for part in _PARTS.split(folded) if part]


_LONGEST_REPEATED = 40


def once(folded: str) -> str:
    """`folded` said once when it is one word said again and again ("对对对", "没有，没有",
    "yes yes" -> 对, 没有, yes), else `folded` as it is."""
    bare = "".join(parts(folded))
    if len(bare) > _LONGEST_REPEATED:
        return folded
    for size in range(1, len(bare) // 2 + 1):
        if len(bare) % size == 0 and bare == bare[:size] * (len(bare) // size):
            return bare[:size]
    return folded
