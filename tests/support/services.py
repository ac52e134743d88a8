"""The real services the tests run against: where they are, whether they answer, a loopback mailbox."""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "KONSEY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("KONSEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def need_service(name: str, reachable: bool, how: str) -> None:
    """Skip (locally) or fail (in CI) when a real service the test needs is not there."""
    if reachable:
        return
    message = f"{name} is not reachable: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: service tests may not be skipped)")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")



def strict_problems(raw: bytes) -> list[str]:
    """What Python's e-mail parser finds wrong with a message read strictly (every header of every part parsed,
    every defect raised): an empty list for a message any client reads as sent."""
    try:
        message = message_from_bytes(raw, policy=policy.strict)
        for part in message.walk():
            for _name, value in part.items():
                str(value)
            if part.defects:
                return [repr(defect) for defect in part.defects]
    except Exception as error:  # noqa: BLE001 - whatever the strict parser raises is the finding
        return [f"{type(error).__name__}: {error}"]
    return []


@dataclass
class Mailbox:
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = None
    refused: list = field(default_factory=list)  # (subject, problems) of messages the strict parser refuses

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    def add(self, raw: bytes) -> None:
        problems = strict_problems(raw)
        with self.arrived:
            message = message_from_bytes(raw, policy=policy.default)
            if problems:
                self.refused.append((message["Subject"], problems))
            self.messages.append(message)
            self.arrived.notify_all()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.refused.clear()

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


