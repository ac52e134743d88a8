"""A municipality's script against Konsey's API, through a client generated from the OpenAPI document.

Generate the client once (openapi-python-client, from PyPI), then run this script:

    curl -o konsey-openapi.json https://konsey.example.org/api/v1/openapi.json
    openapi-python-client generate --path konsey-openapi.json --output-path konsey_client --meta none
    KONSEY_URL=https://konsey.example.org KONSEY_TOKEN=kns_… KONSEY_COUNCIL=izmir python api_client.py

It adds a member, calls the general assembly to a meeting and reads the motions' tracker. The token is made on
the account page (Hesabım → Erişim anahtarları) by someone who may do these jobs. The suite runs this very file
against a live server with a freshly generated client (tests/test_generated_client.py).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

from konsey_client import AuthenticatedClient
from konsey_client.api.bodies import list_bodies
from konsey_client.api.meetings import call_meeting
from konsey_client.api.members import add_member
from konsey_client.api.motions import list_motions
from konsey_client.models import MemberInput, MemberInputCategory, NewMeeting, Problem


def answered(what: str, answer):
    """The parsed answer, or the problem the server described, printed, and the script stopped."""
    if isinstance(answer, Problem) or answer is None:
        detail = f"{answer.title} {answer.detail or ''} {answer.errors.to_dict() if answer.errors else ''}" \
            if answer else "no answer"
        sys.exit(f"{what}: {detail}")
    return answer


def main() -> None:
    council = os.environ["KONSEY_COUNCIL"]
    client = AuthenticatedClient(base_url=os.environ["KONSEY_URL"], token=os.environ["KONSEY_TOKEN"],
                                 raise_on_unexpected_status=True, headers={"Accept-Language": "tr"})
    with client:
        bodies = answered("bodies", list_bodies.sync(council, client=client))
        assembly = next(body for body in bodies if body.kind == "general_assembly")

        member = answered("add a member", add_member.sync(council, client=client, body=MemberInput(
            category=MemberInputCategory.INDIVIDUAL, name="Deniz Aksoy", email="deniz.aksoy@example.org")))
        print(f"member {member.member_no}: {member.name} ({member.status})")

        when = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
        meeting = answered("call a meeting", call_meeting.sync(council, client=client, body=NewMeeting(
            body_id=assembly.id, title="Olağan Genel Kurul", scheduled_at=when,
            agenda=["Açılış ve yoklama", "Çalışma raporu"])))
        print(f"meeting {meeting.id}: {meeting.title} on {meeting.scheduled_at.isoformat()} ({meeting.status})")

        for motion in answered("the tracker", list_motions.sync(council, client=client)):
            due = motion.answer_due.isoformat() if motion.answer_due else "-"
            print(f"motion {motion.number}: {motion.title} | {motion.status} | answer due {due}")


if __name__ == "__main__":
    main()
