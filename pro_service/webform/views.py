"""Web form pages under /s/<token>.

The link `/s/<token>` is looked up once (rate-limited), kept in the signed session cookie and
answered with a redirect to `/s/f/<occasion>/...`, so the token is never in page URLs, access
logs of later requests or Referer headers. Opening the link again resumes where the participant
left off.
"""

from __future__ import annotations

from typing import Any

from flask import (Blueprint, abort, current_app, g, has_request_context, redirect,
                   render_template, request, session, url_for)
from flask.blueprints import BlueprintSetupState
from flask_babel import refresh as refresh_locale
from werkzeug.wrappers import Response

from pro_service.core import clock
from pro_service.core.errors import Conflict, Gone, NotFound
from pro_service.core.failure_limits import failure_allowed
from pro_service.safety.screening import advice_for_occasion
from pro_service.staff.auth import current_staff
from pro_service.webform import flow, service
from pro_service.webform.flow import LANGUAGES, Page
from pro_service.webform.service import Form

bp = Blueprint("webform", __name__, url_prefix="/s", template_folder="templates",
               static_folder="static", static_url_path="/static")

LINKS, LANG = "webform_links", "webform_lang"
CLINIC = "clinic:"  # marks a kept in-clinic session token (bound to the staff login)
MAX_LINKS = 8  # a shared family phone may hold a few open questionnaires
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # inline style only for the shared error page; scripts come from our own files alone
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}


@bp.record_once
def _select_locale(state: BlueprintSetupState) -> None:
    babel = state.app.extensions["babel"]
    previous = babel.locale_selector

    def select() -> str | None:
        if has_request_context() and request.blueprint == bp.name and "webform_lang" in g:
            return LANGUAGES[g.webform_lang][0]
        return previous() if previous else None

    babel.locale_selector = select


@bp.before_request
def _remember_language() -> None:
    g.pop("webform_form", None)  # an app context pushed around requests (tests) keeps g
    g.pop("webform_lang", None)
    if request.args.get("lang") in LANGUAGES:
        session[LANG] = request.args["lang"]


@bp.after_request
def _private(response: Response) -> Response:
    if request.endpoint != "webform.static":
        response.headers.update(SECURITY_HEADERS)
    return response


@bp.context_processor
def _inject() -> dict[str, Any]:
    return {"LANGUAGES": LANGUAGES}


@bp.errorhandler(Conflict)
def _already_submitted(exc: Conflict) -> tuple[str, int]:
    return _render("webform/done.html", g.webform_form, sent=False), 409


@bp.get("/<token>")
def open_link(token: str) -> Response:
    """A working link always opens; only failed lookups count against the client's address,
    so people behind one carrier NAT address are never locked out of their own links."""
    try:
        form = service.open_form(token, instruments=_instruments(), now=clock.now())
    except (NotFound, Gone):
        if not failure_allowed("webform-lookup", "WEBFORM_FAILED_LOOKUP_LIMIT"):
            abort(429)
        raise
    _remember_link(form.occasion_id, token)
    return redirect(url_for(".start", occasion=form.occasion_id), 303)


@bp.get("/c/<token>")
def open_clinic(token: str) -> Response:
    """An in-clinic session started from the dashboard: only for the staff login that started it."""
    staff = current_staff()
    if staff is None:
        return redirect(url_for("dashboard.login_form", next=request.path), 303)
    form = service.open_clinic_form(token, staff_id=staff.id, instruments=_instruments(),
                                    now=clock.now())
    _remember_link(form.occasion_id, CLINIC + token)
    return redirect(url_for(".start", occasion=form.occasion_id), 303)


def _remember_link(occasion: int, value: str) -> None:
    links = {k: v for k, v in session.get(LINKS, {}).items() if k != str(occasion)}
    links[str(occasion)] = value
    session[LINKS] = dict(list(links.items())[-MAX_LINKS:])


@bp.get("/f/<int:occasion>/")
def start(occasion: int) -> Response | str:
    form = _form(occasion)
    if form.completed:
        return _render("webform/done.html", form, sent=False)
    if not form.answers:
        return _render("webform/intro.html", form)
    return redirect(_page_url(form, flow.first_unanswered(form.pages, form.answers)))


@bp.get("/f/<int:occasion>/<int:number>")
def show_page(occasion: int, number: int) -> Response | str:
    form, page = _form_page(occasion, number)
    if form.completed:
        return redirect(url_for(".start", occasion=occasion))
    return _render_page(form, page, to_review=request.args.get("r") == "1")


@bp.post("/f/<int:occasion>/<int:number>")
def save_page(occasion: int, number: int) -> Response | tuple[str, int]:
    form, page = _form_page(occasion, number, changing=True)
    back, to_review = request.form.get("action") == "back", request.form.get("return") == "review"
    errors = service.save_page(form, page, request.form, now=clock.now(), partial=back)
    if errors:
        return _render_page(form, page, errors, request.form, to_review=to_review), 422
    if back:
        return redirect(_page_url(form, form.page(max(number - 1, 1))), 303)
    return redirect(_page_url(form, flow.next_page(form.pages, number, form.answers,
                                                   to_review=to_review)), 303)


@bp.get("/f/<int:occasion>/review")
def review(occasion: int) -> Response | str:
    form = _form(occasion)
    if form.completed:
        return redirect(url_for(".start", occasion=occasion))
    return _render("webform/review.html", form, missing=flow.first_unanswered(form.pages,
                                                                             form.answers))


@bp.post("/f/<int:occasion>/review")
def submit(occasion: int) -> Response:
    form = _form(occasion, changing=True)
    if missing := flow.first_unanswered(form.pages, form.answers):
        return redirect(_page_url(form, missing), 303)
    service.submit_form(form, now=clock.now())
    return redirect(url_for(".done", occasion=occasion), 303)


@bp.get("/f/<int:occasion>/done")
def done(occasion: int) -> Response | str:
    form = _form(occasion)
    if not form.completed:
        return redirect(url_for(".start", occasion=occasion))
    return _render("webform/done.html", form, sent=True,
                   advice=advice_for_occasion(form.occasion_id))


def _instruments() -> dict[str, Any]:
    return current_app.extensions["pro.instruments"]  # type: ignore[no-any-return]


def _form(occasion: int, *, changing: bool = False) -> Form:
    """The occasion's form through the link kept in this browser's session."""
    token = session.get(LINKS, {}).get(str(occasion))
    if not token:
        abort(Response(render_template(
            "error.html", status=403, title="Forbidden",
            zh="请重新打开短信里的链接继续填写。", en="Please open the link in your text message again."),
            403, mimetype="text/html"))
    if token.startswith(CLINIC):
        staff = current_staff()
        form = service.open_clinic_form(token.removeprefix(CLINIC), now=clock.now(),
                                        staff_id=staff.id if staff else None,
                                        instruments=_instruments())
    else:
        form = service.open_form(token, instruments=_instruments(), now=clock.now())
    g.webform_form = form
    g.webform_lang = flow.language_of(session.get(LANG), form.language)
    refresh_locale()  # the locale may have been read before the participant was known
    if changing and form.completed:
        raise Conflict("this questionnaire has already been submitted")
    return form


def _form_page(occasion: int, number: int, *, changing: bool = False) -> tuple[Form, Page]:
    form = _form(occasion, changing=changing)
    page = form.page(number)
    if page is None:
        abort(404)
    return form, page


def _page_url(form: Form, page: Page | None) -> str:
    if page is None:
        return url_for(".review", occasion=form.occasion_id)
    return url_for(".show_page", occasion=form.occasion_id, number=page.number)


def _render_page(form: Form, page: Page, errors: dict[str, str] | None = None,
                 posted: Any = None, *, to_review: bool = False) -> str:
    back = _page_url(form, form.page(page.number - 1)) if page.number > 1 else None
    return _render("webform/page.html", form, page=page, errors=errors or {}, to_review=to_review,
                   values=flow.field_values(page, form.answers, posted), back_url=back)


def _render(template: str, form: Form, **context: Any) -> str:
    lang = g.webform_lang
    switch = {code: url_for(request.endpoint or ".start", **(request.view_args or {}), lang=code)
              for code in LANGUAGES}
    return render_template(template, form=form, lang=lang, switch=switch, flow=flow,
                           page_url=lambda page: _page_url(form, page), **context)
