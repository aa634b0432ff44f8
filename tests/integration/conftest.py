"""Fixtures of the integration tests: a private Redis, and this process publishing to it."""
import pytest

from .processes import PrivateRedis, publishing_to


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(private_redis) -> str:
    return private_redis.url


@pytest.fixture
def broker(private_redis):
    """This process's Celery app, publishing to the private Redis."""
    with publishing_to(private_redis.url) as app:
        yield app
