"""Decide whether a matched symptom is the participant's own, current and affirmed.

Source: lexicon.md §5.4 (scope rules) and §5.5 (time, resolution, hypotheticals, other
people), after NegEx (Chapman 2001) and ConText (Harkema 2009): negation runs
forward in its clause, resolution backward; history, hypotheticals and other people
run to the end of the sentence unless a termination term or a new "now" ends them. A
cue that removes a flag must be clearly present; when in doubt the mention stays
affirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pro_service.safety.domain.cues import Cue, Role, Settings
from pro_service.safety.domain.scope import (
    Layout,
    any_between,
    gap_allows_negation,
    gap_allows_resolution,
    soft_comma_is_list,
    strip_spans,
)

# "，基本消了": a short clause that only resolves the one before it
_CONTINUATION_CHARS = 4
# "没吃铁剂", "don't take iron": the explanation itself is denied
_DENIAL_CHARS = 6
# §5.4 rule 5: a cue this many clauses away, or heading a list this long, is unsure
_FAR_CLAUSES = 2
_LONG_LIST = 4


class Status(StrEnum):
    AFFIRMED = "affirmed"
    NEGATED = "negated"
    RESOLVED = "resolved"  # present before, gone now ("烧退了")
    HISTORICAL = "historical"
    RECENT_PAST = "recent_past"  # after enrolment, over 48 h ago, or a hospital stay
    HYPOTHETICAL = "hypothetical"
    OTHER_PERSON = "other_person"
    # he, she or a relative who may be the participant (issue 12): kept, marked
    THIRD_PERSON = "third_person"


@dataclass(frozen=True)
class Scene:
    """Everything the context rules read, built once per message."""

    layout: Layout
    cues: tuple[Cue, ...]
    targets: tuple[tuple[int, int], ...]  # spans of every symptom mention
    settings: Settings
    proxy: bool

    def of(self, *roles: Role) -> list[Cue]:
        return [c for c in self.cues if c.role in roles]

    def cut(self, start: int, end: int, *roles: Role) -> bool:
        """Whether a cue of one of `roles` starts in [start, end)."""
        return any_between([c.start for c in self.of(*roles)], start, end)


def status_of(start: int, end: int, scene: Scene, *, people: bool = True) -> Status:
    """Return the context status of the mention at [start, end).

    With `people=False` the experiencer checks are skipped: the status of a mention
    already known to be a relative's (THIRD_PERSON), as to time and negation.
    """
    checks = (
        (Status.HYPOTHETICAL, _hypothetical),
        (Status.HISTORICAL, lambda s, e, sc: _temporal(Role.HISTORICAL, s, e, sc)),
        (Status.THIRD_PERSON, _third_person),
        (Status.OTHER_PERSON, _other_person),
        (Status.NEGATED, _pre_negated),
        (Status.RESOLVED, _resolved),
        (Status.RECENT_PAST, lambda s, e, sc: _temporal(Role.RECENT_PAST, s, e, sc)),
    )
    for status, check in checks:
        if not people and status in (Status.THIRD_PERSON, Status.OTHER_PERSON):
            continue
        if check(start, end, scene):
            return status
    return Status.AFFIRMED


def in_sentence(role: Role, start: int, scene: Scene) -> bool:
    """Whether a cue of `role` lies in the sentence holding `start` (no scope rules)."""
    s_start, s_end = scene.layout.sentence(start)
    return any(s_start <= c.start < s_end for c in scene.of(role))


def _forward(role: Role, start: int, scene: Scene, *cut_by: Role) -> bool:
    s_start, _ = scene.layout.sentence(start)
    for cue in scene.of(role):
        if (
            s_start <= cue.start
            and cue.end <= start
            and not scene.cut(cue.end, start, *cut_by)
        ):
            return True
    return False


def _hypothetical(start: int, end: int, scene: Scene) -> bool:
    if _forward(Role.HYPOTHETICAL, start, scene, Role.TERMINATION):
        return True
    if _forward(Role.REPORTED, start, scene, Role.TERMINATION, Role.FIRST_PERSON):
        return True
    c_start, c_end = scene.layout.clause(start)
    near = scene.settings.near_gap_chars
    for cue in scene.of(Role.HYPOTHETICAL_NEAR):
        if c_start <= cue.start and cue.end <= start <= cue.end + near:
            return True
    return any(end <= c.start < c_end for c in scene.of(Role.HYPOTHETICAL_BACK))


def _other_person(start: int, end: int, scene: Scene) -> bool:
    if scene.proxy:
        return False
    roles = (Role.EXPERIENCER, Role.THIRD_PERSON)
    if scene.of(Role.NOT_PARTICIPANT):  # "my wife has a fever, I'm fine"
        return any(
            _forward(r, start, scene, Role.TERMINATION, Role.FIRST_PERSON)
            for r in roles
        )
    return _forward(Role.EXPERIENCER, start, scene, Role.TERMINATION, Role.FIRST_PERSON)


def _third_person(start: int, end: int, scene: Scene) -> bool:
    """He, she or a relative is the subject, and no one else clearly is (issue 12).

    The nearest person cue before the mention decides: a relative or pronoun may be
    the participant (a caregiver on the participant's phone); a neighbour, friend or
    pet is someone else.
    """
    if scene.proxy or scene.of(Role.NOT_PARTICIPANT):
        return False
    s_start, _ = scene.layout.sentence(start)
    stops = (Role.TERMINATION, Role.FIRST_PERSON)
    people = [
        c
        for c in scene.of(Role.EXPERIENCER, Role.THIRD_PERSON)
        if s_start <= c.start and c.end <= start and not scene.cut(c.end, start, *stops)
    ]
    named = [c for c in people if c.role is Role.EXPERIENCER]
    if not named:
        return bool(people)  # only "he/she": may be the participant
    # a pronoun refers back to the last person named ("病友说他…")
    last = max(named, key=lambda c: c.start)
    return any(
        t.start <= last.start < t.end or last.start <= t.start < last.end
        for t in scene.of(Role.THIRD_PERSON)
    )


def _temporal(role: Role, start: int, end: int, scene: Scene) -> bool:
    """History and recent-past cues reach both ways in the sentence (§5.4 rule 3)."""
    c_start, c_end = scene.layout.clause(start)
    if scene.cut(c_start, c_end, Role.ANCHOR_NOW):
        return False
    s_start, s_end = scene.layout.sentence(start)
    stops = (Role.TERMINATION, Role.ANCHOR_NOW)
    for cue in scene.of(role):
        if (
            s_start <= cue.start
            and cue.end <= start
            and not scene.cut(cue.end, start, *stops)
        ):
            return True
        if end <= cue.start < s_end and not scene.cut(end, cue.start, *stops):
            return True
    return False


def _pre_negated(start: int, end: int, scene: Scene) -> bool:
    s_start, _ = scene.layout.sentence(start)
    for cue in scene.of(Role.PRE_NEGATION):
        if not (s_start <= cue.start and cue.end <= start):
            continue
        if _negation_reaches(cue, start, scene):
            return True
    return False


def _negation_reaches(cue: Cue, start: int, scene: Scene) -> bool:
    lay = scene.layout
    if any_between(lay.hard_commas, cue.end, start):
        return False
    if scene.cut(cue.end, start, Role.TERMINATION, Role.ANCHOR_NOW, Role.PRE_NEGATION):
        return False
    _, s_end = lay.sentence(start)
    stop = min(
        [c.start for c in scene.of(Role.TERMINATION) if c.start >= start] + [s_end]
    )
    for comma in lay.soft_commas:
        if cue.end <= comma < start and not soft_comma_is_list(
            lay, comma, stop, scene.settings
        ):
            return False
    gap = strip_spans(lay.text, cue.end, start, list(scene.targets))
    return gap_allows_negation(gap, scene.settings)


def _resolved(start: int, end: int, scene: Scene) -> bool:
    """A post-negation in the clause or opening the next ("腿肿好多了，基本消了")."""
    _, s_end = scene.layout.sentence(start)
    commas = sorted(scene.layout.hard_commas + scene.layout.soft_commas)
    for cue in scene.of(Role.POST_NEGATION):
        if not (end <= cue.start < s_end):
            continue
        if scene.cut(end, cue.start, Role.TERMINATION, Role.ANCHOR_NOW):
            continue
        between = [c for c in commas if end <= c < cue.start]
        if len(between) > 1 or (
            between and cue.start - between[0] > _CONTINUATION_CHARS
        ):
            continue
        stop = between[0] if between else cue.start
        gap = strip_spans(scene.layout.text, end, stop, list(scene.targets))
        if gap_allows_resolution(gap, scene.settings):
            return True
    return False


_REMOVING = {
    Status.NEGATED: (Role.PRE_NEGATION,),
    Status.HYPOTHETICAL: (Role.HYPOTHETICAL, Role.REPORTED),
    Status.HISTORICAL: (Role.HISTORICAL,),
    Status.OTHER_PERSON: (Role.EXPERIENCER,),
}


def removal_is_unsure(start: int, status: Status, scene: Scene) -> bool:
    """Whether the cue that removes a mention may not cover it (§5.4 rule 5).

    Unsure when the nearest cue before the mention is two or more clauses away or
    heads a list of four or more symptoms; a cue after the mention counts as sure.
    """
    roles = _REMOVING.get(status)
    if roles is None:
        return False
    s_start, _ = scene.layout.sentence(start)
    before = [c for c in scene.of(*roles) if s_start <= c.start and c.end <= start]
    if not before:
        return False
    cue = max(before, key=lambda c: c.start)
    commas = [p for p in scene.layout.hard_commas if cue.end <= p < start]
    listed = [t for t in scene.targets if cue.end <= t[0] <= start]
    return len(commas) >= _FAR_CLAUSES or len(listed) >= _LONG_LIST


def explanation_holds(start: int, scene: Scene) -> bool:
    """Whether the sentence gives a harmless cause not itself denied ("没吃铁剂")."""
    s_start, s_end = scene.layout.sentence(start)
    for cue in scene.of(Role.EXPLANATION):
        if not s_start <= cue.start < s_end:
            continue
        denied = any(
            n.end <= cue.start <= n.end + _DENIAL_CHARS
            for n in scene.of(Role.PRE_NEGATION)
        )
        if not denied:
            return True
    return False
