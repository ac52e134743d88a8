"""Marshmallow's own error messages, marked for translation.

Marshmallow formats its messages in English before we see them, so the API error handler matches each one
against these templates, translates the template and formats it again with the same values
(:func:`translate_validation_messages` below). Listing them here puts them in the catalogue.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext
from marshmallow import ValidationError

from konsey.core.errors import Invalid


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it (extracted with ``-k N_``)."""
    return message


TEMPLATES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid input."),
    N_("Invalid type."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("String does not match expected pattern."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be greater than {min}."),
    N_("Must be less than {max}."),
    N_("Invalid JSON body."),
)


@cache
def _template_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    patterns = []
    for template in TEMPLATES:
        regex = re.escape(template)
        regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>.+?)", regex)
        patterns.append((re.compile(f"^{regex}$"), template))
    return tuple(patterns)


def translate_message(message: str) -> str:
    for pattern, template in _template_patterns():
        match = pattern.match(message)
        if match:
            return gettext(template).format(**match.groupdict())
    return message


def translate_validation_messages(messages):
    """Translate marshmallow's English messages (nested dicts and lists) into the request's language."""
    if isinstance(messages, dict):
        return {key: translate_validation_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_validation_messages(value) for value in messages]
    if isinstance(messages, str):
        return translate_message(messages)
    return str(messages)


def refusal_lines(messages) -> list[str]:
    """A refusal's messages (a schema's or a domain error's, nested or not) as translated lines to show a
    person, without the field names and brackets of the machine form."""
    translated = translate_validation_messages(messages)

    def lines(value) -> list[str]:
        if isinstance(value, dict):
            return [line for inner in value.values() for line in lines(inner)]
        if isinstance(value, list | tuple):
            return [line for inner in value for line in lines(inner)]
        return [str(value)]

    return lines(translated)


def load_input(schema_class, data, **schema_options) -> dict:
    """``data`` loaded by ``schema_class`` (the schema the API documents); a refusal is
    :class:`konsey.core.errors.Invalid` (422) with its messages translated and naming the field. The one way
    input is loaded outside flask-smorest: pages, the command line, plugins' views and use cases alike."""
    try:
        return schema_class(**schema_options).load(data)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise Invalid(translate_validation_messages(messages)) from error
