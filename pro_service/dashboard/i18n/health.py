"""zh-CN texts of the operations banners."""

ZH = {
    "No scheduler has ever run: invitations, reminders, staff alert SMS and escalations are not being "
    "sent. Start the scheduler.": "调度程序从未运行：问卷邀请、提醒、工作人员警报短信和升级通知均未发送。请启动调度程序。",
    "No scheduler has run for %(minutes)d minutes: invitations, reminders, staff alert SMS and "
    "escalations are not being sent. Restart the scheduler.":
        "调度程序已停止 %(minutes)d 分钟：问卷邀请、提醒、工作人员警报短信和升级通知均未发送。请重新启动调度程序。",
}
