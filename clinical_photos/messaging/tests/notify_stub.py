"""A local stand-in for GOV.UK Notify's API, speaking its protocol over real HTTP.

It serves `POST /v2/notifications/sms` at its root (the client joins paths onto base_url),
checks the JWT every request carries as Notify does (HS256, signed with the key's secret, `iss`
the service id, `iat` within 30 seconds), validates the body, and answers in Notify's shapes.
Tests can make it answer the next requests with an error, to see retries and failures.

Reference: https://docs.notifications.service.gov.uk/rest-api.html
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

# Notify accepts tokens issued up to 30 seconds either side of its own clock.
IAT_LEEWAY_SECONDS = 30

ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
}
ERROR_MESSAGES = {
    400: "Can't send to this recipient using a team-only API key",
    429: "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    500: "Internal server error",
}


@dataclass
class ReceivedRequest:
    path: str
    json: dict | None
    claims: dict | None
    status: int
    answer: dict


@dataclass
class NotifyStub:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    key_name: str = "clinical_photos_test"
    received: list[ReceivedRequest] = field(default_factory=list)
    _failures: list[tuple[int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def api_key(self) -> str:
        """A key in Notify's format: {key_name}-{service_id}-{secret}."""
        return f"{self.key_name}-{self.service_id}-{self.secret}"

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stub first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def accepted(self) -> list[ReceivedRequest]:
        return [r for r in self.received if r.status == 201]

    def fail_next(self, status: int, *, count: int = 1, message: str | None = None) -> None:
        """Answer the next `count` well-formed, authorised requests with `status`."""
        with self._lock:
            self._failures.extend(
                [(status, message or ERROR_MESSAGES.get(status, "Error"))] * count
            )

    def start(self) -> "NotifyStub":
        stub = self

        class Handler(_Handler):
            notify = stub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; the port is closed afterwards. Safe to call twice."""
        if self._thread is not None and self._thread.is_alive():
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    # What the handler calls, one request at a time.

    def handle(self, path: str, authorization: str, raw_body: bytes) -> tuple[int, dict]:
        claims, auth_error = self._check_token(authorization)
        if auth_error is not None:
            return self._record(path, None, claims, auth_error)
        if path != "/v2/notifications/sms":
            return self._record(path, None, claims, (404, _errors(404, "ResourceNotFound")))
        try:
            body = json.loads(raw_body)
        except ValueError:
            return self._record(path, None, claims, (400, _errors(400, "Invalid JSON supplied")))
        problem = self._validate(body)
        if problem is not None:
            return self._record(path, body, claims, (400, _errors(400, problem, "ValidationError")))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            status, message = failure
            return self._record(path, body, claims, (status, _errors(status, message)))
        notification_id = str(uuid.uuid4())
        return self._record(
            path,
            body,
            claims,
            (
                201,
                {
                    "id": notification_id,
                    "reference": body.get("reference"),
                    "content": {"body": body["personalisation"]["message"], "from_number": "NHS"},
                    "uri": f"{self.url}/v2/notifications/{notification_id}",
                    "template": {
                        "id": self.template_id,
                        "version": 1,
                        "uri": f"{self.url}/v2/template/{self.template_id}",
                    },
                },
            ),
        )

    def _record(self, path, body, claims, answer) -> tuple[int, dict]:
        status, payload = answer
        with self._lock:
            self.received.append(
                ReceivedRequest(path=path, json=body, claims=claims, status=status, answer=payload)
            )
        return status, payload

    def _check_token(self, authorization: str) -> tuple[dict | None, tuple[int, dict] | None]:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return None, (401, _errors(401, "Unauthorized: authentication token must be provided"))
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            return None, (403, _errors(403, "Invalid token: signature"))
        if unverified.get("iss") != self.service_id:
            return unverified, (403, _errors(403, "Invalid token: service not found"))
        try:
            claims = jwt.decode(
                token, key=self.secret, algorithms=["HS256"], options={"require": ["iss", "iat"]}
            )
        except jwt.InvalidTokenError:
            return unverified, (403, _errors(403, "Invalid token: API key not found"))
        if abs(time.time() - int(claims["iat"])) > IAT_LEEWAY_SECONDS:
            return claims, (
                403,
                _errors(403, "Error: Your system clock must be accurate to within 30 seconds"),
            )
        return claims, None

    def _validate(self, body) -> str | None:
        if not isinstance(body, dict):
            return "JSON body must be an object"
        phone = body.get("phone_number")
        if not isinstance(phone, str):
            return "phone_number is a required property"
        digits = phone.replace(" ", "")
        if not (digits.startswith("+447") or digits.startswith("07")):
            return "phone_number Not a UK mobile number"
        if body.get("template_id") != self.template_id:
            return "template_id is not a valid template for this service"
        personalisation = body.get("personalisation")
        # The service's template is "((message))".
        if not isinstance(personalisation, dict) or not personalisation.get("message"):
            return "Missing personalisation: message"
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            return "reference is not a string"
        return None


def _errors(status: int, message: str, name: str | None = None) -> dict:
    """Notify's error shape."""
    return {
        "status_code": status,
        "errors": [{"error": name or ERROR_NAMES.get(status, "Error"), "message": message}],
    }


class _Handler(BaseHTTPRequestHandler):
    notify: NotifyStub

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length)
        status, payload = self.notify.handle(
            self.path, self.headers.get("Authorization", ""), raw_body
        )
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        # Quiet: the test output is no place for request lines.
        pass
