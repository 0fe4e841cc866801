"""Staff pages: one module per page group over the rooms' services, all on one blueprint.

Importing a page module registers its routes on ``bp``; list each new page module below.
"""

from __future__ import annotations

from pro_service.dashboard.base import bp
from pro_service.dashboard import (  # noqa: F401 - register routes
    admin, alerts, analysts, audit, caregivers, clinic, health, participants, status)

__all__ = ["bp"]
