"""python -m pro_service.dashboard.i18n: rebuild the dashboard's zh-CN catalogue."""

from pro_service.dashboard.i18n import main

main()
