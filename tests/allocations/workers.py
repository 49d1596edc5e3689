"""Real Celery processes for the worker tests: workers and a beat started as the deployment
starts them (`celery -A config ...`), on the test database and the test's Redis, that a test
can kill with SIGKILL as an out-of-memory killer or a lost machine would."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import redis
from django.conf import settings
from django.db import connection

CELERY = str(Path(sys.executable).with_name("celery"))
# The keys kombu keeps for the default queue on Redis: the queue, and the messages taken by a
# worker but not yet acknowledged.
QUEUE_KEY = "celery"
BROKER_KEYS = (QUEUE_KEY, "unacked", "unacked_index", "unacked_mutex")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def broker_clear() -> None:
    """Forget every message of earlier tests, including those a killed worker held."""
    broker().delete(*BROKER_KEYS)


def wait_for(check: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class Process:
    """One `celery -A config ...` process group, its output in `log`."""

    def __init__(self, log: Path, args: list[str], env: dict[str, str]) -> None:
        self.log = log
        environment = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": "consolemail://",
        }
        with log.open("wb") as out:
            self.popen = subprocess.Popen(
                [CELERY, "-A", "config", *args],
                env=environment | env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the process group: no shutdown, no acknowledgement, no cleanup."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def succeeded(self, task: str, result: object) -> bool:
        pattern = rf"{re.escape(task)}\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: {result}$"
        return re.search(pattern, self.output(), re.MULTILINE) is not None


@contextlib.contextmanager
def worker(tmp_path: Path, name: str, **env: str) -> Iterator[Process]:
    """A solo worker (one task at a time, prefetch 1), ready to take tasks when yielded."""
    process = Process(
        tmp_path / f"{name}.log",
        ["worker", "--pool=solo", "-l", "info", "-n", f"{name}@%h",
         "--without-mingle", "--without-gossip"],
        env,
    )  # fmt: skip
    try:
        wait_for(lambda: " ready." in process.output(), f"worker {name} to start", 60)
        yield process
    finally:
        process.kill()


@contextlib.contextmanager
def beat(tmp_path: Path, **env: str) -> Iterator[Process]:
    process = Process(
        tmp_path / "beat.log",
        ["beat", "-l", "info", "-s", str(tmp_path / "beat-schedule"), "--pidfile="],
        env,
    )
    try:
        yield process
    finally:
        process.kill()


@contextlib.contextmanager
def row_locked(table: str, pk: int) -> Iterator[None]:
    """Hold a row lock from another connection: a worker that writes the row waits there,
    mid-task, until the block ends (where the test kills it)."""
    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as held:
        held.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
        try:
            yield
        finally:
            held.rollback()


def someone_waits_on_a_lock() -> bool:
    with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()
    return row is not None and row[0] > 0
