"""zh-CN texts of the caregivers pages (issue 12)."""

ZH = {
    "Caregivers": "照护者",
    "Caregivers of %(id)s": "%(id)s 的照护者",
    "Texts from a registered caregiver's phone are read as reports about the participant: alerts "
    "say who reported them and the advice goes to the caregiver. A caregiver may answer the symptom "
    "check, never the EQ-5D or CLDQ.":
        "已登记照护者手机发来的短信按受试者本人的情况处理：警报会注明报告人，处理建议发给照护者。照护者可以代答症状自查，但不能代答 EQ-5D 或 CLDQ。",
    "in use": "使用中",
    "no longer in use": "已停用",
    "Phone": "手机",
    "Consent date": "知情同意日期",
    "Registered": "登记时间",
    "No caregiver is registered.": "尚未登记照护者。",
    "Register a caregiver": "登记照护者",
    "Relation to the participant": "与受试者的关系",
    "Mobile phone": "手机号码",
    "Register": "登记",
    "Caregivers and their phones": "照护者及其手机",
    "Caregiver registered.": "照护者已登记。",
    "A reason of at least 3 characters is required.": "请填写至少 3 个字的原因。",
    "Caregiver deactivated.": "照护者已停用。",
}
