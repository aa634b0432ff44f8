"""Exactly one beat: a scheduler that sends due tasks only while it holds a lock in Redis.

Run two `celery -A config beat` processes for failover. The first to take the lock sends; the other
ticks on standby and takes over once the holder stops (it releases the lock) or dies (its lock
expires). With no Redis broker (tasks in-process, a laptop) it is Celery's PersistentScheduler.
See docs/operations.md.
"""
import os
import socket
import uuid
from datetime import datetime

import redis
from celery.beat import PersistentScheduler
from celery.utils.log import get_logger
from celery.utils.time import maybe_make_aware

logger = get_logger(__name__)

DEFAULT_KEY = "welfare-portal:beat-lock"
DEFAULT_TTL = 30.0  # seconds

# Both scripts act only while the key still holds this process's token: a lock that expired and
# was taken by the other beat is never extended or deleted by the process that lost it.
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class BeatLock:
    """A lock in Redis owned by one token ("host:pid:random"): SET NX PX takes it, compare-and-set
    scripts renew and release it, and it expires `ttl` seconds after its last renewal."""

    def __init__(self, client: redis.Redis, *, key: str, ttl: float):
        self.client, self.key, self.ttl_ms = client, key, int(ttl * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)

    def acquire(self) -> bool:
        """Take the lock if nobody holds it."""
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def renew(self) -> bool:
        """Extend the lock by one TTL if this token still holds it."""
        return bool(self._renew(keys=[self.key], args=[self.token, self.ttl_ms]))

    def release(self) -> bool:
        """Delete the lock if this token still holds it, so a standby takes over at once."""
        return bool(self._release(keys=[self.key], args=[self.token]))

    def hold(self) -> bool:
        """Renew the lock, or take it if it is free; True while this token holds it."""
        return self.renew() or self.acquire()


def beat_lock_for(app) -> BeatLock | None:
    """The beat lock on the app's Redis broker; None when the broker is not Redis."""
    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return BeatLock(client, key=app.conf.get("beat_lock_key", DEFAULT_KEY),
                    ttl=float(app.conf.get("beat_lock_ttl", DEFAULT_TTL)))


class SingleBeatScheduler(PersistentScheduler):
    """Send due tasks only while holding the beat lock; otherwise stand by.

    Every tick renews the lock, and ticks come at least three times per TTL, so a live holder keeps
    it. Each send is recorded in Redis, and a process that takes the lock starts from those times:
    what the previous holder sent is not sent again, what it missed is sent once.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = beat_lock_for(self.app)
        self.holding: bool | None = None  # None until the first tick
        if self.lock:
            self.max_interval = min(self.max_interval, self.lock.ttl_ms / 3000)

    @property
    def last_run_key(self) -> str:
        return f"{self.lock.key}:last-run"

    def tick(self, *args, **kwargs) -> float:
        if self.lock is None:
            return super().tick(*args, **kwargs)
        held = self._hold()
        if held and not self.holding:
            logger.info("beat: holding the lock %s; sending due tasks", self.lock.key)
            self._last_runs_adopt()
        elif not held and self.holding is not False:
            logger.info("beat: another process holds the lock %s; standing by", self.lock.key)
        self.holding = held
        return super().tick(*args, **kwargs) if held else self.max_interval

    def _hold(self) -> bool:
        try:
            return self.lock.hold()
        except redis.RedisError as error:
            # Unsure whether we still hold it: send nothing rather than risk a second sender.
            logger.warning("beat: cannot reach Redis for the lock (%s); standing by", error)
            return False

    def reserve(self, entry):
        new_entry = super().reserve(entry)
        if self.lock is not None:
            try:
                self.lock.client.hset(self.last_run_key, entry.name, new_entry.last_run_at.isoformat())
            except redis.RedisError as error:
                logger.warning("beat: could not record the send of %s (%s)", entry.name, error)
        return new_entry

    def _last_runs_adopt(self) -> None:
        """Start from the last sends the previous holder recorded, where they are newer than ours."""
        try:
            stamps = self.lock.client.hgetall(self.last_run_key)
        except redis.RedisError:
            return
        for name, stamp in stamps.items():
            entry = self.schedule.get(name.decode())
            sent_at = maybe_make_aware(datetime.fromisoformat(stamp.decode()))
            if entry is not None and sent_at > maybe_make_aware(entry.last_run_at):
                entry.last_run_at = sent_at
        self._heap = None  # rebuilt from the adopted times on this tick

    def close(self) -> None:
        try:
            if self.lock is not None and self.holding:
                self.lock.release()
        except redis.RedisError as error:
            logger.warning("beat: could not release the lock (%s); it expires by itself", error)
        finally:
            super().close()

    @property
    def info(self) -> str:
        lock = f"    . lock -> {self.lock.key} (ttl {self.lock.ttl_ms / 1000:g}s)" if self.lock else "    . lock -> none"
        return f"{super().info}\n{lock}"
