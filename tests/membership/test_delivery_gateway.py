"""The HTTP SMS gateway against a provider stub: a real HTTP server in a thread of the test process."""
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from membership import services
from membership.models import NoticeDelivery
from membership.sms import HttpGateway, PermanentSendError, TransientSendError

from . import test_delivery
from .test_delivery import PHONE, delivery_of, notice_for

sms_member = test_delivery.sms_member  # the unit tests' fixture


class GatewayStub:
    """An SMS provider's JSON API. Records every POST (`attempts` per idempotency key) and delivers each
    key once: a repeated key gets the first reply without a second message, as real providers do with
    a client message key. Answers the scripted `statuses` first; waits `latency` seconds per message;
    with `hold_at`, stops before answering that message (already delivered) until `release` is set."""

    def __init__(self, latency: float = 0.0, hold_at: int | None = None):
        self.latency, self.hold_at = latency, hold_at
        self.attempts: Counter = Counter()
        self.delivered: dict[str, dict] = {}
        self.statuses: list[int] = []
        self.held, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/send"

    @property
    def raw_attempts(self) -> int:
        return sum(self.attempts.values())

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def receive(self, message: dict) -> tuple[int, dict, bool]:
        """Record one POST; return the status, the reply and whether to hold it."""
        key = message["idempotency_key"]
        with self.lock:
            self.attempts[key] += 1
            if self.statuses:
                return self.statuses.pop(0), {"error": "scripted"}, False
            self.delivered.setdefault(key, {**message, "id": f"stub-{len(self.delivered) + 1}"})
            return 200, {"id": self.delivered[key]["id"]}, self.raw_attempts == self.hold_at

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                message["header_key"] = self.headers["Idempotency-Key"]
                status, reply, hold = stub.receive(message)
                if hold:
                    stub.held.set()
                    stub.release.wait(30)
                time.sleep(stub.latency)
                body = json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client died waiting (the chaos tests kill it): the message was taken anyway

            def log_message(self, *args):
                pass

        return Handler


def test_the_gateway_posts_json_with_the_key_and_returns_the_providers_id():
    # given
    with GatewayStub() as stub:
        # when
        ref = HttpGateway(url=stub.url).send(phone=PHONE, text="[복지멤버십] 알림", idempotency_key="notice-delivery-7")
    # then
    assert ref == "stub-1"
    assert stub.delivered == {"notice-delivery-7": {"to": PHONE, "text": "[복지멤버십] 알림", "id": "stub-1",
                                                    "idempotency_key": "notice-delivery-7",
                                                    "header_key": "notice-delivery-7"}}


@pytest.mark.parametrize(("status", "error"), [
    (500, TransientSendError), (503, TransientSendError), (429, TransientSendError), (408, TransientSendError),
    (400, PermanentSendError), (404, PermanentSendError), (422, PermanentSendError),
])
def test_server_errors_and_throttling_are_transient_other_refusals_permanent(status, error):
    # given
    with GatewayStub() as stub:
        stub.statuses = [status]
        # when
        with pytest.raises(error) as raised:
            HttpGateway(url=stub.url).send(phone=PHONE, text="t", idempotency_key="k")
    # then
    assert str(status) in str(raised.value)
    assert stub.delivered == {}


def test_an_unreachable_or_slow_gateway_is_transient():
    # given
    with GatewayStub() as closed:
        url = closed.url
    # when
    with GatewayStub(latency=1.0) as slow, pytest.raises(TransientSendError, match="unreachable: TimeoutError"):
        HttpGateway(url=slow.url, timeout=0.2).send(phone=PHONE, text="t", idempotency_key="k")
    with pytest.raises(TransientSendError, match="unreachable: URLError"):
        HttpGateway(url=url).send(phone=PHONE, text="t", idempotency_key="k")
    # then
    assert slow.attempts == Counter({"k": 1})


def test_only_an_http_url_is_accepted():
    # then
    with pytest.raises(ValueError, match="http"):
        HttpGateway(url="file:///etc/passwd")


def test_a_delivery_through_the_http_gateway_is_retried_after_a_503_and_failed_after_a_400(sms_member, settings):
    # given
    settings.SMS_GATEWAY = "membership.sms.HttpGateway"
    first, second = (delivery_of(notice_for(sms_member), "sms") for _ in range(2))
    with GatewayStub() as stub:
        settings.SMS_GATEWAY_URL = stub.url
        stub.statuses = [503, 400]
        # when
        waits = [services.notice_deliver(delivery_id=first.pk), services.notice_deliver(delivery_id=second.pk)]
        NoticeDelivery.objects.filter(pk=first.pk).update(send_after=first.created_at)  # the backoff is over
        services.notice_deliver(delivery_id=first.pk)
    # then
    assert waits == [15, None]
    rows = {d.pk: (d.status, d.attempts, d.provider_ref, d.last_error) for d in NoticeDelivery.objects.filter(channel="sms")}
    assert rows == {first.pk: ("sent", 2, "stub-1", ""), second.pk: ("failed", 1, "", "gateway refused: HTTP 400")}
    assert stub.attempts == Counter({f"notice-delivery-{first.pk}": 2, f"notice-delivery-{second.pk}": 1})
