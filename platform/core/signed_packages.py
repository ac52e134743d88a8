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
import zlib

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


# What a package may hold before it is read: a meeting's archive or a motion's package is a handful of files of a
# few megabytes; a zip that unpacks to more (a "zip bomb" sent to the public check) is refused unread.
MAX_ENTRIES = 200
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MANIFEST = 1024 * 1024
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError,
               zlib.error, ValueError, KeyError, UnicodeDecodeError)


def _manifest_in(archive: zipfile.ZipFile) -> bytes | None:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        return None
    if info.file_size > MAX_MANIFEST:
        return None
    return archive.read(MANIFEST)


def read_manifest(zip_bytes: bytes) -> dict | None:
    """The manifest a package says it has (unchecked), or None when it is not a package at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            manifest = json.loads(_manifest_in(archive) or b"null")
    except _UNREADABLE:
        return None
    return manifest if isinstance(manifest, dict) else None


def problems_of(zip_bytes: bytes, public_key_b64: str | list[str]) -> list[str]:
    """What is wrong with a package (empty: it is intact and signed by the holder of ``public_key``, or of one of
    the keys given: a council's earlier keys sign its earlier packages)."""
    keys = [public_key_b64] if isinstance(public_key_b64, str) else list(public_key_b64)
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            return _problems_in(archive, keys)
    except _UNREADABLE:
        # Not a zip, or one damaged past reading (a header that disagrees with the directory, a cut file).
        return [_("the file is not a zip archive, or it is damaged")]


def _listed_files(manifest: bytes) -> list[dict] | None:
    """The manifest's file list, if it has the shape a package's has (anything else is a forgery or damage)."""
    try:
        listed = json.loads(manifest)["files"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list) or not all(
            isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("sha256"), str)
            for e in listed):
        return None
    return listed


def _sha256_of(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as entry:
        for chunk in iter(lambda: entry.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _problems_in(archive: zipfile.ZipFile, keys: list[str]) -> list[str]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        return [_("the file is larger than a package can be")]
    names = {i.filename for i in infos}
    if not {MANIFEST, SIGNATURE} <= names:
        return [_("the manifest or its signature is missing")]
    manifest = _manifest_in(archive)
    signature = archive.read(SIGNATURE)[:200].decode(errors="replace")
    if manifest is None or not any(verify(manifest, signature, key) for key in keys):
        # Unsigned by the council, nothing in it is worth reading further.
        return [_("the manifest's signature does not match the council's key")]
    listed = _listed_files(manifest)
    if listed is None:
        return [_("the manifest cannot be read")]
    problems = []
    for entry in listed:
        if entry["name"] not in names:
            problems.append(_("%(name)s is missing", name=entry["name"]))
        elif _sha256_of(archive, entry["name"]) != entry["sha256"]:
            problems.append(_("%(name)s was changed", name=entry["name"]))
    extra = names - {e["name"] for e in listed} - {MANIFEST, SIGNATURE}
    problems.extend(_("%(name)s is not in the manifest", name=name) for name in sorted(extra))
    return problems
