"""zh-CN texts of the audit log page."""

ZH = {
    "Action": "操作",
    "Actor": "操作者",
    "After": "之后",
    "Before": "之前",
    "Before and after": "变更前后",
    "Chain broken at event %(id)s after %(n)d good events: %(why)s": "链在事件 %(id)s 处断裂（之前 %(n)d 个事件正常）：%(why)s",
    "Chain intact: %(n)d events checked.": "哈希链完整：已检查 %(n)d 个事件。",
    "Field": "字段",
    "Filter the audit log": "筛选审计日志",
    "From (UTC date)": "起始（UTC 日期）",
    "Newer": "较新",
    "No events.": "没有事件。",
    "Older": "较早",
    "Participant": "受试者",
    "To (UTC date)": "截止（UTC 日期）",
    "Verify the chain": "校验哈希链",
}
