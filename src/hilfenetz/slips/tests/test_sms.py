"""Text messages against a local HTTP server that speaks seven.io's protocol (a real socket,
no mock): one message per answer, only to people who agreed, never twice."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.exchange.models import Conversation
from hilfenetz.exchange.services.answers import add_message
from hilfenetz.slips import services, sms, tasks
from hilfenetz.slips.models import TextMessage
from hilfenetz.slips.tests.factories import slip_for

pytestmark = pytest.mark.django_db

API_KEY = "test-key"


class SevenGateway(BaseHTTPRequestHandler):
    """POST /api/sms with X-Api-Key and a JSON body {to, text, from}; answers as seven.io:
    success "100", or "900" for a wrong key, "202" for a wrong number."""

    received: list

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/api/sms":
            code = "404"
        elif self.headers.get("X-Api-Key") != API_KEY:
            code = "900"
        elif not body.get("to", "").lstrip("+").isdigit() or not body.get("text"):
            code = "202"
        else:
            code = "100"
            self.received.append(body)
        answer = json.dumps({"success": code, "messages": [{"id": "77", "success": code == "100"}]})
        self.send_response(200)  # seven.io answers 200 and tells the result in "success"
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    handler = type("Handler", (SevenGateway,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/api/sms"
    settings.SMS_GATEWAY_KEY = API_KEY
    settings.SMS_SENDER = "Hilfenetz"
    yield handler.received
    server.shutdown()
    server.server_close()


def answer_from_helper(listing, body="Ich kann helfen."):
    helper = UserFactory(display_name="Jonas")
    conversation, _ = Conversation.objects.get_or_create(listing=listing, helper=helper)
    return add_message(conversation, helper, body)


def test_each_answer_sends_one_text_message_in_the_persons_language(
    gateway, listing, django_capture_on_commit_callbacks
):
    slip, _code = slip_for(listing, language="de", phone="+4915112345678", sms_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        message = answer_from_helper(listing)
    assert len(gateway) == 1
    assert gateway[0]["to"] == "+4915112345678" and gateway[0]["from"] == "Hilfenetz"
    assert listing.title[:20] in gateway[0]["text"] and "/z/" in gateway[0]["text"]
    notice = TextMessage.objects.get(message=message)
    assert notice.status == TextMessage.Status.SENT
    # the task running again (a retry, a second worker) sends nothing more
    assert tasks.send_text.call(notice.pk) == "done already"
    assert len(gateway) == 1


def test_the_persons_own_answer_and_people_who_did_not_agree_get_nothing(
    gateway, listing, django_capture_on_commit_callbacks
):
    slip, _code = slip_for(listing, phone="+4915112345678", sms_consent=True)
    without, _code = slip_for(listing)
    conversation = Conversation.objects.create(listing=listing, helper=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(slip, conversation, "Danke!")
    assert gateway == [] and not TextMessage.objects.exists()
    services.revoke(slip, listing.author)
    with django_capture_on_commit_callbacks(execute=True):
        answer_from_helper(listing)
    assert gateway == [] and not TextMessage.objects.exists()


def test_without_a_gateway_nothing_is_sent(listing, settings, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/api/sms"
    settings.SMS_GATEWAY_KEY = API_KEY
    slip_for(listing, phone="+4915112345678", sms_consent=True)
    settings.SMS_GATEWAY_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        answer_from_helper(listing)
    assert not TextMessage.objects.exists()


def test_a_refusal_is_kept_for_another_try(gateway, listing, settings):
    slip, _code = slip_for(listing, phone="+4915112345678", sms_consent=True)
    settings.SMS_GATEWAY_KEY = "wrong"
    message = answer_from_helper(listing)  # the commit hook does not run in this test
    notice = TextMessage.objects.get(message=message)
    with pytest.raises(sms.GatewayError, match="900"):
        tasks.send_text.call(notice.pk)
    notice.refresh_from_db()
    assert notice.status == TextMessage.Status.PENDING and "900" in notice.last_error
    settings.SMS_GATEWAY_KEY = API_KEY
    assert tasks.send_text.call(notice.pk) == "sent"
    assert len(gateway) == 1


def test_an_unreachable_gateway_is_an_error(listing, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/api/sms"
    with pytest.raises(sms.GatewayError):
        sms.send("+4915112345678", "Hallo")
    settings.SMS_GATEWAY_URL = "file:///etc/passwd"
    with pytest.raises(sms.GatewayError, match="http"):
        sms.send("+4915112345678", "Hallo")
