"""Real processes for the integration tests: a private redis-server (never the machine's shared one,
which other people use) and Celery programs on the test database."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings


def wait_for(condition, *, timeout: float, what: str, every: float = 0.1):
    """Call `condition` until it returns something true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s waiting for {what}"
        time.sleep(every)
    return result


class PrivateRedis:
    """A redis-server of our own on a free port, without persistence: a restart loses every message."""

    def __init__(self, directory: Path):
        if not shutil.which("redis-server"):
            if os.environ.get("CI"):
                pytest.fail("CI must run the integration tests: redis-server is not installed")
            pytest.skip("redis-server is not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.directory, self.process = directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
                                        stdout=subprocess.DEVNULL)
        wait_for(self._pings, timeout=10, what="the private redis-server", every=0.05)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _pings(self) -> bool:
        try:
            return redis.Redis(port=self.port).ping()
        except redis.ConnectionError:
            return False


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def process_env(redis_url: str, **extra: str) -> dict:
    """The environment of a Celery program on the test database and the given Redis."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url(), "REDIS_URL": redis_url, **extra}


@contextmanager
def celery_running(*args: str, env: dict, log: Path, mode: str = "w") -> Iterator[subprocess.Popen]:
    """`celery -A config ARGS`, its output in `log`; stopped (or killed) afterwards."""
    with log.open(mode) as out:
        process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", *args], env=env,
                                   cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def publishing_to(url: str):
    """This process's Celery app publishes to `url` instead of running tasks in-process."""
    from config.celery_app import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    _pools_drop(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _pools_drop(app)


def _pools_drop(app) -> None:
    # The app keeps its broker connections in pools made on first use: drop them so the next
    # message goes to the broker now configured.
    app._pool = None
    app.amqp._producer_pool = None
