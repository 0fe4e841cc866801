"""Web form browser fixtures: links and clocks of the integration tests; browser ones in tests/browser.py."""

from __future__ import annotations

from tests.browser import PHONE, settle, shot  # noqa: F401 - used by the browser tests
from tests.integration.webform.conftest import clock_at, link, symptom_link  # noqa: F401 - fixtures
