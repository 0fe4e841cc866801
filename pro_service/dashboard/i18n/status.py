"""zh-CN texts of the record status grid."""

ZH = {
    "%(n)d participants; page %(p)d of %(pages)d.": "共 %(n)d 名受试者；第 %(p)d / %(pages)d 页。",
    "By site": "按中心",
    "Completed": "已完成",
    "Completion rate": "完成率",
    "closed before enrolment": "入组前已关闭",
    "Expected so far": "截至目前应完成",
    "Filter the grid": "筛选表格",
    "Instrument": "量表",
    "Legend": "图例",
    "Missed": "缺失",
    "Open now": "当前开放",
    "Overdue": "逾期",
    "Partial": "部分完成",
    "Participants × timepoints": "受试者 × 时间点",
    "Symptom check": "症状自查",
    "no occasion": "无访视",
}
