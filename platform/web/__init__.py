"""Server-rendered pages (Jinja; forms read with the API's marshmallow schemas, drawn with the ``control``
macro of ``_macros.html``), Turkish by default."""

from flask import json

from konsey.pluginkit import file_download
from konsey.usecases.member_import import example_csv


def json_download(document: dict, filename: str):
    """A JSON document offered as a file download (exports)."""
    return file_download(json.dumps(document, ensure_ascii=False, indent=1), "application/json", filename)


def zip_download(package):
    """A motion's package (a signed zip) offered as a file download."""
    return file_download(package.content, "application/zip", package.filename)


def example_import_csv():
    """The example members file, for the operator's and the council's import pages alike."""
    return file_download(example_csv(), "text/csv", "uyeler-ornek.csv")
