"""Symptoms told in other words: one class of wording per test, with its look-alikes.

Each class names a way patients word a red flag without the lexicon's usual phrase
(a bleeding verb, a colour, a simile, a quantity, a behaviour). The positives are
worded differently from the held-out messages that showed the class; the look-alikes
must stay quiet (lexicon.md §4, §5).
"""

from __future__ import annotations

import pytest

from tests.unit.safety.safety_helpers import found

GI_E = {"gi_bleeding": "emergency"}


def _sure(text: str) -> dict[str, str]:
    return found(text)


@pytest.mark.parametrize("text", [
    "上完厕所肛门一直往外滴血",
    "屁股这两天老是渗血",
    "便后冒血，纸上全红了",
    "大便里带着好几块血块",
    "blood trickling into the toilet after a poo",
    "bleeding from my bum every time I go",
    "there were blood clots in the toilet bowl",
])
def test_a_bleeding_verb_with_a_body_site_or_the_toilet_is_a_bleed(text: str) -> None:
    assert _sure(text)["gi_bleeding"] == "emergency"


@pytest.mark.parametrize("text", [
    "今天抽血，针眼那里渗了点血",
    "切菜划到手，滴了几滴血",
    "便后没有滴血",
    "no clots and no blood in the loo",
])
def test_a_bleeding_verb_elsewhere_or_denied_is_no_bleed(text: str) -> None:
    assert "gi_bleeding" not in _sure(text) or _sure(text)["gi_bleeding"] == "routine"


@pytest.mark.parametrize("text", [
    "吐出来的东西暗红暗红的",
    "呕了一些咖啡色的颗粒",
    "was sick and it was full of dark red bits",
    "vomited something brown and gritty",
])
def test_vomit_told_by_colour_or_texture_is_a_bleed(text: str) -> None:
    assert _sure(text) == GI_E


def test_a_vomit_colour_put_down_to_food_is_urgent_never_none() -> None:
    assert _sure("喝了红酒，吐出来红红的") == {"gi_bleeding": "urgent"}


@pytest.mark.parametrize("text", [
    "大便乌黑乌黑的",
    "拉出来的屎像柏油一样",
    "poo is like black treacle",
    "my stools look like tar",
])
def test_stool_told_by_a_dark_word_or_a_simile_is_a_bleed(text: str) -> None:
    assert _sure(text) == GI_E


@pytest.mark.parametrize("text", [
    "黑芝麻糊很好喝",
    "the road was like treacle after the rain",
    "电视剧里那个人拉的屎像柏油一样",
])
def test_a_dark_simile_not_about_the_participant_s_stool_is_no_bleed(text: str) -> None:
    assert "gi_bleeding" not in _sure(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("肚子大得像怀孕七八个月", {"ascites": "urgent"}),
    ("legs puffed up like balloons", {"ascites": "urgent"}),
    ("尿的颜色跟酱油似的", {"jaundice": "urgent"}),
    ("wee looks like strong tea", {"jaundice": "urgent"}),
    ("喘得像拉风箱", {"other": "emergency"}),
    ("胸口像压着块大石头", {"other": "emergency"}),
    ("like a weight sitting on my chest", {"other": "emergency"}),
    ("she went down like a sack of potatoes", {"syncope": "emergency"}),
])
def test_a_simile_for_a_body_state_is_its_symptom(text: str, expected: dict[str, str]) -> None:
    assert _sure(text) == expected


@pytest.mark.parametrize("text", [
    "我女儿怀孕了，肚子大得像西瓜",
    "the stock market went down like a stone",
    "喝了一大杯浓茶",
])
def test_a_simile_about_something_else_is_no_symptom(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("一周重了四斤", {"ascites": "urgent"}),
    ("腰围两天大了三公分", {"ascites": "urgent"}),
    ("gained almost 2 kg this week", {"ascites": "urgent"}),
    ("今天才尿了两次，量很少", {"renal": "urgent"}),
    ("only peed twice since breakfast", {"renal": "urgent"}),
    ("barely a dribble of pee all afternoon", {"renal": "urgent"}),
    ("watery stools 7 times today", {"other": "urgent"}),
])
def test_a_quantity_that_is_itself_the_symptom_is_found(
    text: str, expected: dict[str, str]
) -> None:
    assert _sure(text) == expected


@pytest.mark.parametrize("text", [
    "体重掉了三斤",
    "买了五斤苹果",
    "孩子长了五公分",
    "I lost 3 pounds this week",
    "ran 5 times round the park",
])
def test_a_quantity_that_is_no_symptom_is_quiet(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "urgency"), [
    ("他都不知道今天几号了", "emergency"),
    ("she's losing track of what day it is", "emergency"),
    ("wandering round at night not knowing where he was", "emergency"),
    ("叫他好久才睁眼", "emergency"),
    ("昏昏沉沉的，问他话也不怎么搭理", "emergency"),
    ("drowsy all day and slow to answer", "emergency"),
    ("刚吃过药转头就忘了", "urgent"),
    ("他最近丢三落四的", "urgent"),
    ("脾气变得古怪，老发火", "urgent"),
    ("我老是反应不过来", "urgent"),
    ("he keeps asking the same question over and over", "urgent"),
    ("my hands jerk when I hold them out", "urgent"),
])
def test_confusion_told_as_behaviour_is_encephalopathy(text: str, urgency: str) -> None:
    assert _sure(text)["encephalopathy"] == urgency


@pytest.mark.parametrize("text", [
    "I lost track of time watching the snooker",
    "脾气急，一直这样",
    "I'm not sure what day the next visit is",
])
def test_ordinary_forgetting_or_temper_raises_no_emergency(text: str) -> None:
    assert "emergency" not in _sure(text).values()


@pytest.mark.parametrize(("text", "expected"), [
    ("一站起来眼冒金星", {"syncope": "urgent"}),
    ("feel giddy when I stand up", {"syncope": "urgent"}),
    ("在卫生间一头栽倒，好一会儿才醒", {"syncope": "emergency"}),
    ("走着走着腿一软就跪地上了", {"syncope": "emergency"}),
    ("she slumped to the floor", {"syncope": "emergency"}),
])
def test_dizziness_on_standing_and_a_described_collapse_are_syncope(
    text: str, expected: dict[str, str]
) -> None:
    assert _sure(text) == expected


def test_giddy_with_excitement_is_no_dizziness() -> None:
    assert _sure("giddy with excitement about the trip") == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("这几天整个人都黄了", {"jaundice": "urgent"}),
    ("my husband says I've gone a funny yellow colour", {"jaundice": "urgent"}),
    ("尿尿的时候刺痛", {"infection": "urgent"}),
    ("it stings when I pee", {"infection": "urgent"}),
    ("struggling to catch my breath sitting in my chair", {"other": "emergency"}),
    ("坐着不动都喘", {"other": "emergency"}),
])
def test_jaundice_dysuria_and_breathlessness_in_colloquial_words(
    text: str, expected: dict[str, str]
) -> None:
    assert _sure(text) == expected


@pytest.mark.parametrize("text", [
    "树叶都黄了",
    "the leaves have gone a lovely yellow colour",
    "no stinging when I wee now",
    "it doesn't sting when I pee",
])
def test_colloquial_look_alikes_are_quiet(text: str) -> None:
    assert _sure(text) == {}


def test_a_red_urine_put_down_to_food_is_no_alert() -> None:
    assert _sure("吃了火龙果，尿有点粉红色") == {}
    assert _sure("尿是粉红色的") == {"other": "urgent"}


def test_a_hand_tremor_is_no_shivering() -> None:
    assert _sure("拿碗的时候手直哆嗦") == {"encephalopathy": "urgent"}
    assert _sure("冷得直哆嗦") == {"infection": "urgent"}


@pytest.mark.parametrize(("text", "expected"), [
    ("吐出来的全是红的", {"gi_bleeding": "emergency"}),
    ("肚子胀得老大", {"ascites": "urgent"}),
    ("he got lost in his own home", {"encephalopathy": "emergency"}),
    ("醒来已经躺在地上了", {"syncope": "emergency"}),
    ("拉肚子一晚上七八趟", {"other": "urgent"}),
    ("小便尿得很少", {"renal": "urgent"}),
    ("the tablets are all lined up", {"self_harm": "emergency"}),
    ("freezing cold and shivering", {"infection": "emergency"}),
])
def test_more_wordings_of_the_same_classes(text: str, expected: dict[str, str]) -> None:
    assert _sure(text) == expected


@pytest.mark.parametrize("text", [
    "心里胀得发慌",
    "醒来的时候手机掉在地上",
    "the dog got lost in the woods",
])
def test_more_look_alikes_are_quiet(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize("text", [
    "she keeps asking the same question about the form",
    "pee smells like coffee",
    "我老公脾气一直很怪",
    "手机屏幕一抖一抖的",
])
def test_behaviour_and_colour_look_alikes_raise_no_alert(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("上厕所的时候血往下滴", {"gi_bleeding": "emergency"}),
    ("bleeding from my back passage when I poo", {"gi_bleeding": "emergency"}),
    ("stools black like liquorice", {"gi_bleeding": "emergency"}),
    ("肚子像扣了口锅", {"ascites": "urgent"}),
    ("胸口好像压了块大石头", {"other": "emergency"}),
    ("躺下就憋", {"other": "emergency"}),
    ("I can hardly breathe lying here", {"other": "emergency"}),
    ("他不记得今天几号", {"encephalopathy": "emergency"}),
    ("早饭吃了又说没吃", {"encephalopathy": "urgent"}),
    ("站起来眼前发黑", {"syncope": "urgent"}),
    ("I've gone really yellow", {"jaundice": "urgent"}),
    ("小便像刀割一样", {"infection": "urgent"}),
    ("like peeing razor blades", {"infection": "urgent"}),
])
def test_a_third_round_of_wordings(text: str, expected: dict[str, str]) -> None:
    assert _sure(text) == expected


@pytest.mark.parametrize("text", [
    "吃了饭又要吃水果",
    "I can hardly breathe a word of this to anyone",
    "上厕所的时候手机掉了",
])
def test_a_third_round_of_look_alikes(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize("text", [
    "I went down to the pharmacy for my tablets",
    "we went down to the beach on Sunday",
    "she went down with flu last week",
    "he went down the stairs slowly this morning",
    "I went down and got some milk",
])
def test_went_down_to_a_place_or_with_an_illness_is_not_a_collapse(text: str) -> None:
    assert "syncope" not in _sure(text)


@pytest.mark.parametrize("text", [
    "he went down and could not get up",
    "she went down on the kitchen floor",
    "I went down, everything went black",
])
def test_went_down_on_its_own_or_on_the_floor_is_still_a_collapse(text: str) -> None:
    assert _sure(text)["syncope"] == "emergency"


@pytest.mark.parametrize("text", [
    "the instructions were confusing",
    "this form is a bit confusing",
    "the tent collapsed in the wind",
    "my mum collapsed laughing at the joke",
    "had a fall in the stock market today",
])
def test_look_alikes_of_confusion_and_collapse_raise_no_alert(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "category", "urgency"), [
    ("everything is confusing him today", "encephalopathy", "emergency"),
    ("mum collapsed in the kitchen", "syncope", "emergency"),
    ("I had a fall in the bathroom", "syncope", "urgent"),
])
def test_the_symptom_beside_its_look_alike_still_raises_it(text: str, category: str,
                                                           urgency: str) -> None:
    assert _sure(text)[category] == urgency


@pytest.mark.parametrize("text", [
    "今天拉了两次，正常的",
    "一天拉了2次",
    "diarrhoea 2 times today",
])
def test_one_or_two_stools_a_day_are_not_many_watery_stools(text: str) -> None:
    assert _sure(text).get("other") != "urgent"


@pytest.mark.parametrize("text", [
    "一天拉了三次",
    "拉肚子拉了好几次",
    "拉了两次稀的",
    "diarrhea 6 times today",
])
def test_many_or_watery_stools_stay_urgent(text: str) -> None:
    assert _sure(text)["other"] == "urgent"


@pytest.mark.parametrize("text", [
    "blacked out the windows for better sleep",
    "I'm dizzy with excitement",
    "my head is spinning with all these forms",
    "chest of drawers fell over, nobody hurt",
    "I'm burning up in this heat",
    "我一看账单就头晕",
])
def test_idioms_and_things_are_not_symptoms(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "category"), [
    ("she blacked out in the kitchen", "syncope"),
    ("I feel dizzy when I stand up", "syncope"),
    ("dad fell over in the garden", "syncope"),
    ("burning up, temp 39", "infection"),
])
def test_the_symptoms_beside_those_idioms_still_alert(text: str, category: str) -> None:
    assert category in _sure(text)


@pytest.mark.parametrize("text", [
    "血一直止不住，鼻子流了半小时",
    "伤口的血怎么也止不住",
    "the bleeding still has not stopped after an hour",
    "cut my hand and it just keeps bleeding",
    "can't get my nose to stop bleeding",
    "nosebleed for 40 minutes now",
])
def test_bleeding_that_does_not_stop_in_other_words_is_an_emergency(text: str) -> None:
    assert _sure(text)["other"] == "emergency"


@pytest.mark.parametrize("text", [
    "my gums keep bleeding when I brush",
    "刷牙出血，一会儿就止住了",
    "the bleeding has stopped now",
    "血压一直降不下来",
])
def test_bleeding_that_stops_or_gums_on_brushing_are_not_an_emergency(text: str) -> None:
    assert "emergency" not in _sure(text).values()


@pytest.mark.parametrize("text", ["大便不是黄色的，是黑色的", "大便颜色不是黄的而是黑的"])
def test_not_one_colour_but_black_is_a_black_stool(text: str) -> None:
    assert _sure(text)["gi_bleeding"] == "emergency"


@pytest.mark.parametrize("text", ["大便不是黑色的，是黄色的", "大便不是黑的"])
def test_not_black_is_no_black_stool(text: str) -> None:
    assert "gi_bleeding" not in _sure(text)


@pytest.mark.parametrize("text", [
    "I was shaking like a leaf before the scan",
    "I feel faint-hearted about the results lol",
    "I can't think straight with all this noise",
])
def test_nerves_and_noise_idioms_are_not_symptoms(text: str) -> None:
    assert _sure(text) == {}


@pytest.mark.parametrize(("text", "category"), [
    ("shaking like a leaf with fever", "infection"),
    ("I feel faint", "syncope"),
    ("I can't think straight", "encephalopathy"),
])
def test_the_symptom_words_in_those_idioms_still_alert_alone(text: str, category: str) -> None:
    assert category in _sure(text)
