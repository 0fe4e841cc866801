"""Find red-flag symptoms in a participant's free-text message (DESIGN §6).

`detect(text)` returns a `Detection`: at most one `Finding` per category, the most
urgent, for symptoms the participant affirms (negated, hypothetical, historical and
other people's mentions give none), and `Unsure` results the chatbot asks about
(asking.py: questions, corrections, safety-net-only matches). Urgency follows
lexicon.md §2 (per category), §2.1 (combinations), §3.10 (self-harm) and §5.5
(resolution, recent past, improving), and issue 12 (no urine for 12 h or more).
When a rule is unsure the mention stays flagged: a missed bleed is worse than a
false alarm. A relative or "he/she" as subject keeps the finding, marked as maybe
about someone else; a registered caregiver's text is about the participant unless
the caregiver speaks of themselves (`reporter="caregiver"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pro_service.safety.domain.asking import (
    Detection,
    Finding,
    Reason,
    Unsure,
    ask_reason,
)
from pro_service.safety.domain.catchall import Hit, find_hits, groups
from pro_service.safety.domain.context import (
    Scene,
    Status,
    explanation_holds,
    in_sentence,
    removal_is_unsure,
    status_of,
)
from pro_service.safety.domain.cues import Role, find_cues, load_cues
from pro_service.safety.domain.lexicon import (
    Category,
    Lexicon,
    Term,
    Urgency,
    load_lexicon,
)
from pro_service.safety.domain.mentions import (
    Mention,
    find_mentions,
    overlap,
    pseudo_spans,
)
from pro_service.safety.domain.normalise import Normalised, normalise
from pro_service.safety.domain.scope import Layout, layout

# lexicon.md §2.1 step 3: ties between equally urgent findings
PRIORITY = (
    Category.SELF_HARM,
    Category.GI_BLEEDING,
    Category.ENCEPHALOPATHY,
    Category.INFUSION_REACTION,
    Category.INFECTION,
    Category.SYNCOPE,
    Category.RENAL,
    Category.ASCITES,
    Category.JAUNDICE,
    Category.OTHER,
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_NEGATION_WORDS = re.compile(r"[没无不]|(?<![a-z])(?:no|not|can't|cant|cannot|unable)(?![a-z])|n't")


__all__ = ["Detection", "Finding", "Unsure", "detect"]
REPORTERS = ("participant", "caregiver")


@dataclass(frozen=True)
class Candidate:
    mention: Mention
    category: Category
    urgency: Urgency
    other: bool = False  # he, she or a relative is the subject
    ask: Reason | None = None  # unsure: ask instead of alerting


def detect(text: str, *, reporter: str = "participant") -> Detection:
    """Return the red-flag findings in `text`, most urgent first, and unsure results.

    `reporter` is "caregiver" for a text from a registered caregiver's phone: it is
    about the participant, so relatives and pronouns name the participant.
    """
    if reporter not in REPORTERS:
        raise ValueError(f"unknown reporter {reporter!r}")
    caregiver = reporter == "caregiver"
    norm = normalise(text)
    lexicon = load_lexicon()
    mentions = find_mentions(norm.text, lexicon)
    cues = find_cues(
        norm.text,
        [(m.start, m.end) for m in mentions] + pseudo_spans(norm.text, lexicon),
    )
    scene = Scene(
        layout=layout(norm.text),
        cues=tuple(cues),
        targets=tuple((m.start, m.end) for m in mentions),
        settings=load_cues().settings,
        proxy=caregiver or any(c.role is Role.PROXY for c in cues),
    )
    infusion = any(c.role is Role.INFUSION_CONTEXT for c in cues)
    candidates = [
        c for m in mentions if (c := _assess(m, scene, infusion, caregiver)) is not None
    ]
    net = _net_candidates(norm.text, lexicon, mentions, scene.layout, infusion)
    if all(c.ask is not None for c in candidates):
        net = [replace(c, ask=Reason.CATCHALL) for c in net]
    candidates += net
    sure = _combine([c for c in candidates if c.ask is None], lexicon)
    asked = [c for c in candidates if c.ask is not None]
    return _detection(sure, asked, text, norm)


def _assess(
    mention: Mention, scene: Scene, infusion: bool, caregiver: bool
) -> Candidate | None:
    term = mention.term
    category, urgency = term.category, term.urgency
    if infusion and term.infusion is not None:
        category, urgency = Category.INFUSION_REACTION, term.infusion
    urgency = _long_spell(term, urgency, mention, scene)
    status = status_of(mention.start, mention.end, scene)
    if term.negation_shaped and status is Status.NEGATED:
        status = Status.AFFIRMED  # its own negation is the symptom
    if caregiver and in_sentence(Role.CAREGIVER_SELF, mention.start, scene):
        return None  # the caregiver's own health, not the participant's
    other = status is Status.THIRD_PERSON
    if other:
        status = status_of(mention.start, mention.end, scene, people=False)
        if term.negation_shaped and status is Status.NEGATED:
            status = Status.AFFIRMED
    reason = ask_reason(mention.start, status, scene)
    if reason is not None:
        return Candidate(mention, category, urgency, ask=reason)
    if category is Category.SELF_HARM:
        urgency = _self_harm_urgency(urgency, status, mention, scene)
        return Candidate(mention, category, urgency, other=other)
    if urgency is Urgency.EMERGENCY and removal_is_unsure(mention.start, status, scene):
        # §5.4 rule 5: an emergency-tier mention a cue may not cover stays, urgent
        status = Status.RECENT_PAST
    adjusted = _adjust(category, urgency, status)
    if adjusted is None:
        return None
    if "food_colour" in term.tags and explanation_holds(mention.start, scene):
        return None  # a colour alone ("pink pee") that the participant puts down to food
    urgency = _modifiers(category, adjusted, mention, scene)
    return Candidate(mention, category, urgency, other=other)


def _long_spell(term: Term, urgency: Urgency, mention: Mention, scene: Scene) -> Urgency:
    """No urine for 12 hours or more is an emergency (issue 12); less is urgent.

    "No urine" is a low-urine mention whose own words carry a negation ("尿不出来",
    "haven't peed"); "much less urine" has none and stays urgent.
    """
    if (
        "low_urine" in term.tags
        and not term.net
        and _NEGATION_WORDS.search(scene.layout.text, mention.start, mention.end)
        and in_sentence(Role.LONG_SPELL, mention.start, scene)
    ):
        return Urgency.EMERGENCY
    return urgency


# statuses that take a catch-all mention away (§5.5); resolution is settled by _adjust
_NET_REMOVED = (
    Status.NEGATED,
    Status.HYPOTHETICAL,
    Status.HISTORICAL,
    Status.OTHER_PERSON,
)


def _net_candidates(
    text: str, lexicon: Lexicon, mentions: list[Mention], lay: Layout, infusion: bool
) -> list[Candidate]:
    """Routine findings from the body-system safety net (catchall.py).

    Each concept mention of a firing rule must be affirmed in its own right, and no
    negation may stand between the mentions in one clause ("尿量没有减少").
    """
    pseudo = pseudo_spans(text, lexicon)
    sets = groups(find_hits(text, pseudo), lay.sentence, text)
    if not sets:
        return []
    used = sorted({(h.start, h.end) for _, chosen in sets for h in chosen})
    ordinary = [(m.start, m.end) for m in mentions]
    cues = find_cues(text, ordinary + pseudo + used)
    scene = Scene(
        layout=lay,
        cues=tuple(cues),
        targets=tuple(ordinary + used),
        settings=load_cues().settings,
        proxy=any(c.role is Role.PROXY for c in cues),
    )
    out: list[Candidate] = []
    for rule, chosen in sorted(sets, key=lambda rs: rs[0].term.category is Category.OTHER):
        same = [
            (m.start, m.end) for m in mentions if m.term.category is rule.term.category
        ]
        if all(any(overlap(_span_of(h), s) for s in same) for h in chosen):
            continue  # a specific term already speaks for these words
        taken = [(m.start, m.end) for m in mentions if not m.term.net] + [
            (c.mention.start, c.mention.end) for c in out
        ]
        if rule.term.category is Category.OTHER and any(
            overlap(_span_of(h), s) for h in chosen for s in taken
        ):
            continue  # "vomit" in "vomit with blood" is already a bleed
        status = _net_status(chosen, scene)
        if status is None:
            continue
        term = rule.term
        category, urgency = term.category, term.urgency
        if infusion and term.infusion is not None:
            category, urgency = Category.INFUSION_REACTION, term.infusion
        adjusted = _adjust(category, urgency, status)
        if adjusted is None:
            continue
        mention = Mention(term, chosen[0].start, chosen[-1].end)
        if category is Category.SELF_HARM:
            adjusted = _self_harm_urgency(adjusted, status, mention, scene)
        out.append(Candidate(mention, category, adjusted))
    return out


def _span_of(hit: Hit) -> tuple[int, int]:
    return hit.start, hit.end


def _net_status(chosen: tuple[Hit, ...], scene: Scene) -> Status | None:
    """The joint status of a rule's mentions, or None when any is taken away."""
    statuses = [status_of(h.start, h.end, scene) for h in chosen]
    if any(s in _NET_REMOVED for s in statuses):
        return None
    last = chosen[-1]
    c_start, _ = scene.layout.clause(last.start)
    if scene.cut(max(chosen[0].end, c_start), last.start, Role.PRE_NEGATION):
        return None
    for status in (Status.RESOLVED, Status.RECENT_PAST):
        if status in statuses:
            return status
    return Status.AFFIRMED


def _self_harm_urgency(
    base: Urgency, status: Status, mention: Mention, scene: Scene
) -> Urgency:
    """Self-harm is never dropped (§3.10, §5.4 rule 6): negated or unsure: routine."""
    if status in (
        Status.NEGATED,
        Status.HYPOTHETICAL,
        Status.HISTORICAL,
        Status.RESOLVED,
    ):
        return Urgency.ROUTINE
    if status is Status.OTHER_PERSON:
        return Urgency.URGENT
    acute = any(c.role is Role.ACUTE for c in scene.cues)
    return Urgency.EMERGENCY if acute else base


def _adjust(category: Category, urgency: Urgency, status: Status) -> Urgency | None:
    """Apply §5.5: what a context status does to a mention's urgency (None drops it)."""
    if status is Status.AFFIRMED:
        return urgency
    if status is Status.RECENT_PAST:
        return min(urgency, Urgency.URGENT, key=lambda u: u.rank)
    if status is Status.RESOLVED:
        if urgency is Urgency.EMERGENCY:
            return Urgency.URGENT
        return Urgency.ROUTINE if category in load_lexicon().resolution_keeps else None
    return None


def _modifiers(
    category: Category, urgency: Urgency, mention: Mention, scene: Scene
) -> Urgency:
    """Improving lowers non-emergency mentions; a harmless cause lowers a bleed.

    An improving word inside the symptom's own words ("peeing less": less urine is
    the symptom) is no cue.
    """
    s_start, s_end = scene.layout.sentence(mention.start)
    improving = [
        c
        for c in scene.of(Role.IMPROVING)
        if s_start <= c.start < s_end
        and not (
            (mention.term.negation_shaped or "low_urine" in mention.term.tags)
            and mention.start <= c.start
            and c.end <= mention.end
        )
    ]
    if urgency is Urgency.URGENT and improving:
        return Urgency.ROUTINE
    explained = explanation_holds(mention.start, scene)
    if category is Category.GI_BLEEDING and urgency is Urgency.EMERGENCY and explained:
        return Urgency.URGENT
    return urgency


def _combine(candidates: list[Candidate], lexicon: Lexicon) -> list[Candidate]:
    """Raise a category when symptoms occur together (§2.1 combination rules)."""
    tags = {tag for c in candidates for tag in c.mention.term.tags}
    combined = list(candidates)
    for rule in lexicon.combinations:
        if not rule.when <= tags:
            continue
        same = [c for c in combined if c.category is rule.category]
        source = (
            same[0].mention
            if same
            else next(c.mention for c in candidates if c.mention.term.tags & rule.when)
        )
        combined.append(Candidate(source, rule.category, rule.urgency))
    return combined


def _detection(
    sure: list[Candidate], asked: list[Candidate], text: str, norm: Normalised
) -> Detection:
    findings = [_finding(c, text, norm) for c in _best(sure)]
    found = {f.category for f in findings}
    unsure = [
        _unsure(c, text, norm) for c in _best(asked) if c.category not in found
    ]
    return Detection(tuple(findings), tuple(unsure))


def _best(candidates: list[Candidate]) -> list[Candidate]:
    """The most urgent candidate per category, most urgent category first."""
    best: dict[Category, Candidate] = {}
    for cand in sorted(candidates, key=lambda c: c.mention.start):
        held = best.get(cand.category)
        if held is None or cand.urgency.rank > held.urgency.rank:
            best[cand.category] = cand
    return sorted(
        best.values(), key=lambda c: (-c.urgency.rank, PRIORITY.index(c.category))
    )


def _unsure(cand: Candidate, text: str, norm: Normalised) -> Unsure:
    f = _finding(cand, text, norm)
    assert cand.ask is not None  # noqa: S101  # only asked candidates come here
    return Unsure(f.category, f.urgency, cand.ask, f.evidence, f.term_id, f.language)


def _finding(cand: Candidate, text: str, norm: Normalised) -> Finding:
    start, end = norm.original_span(cand.mention.start, cand.mention.end)
    language = cand.mention.term.language
    if language == "any":
        language = "zh-CN" if _CJK.search(norm.text) else "en"
    return Finding(
        cand.category,
        cand.urgency,
        text[start:end],
        start,
        end,
        language,
        cand.mention.term.id,
        other_person=cand.other,
    )
