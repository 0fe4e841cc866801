"""zh-CN texts of the clinic pages: in-clinic sessions, paper transcription, queued send times."""

ZH = {
    "In clinic and paper": "门诊填写与纸质问卷",
    "In clinic and paper: %(id)s": "门诊填写与纸质问卷：%(id)s",
    "Start in clinic opens the questionnaire on this device in the participant's language, for your "
    "login only; hand the device over and let the participant answer alone. You are recorded as "
    "facilitator.": "“门诊填写”会在本设备上以受试者的语言打开问卷，仅限您的登录使用；请将设备交给受试者独立作答。系统会记录您为协助人员。",
    "in progress": "进行中",
    "complete": "已完成",
    "missed": "缺失",
    "missed before enrolment": "入组前已错过",
    "cancelled": "已取消",
    "Paper form entered once by %(name)s: awaiting the second entry by another person.":
        "纸质问卷已由 %(name)s 录入一次：等待另一人进行第二次录入。",
    "Start in clinic": "门诊填写",
    "Enter a paper form": "录入纸质问卷",
    "Every occasion is answered or cancelled.": "所有随访均已作答或已取消。",
    "Window: %(from)s – %(to)s. A date outside it needs a reason.":
        "窗口：%(from)s – %(to)s。窗口外的日期需要填写原因。",
    "Second entry: type the form again without looking at the first entry (by %(name)s). Both must "
    "agree.": "第二次录入：请在不查看第一次录入（%(name)s）的情况下重新录入。两次录入必须一致。",
    "The two entries differ. Nothing has been stored. Check the paper form, correct your entry and "
    "tick “I checked the paper form” to store your values.":
        "两次录入不一致，尚未保存任何数据。请核对纸质问卷，修改您的录入，并勾选“我已核对纸质问卷”以保存您的录入。",
    "Field": "字段",
    "First entry": "第一次录入",
    "Your entry": "您的录入",
    "Date the participant filled it in": "受试者填写日期",
    "Reason (when the date is outside the window)": "原因（日期在窗口外时填写）",
    "no": "否",
    "yes": "是",
    "Double entry: keep this until a second person enters the same form":
        "双人录入：保留本次录入，直到另一人录入同一份问卷",
    "I checked the paper form: store my values": "我已核对纸质问卷：保存我的录入",
    "Save the paper form": "保存纸质问卷",
    "Cancel": "取消",
    "Paper form stored.": "纸质问卷已保存。",
    "First entry kept: another person must now enter the same form.":
        "已保留第一次录入：现在需要另一人录入同一份问卷。",
    "Choose an occasion.": "请选择随访。",
    "Start in clinic or enter a paper form": "门诊填写或录入纸质问卷",
    "Queued messages": "待发送短信",
    "Messages wait outside the participant's quiet hours (%(start)s–%(end)s, %(zone)s).":
        "短信会避开受试者的免打扰时段（%(start)s–%(end)s，%(zone)s）发送。",
    "goes out %(at)s": "将于 %(at)s 发送",
    "held for quiet hours": "因免打扰时段暂缓",
    "Nothing is waiting to be sent.": "没有待发送的短信。",
}
