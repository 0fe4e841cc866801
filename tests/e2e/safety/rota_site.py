"""Site 302 with five alert-receiving staff and a day/night weekday rota (shared set-up)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pro_service.safety import rota

MON_1750 = datetime(2027, 1, 4, 9, 50, tzinfo=UTC)  # Monday 17:50 in Shanghai
ROLES = {"other": "coordinator", "day": "coordinator", "night": "coordinator",
         "inv": "investigator", "desk": "safety_officer"}


def site_302_with_rota(make_site: Callable[..., Any], make_staff: Callable[..., Any],
                       phones: dict[str, str]) -> dict[str, Any]:
    """Staff by name (`ROLES`, alert phones from `phones`); "day" is on call 08–18 and "night"
    18–08, Monday to Friday."""
    make_site("302")
    people = {name: make_staff(role, alert_phone=phones[name]) for name, role in ROLES.items()}
    s302 = rota.site_by_code("302")
    for name, start, end in (("day", "08:00", "18:00"), ("night", "18:00", "08:00")):
        rota.add_shift(site=s302, staff=people[name].user, weekdays="mon-fri", start=start,
                       end=end, now=MON_1750)
    return people
