"""opencount: check a sealed vote's published record ("kapalı oy, açık tasnif") without trusting who ran it.

Independent of the platform that ran the vote: it needs only libsodium's ristretto255 (through ``rbcl``) and
the record. ``python -m opencount record.json``.
"""

from opencount.record import FORMAT, Report, verify

__all__ = ["FORMAT", "Report", "verify"]
