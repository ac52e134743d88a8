"""by-laws: one switch for an assembly president's ex-officio board seat. The youth and disabled people's
assemblies each had a by-law field of their own beside the list executive_board_ex_officio_assemblies, and seated
their president by it alone; each version's list now holds them unless their field said false, and the fields
go.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import each_council

revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None

# The fields as the assemblies' plugins named them (history: no code reads them any more).
RETIRED = {"youth_president_on_executive_board": "youth_assembly",
           "disabled_president_on_executive_board": "disabled_assembly"}
LIST = "executive_board_ex_officio_assemblies"
LISTED_THEN = ["womens_assembly", "youth_assembly", "disabled_assembly"]  # the list's default until now


def one_switch(parameters: dict) -> dict | None:
    """The version's parameters with the retired fields folded into the list; None when nothing changes.

    Until now the youth and disabled assemblies seated their president by their own field alone (absent: true),
    whatever the list said: the list now holds each of them unless its field said false, so that nobody's seat
    changes with the upgrade."""
    folded = {name: value for name, value in parameters.items() if name not in RETIRED}
    listed = list(parameters[LIST]) if LIST in parameters else list(LISTED_THEN)
    for name, assembly in RETIRED.items():
        if parameters.get(name, True) is False:
            if assembly in listed:
                listed.remove(assembly)
        elif assembly not in listed:
            listed.append(assembly)
    folded[LIST] = listed
    return None if folded == parameters else folded


def upgrade():
    fold_board_switches(op.get_bind())


def fold_board_switches(bind) -> None:
    profiles = sa.table('bylaw_profiles', sa.column('id', sa.Uuid()), sa.column('council_id', sa.Uuid()),
                        sa.column('parameters', sa.JSON()))
    for council in each_council(bind):  # row-level security shows the owner one council at a time
        for row in bind.execute(sa.select(profiles.c.id, profiles.c.parameters)
                                .where(profiles.c.council_id == council)).all():
            folded = one_switch(dict(row.parameters or {}))
            if folded is not None:
                bind.execute(profiles.update().where(profiles.c.id == row.id).values(parameters=folded))


def downgrade():
    pass  # the list says it all: the retired fields' absence reads as their default (seated if listed)
