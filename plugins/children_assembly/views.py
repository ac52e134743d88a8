"""Pages and API of the children's assembly (for the secretariat: children are never listed publicly)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema, fields

from konsey.pluginkit import ApiBlueprint, attempt, performs, posted, takes
from konsey.plugins.children_assembly import usecases
from konsey.plugins.children_assembly.models import (
    ChildStatus,
    ConsentMethod,
    Officer,
)

NAME = "children_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Children's assembly: children with their guardians' consent, officers")


class ChildSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    birth_date = fields.Date(allow_none=True)
    school_grade = fields.Integer(allow_none=True)
    status = fields.Enum(ChildStatus, by_value=True)
    officer = fields.Enum(Officer, by_value=True, allow_none=True)
    guardian_name = fields.String()
    guardian_relation = fields.String()
    joined_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True)


class ProposalOut(Schema):
    id = fields.UUID()
    title = fields.String()
    status = fields.String()


@api.route("/children")
class Children(MethodView):
    @performs(usecases.list_children)
    @api.response(200, ChildSchema(many=True))
    def get(self):
        return usecases.list_children()

    @performs(usecases.register)
    @takes(usecases.register)
    @api.response(201, ChildSchema)
    def post(self, data):
        """Register a child (awaiting the guardian's consent until it is recorded)."""
        return usecases.register(data)


@api.route("/children/<uuid:child_id>")
class ChildRecord(MethodView):
    @performs(usecases.show_child)
    @api.response(200, ChildSchema)
    def get(self, child_id):
        return usecases.show_child(child_id)

    @performs(usecases.erase_child)
    @api.response(204)
    def delete(self, child_id):
        """Erase a child's record and the consents (KVKK erasure, asked by the guardian)."""
        usecases.erase_child(child_id)


@api.route("/children/<uuid:child_id>/consent")
class Consent(MethodView):
    @performs(usecases.guardian_consent)
    @takes(usecases.guardian_consent)
    @api.response(200, ChildSchema)
    def post(self, data, child_id):
        """Record the guardian's consent (who, relation, when, how); the child's participation starts."""
        return usecases.guardian_consent(child_id, data)


@api.route("/officers")
class Officers(MethodView):
    @performs(usecases.elect)
    @takes(usecases.elect)
    @api.response(200, ChildSchema)
    def post(self, data):
        """Enter the counted votes of the assembly's election of an officer (most votes wins)."""
        return usecases.elect(data)


@api.route("/proposals")
class Proposals(MethodView):
    @performs(usecases.forward)
    @takes(usecases.forward)
    @api.response(201, ProposalOut)
    def post(self, data):
        """Forward one of the assembly's proposals to the general assembly through its (adult) representative;
        it goes as the assembly's report to the executive board. No child is named in it."""
        return usecases.forward(data)


# --- pages --------------------------------------------------------------------------------------------------


@pages.get("/")
@performs(usecases.list_children)
def index():
    return render_template("children_assembly/index.html", children=usecases.list_children(order_by_status=True),
                           methods=list(ConsentMethod), offices=list(Officer))


@pages.post("/children")
@performs(usecases.register)
def add_child():
    form = request.form
    raw = {"name": form.get("name", "").strip(),
           "guardian": {"name": form.get("guardian_name", "").strip(),
                        "relation": form.get("guardian_relation", "").strip(),
                        "email": form.get("guardian_email") or None}}
    if form.get("birth_date"):
        raw["birth_date"] = form["birth_date"]
    if form.get("school_grade"):
        raw["school_grade"] = form["school_grade"]
    attempt(lambda: usecases.register(raw),
            _("Registered. The child takes part once the guardian's consent is recorded."), keep=False)
    return redirect(url_for(f"{NAME}.index"))


@pages.post("/children/<uuid:child_id>/consent")
@performs(usecases.guardian_consent)
def consent(child_id):
    # The use case reads the form after the child: another council's child is not found before the form is read.
    typed = posted("guardian_name", "relation", "given_on", "method")
    attempt(lambda: usecases.guardian_consent(child_id, typed), _("Consent recorded."),
            keep=False)
    return redirect(url_for(f"{NAME}.index"))


@pages.post("/children/<uuid:child_id>/erase")
@performs(usecases.erase_child)
def erase(child_id):
    """On the guardian's request (KVKK): the child's record goes for good."""
    usecases.show_child(child_id)
    attempt(lambda: usecases.erase_child(child_id), _("The child's record is erased."))
    return redirect(url_for(f"{NAME}.index"))


@pages.post("/officers")
@performs(usecases.elect)
def elect():
    """The counted votes of an officer's election, one number per child (names left empty had none)."""
    votes = {key.removeprefix("votes-"): value for key, value in request.form.items()
             if key.startswith("votes-") and value.strip()}
    done, child = attempt(lambda: usecases.elect({**posted("office"), "votes": votes}),
                          keep=False)
    if done:
        flash(_("%(name)s is elected.", name=child.name), "success")
    return redirect(url_for(f"{NAME}.index"))


@pages.post("/proposals")
@performs(usecases.forward)
def forward():
    attempt(lambda: usecases.forward(posted("title", "text", "representative")),
            _("The proposal went to the executive board as the assembly's report."), keep=False)
    return redirect(url_for(f"{NAME}.index"))
