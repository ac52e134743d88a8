"""Server-rendered pages (Jinja, Flask-WTF forms), Turkish by default."""

from flask import Response, json

from konsey.usecases.member_import import example_csv


def json_download(document: dict, filename: str) -> Response:
    """A JSON document offered as a file download (exports)."""
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def zip_download(package) -> Response:
    """A motion's package (a signed zip) offered as a file download."""
    return Response(package.content, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{package.filename}"'})


def example_import_csv() -> Response:
    """The example members file, for the operator's and the council's import pages alike."""
    return Response(example_csv(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="uyeler-ornek.csv"'})
