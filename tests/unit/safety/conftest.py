"""A fixture that loads the safety data afresh, so a test exercises the loaders themselves.

The lexicon, cue, catch-all and normalisation tables are loaded once per process
(`functools.cache`). Most tests want that: reloading for each of several hundred tests
would double the suite's time. Loader tests ask for `fresh_loaders` instead, so they read
and compile the JSON files themselves, and leave no cached result behind.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pro_service.safety.domain import catchall, cues, lexicon, normalise


def _clear() -> None:
    lexicon.load_lexicon.cache_clear()
    cues.load_cues.cache_clear()
    catchall.load_net.cache_clear()
    normalise._tables.cache_clear()


@pytest.fixture
def fresh_loaders() -> Iterator[None]:
    _clear()
    yield
    _clear()
