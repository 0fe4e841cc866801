"""The data dictionary: every variable of every dataset, with labels, types, codes and derivations.

The columns of each dataset are read from here (CSV headers, JSON keys, XPT labels, OpenAPI
docs), so a variable cannot be exported without a dictionary entry. Datasets whose columns come
from the questionnaires (wide, QS test codes) are built from the loaded instruments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pro_service.instruments.domain.definitions import Instrument, ResponseType

# Missing-data codes of the item-level and wide datasets (value left empty, code says why).
MISSING_CODES: dict[str, tuple[str, str]] = {
    "NOT_DUE": ("not due yet: the window had not closed at the data cut", "尚未到期：截止时窗口未关闭"),
    "MISSED": ("missed: window closed with no answers", "缺失：窗口关闭时无回答"),
    "PARTIAL": ("partial: window closed with some answers kept, not this one",
                "部分完成：窗口关闭时仅保留部分回答"),
    "NOT_ANSWERED": ("left blank in a complete response (optional item)", "完整问卷中未作答的选答题"),
    "WITHDRAWN": ("participant withdrawn before this occasion", "受试者已在此之前退出"),
    "MISSED_BEFORE_ENROLMENT": ("window closed before the participant was enrolled",
                                "窗口在受试者入组前已关闭"),
    "CANCELLED": ("occasion cancelled (not a withdrawal)", "随访已取消（非退出）"),
}
OCCASION_STATES: dict[str, tuple[str, str]] = {
    "COMPLETE": ("completed", "已完成"), **MISSING_CODES,
}
YES_NO = {"Y": ("Yes", "是"), "N": ("No", "否")}
CHANNELS = {"sms": ("SMS chatbot", "短信对话"), "web": ("web form", "网页问卷"),
            "staff": ("entered by staff", "工作人员录入"), "clinic": ("in clinic", "门诊填写"),
            "paper": ("paper, transcribed", "纸质问卷转录")}


@dataclass(frozen=True)
class Variable:
    name: str
    label_en: str
    label_zh: str
    type: str  # string | integer | float | boolean | date | datetime
    codes: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # code -> (en, zh)
    unit: str = ""
    derivation: str = ""
    instrument: str = ""
    instrument_version: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    label_en: str
    label_zh: str
    variables: tuple[Variable, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)


def _v(name: str, en: str, zh: str, kind: str = "string", **kw: object) -> Variable:
    return Variable(name, en, zh, kind, **kw)  # type: ignore[arg-type]


SUBJECT = (
    _v("study_id", "Participant study id (pseudonymous)", "受试者研究编号（化名）"),
    _v("site", "Site code", "中心编号"),
)
COMPLETION = (
    _v("completed_at_utc", "First submission time (UTC)", "首次提交时间（UTC）", "datetime",
       derivation="time of the occasion's first submitted version; corrections keep it"),
    _v("completed_at_local", "First submission time, participant's local time with offset",
       "首次提交时间（受试者当地时间，含时区偏移）", "datetime"),
    _v("study_day", "Study day of completion (baseline date = day 1)", "完成的研究日（基线日为第1天）",
       "integer", unit="day", derivation="SDTMIG v3.4 §4.4.4: date - baseline + 1 on or after "
       "baseline, date - baseline before; no day 0"),
)

SCORES = Dataset("scores", "Long-format scores", "长格式评分", (
    *SUBJECT,
    _v("timepoint", "Protocol timepoint code", "方案时间点代码"),
    _v("target_date", "Target date of the timepoint", "时间点目标日期", "date"),
    *COMPLETION,
    _v("completed_on", "Local date of completion (for paper: the date written on the form)",
       "完成日期（受试者当地日期；纸质问卷为表上填写的日期）", "date",
       derivation="electronic channels: local date of completed_at; paper: the date given at "
       "transcription, and then completed_at_utc/local stay empty and study_day and in_window "
       "follow this date"),
    _v("in_window", "Completed inside the window", "是否在窗口内完成", "boolean",
       derivation="opens_at <= completed_at_utc < closes_at (paper: first window day <= "
       "completed_on <= last window day)"),
    _v("channel", "Channel of the first submission", "首次提交渠道", codes=CHANNELS),
    _v("instrument", "Instrument code", "量表代码"),
    _v("scale", "Scale code", "评分代码", codes={
        "EQ5D_INDEX": ("EQ-5D-5L index (value set of algorithm_id)", "EQ-5D-5L 指数"),
        "EQ5D_LSS": ("EQ-5D-5L level-sum score 5-25", "EQ-5D-5L 水平总分"),
        "EQ5D_VAS": ("EQ VAS 0-100", "EQ VAS 0-100"),
        **{f"CLDQ_{d}": (f"CLDQ domain {d} mean", f"CLDQ {d} 维度均分")
           for d in ("AS", "FA", "SY", "AC", "EM", "WO")},
        "CLDQ_OVERALL": ("CLDQ overall: mean of the six domain means", "CLDQ 总分：六个维度均分的均值"),
    }),
    _v("value", "Score value", "评分值", "float",
       derivation="EQ5D_INDEX: 1 - decrements of the value set named by algorithm_id "
       "(default eq5d5l China 2017, Luo et al.); CLDQ domains: mean of answered items when at "
       "least half are answered (project half rule), overall only when all six domains exist"),
    _v("algorithm_id", "Scoring algorithm and value set id", "评分算法及价值集编号"),
    _v("baseline_flag", "Baseline record", "基线记录标记", codes={"Y": ("baseline record", "基线")},
       derivation="Y on the score of the BL timepoint (the protocol's pre-infusion baseline visit)"),
    _v("baseline_value", "Same scale at baseline", "同一评分的基线值", "float"),
    _v("change_from_baseline", "Change from baseline", "相对基线的变化", "float",
       derivation="value - baseline_value on post-baseline records; empty at baseline "
       "(ADaM IG v1.1 §3.3.4); rounded to 6 places"),
    _v("response_version", "Response version (above 1 after a correction)", "回答版本（更正后大于1）",
       "integer"),
))

ITEMS = Dataset("items", "Item-level answers of every instrument", "所有量表的逐题回答", (
    *SUBJECT,
    _v("timepoint", "Protocol timepoint code", "方案时间点代码"),
    _v("target_date", "Target date of the timepoint", "时间点目标日期", "date"),
    _v("instrument", "Instrument code", "量表代码"),
    _v("instrument_version", "Questionnaire file version", "问卷文件版本"),
    _v("item_id", "Item id", "题目编号"),
    _v("item_order", "Position of the item in the questionnaire", "题目序号", "integer"),
    _v("value", "Answer as coded (empty when missing_code is set)", "回答编码（有缺失代码时为空）",
       derivation="choice: option code; integer: the number; yes/no: Y or N; free text as typed"),
    _v("value_label_en", "English label of the coded answer", "回答编码的英文标签"),
    _v("missing_code", "Why the value is empty", "缺失原因代码", codes=MISSING_CODES,
       derivation="from the occasion's window, enrolment and withdrawal times and the response "
       "as they stood at the data cut (as_of)"),
    _v("occasion_status", "Occasion outcome at the data cut", "截止时的随访结果", codes=OCCASION_STATES),
    _v("channel", "Channel of the first submission", "首次提交渠道", codes=CHANNELS),
    _v("reporter", "Who answered", "回答者", codes={"self": ("participant", "受试者本人"),
                                                  "caregiver": ("registered caregiver", "登记的照护者")}),
    *COMPLETION,
    _v("response_version", "Response version (above 1 after a correction)", "回答版本（更正后大于1）",
       "integer"),
    _v("sms_reply", "SMS: the reply as sent", "短信：原始回复",
       derivation="provenance of answers given by SMS"),
    _v("sms_read_as", "SMS: how the reply was read", "短信：回复的解析方式"),
    _v("sms_message_sid", "SMS: provider message id of the reply", "短信：回复的服务商消息编号"),
))

SAFETY = Dataset("safety", "Safety listing: every alert", "安全性列表：所有警报", (
    _v("alert_code", "Alert code", "警报编号"),
    *SUBJECT,
    _v("source", "What raised the alert", "警报来源", codes={
        "free_text": ("free text screened", "自由文本筛查"),
        "structured": ("symptom check answer", "症状问卷回答"),
        "score_rule": ("score rule", "评分规则")}),
    _v("category", "Symptom category", "症状类别"),
    _v("urgency", "Urgency", "紧急程度", codes={
        "emergency": ("emergency", "紧急"), "urgent": ("urgent", "加急"), "routine": ("routine", "常规")}),
    _v("status", "Status at the data cut", "截止时状态", codes={
        "open": ("open", "未处理"), "acknowledged": ("acknowledged", "已确认"),
        "triaged": ("triaged", "已分诊")},
       derivation="triaged if triaged by as_of, else acknowledged if acknowledged by as_of, else open"),
    _v("raised_at_utc", "Raised (UTC)", "警报时间（UTC）", "datetime"),
    _v("acknowledged_at_utc", "Acknowledged (UTC)", "确认时间（UTC）", "datetime"),
    _v("acknowledged_via", "Acknowledged through", "确认方式"),
    _v("triaged_at_utc", "Triaged (UTC)", "分诊时间（UTC）", "datetime"),
    _v("triage", "Triage decision", "分诊结论", codes={
        "not_ae": ("not an adverse event", "非不良事件"), "ae": ("adverse event", "不良事件"),
        "sae": ("serious adverse event", "严重不良事件"), "duplicate": ("duplicate", "重复")}),
    _v("meddra_term", "MedDRA term", "MedDRA 术语"),
    _v("sae_flag", "Serious adverse event", "严重不良事件标记", codes=YES_NO,
       derivation="Y when triage is sae"),
    _v("sae_report_due_at_utc", "SAE report due (UTC), 24 h from awareness",
       "SAE 报告截止（UTC），知悉后24小时", "datetime"),
))

QS_LABELS = {
    "STUDYID": ("Study Identifier", "研究标识符"), "DOMAIN": ("Domain Abbreviation", "域缩写"),
    "USUBJID": ("Unique Subject Identifier", "受试者唯一标识符"), "QSSEQ": ("Sequence Number", "序号"),
    "QSTESTCD": ("Question Short Name", "问题简称"), "QSTEST": ("Question Name", "问题名称"),
    "QSCAT": ("Category of Question", "问题类别"),
    "QSORRES": ("Finding in Original Units", "原始结果"),
    "QSSTRESC": ("Character Result/Finding in Std Format", "标准化字符结果"),
    "QSSTRESN": ("Numeric Finding in Standard Units", "标准化数值结果"),
    "QSBLFL": ("Baseline Flag", "基线标记"), "QSEVLINT": ("Evaluation Interval", "评估区间"),
    "QSEVINTX": ("Evaluation Interval Text", "评估区间文本"),
    "VISITNUM": ("Visit Number", "访视编号"), "VISIT": ("Visit Name", "访视名称"),
    "QSDTC": ("Date/Time of Finding", "结果日期时间"), "QSDY": ("Study Day of Finding", "结果研究日"),
}
_QS_TYPES = {"QSSEQ": "integer", "QSSTRESN": "float", "VISITNUM": "integer", "QSDY": "integer",
             "QSDTC": "datetime"}
_QS_DERIVATIONS = {
    "QSBLFL": "Y on the last non-missing result of each QSTESTCD on or before the date of the "
              "first infusion (infusion_1; the baseline anchor when it is not set)",
    "QSEVLINT": "ISO 8601 duration of the questionnaire's recall period, e.g. -P2W for the CLDQ",
    "QSSTRESN": "numeric exactly when QSSTRESC is a number",
    "QSDTC": "ISO 8601 local date and time of completion",
    "USUBJID": "STUDYID-study_id",
}


def qs_dataset(columns: Iterable[str]) -> Dataset:
    """SDTM QS variables with their SDTMIG labels."""
    return Dataset("qs", "SDTM QS (questionnaires)", "SDTM QS（问卷）", tuple(
        _v(c, *QS_LABELS[c], _QS_TYPES.get(c, "string"), derivation=_QS_DERIVATIONS.get(c, ""))
        for c in columns))


def _item_variable(instrument: Instrument, item_index: int) -> Variable:
    item = instrument.items[item_index]
    codes = {str(c.code): (c.label.get("en", ""), c.label.get("zh-CN", "")) for c in item.choices}
    kind = {ResponseType.CHOICE: "integer", ResponseType.INTEGER: "integer"}.get(item.type, "string")
    if item.type == ResponseType.YES_NO:
        codes = dict(YES_NO)
    unit = f"{item.minimum}-{item.maximum}" if item.type == ResponseType.INTEGER else ""
    return _v(f"{instrument.code}_{item.id}", item.text.get("en", item.id)[:200],
              item.text.get("zh-CN", item.id)[:200], kind, codes=codes, unit=unit,
              instrument=instrument.code, instrument_version=instrument.version)


def wide_dataset(instruments: Mapping[str, Instrument],
                 scales: Mapping[str, tuple[str, ...]]) -> Dataset:
    """One row per participant and timepoint: each instrument's status, scores and items."""
    variables = [*SUBJECT,
                 _v("timepoint", "Protocol timepoint code", "方案时间点代码"),
                 _v("visitnum", "Visit number (protocol order)", "访视编号（方案顺序）", "integer"),
                 _v("target_date", "Target date of the timepoint", "时间点目标日期", "date")]
    scale_codes = SCORES.variables[SCORES.columns.index("scale")].codes
    for code, inst in instruments.items():
        variables += [
            _v(f"{code}_status", f"{code}: outcome at the data cut", f"{code}：截止时结果",
               codes={**OCCASION_STATES, "NOT_SCHEDULED": ("not scheduled at this timepoint",
                                                           "此时间点未安排")}),
            _v(f"{code}_completed_at_utc", f"{code}: first submission (UTC)", f"{code}：首次提交（UTC）",
               "datetime"),
            _v(f"{code}_channel", f"{code}: channel", f"{code}：渠道", codes=CHANNELS),
        ]
        variables += [_v(s, *scale_codes.get(s, (s, s)), "float", instrument=code,
                         derivation="as in the scores dataset (algorithm ids there)")
                      for s in scales.get(code, ())]
        variables += [_item_variable(inst, n) for n in range(len(inst.items))]
    return Dataset("wide", "Wide: one row per participant and timepoint", "宽格式：每位受试者每个时间点一行",
                   tuple(variables))


def dictionary_rows(datasets: Iterable[Dataset]) -> list[dict[str, str]]:
    """One row per variable of every dataset, in dataset and column order."""
    return [{
        "dataset": ds.name, "variable": v.name, "label_en": v.label_en, "label_zh": v.label_zh,
        "type": v.type, "codes": "; ".join(f"{k}={en}/{zh}" for k, (en, zh) in v.codes.items()),
        "unit": v.unit, "derivation": v.derivation, "instrument": v.instrument,
        "instrument_version": v.instrument_version,
    } for ds in datasets for v in ds.variables]


DICTIONARY_COLUMNS = ("dataset", "variable", "label_en", "label_zh", "type", "codes", "unit",
                      "derivation", "instrument", "instrument_version")
