"""What a valid by-law profile is: each parameter's type, range and allowed values, with its default from
:data:`konsey.core.bylaws.DEFAULTS`. Plugins add fields through the ``konsey_bylaw_fields`` hook."""

from __future__ import annotations

import json
from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from konsey.core import bylaws
from konsey.core.bodies import BodyKind
from konsey.core.bylaws import (
    ABSTENTION_RULES,
    DEFAULTS,
    ELECTION_ROUND_RULES,
    MAJORITY_RULES,
    QUORUM_RULES,
    RECONVENE_RULES,
    TIE_RULES,
)
from konsey.core.errors import Invalid
from konsey.core.plugins import council_hooks
from konsey.schemas.base import SCALAR, AsGiven, StrictSchema


def _default(name: str):
    value = DEFAULTS[name]
    return (lambda: list(value)) if isinstance(value, list) else value


class ByLawParametersSchema(StrictSchema):
    meeting_quorum_rule = fields.String(validate=validate.OneOf(QUORUM_RULES), load_default=_default("meeting_quorum_rule"),
                                        metadata={"description": "How the quorum of a meeting is counted."})
    decision_majority_rule = fields.String(validate=validate.OneOf(MAJORITY_RULES),
                                           load_default=_default("decision_majority_rule"))
    abstentions = fields.String(validate=validate.OneOf(ABSTENTION_RULES), load_default=_default("abstentions"))
    tie_rule = fields.String(validate=validate.OneOf(TIE_RULES), load_default=_default("tie_rule"))
    reconvene_rule = fields.String(validate=validate.OneOf(RECONVENE_RULES), load_default=_default("reconvene_rule"))
    reconvene_after_days = fields.Integer(validate=validate.Range(1, 25), load_default=_default("reconvene_after_days"))
    general_assembly_min_sessions_per_year = fields.Integer(
        validate=validate.Range(1, 12), load_default=_default("general_assembly_min_sessions_per_year"))
    extraordinary_session_share = fields.Float(validate=validate.Range(0.05, 1.0, error=_l("Must be between %5 and %100.")),
                                               load_default=_default("extraordinary_session_share"),
                                               metadata={"share": True})
    notice_days_elective_assembly = fields.Integer(validate=validate.Range(0, 90),
                                                   load_default=_default("notice_days_elective_assembly"))
    notice_days_other_meetings = fields.Integer(validate=validate.Range(0, 90),
                                                load_default=_default("notice_days_other_meetings"))
    check_in_opens_minutes_before = fields.Integer(
        validate=validate.Range(0, 24 * 60), load_default=_default("check_in_opens_minutes_before"),
        metadata={"description": "Minutes before a meeting's scheduled start from which people can be checked in "
                                 "and votes opened; none after it is closed."})
    online_presence_counts_for = fields.List(
        fields.String(validate=validate.OneOf([kind.value for kind in BodyKind])), validate=validate.Length(max=4),
        load_default=_default("online_presence_counts_for"))
    online_presence_timeout_seconds = fields.Integer(validate=validate.Range(30, 3600),
                                                     load_default=_default("online_presence_timeout_seconds"))
    strong_sign_in_for = fields.List(
        fields.String(validate=validate.OneOf([kind.value for kind in BodyKind])), validate=validate.Length(max=4),
        load_default=_default("strong_sign_in_for"),
        metadata={"description": "Body kinds whose meetings ask a phone for an SMS code or a passkey before joining."})
    speaking_time_minutes = fields.Integer(validate=validate.Range(1, 60), load_default=_default("speaking_time_minutes"))
    point_of_order_minutes = fields.Integer(validate=validate.Range(1, 30), load_default=_default("point_of_order_minutes"))
    presiding_board_for = fields.List(
        fields.String(validate=validate.OneOf([kind.value for kind in BodyKind])), validate=validate.Length(max=4),
        load_default=_default("presiding_board_for"))
    presiding_board_vice_chairs = fields.Integer(validate=validate.Range(0, 3),
                                                 load_default=_default("presiding_board_vice_chairs"))
    presiding_board_clerks = fields.Integer(validate=validate.Range(1, 4), load_default=_default("presiding_board_clerks"))
    sealed_ballot_threshold = fields.Integer(validate=validate.Range(2, 7),
                                             load_default=_default("sealed_ballot_threshold"))
    floor_motion_signatures = fields.Integer(validate=validate.Range(1, 50),
                                             load_default=_default("floor_motion_signatures"))
    executive_board_min_size = fields.Integer(validate=validate.Range(3, 99), load_default=_default("executive_board_min_size"))
    executive_board_ex_officio_assemblies = fields.List(fields.String(), load_default=bylaws.ex_officio_default)
    term_pattern_years = fields.List(fields.Integer(validate=validate.Range(1, 5)), validate=validate.Length(min=1, max=5),
                                     load_default=_default("term_pattern_years"))
    max_consecutive_terms = fields.Integer(validate=validate.Range(1, 10), load_default=_default("max_consecutive_terms"))
    # Shares are fractions on the API and percentages on the page: their messages name the percentages.
    gender_parity_share = fields.Float(validate=validate.Range(0.0, 0.5, error=_l("Must be between %0 and %50.")),
                                       load_default=_default("gender_parity_share"),
                                       metadata={"share": True})
    co_chairs_one_woman_one_man = fields.Boolean(load_default=_default("co_chairs_one_woman_one_man"))
    election_round_rule = fields.String(validate=validate.OneOf(ELECTION_ROUND_RULES),
                                        load_default=_default("election_round_rule"))
    working_group_election_min_participants = fields.Integer(
        validate=validate.Range(0, 100), load_default=_default("working_group_election_min_participants"))
    working_group_one_officer_post = fields.Boolean(load_default=_default("working_group_one_officer_post"))
    working_group_officers = fields.Integer(validate=validate.Range(0, 10), load_default=_default("working_group_officers"))
    election_term_start_past_days = fields.Integer(validate=validate.Range(0, 366),
                                                   load_default=_default("election_term_start_past_days"))
    individual_members_vote_in_general_assembly = fields.Boolean(
        load_default=_default("individual_members_vote_in_general_assembly"))
    executive_absence_limit_excused = fields.Integer(validate=validate.Range(1, 50),
                                                     load_default=_default("executive_absence_limit_excused"))
    executive_absence_limit_total = fields.Integer(validate=validate.Range(1, 50),
                                                   load_default=_default("executive_absence_limit_total"))
    ordinary_member_min_age = fields.Integer(
        validate=validate.Range(15, 21), load_default=_default("ordinary_member_min_age"),
        metadata={"description": "Age from which a person may be an ordinary member (legal age: 18)."})
    # How long personal data is kept after its purpose ends (konsey.core.retention): at most ten years.
    retention_rejected_applications_days = fields.Integer(
        validate=validate.Range(0, 3650), load_default=_default("retention_rejected_applications_days"))
    retention_former_members_days = fields.Integer(
        validate=validate.Range(0, 3650), load_default=_default("retention_former_members_days"))
    retention_meeting_passes_days = fields.Integer(
        validate=validate.Range(0, 3650), load_default=_default("retention_meeting_passes_days"))
    retention_minors_days = fields.Integer(validate=validate.Range(0, 3650),
                                           load_default=_default("retention_minors_days"))
    retention_access_log_days = fields.Integer(
        validate=validate.Range(180, 3650), load_default=_default("retention_access_log_days"))
    retention_sms_days = fields.Integer(validate=validate.Range(0, 3650), load_default=_default("retention_sms_days"))


for _name, _field in ByLawParametersSchema._declared_fields.items():
    # Every parameter says in the OpenAPI document what it means and where it comes from; its type, range and
    # default come from the field itself.
    _meaning, _source = bylaws.PARAMETER_NOTES[_name]
    _field.metadata = {**_field.metadata, "description": f"{_meaning} Source: {_source}.",
                       # a list's default is a factory, which the OpenAPI generator cannot show: say it here
                       # (the assemblies' board seats: whichever installed assemblies' body types declare them)
                       **({"default": DEFAULTS[_name]} if callable(_field.load_default)
                          and _name != "executive_board_ex_officio_assemblies" else {})}


def reference_markdown() -> str:
    """The table of docs/bylaws.md: each parameter with its type, default, meaning and source."""
    defaults = bylaws.default_bylaw_parameters()  # with the installed assemblies' board seats
    lines = ["| Parameter | Type | Default | Meaning | Source |", "|---|---|---|---|---|"]
    for name, field in ByLawParametersSchema._declared_fields.items():
        kind = type(field).__name__.lower().replace("string", "text").replace("float", "number")
        if isinstance(field, fields.List):
            kind = f"list of {type(field.inner).__name__.lower().replace('string', 'text')}"
        rule = field.validate
        if isinstance(rule, validate.OneOf):
            kind += ": " + ", ".join(f"`{choice}`" for choice in rule.choices)
        elif isinstance(rule, validate.Range):
            kind += f", {rule.min}–{rule.max}"
        meaning, source = bylaws.PARAMETER_NOTES[name]
        default = json.dumps(defaults[name], ensure_ascii=False)
        lines.append(f"| `{name}` | {kind} | `{default}` | {meaning} | {source} |")
    return "\n".join(lines) + "\n"


def council_schema() -> type[ByLawParametersSchema]:
    """The by-law schema of the current council: the core's fields and those its enabled plugins add."""
    hooks = council_hooks()
    schema = hooks.cache.get("bylaw_schema")
    if schema is None:
        extra = bylaws.plugin_fields()
        # A copy: marshmallow takes the declared fields out of the class namespace it is given.
        schema = type("CouncilByLawParameters", (ByLawParametersSchema,), dict(extra)) if extra else ByLawParametersSchema
        hooks.cache["bylaw_schema"] = schema
    return schema


def new_version_parameters(changes: dict, effective_from: date, *, today: date | None = None,
                           replaceable: bool = False) -> dict:
    """The full, validated parameters of a new version: the version in force then with ``changes`` applied.

    Parameters of a plugin disabled since stay as they were (its rules come back with it)."""
    base = bylaws.base_for(effective_from, today=today, replaceable=replaceable)
    schema = council_schema()
    known = set(schema().fields)
    kept = {k: v for k, v in base.items() if k not in known}
    merged = {k: v for k, v in base.items() if k in known} | changes
    try:
        return {**kept, **schema().load(merged)}
    except ValidationError as error:
        raise Invalid({"parameters": error.messages}) from error


class ByLawParametersHeldSchema(ByLawParametersSchema):
    """A version's parameters as held: the core's, and besides them those the council's plugins add (a disabled
    plugin's kept as they were), named and typed by each plugin's by-law fields."""

    OPEN_VALUES = SCALAR  # the plugins' parameters vary by council: each a number, a yes/no, a text or a list

    class Meta:
        unknown = INCLUDE


class ParametersField(fields.Nested):
    """A version's parameters: the core's typed in the OpenAPI document (:class:`ByLawParametersHeldSchema`), and
    those a council's plugins add given back as they are."""

    def __init__(self, **kwargs):
        super().__init__(ByLawParametersHeldSchema, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return dict(value) if value is not None else None


class ProfileSchema(Schema):
    id = fields.UUID()
    effective_from = fields.Date()
    parameters = ParametersField()
    created_at = fields.DateTime()


class NewVersionSchema(StrictSchema):
    effective_from = fields.Date(required=True)
    # Only the parameters that change; the rest are taken from the version in force on that date, and the whole
    # version is checked by the use case (its refusals named under "parameters").
    parameters = AsGiven(ByLawParametersHeldSchema, required=True)


class OnDateArgs(StrictSchema):
    on = fields.Date(load_default=None)


