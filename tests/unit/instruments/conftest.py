"""Each test loads value sets afresh, so a test exercises the loader, not a cached result."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pro_service.instruments.domain import value_sets


@pytest.fixture(autouse=True)
def _fresh_value_sets() -> Iterator[None]:
    value_sets.get_value_set.cache_clear()
    value_sets._manifest.cache_clear()
    yield
    value_sets.get_value_set.cache_clear()
    value_sets._manifest.cache_clear()
