"""A zip whose ``manifest.json`` lists every file's SHA-256 and whose ``manifest.sig`` is the council's Ed25519
signature over the manifest: the one form of everything Konsey hands out to be trusted later (a motion's package
for the municipality, a meeting's archive).

Reproducible: the entries carry a fixed timestamp and come in the given order, so the same files give the same
bytes. Checking needs only the zip and the council's published public key (:func:`problems_of`); the same check
runs in ``konsey package verify``, on the public verification page and in the tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from flask_babel import gettext as _

from konsey.core.council_keys import sign, verify

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: the same in every build
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"


def manifest_of(header: dict, files: list[tuple[str, bytes]]) -> bytes:
    """The manifest: ``header`` (what the package is) and each file's name, SHA-256 and size."""
    return json.dumps({**header, "files": [{"name": name, "sha256": hashlib.sha256(content).hexdigest(),
                                            "bytes": len(content)} for name, content in files]},
                      ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def seal(header: dict, files: list[tuple[str, bytes]]) -> tuple[bytes, bytes, str]:
    """The signed zip of ``files`` (in the current council's name): (zip, manifest, signature)."""
    manifest = manifest_of(header, files)
    signature = sign(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [*files, (MANIFEST, manifest), (SIGNATURE, signature.encode())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue(), manifest, signature


def read_manifest(zip_bytes: bytes) -> dict | None:
    """The manifest a package says it has (unchecked), or None when it is not a package at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            return json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None


def problems_of(zip_bytes: bytes, public_key_b64: str) -> list[str]:
    """What is wrong with a package (empty: it is intact and signed by the holder of ``public_key``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            return _problems_in(archive, public_key_b64)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        # Not a zip, or one damaged past reading (a header that disagrees with the directory, a cut file).
        return [_("the file is not a zip archive, or it is damaged")]


def _problems_in(archive: zipfile.ZipFile, public_key_b64: str) -> list[str]:
    problems = []
    names = set(archive.namelist())
    if not {MANIFEST, SIGNATURE} <= names:
        return [_("the manifest or its signature is missing")]
    manifest = archive.read(MANIFEST)
    if not verify(manifest, archive.read(SIGNATURE).decode(errors="replace"), public_key_b64):
        problems.append(_("the manifest's signature does not match the council's key"))
    try:
        listed = json.loads(manifest)["files"]
    except (ValueError, KeyError, TypeError):
        return [*problems, _("the manifest cannot be read")]
    for entry in listed:
        if entry["name"] not in names:
            problems.append(_("%(name)s is missing", name=entry["name"]))
        elif hashlib.sha256(archive.read(entry["name"])).hexdigest() != entry["sha256"]:
            problems.append(_("%(name)s was changed", name=entry["name"]))
    extra = names - {e["name"] for e in listed} - {MANIFEST, SIGNATURE}
    problems.extend(_("%(name)s is not in the manifest", name=name) for name in sorted(extra))
    return problems
