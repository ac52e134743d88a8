"""How a page reads a form and answers its refusal: the platform's pages and the plugins' alike.

A page hands the posted fields (:func:`posted`) to the schema the API documents (:func:`load`, the one way input
is loaded outside flask-smorest), calls the use case, and on a refusal either shows the form again with each
message beside its field (:func:`field_errors`, what was typed kept with :func:`typed_back`) or goes back with
the refusal said (:func:`attempt`, which keeps what was typed for the page it goes back to: the templates'
``kept`` and ``refused``). The form's fields are drawn with the ``control`` macro of ``_macros.html``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from flask import flash, g, has_request_context, jsonify, redirect, request, session

from konsey.core.errors import DomainError, NotFound
from konsey.schemas.messages import load_input, refusal_lines

load = load_input  # the pages' name for it


def open_while_disabled(view):
    """Keep a plugin's view open to changes where the council has disabled the plugin (its records are otherwise
    read-only there): what a person must always be able to do with their own data, such as erasing it."""
    view.konsey_open_while_disabled = True
    return view


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def posted(*names: str, as_typed: tuple[str, ...] = ()) -> dict:
    """The named fields of the posted form that were filled in, trimmed (an empty one is left out, so that the
    schema names it as missing or takes its default); those in ``as_typed`` (a password) exactly as typed."""
    found = filled(request.form, *names)
    return {**found, **{name: request.form[name] for name in as_typed if name in found}}


def typed_back(*names: str) -> dict:
    """What was typed in the named fields, to show the refused form again with it (never a password)."""
    return {name: request.form.get(name, "") for name in names}


def filled(form: Mapping, *names: str) -> dict:
    """The named form fields that were filled in (empty ones are left out, so schema defaults apply)."""
    return {name: form[name].strip() for name in names if (form.get(name) or "").strip()}


def flash_errors(error: DomainError) -> None:
    for message in _lines(error.errors):
        flash(message, "error")


def field_errors(error: DomainError) -> dict[str, list[str]]:
    """The refusal's messages by form field, nested fields flattened (``guardian.email``) so that a page can
    show each message beside its control."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat.setdefault(prefix or "_schema", []).extend(_lines(value))

    walk("", error.errors)
    return flat


def flattened(error: DomainError) -> list[str]:
    """Every message of a refusal, as lines."""
    return _lines(error.errors)


def _lines(messages) -> list[str]:
    return refusal_lines(messages)


def answer_script_or_page(action: Callable[[], object], done, back: str, refused_back: str | None = None):
    """Run ``action`` for a form that a page's script may send (``X-Konsey-Fetch: 1``: a phone's vote, a badge
    scanned): the script gets JSON with the sentence to show and the refusal's status; a browser without script
    goes ``back`` (``refused_back`` after a refusal) with the sentence flashed. ``done`` is the sentence, or a
    function of the action's result that makes it. A wrong id in the URL stays the 404 page."""
    scripted = request.headers.get("X-Konsey-Fetch") == "1"
    try:
        result = action()
    except NotFound:
        raise
    except DomainError as error:
        message = " ".join(flattened(error))
        if scripted:
            return jsonify(message=message), error.status
        flash(message, "error")
        return redirect(refused_back or back)
    message = done(result) if callable(done) else done
    if scripted:
        return jsonify(message=message)
    flash(message, "success")
    return redirect(back)


def attempt(action: Callable[[], object], success: str | None = None, *, keep: bool = True) -> tuple[bool, object]:
    """Run ``action`` (a use case call); flash its refusal (and keep what was typed, for the page the person
    is sent back to, unless ``keep`` is false: the session is a cookie, and a child's data never goes in one)
    or the ``success`` message."""
    try:
        result = action()
    except NotFound:
        raise  # a wrong id in the URL (another council's, say) is a 404 page, not a message
    except DomainError as error:
        flash_errors(error)
        if keep:
            keep_input(error)
        return False, error
    if success:
        flash(success, "success")
    return True, result


# --- what was typed, kept across the redirect back to the form ---------------------------------------------------

_KEPT = "konsey_kept_input"
_MAX_VALUE, _MAX_TOTAL = 1000, 3000  # the session is a cookie: keep it small, or keep nothing


def keep_input(error: DomainError | None = None) -> None:
    """Remember this POST's form (and the fields the refusal names) for the next page shown."""
    if not has_request_context() or request.method != "POST":
        return
    values = {name: value for name, value in request.form.items() if name != "csrf_token" and len(value) <= _MAX_VALUE}
    if sum(len(v) for v in values.values()) > _MAX_TOTAL:
        values = {}
    session[_KEPT] = {"action": request.path, "values": values, "fields": sorted(error.errors) if error else []}


def _take_kept_input() -> None:
    # Touched only when something was kept: reading the session of every request would rewrite its cookie.
    if request.method == "GET" and _KEPT in session:
        g.kept_input = session.pop(_KEPT)


def _kept_helpers() -> dict:
    def _of(action: str | None) -> dict:
        found = g.get("kept_input") or {}
        # Only the form that was sent gets its values back (a page may have several with the same fields).
        return found if found.get("action") == (action or request.path) else {}

    def kept(name: str, default="", action: str | None = None):
        """What the person typed in ``name`` of the form posting to ``action`` (the page itself by default)
        before it was refused, else ``default``."""
        return _of(action).get("values", {}).get(name, default)

    def refused(name: str, action: str | None = None) -> bool:
        """Whether the last refusal of that form named this field."""
        return name in _of(action).get("fields", [])

    return {"kept": kept, "refused": refused}


def install(app) -> None:
    app.before_request(_take_kept_input)
    app.context_processor(_kept_helpers)
