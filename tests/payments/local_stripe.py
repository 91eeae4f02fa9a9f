"""A local Stripe for tests: Checkout Sessions and refunds in memory, and webhooks signed as Stripe
signs them.

Every request the real `stripe` library sends is checked against Stripe's own OpenAPI description
(spec/, vendored): the path and method must be an operation of the extract, the form-encoded body
(`line_items[0][price_data][currency]=usd`) is decoded, typed by the schema and validated
strictly (a parameter the schema does not name is an error), and so are the query parameters. A
request that fails is answered 400 as Stripe answers (`{"error": {"type":
"invalid_request_error", ...}}`) *and* recorded in `violations`; the fixture fails the test on
any. Idempotency keys behave as Stripe's do: the same key and parameters get the first answer
again, the same key with other parameters is an error.

Answers are Stripe's example objects (spec/stripe-fixtures.json) with our values laid over them.
"""

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import jsonschema
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SPEC_FOLDER = Path(__file__).with_name("spec")
SPEC_PATH = SPEC_FOLDER / "stripe-operations.openapi.json"
FIXTURES_PATH = SPEC_FOLDER / "stripe-fixtures.json"
FORM = "application/x-www-form-urlencoded"
# Stripe's rule for a Checkout Session's expires_at (the create call's documentation).
SHORTEST_SESSION = dt.timedelta(minutes=30)
LONGEST_SESSION = dt.timedelta(hours=24)


def _strict(schema):
    """Forbid properties a schema does not name, everywhere it names some."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


@dataclasses.dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern
    parameters: dict  # name -> parameter object (path and query)
    body_schema: dict


class Spec:
    """The extract's operations, ready to match and validate requests."""

    def __init__(self, path: Path = SPEC_PATH):
        document = json.loads(path.read_text(encoding="utf-8"))
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            pattern = re.compile(
                "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            )
            for method, operation in item.items():
                body = operation.get("requestBody", {}).get("content", {}).get(FORM, {})
                self.operations.append(
                    Operation(
                        method.upper(),
                        template,
                        pattern,
                        {p["name"]: p for p in operation.get("parameters", [])},
                        _strict(body.get("schema", {"type": "object"})),
                    )
                )

    def match(self, method: str, path: str) -> tuple[Operation, dict] | None:
        for operation in self.operations:
            found = operation.pattern.match(path)
            if found and operation.method == method:
                return operation, found.groupdict()
        return None


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """`a[b][0][c]=v` pairs, as the stripe library encodes parameters, back into nested data.
    Lists come back as lists (their keys are 0, 1, ...)."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        holder = root
        for part in parts[:-1]:
            holder = holder.setdefault(part, {})
        holder[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        node = {key: _lists(value) for key, value in node.items()}
        if node and all(key.isdigit() for key in node):
            return [node[key] for key in sorted(node, key=int)]
    return node


def typed(value, schema: dict):
    """Form values are strings; give each the type its schema names (as Stripe's API does)."""
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            candidate = typed(value, option)
            if jsonschema.Draft7Validator(option).is_valid(candidate):
                return candidate
        return value
    kind = schema.get("type")
    if kind == "integer" and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {
            key: typed(item, properties.get(key, extra if isinstance(extra, dict) else {}))
            for key, item in value.items()
        }
    if kind == "array" and isinstance(value, list):
        return [typed(item, schema.get("items", {})) for item in value]
    return value


def problems(schema: dict, value, where: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{where}{'.' + '.'.join(map(str, e.absolute_path)) if e.absolute_path else ''}: "
        f"{e.message}"
        for e in validator.iter_errors(value)
    ]


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<payload>")."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def stripe_error(status: int, message: str, kind: str = "invalid_request_error", **extra):
    return JSONResponse({"error": {"type": kind, "message": message, **extra}}, status_code=status)


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    params: dict
    idempotency_key: str
    status: int = 0


class LocalStripe:
    """State (sessions, refunds, delivered events) and the Starlette app that serves it."""

    def __init__(
        self, api_key: str, webhook_secret: str, clock: Callable[[], dt.datetime] | None = None
    ):
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.spec = Spec()
        self.fixtures = json.loads(FIXTURES_PATH.read_text(encoding="utf-8"))["resources"]
        self.url = ""
        self.webhook_url = ""
        self.lock = threading.Lock()
        self.reset()
        self.app = Starlette(
            routes=[
                Route("/v1/{rest:path}", self.handle, methods=["GET", "POST", "DELETE"]),
            ]
        )

    def reset(self) -> list[str]:
        """Forget everything; returns the violations seen since the last reset."""
        violations = getattr(self, "violations", [])
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.requests: list[Seen] = []
        self.violations: list[str] = []
        self.remembered: dict[str, tuple[str, int, dict]] = {}  # idempotency key -> answer
        self.failures: dict[str, int] = {}  # operation template -> answers of 500 to give
        return violations

    # -- the API --

    async def handle(self, request: Request):
        path = request.url.path
        if request.headers.get("authorization", "") != f"Bearer {self.api_key}":
            return stripe_error(401, "Invalid API Key provided.")
        found = self.spec.match(request.method, path)
        query = parse_qsl(request.url.query, keep_blank_values=True)
        body = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        if found is None:
            return self._refuse(request, f"{request.method} {path} is not an operation we call")
        operation, path_params = found
        params = typed(decode_form(body), operation.body_schema)
        errors = problems(operation.body_schema, params, "body")
        query_params = decode_form(query)
        for name, value in query_params.items():
            declared = operation.parameters.get(name)
            if declared is None or declared["in"] != "query":
                errors.append(f"query parameter {name!r} is not in the description")
                continue
            errors += problems(declared["schema"], typed(value, declared["schema"]), name)
        for name, value in path_params.items():
            errors += problems(operation.parameters[name]["schema"], value, name)
        key = request.headers.get("idempotency-key", "")
        seen = Seen(request.method, path, params, key)
        with self.lock:
            self.requests.append(seen)
        if errors:
            return self._refuse(request, "; ".join(errors), seen)
        if self.failures.get(operation.template, 0) > 0:
            self.failures[operation.template] -= 1
            seen.status = 500
            return stripe_error(
                500, "An unknown error occurred (a fault made by the test).", "api_error"
            )
        fingerprint = json.dumps([path, params], sort_keys=True)
        with self.lock:
            if key and key in self.remembered:
                first, status, answer = self.remembered[key]
                if first != fingerprint:
                    seen.status = 400
                    return stripe_error(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters "
                        "they were first used with.",
                        "idempotency_error",
                    )
                seen.status = status
                return JSONResponse(
                    answer, status_code=status, headers={"Idempotent-Replayed": "true"}
                )
            status, answer = self._act(operation.template, path_params, params)
            if key and request.method == "POST":
                self.remembered[key] = (fingerprint, status, answer)
        seen.status = status
        return JSONResponse(answer, status_code=status)

    def _refuse(self, request: Request, message: str, seen: Seen | None = None):
        self.violations.append(f"{request.method} {request.url.path}: {message}")
        if seen is not None:
            seen.status = 400
        return stripe_error(400, message)

    def _act(self, template: str, path_params: dict, params: dict) -> tuple[int, dict]:
        if template == "/v1/checkout/sessions":
            return self._create_session(params)
        if template == "/v1/checkout/sessions/{session}":
            session = self.sessions.get(path_params["session"])
            return (200, session) if session else self._missing("checkout.session", path_params)
        if template == "/v1/checkout/sessions/{session}/expire":
            session = self.sessions.get(path_params["session"])
            if session is None:
                return self._missing("checkout.session", path_params)
            if session["status"] != "open":
                message = (
                    'Only Checkout Sessions with a status in ["open"] can be expired; '
                    f"this one is {session['status']}."
                )
                return 400, {"error": {"type": "invalid_request_error", "message": message}}
            session["status"] = "expired"
            return 200, session
        if template == "/v1/refunds":
            return self._create_refund(params)
        raise AssertionError(template)

    def _missing(self, kind: str, path_params: dict) -> tuple[int, dict]:
        name = next(iter(path_params.values()))
        message = f"No such {kind}: '{name}'"
        return 404, {"error": {"type": "invalid_request_error", "message": message}}

    def _create_session(self, params: dict) -> tuple[int, dict]:
        now = self.clock()
        expires = params.get("expires_at")
        if expires is not None:
            moment = dt.datetime.fromtimestamp(expires, dt.UTC)
            if not now + SHORTEST_SESSION <= moment <= now + LONGEST_SESSION:
                message = (
                    "The `expires_at` timestamp must be between 30 minutes and 24 hours "
                    "from Checkout Session creation."
                )
                return 400, {"error": {"type": "invalid_request_error", "message": message}}
        if params.get("mode") != "payment" or not params.get("success_url"):
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "message": "mode=payment and success_url are required here.",
                }
            }
        total = sum(
            item["price_data"]["unit_amount"] * item.get("quantity", 1)
            for item in params.get("line_items", [])
        )
        currencies = {item["price_data"]["currency"] for item in params.get("line_items", [])}
        session_id = "cs_test_" + secrets.token_urlsafe(24).replace("-", "a").replace("_", "b")
        session = json.loads(json.dumps(self.fixtures["checkout.session"]))
        session.update(
            id=session_id,
            created=int(now.timestamp()),
            expires_at=expires or int((now + LONGEST_SESSION).timestamp()),
            amount_subtotal=total,
            amount_total=total,
            currency=currencies.pop() if len(currencies) == 1 else None,
            customer_email=params.get("customer_email"),
            metadata=params.get("metadata", {}),
            mode="payment",
            payment_intent=None,
            payment_status="unpaid",
            status="open",
            success_url=params["success_url"],
            url=f"{self.url}/pay/{session_id}",
        )
        session["_line_items"] = params.get("line_items", [])
        self.sessions[session_id] = session
        return 200, self._public(session)

    def _create_refund(self, params: dict) -> tuple[int, dict]:
        intent = params.get("payment_intent")
        paid = [s for s in self.sessions.values() if intent and s["payment_intent"] == intent]
        if not paid:
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "message": f"No such payment_intent: '{intent}'",
                }
            }
        already = sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent)
        amount = params.get("amount", paid[0]["amount_total"] - already)
        if amount <= 0 or already + amount > paid[0]["amount_total"]:
            message = f"Refund amount ({amount}) is greater than unrefunded amount on charge."
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "message": message,
                    "code": "charge_already_refunded",
                }
            }
        refund = json.loads(json.dumps(self.fixtures["refund"]))
        refund.update(
            id="re_" + secrets.token_hex(12),
            amount=amount,
            currency=paid[0]["currency"],
            payment_intent=intent,
            metadata=params.get("metadata", {}) or {},
            reason=params.get("reason"),
            created=int(self.clock().timestamp()),
            status="succeeded",
        )
        self.refunds.append(refund)
        return 200, refund

    @staticmethod
    def _public(session: dict) -> dict:
        return {k: v for k, v in session.items() if not k.startswith("_")}

    # -- what a buyer and Stripe's servers do --

    def pay(self, session_id: str, *, paid: bool = True) -> dict:
        """The buyer completes the Checkout page; `paid=False` is a delayed payment method
        (the money arrives later: `settle`). Returns the session as Stripe then holds it."""
        with self.lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise AssertionError(f"{session_id} is {session['status']}, not open")
            session["status"] = "complete"
            session["payment_intent"] = "pi_" + secrets.token_hex(12)
            session["payment_status"] = "paid" if paid else "unpaid"
            return self._public(session)

    def settle(self, session_id: str) -> dict:
        with self.lock:
            session = self.sessions[session_id]
            session["payment_status"] = "paid"
            return self._public(session)

    def expire_now(self, session_id: str) -> dict:
        """Stripe's own expiry at expires_at."""
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "expired"
            return self._public(session)

    def event(self, kind: str, data: dict) -> dict:
        """An Event object as Stripe sends it to a webhook endpoint."""
        event = json.loads(json.dumps(self.fixtures["event"]))
        event.update(
            id="evt_" + secrets.token_hex(12),
            type=kind,
            created=int(self.clock().timestamp()),
            data={"object": data},
            api_version="2026-10-28.endive",
        )
        return event

    def deliver(
        self, event: dict, *, secret: str | None = None, timestamp: int | None = None
    ) -> httpx.Response:
        """POST the event to the webhook endpoint, signed (with `secret`, default the real one)."""
        payload = json.dumps(event).encode()
        header = sign(payload, secret or self.webhook_secret, timestamp)
        with httpx.Client(timeout=30, trust_env=False) as client:
            return client.post(
                self.webhook_url,
                content=payload,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"},
            )

    def requests_to(self, template_path: str, method: str = "POST") -> list[Seen]:
        return [r for r in self.requests if r.path == template_path and r.method == method]

    def refunds_of(self, intent: str) -> list[dict]:
        return [r for r in self.refunds if r["payment_intent"] == intent]
