import pytest
from django.core.management import call_command

from membership import services
from membership.models import Consent

ALL_ITEMS = {Consent.Item.TERMS, Consent.Item.INCOME_ASSETS, Consent.Item.NOTICE_EMAIL, Consent.Item.NOTICE_SMS}


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


@pytest.fixture
def member(citizen):
    """The citizen, enrolled online with every consent item."""
    citizen.email = "citizen@example.kr"
    citizen.save()
    services.membership_enroll(member=citizen, items=ALL_ITEMS, acting_user=citizen)
    return citizen


@pytest.fixture
def other_member(other_citizen):
    services.membership_enroll(member=other_citizen, items={Consent.Item.TERMS}, acting_user=other_citizen)
    return other_citizen


@pytest.fixture
def tasks_in_process(settings):
    """Run enqueued tasks in this process, as `make run` without a broker does, even when REDIS_URL is set
    (CI): these tests follow a task's effect; tests/integration runs the same tasks on a real worker."""
    from config.celery_app import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
