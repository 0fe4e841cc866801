"""SMS segment counts for GSM-7 and UCS-2 (Chinese) texts."""

from __future__ import annotations

import pytest

from pro_service.messages.domain.segments import Encoding, count_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (Encoding.GSM7, 1)),
        ("a" * 160, (Encoding.GSM7, 1)),
        ("a" * 161, (Encoding.GSM7, 2)),
        ("a" * 306, (Encoding.GSM7, 2)),
        ("a" * 307, (Encoding.GSM7, 3)),
        ("{" * 80, (Encoding.GSM7, 1)),
        ("{" * 81, (Encoding.GSM7, 2)),
        ("a" * 159 + "€", (Encoding.GSM7, 2)),
        ("[]~^|\\{}€", (Encoding.GSM7, 1)),
        ("Reply 1 to start: https://x.test/s/abc", (Encoding.GSM7, 1)),
        ("中" * 70, (Encoding.UCS2, 1)),
        ("中" * 71, (Encoding.UCS2, 2)),
        ("中" * 134, (Encoding.UCS2, 2)),
        ("中" * 135, (Encoding.UCS2, 3)),
        ("a" * 159 + "中", (Encoding.UCS2, 3)),
        ("😀" * 35, (Encoding.UCS2, 1)),
        ("😀" * 36, (Encoding.UCS2, 2)),
        ("é" * 160, (Encoding.GSM7, 1)),
        ("á", (Encoding.UCS2, 1)),
    ],
)
def test_segment_count(text: str, expected: tuple[Encoding, int]) -> None:
    assert count_segments(text) == expected


def test_escape_pair_is_not_split_across_parts() -> None:
    # 152 septets then an extension character: it moves whole to the second part.
    assert count_segments("a" * 152 + "€" + "a" * 152) == (Encoding.GSM7, 3)


def test_surrogate_pair_is_not_split_across_parts() -> None:
    assert count_segments("中" * 66 + "😀" + "中" * 66) == (Encoding.UCS2, 3)
