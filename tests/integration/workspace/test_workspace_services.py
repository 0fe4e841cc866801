"""Services behind the staff workspace: list, status grid, participant record, staff actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from pro_service.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from pro_service.extensions import db
from pro_service.messages.models import Message
from pro_service.participants import service as participants
from pro_service.responses import staff_actions
from pro_service.responses.grid import status_grid
from pro_service.responses.models import Response
from pro_service.responses.record import answer_rows, observations, participant_record
from pro_service.schedule import listing
from pro_service.schedule import service as schedule
from pro_service.schedule.models import Occasion

from tests.factories import T0

NOW = T0 + timedelta(weeks=20)  # as in conftest: the history is played out to here


def test_the_list_filters_by_search_site_status_and_overdue_with_totals(app, with_history, make_staff):
    with_history(4, sites=("301", "302"))
    admin = make_staff("admin").user
    everyone = listing.list_participants(admin, filters={}, page=1, per_page=50, now=NOW)
    assert everyone.total == 8 and everyone.by_status == {"active": 8}
    assert [p.study_id for p, _ in listing.list_participants(
        admin, filters={"q": "1-0003"}, page=1, per_page=50, now=NOW).rows] == ["301-0003"]
    site = listing.list_participants(admin, filters={"site": "302"}, page=1, per_page=50, now=NOW)
    assert {p.site.code for p, _ in site.rows} == {"302"} and site.total == 4
    overdue = listing.list_participants(admin, filters={"overdue": True}, page=1, per_page=50, now=NOW)
    assert overdue.total == everyone.overdue_total
    for p, progress in overdue.rows:
        assert progress.overdue >= 1
        assert db.session.scalar(sa.select(sa.func.count()).where(
            Occasion.participant_id == p.id, Occasion.opens_at <= NOW, Occasion.closes_at > NOW,
            Occasion.closes_at <= NOW + timedelta(hours=24),
            Occasion.status.in_(("scheduled", "open", "in_progress")))) == progress.overdue


def test_progress_counts_match_the_occasions(app, with_history, make_staff):
    people = with_history(3)
    admin = make_staff("admin").user
    page = listing.list_participants(admin, filters={}, page=1, per_page=50, now=NOW)
    for p, progress in page.rows:
        statuses = db.session.scalars(sa.select(Occasion.status).where(Occasion.participant_id == p.id)).all()
        assert progress.completed == statuses.count("completed") > 0
        assert progress.missed == statuses.count("missed")
    assert len(page.rows) == len(people)


def test_coordinators_see_only_their_sites_and_analysts_nothing(app, with_history, make_staff):
    with_history(2, sites=("301", "302"))
    coordinator = make_staff("coordinator", ("302",)).user
    page = listing.list_participants(coordinator, filters={}, page=1, per_page=50, now=NOW)
    assert {p.site.code for p, _ in page.rows} == {"302"}
    assert page.by_status == {"active": 2}
    analyst = make_staff("analyst").user
    with pytest.raises(Forbidden):
        listing.list_participants(analyst, filters={}, page=1, per_page=50, now=NOW)
    with pytest.raises(Forbidden):
        participant_record("302-0001", analyst)
    with pytest.raises(NotFound):
        participant_record("301-0001", coordinator)


def test_the_status_grid_has_a_cell_per_occasion_and_site_summaries_that_add_up(app, with_history, make_staff):
    with_history(3, sites=("301", "302"))
    admin = make_staff("admin").user
    protocol = app.extensions["pro.protocol"]
    grid = status_grid(admin, protocol=protocol, site=None, instrument="EQ5D5L", page=1, per_page=50, now=NOW)
    assert [tp for tp, _ in grid.columns] == ["BL", "W4", "W12", "W24", "W36", "W48"]
    assert len(grid.rows) == 6
    for p, cells in grid.rows:
        occs = db.session.scalars(sa.select(Occasion).where(Occasion.participant_id == p.id,
                                                            Occasion.instrument == "EQ5D5L")).all()
        assert len(cells) == len(occs)
        for occ in occs:
            cell = cells[(occ.timepoint, "EQ5D5L")]
            assert cell.occasion_id == occ.id
            if occ.status == "completed":
                assert cell.state == "completed" and cell.letter == "C" and cell.response_id
    summaries = {s.site: s for s in grid.summaries}
    assert set(summaries) == {"301", "302"}
    for code, s in summaries.items():
        ended = db.session.execute(sa.text(
            "select o.status, count(*) from occasions o join participants p on p.id = o.participant_id "
            "join sites s on s.id = p.site_id where s.code = :c and o.instrument = 'EQ5D5L' group by o.status"),
            {"c": code}).all()
        by = dict(ended)
        assert s.completed == by.get("completed", 0)
        assert s.partial + s.missed == by.get("missed", 0)
        assert s.expected >= s.completed + s.partial + s.missed + s.open_now


def test_a_missed_occasion_with_kept_answers_shows_as_partial(app, with_history, make_staff):
    with_history(6)
    partial = db.session.scalar(sa.select(Response).where(Response.status == "partial"))
    assert partial is not None, "the steady profile leaves some answers half done"
    admin = make_staff("admin").user
    grid = status_grid(admin, protocol=app.extensions["pro.protocol"], site="302", instrument=None,
                       page=1, per_page=50, now=NOW)
    occ = db.session.get(Occasion, partial.occasion_id)
    cells = dict(grid.rows)[occ.participant]
    assert cells[(occ.timepoint, occ.instrument)].state == "partial"
    assert cells[(occ.timepoint, occ.instrument)].letter == "P"


def test_the_record_holds_schedule_versions_plot_input_and_thread(app, with_history, make_staff):
    with_history(1)
    coordinator = make_staff("coordinator").user
    record = participant_record("302-0001", coordinator)
    assert len(record.occasions) == db.session.scalar(sa.select(sa.func.count(Occasion.id)))
    assert record.messages and all(m.participant_id == record.participant.id for m in record.messages)
    obs = observations(record, "EQ5D5L")
    assert [o.week for o in obs] == [0, 4, 12, 24, 36, 48]
    completed = [o for o in obs if o.state == "completed"]
    assert completed and all(o.scores["EQ5D_VAS"] is not None for o in completed)
    assert all(not o.scores for o in obs if o.state in ("missed", "scheduled"))


def test_answers_show_item_text_and_labels_in_the_staff_language(app):
    eq5d = app.extensions["pro.instruments"]["EQ5D5L"]
    answers = {"MO": 2, "VAS": 65}
    en = dict((i, (t, a)) for i, t, a in answer_rows(eq5d, answers, "en"))
    zh = dict((i, (t, a)) for i, t, a in answer_rows(eq5d, answers, "zh-CN"))
    assert en["MO"][1].startswith("2 · ") and en["MO"][1] != zh["MO"][1]
    assert en["VAS"][1] == "65" and en["MO"][0] != zh["MO"][0]


def test_a_correction_is_a_new_version_with_new_scores_and_the_old_one_stays(app, with_history, make_staff):
    with_history(1)
    coordinator = make_staff("coordinator").user
    resp = db.session.scalar(sa.select(Response).where(Response.instrument == "EQ5D5L",
                                                       Response.status == "complete"))
    old_vas = {s.scale: s.value for s in resp.scores}["EQ5D_VAS"]
    new_vas = 5 if old_vas != 5 else 6
    new = staff_actions.correct_answers("302-0001", resp.id, {"VAS": new_vas}, reason="typo on paper",
                                        staff=coordinator, instruments=app.extensions["pro.instruments"],
                                        now=NOW)
    db.session.expire_all()
    old = db.session.get(Response, resp.id)
    assert old.superseded and {s.scale: s.value for s in old.scores}["EQ5D_VAS"] == old_vas
    assert new.version == old.version + 1 and new.reason == "typo on paper"
    assert {s.scale: s.value for s in new.scores}["EQ5D_VAS"] == new_vas
    with pytest.raises(Conflict):
        staff_actions.correct_answers("302-0001", resp.id, {"VAS": 50}, reason="again",
                                      staff=coordinator, instruments=app.extensions["pro.instruments"],
                                      now=NOW)
    with pytest.raises(InvalidInput):
        staff_actions.correct_answers("302-0001", new.id, {"VAS": 500}, reason="bad value",
                                      staff=coordinator, instruments=app.extensions["pro.instruments"],
                                      now=NOW)
    safety = make_staff("safety_officer").user
    with pytest.raises(Forbidden):
        staff_actions.correct_answers("302-0001", new.id, {"VAS": 50}, reason="not mine",
                                      staff=safety, instruments=app.extensions["pro.instruments"], now=NOW)


def _open_occasion(p_id: int) -> Occasion:
    return db.session.scalar(sa.select(Occasion).where(Occasion.participant_id == p_id,
                                                       Occasion.status.in_(("open", "in_progress")),
                                                       Occasion.closes_at > NOW))


def test_a_fresh_link_opens_the_occasion_and_is_audited(app, with_history, make_staff):
    from pro_service.responses import service as responses

    (p,) = with_history(1)
    coordinator = make_staff("coordinator").user
    occ = _open_occasion(p.id)
    link = staff_actions.fresh_link("302-0001", occ.id, staff=coordinator, now=NOW)
    assert responses.occasion_for_token(link.token, now=NOW).id == occ.id
    assert link.expires_at == occ.closes_at
    closed = db.session.scalar(sa.select(Occasion).where(Occasion.participant_id == p.id,
                                                         Occasion.status == "completed"))
    with pytest.raises(Conflict):
        staff_actions.fresh_link("302-0001", closed.id, staff=coordinator, now=NOW)


def test_sending_the_invitation_again_queues_a_new_message(app, with_history, make_staff):
    (p,) = with_history(1)
    coordinator = make_staff("coordinator").user
    occ = _open_occasion(p.id)
    instruments = app.extensions["pro.instruments"]
    first = staff_actions.resend_invitation("302-0001", occ.id, staff=coordinator, instruments=instruments, now=NOW)
    second = staff_actions.resend_invitation("302-0001", occ.id, staff=coordinator, instruments=instruments,
                                             now=NOW + timedelta(minutes=1))
    assert first and second and first.idempotency_key != second.idempotency_key
    assert db.session.scalar(sa.select(sa.func.count()).where(
        Message.occasion_id == occ.id, Message.kind == "invitation", Message.status == "queued")) == 2
    participants.staff_set_opt_out("302-0001", opted_out=True, staff=coordinator, now=NOW, reason="asked")
    with pytest.raises(Conflict):
        staff_actions.resend_invitation("302-0001", occ.id, staff=coordinator, instruments=instruments, now=NOW)


def test_the_anchor_preview_is_exactly_what_the_change_then_does(app, with_history, make_staff):
    (p,) = with_history(1)
    coordinator = make_staff("coordinator").user
    protocol = app.extensions["pro.protocol"]
    new_baseline = p.baseline - timedelta(days=3)
    plan = schedule.preview_anchor_change(p, {"baseline": new_baseline}, now=NOW, protocol=protocol)
    assert plan.moved and all(m.before.status == "scheduled" for m in plan.moved)
    assert plan.kept and all(k.status != "scheduled" for k in plan.kept)
    before = {(o.timepoint, o.instrument): (o.opens_at, o.status) for o in schedule.occasions_of(p.id)}
    participants.update_participant("302-0001", {"baseline": new_baseline}, staff=coordinator, now=NOW,
                                    reason="visit moved")
    after = {(o.timepoint, o.instrument): (o.opens_at, o.status) for o in schedule.occasions_of(p.id)}
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {m.before.key for m in plan.moved} | {s.key for s in plan.added} \
        | {c.key for c in plan.cancelled}
    for move in plan.moved:
        assert after[move.before.key][0] == move.after.opens_at
    with pytest.raises(InvalidInput):
        schedule.preview_anchor_change(p, {"infusion_2": p.infusion_1}, now=NOW, protocol=protocol)


def test_pages_cost_the_same_statements_for_few_and_many_participants(app, with_history, make_staff,
                                                                       count_statements):
    with_history(2, sites=("301",))
    admin = make_staff("admin").user
    protocol = app.extensions["pro.protocol"]

    def costs() -> tuple[int, int, int]:
        db.session.expire_all()
        with count_statements() as a:
            listing.list_participants(admin, filters={}, page=1, per_page=50, now=NOW)
        with count_statements() as b:
            status_grid(admin, protocol=protocol, site=None, instrument=None, page=1, per_page=50, now=NOW)
        with count_statements() as c:
            participant_record("301-0001", admin)
        return a.count, b.count, c.count

    few = costs()
    with_history(10, sites=("302",), seed=9)
    many = costs()
    assert few == many
    assert max(many) <= 8
