"""The statute's and the by-laws' rules as pure functions: no database, no Flask, no clock.

Each function takes the facts (counts, dates, candidates) and the by-law parameters in force
(:mod:`konsey.core.bylaws`) and returns a verdict. Views, services and tasks call them; tests call them
directly.
"""
