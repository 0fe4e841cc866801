"""Operations banners on every staff page: a red one when no scheduler is running."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext

from pro_service.core import clock
from pro_service.core.heartbeat import scheduler_silence
from pro_service.dashboard.base import BANNERS
from pro_service.staff.models import Role, StaffUser

WHO_SEES = frozenset({Role.ADMIN, Role.SAFETY_OFFICER})


def scheduler_banner(user: StaffUser) -> list[tuple[str, str]]:
    """Admins and safety officers are told at once when every scheduler process has stopped."""
    if user.role not in WHO_SEES:
        return []
    silence = scheduler_silence(clock.now())
    if silence is None:
        return []
    if silence == timedelta.max:
        return [("error", gettext("No scheduler has ever run: invitations, reminders, staff alert "
                                  "SMS and escalations are not being sent. Start the scheduler."))]
    return [("error", gettext("No scheduler has run for %(minutes)d minutes: invitations, reminders, "
                              "staff alert SMS and escalations are not being sent. Restart the "
                              "scheduler.", minutes=int(silence.total_seconds() // 60)))]


BANNERS.append(scheduler_banner)
