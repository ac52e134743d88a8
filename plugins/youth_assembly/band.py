"""The youth assembly's age band (15–29 by default; councils use 15–24 or 16–35 too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from konsey.pluginkit import AgeBand

NAME = "youth_assembly"
BAND = AgeBand(_l("The youth assembly"), 15, 29, lowest=10, highest=40)
