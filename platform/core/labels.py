"""Translated names of the domain's enumerations, for pages, e-mails and CSV reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    # council roles
    "administrator": _l("Administrator (secretary general)"),
    "president": _l("President"),
    "executive_member": _l("Executive board member"),
    "member": _l("Member"),
    "facilitator": _l("Facilitator"),
    "viewer": _l("Viewer"),
    "data_officer": _l("Data protection contact"),
    "netgsm": "Netgsm",
    "iletimerkezi": "İleti Merkezi",
    "SmsStatus.queued": _l("queued"),
    "SmsStatus.sent": _l("sent"),
    "SmsStatus.failed": _l("failed, to be tried again"),
    # platform roles
    "operator": _l("Platform operator"),
    "federation_analyst": _l("Federation analyst"),
    # council status
    "onboarding": _l("Onboarding"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "archived": _l("Archived"),
    "ended": _l("Ended"),
    # bodies
    "general_assembly": _l("General assembly"),
    "executive_board": _l("Executive board"),
    "assembly": _l("Assembly"),
    "working_group": _l("Working group"),
    # the federation's population bands (konsey.core.federation.population_band)
    "<500k": _l("Under 500,000 people"),
    "500k-1M": _l("500,000 to 1 million people"),
    "1M-3M": _l("1 to 3 million people"),
    ">3M": _l("Over 3 million people"),
    # member kinds and categories
    "individual": _l("Individual"),
    "institutional": _l("Institutional"),
    "public_body": _l("Public body"),
    "civil_administration": _l("Civil administration"),
    "municipality": _l("Municipality"),
    "muhtar": _l("Muhtar (neighbourhood head)"),
    "political_party": _l("Political party"),
    "university": _l("University"),
    "professional_chamber": _l("Professional chamber"),
    "union": _l("Union"),
    "notary": _l("Notary"),
    "bar_association": _l("Bar association"),
    "association": _l("Association"),
    "foundation": _l("Foundation"),
    "assembly_representative": _l("Assembly representative"),
    "working_group_representative": _l("Working group representative"),
    "other": _l("Other"),
    # genders
    "female": _l("Woman"),
    "male": _l("Man"),
    "undisclosed": _l("Prefers not to say"),
    # meetings and votes
    "ordinary": _l("Ordinary"),
    "extraordinary": _l("Extraordinary"),
    "elective": _l("Elective"),
    "open": _l("Open"),
    # the worker's tasks, as a dead letter names them
    "konsey.handle_event": _l("Delivery or notice"),
    "konsey.send_email": _l("E-mail"),
    "konsey.send_notifications": _l("Notifications"),
    # a speaker's stance
    "Stance.for": _l("For"),
    "Stance.against": _l("Against"),
    "point_of_order": _l("Point of order"),
    "roll_call": _l("Roll-call"),
    "secret": _l("Secret"),
    "yes": _l("Yes"),
    "no": _l("No"),
    "abstain": _l("Abstain"),
    # floor motions (önerge) and the presiding board
    "FloorMotionKind.agenda": _l("To change the agenda"),
    "FloorMotionKind.amendment": _l("Amendment"),
    "FloorMotionKind.close_debate": _l("To close the debate"),
    "FloorMotionKind.procedure": _l("On procedure"),
    "FloorMotionStatus.handed_in": _l("Handed in"),
    "FloorMotionStatus.read": _l("Read out"),
    "FloorMotionStatus.voting": _l("Being voted on"),
    "FloorMotionStatus.adopted": _l("Adopted"),
    "FloorMotionStatus.rejected": _l("Rejected"),
    "FloorMotionStatus.refused": _l("Refused by the board"),
    "BoardRole.chair": _l("chair"),
    "BoardRole.vice_chair": _l("vice-chair"),
    "BoardRole.clerk": _l("clerk"),
    # how a vote reached the ledger (and the hall's counts)
    "box_keying": _l("the key is being made"),
    "box_open": _l("open"),
    "box_counting": _l("closed, being counted"),
    "box_counted": _l("counted"),
    "box_failed": _l("failed: the key could not be made"),
    "channel_phone": _l("Phones"),
    "channel_desk": _l("At the desk"),
    "channel_roll_call": _l("Roll call"),
    "channel_paper": _l("Paper ballots"),
    "channel_hall": _l("The hall"),
    "scheduled": _l("Scheduled"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
    # motions
    "adopted": _l("Adopted"),
    "queued": _l("Queued for delivery"),
    "sent": _l("Sent"),
    "delivered": _l("Delivered"),
    "on_agenda": _l("On the municipal council's agenda"),
    "answered": _l("Answered"),
    "followed_up": _l("Followed up"),
    "accepted": _l("Accepted"),
    "partly_accepted": _l("Partly accepted"),
    "rejected": _l("Rejected"),
    "referred": _l("Referred to a committee"),
    # the municipal council's meetings and the implementation of its decisions
    "MunicipalMeetingKind.regular": _l("Regular (monthly)"),
    "MunicipalMeetingKind.extraordinary": _l("Extraordinary"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "abandoned": _l("Abandoned"),
    # bodies' and seats' states
    "proposed": _l("Proposed (awaiting the general assembly)"),
    "dissolved": _l("Dissolved"),
    "chair": _l("Chair"),
    "principal": _l("Principal member"),
    "ex_officio": _l("Ex officio"),
    # applications
    "submitted": _l("Submitted"),
    "under_review": _l("Under review"),
    "approved": _l("Approved"),
    "withdrawn": _l("Withdrawn"),
    # reports (keyed by class: "on_agenda" means another agenda for motions)
    "draft": _l("Draft"),
    "sent_to_board": _l("Sent to the executive board"),
    "ReportStatus.on_agenda": _l("On the general assembly's agenda"),
    # money
    "office": _l("Office space"),
    "staff": _l("Staff"),
    "vehicle": _l("Vehicle"),
    "equipment": _l("Equipment"),
    "events": _l("Events"),
    "printing": _l("Printing"),
    "travel": _l("Travel"),
    "supplies": _l("Supplies"),
    "services": _l("Services"),
    # children's assembly
    "awaiting_consent": _l("Awaiting the guardian's consent"),
    "aged_out": _l("Aged out"),
    "left": _l("Left"),
    "written_form": _l("Written form"),
    "in_person": _l("In person"),
    "electronic": _l("Electronic"),
    "vice_president": _l("Vice president"),
    "secretary": _l("Secretary"),
    # extraordinary-session requests
    "collecting": _l("Collecting signatures"),
    "due": _l("Due: the session must be called"),
    "convened": _l("Convened"),
    # notifications
    "meeting_invitation": _l("Meeting invitations"),
    "meeting_reminder": _l("Meeting reminders"),
    "decision": _l("Decisions"),
    "motion_status": _l("Motion follow-up"),
    "application_outcome": _l("Application outcomes"),
    "immediate": _l("By e-mail at once"),
    "digest": _l("In a daily summary"),
    "off": _l("Only here, no e-mail"),
    # representatives and seats
    "representative": _l("Representative"),
    "substitute": _l("Substitute"),
    # elections
    "decided": _l("Decided"),
    "failed": _l("Failed (tie)"),
    # consent purposes
    "membership": _l("Processing my data for my membership (needed to apply)"),
    "communication": _l("Sending me news and invitations by e-mail"),
    "publication_of_name": _l("Publishing my name in the council's public records"),
    "sms": _l("Sending me meeting notices and reminders by SMS"),
    # municipality types
    "metropolitan": _l("Metropolitan municipality"),
    "provincial": _l("Provincial municipality"),
    "metropolitan_district": _l("Metropolitan district municipality"),
    "district": _l("District municipality"),
    "town": _l("Town municipality"),
    # delivery channels
    "email": _l("E-mail"),
    "webhook": _l("The municipality's system (webhook)"),
    "download": _l("A download link sent by e-mail"),
    # by-law rules
    "absolute_majority_of_members": _l("Absolute majority of the full membership"),
    "absolute_majority_of_present": _l("Absolute majority of those present"),
    "simple_majority_of_votes": _l("More yes than no votes"),
    "count_as_present": _l("Abstentions count as present"),
    "ignore": _l("Abstentions are not counted"),
    "chair_decides": _l("The chair's vote decides"),
    "lot": _l("Drawing lots"),
    "fails": _l("The motion fails"),
    "no_quorum_required": _l("No quorum needed"),
    "floor_twice_executive_board": _l("At least twice the executive board"),
    "same_quorum": _l("The same quorum again"),
    "two_thirds_then_majority_then_runoff": _l("Two thirds, then a majority, then a run-off"),
    "plurality": _l("Most votes wins"),
}

# The by-law parameters, by name, as the by-laws page shows them.
PARAMETERS = {
    "meeting_quorum_rule": _l("Meeting quorum"),
    "decision_majority_rule": _l("Majority for a decision"),
    "abstentions": _l("Abstentions"),
    "tie_rule": _l("On a tie"),
    "reconvene_rule": _l("Quorum of a reconvened session"),
    "reconvene_after_days": _l("Reconvened session within (days)"),
    "general_assembly_min_sessions_per_year": _l("General assembly sessions a year (at least)"),
    "extraordinary_session_share": _l("Share of members who can demand an extraordinary session"),
    "notice_days_elective_assembly": _l("Notice for an elective general assembly (days)"),
    "notice_days_other_meetings": _l("Notice for other meetings (days)"),
    "executive_board_min_size": _l("Executive board size (at least)"),
    "executive_board_ex_officio_assemblies": _l("Assemblies whose presidents sit on the executive board"),
    "term_pattern_years": _l("Terms of office (years)"),
    "max_consecutive_terms": _l("Consecutive terms (at most)"),
    "gender_parity_share": _l("Gender parity share"),
    "co_chairs_one_woman_one_man": _l("Co-chairs: one woman and one man"),
    "election_round_rule": _l("Election rounds"),
    "working_group_election_min_participants": _l("Participants needed to elect a working group's officers"),
    "working_group_one_officer_post": _l("A working group member holds one office at most"),
    "individual_members_vote_in_general_assembly": _l("Individual members vote in the general assembly"),
    "executive_absence_limit_excused": _l("Board absences with excuse before removal"),
    "executive_absence_limit_total": _l("Board absences in all before removal"),
    "ordinary_member_min_age": _l("Minimum age for ordinary membership"),
    "retention_rejected_applications_days": _l("Keep rejected applications (days)"),
    "retention_former_members_days": _l("Keep former members' contacts (days)"),
    "retention_meeting_passes_days": _l("Keep meeting links and codes (days)"),
    "retention_minors_days": _l("Keep minors' records after they come of age (days)"),
    "retention_access_log_days": _l("Keep the record of special-data reads (days)"),
    "retention_sms_days": _l("Keep the records of SMS sent (days)"),
    "online_presence_counts_for": _l("Bodies where online presence counts towards the quorum"),
    "online_presence_timeout_seconds": _l("Seconds of silence before an online participant is checked out"),
    "strong_sign_in_for": _l("Bodies whose meetings ask for an SMS code or a passkey on the phone"),
    "speaking_time_minutes": _l("Speaking time (minutes)"),
    "point_of_order_minutes": _l("Speaking time on a point of order (minutes)"),
    "check_in_opens_minutes_before": _l("Check-in opens before the start (minutes)"),
    "election_term_start_past_days": _l("How far back an election's term may begin (days)"),
    "floor_motion_signatures": _l("Signatures a floor motion needs"),
    "presiding_board_clerks": _l("Clerks on a presiding board"),
    "presiding_board_for": _l("Bodies whose meetings elect a presiding board"),
    "presiding_board_vice_chairs": _l("Vice-chairs on a presiding board"),
    "sealed_ballot_threshold": _l("Keyholders needed to open a sealed ballot"),
    "working_group_officers": _l("Officers a working group elects besides its president"),
}


def parameter_label(name: str, field=None) -> str:
    """A by-law parameter's name for people: the core's from this registry, a plugin's from its field's
    ``metadata["label"]`` (a test holds every installed plugin to giving one); the key only as a last resort."""
    if name in PARAMETERS:
        return str(PARAMETERS[name])
    given = getattr(field, "metadata", {}).get("label") if field is not None else None
    return str(given) if given else name


def label(value) -> str:
    """The translated name of an enum member or its value; unknown values are shown as they are."""
    key = getattr(value, "value", value)
    if key is None:
        return ""
    specific = LABELS.get(f"{type(value).__name__}.{key}") if hasattr(value, "value") else None
    return str(specific or LABELS.get(key, key))
