"""Rebuild the zh_Hans_CN catalog of the web form from messages.pot and the table below.

    pybabel extract -F pro_service/webform/babel.cfg --no-location --sort-output \
        -o pro_service/webform/translations/messages.pot pro_service/webform
    python -m pro_service.webform.translations.zh_catalog
    pybabel compile -d pro_service/webform/translations

A string missing from the table stops the rebuild, naming it.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ZH: dict[str, str | tuple[str, ...]] = {
    "Already sent": "已经提交",
    "Answer them": "去回答",
    "Back": "上一页",
    "Change": "修改",
    "Check your answers": "请核对您的回答",
    "Error": "有错误",
    "If you feel unwell, do not wait for the next questionnaire: contact your study doctor, "
    "or call 120 in an emergency.": "如果您感到不舒服，请不要等到下一次问卷，请联系您的研究医生；紧急情况请拨打120。",
    "Language": "语言",
    "Next": "下一页",
    "No answer": "未回答",
    "Nothing on this page was saved yet.": "本页的回答还没有保存。",
    "Page %(n)d of %(total)d": "第 %(n)d 页，共 %(total)d 页",
    "Please check your answer": "请检查您的回答",
    "Please choose an answer.": "请选择一个答案。",
    "Please choose one of the answers shown.": "请从列出的答案中选择一个。",
    "Please choose the answer that fits you best. There are no right or wrong answers.":
        "请选择最符合您情况的答案。答案没有对错之分。",
    "Please enter a number.": "请输入一个数字。",
    "Please enter a whole number from %(lo)d to %(hi)d.": "请输入 %(lo)d 到 %(hi)d 之间的整数。",
    "Please write at most 2000 characters.": "请不要超过2000个字。",
    "Save and return to review": "保存并返回核对页",
    "Send my answers": "提交我的回答",
    "Skip to content": "跳到正文",
    "Slide to your health today, %(lo)d to %(hi)d": "拖动选择您今天的健康状况，%(lo)d 到 %(hi)d",
    "Some questions have no answer yet.": "还有问题没有回答。",
    "Start": "开始",
    "Study staff: back to the dashboard": "研究人员：返回工作台",
    "Please hand the device back to the study staff.": "请把设备交还给研究人员。",
    "You are answering on the study site's device. Please answer on your own; hand the device "
    "back to the study staff when you have finished.":
        "您正在使用研究中心的设备填写。请您独立作答；完成后请把设备交还给研究人员。",
    "Thank you": "谢谢",
    "Thank you!": "谢谢您！",
    "Thank you. This questionnaire is complete and can no longer be changed.":
        "谢谢。这份问卷已经完成，不能再修改。",
    "The best health you can imagine": "您能想象到的最好的健康状况",
    "The worst health you can imagine": "您能想象到的最差的健康状况",
    "There is %(num)d page.": ("共 %(num)d 页。",),
    "These answers have already been sent": "这份问卷已经提交过了",
    "Time period of the questions: %(period)s.": "问题所指的时间：%(period)s。",
    "Welcome": "欢迎",
    "You can change any answer before you send them. After sending, they cannot be changed.":
        "提交之前，您可以修改任何回答。提交之后就不能再修改了。",
    "You can close this page now.": "现在可以关闭此页面了。",
    "Your answers are saved after every page. You can close this page at any time and open "
    "the link in your text message again to continue.":
        "每一页的回答都会自动保存。您可以随时关闭此页面，之后再次打开短信里的链接继续填写。",
    "Your answers have been sent to the study team.": "您的回答已经发送给研究团队。",
    "Your health today (%(lo)d–%(hi)d)": "您今天的健康状况（%(lo)d–%(hi)d）",
    "page %(n)d": "第 %(n)d 页",
    "question %(n)d": "第 %(n)d 题",
}


def build() -> Catalog:
    """A zh_Hans_CN catalog with every message of the template translated."""
    with (HERE / "messages.pot").open("rb") as f:
        template = read_po(f)
    catalog = Catalog(locale="zh_Hans_CN", project="pro-service", version="1",
                      header_comment="# Simplified Chinese texts of the pro-service web form; "
                                     "rebuilt by zh_catalog.py.",
                      creation_date=template.creation_date, revision_date=template.creation_date,
                      last_translator="pro-service", language_team="pro-service", fuzzy=False)
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key not in ZH:
            missing.append(key)
            continue
        catalog.add(message.id, ZH[key])
    if missing:
        raise SystemExit("no Chinese for: " + "; ".join(missing))
    return catalog


if __name__ == "__main__":
    out = HERE / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        write_po(f, build(), sort_output=True, omit_header=False, width=100)
