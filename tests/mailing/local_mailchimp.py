"""A local Mailchimp for tests: the Marketing API endpoints Letterpress uses, in memory.

Every request is checked against Mailchimp's own OpenAPI document (spec/, vendored): the path
and method must be an operation of the spec, every query parameter must be declared and of the
declared type, and the JSON body must validate against the operation's request schema (made strict:
a property the schema does not name is an error, so a misspelt field cannot pass). A request that
fails is answered 400 *and* recorded in `violations`; the fixture fails the test on any.
"""

import asyncio
import base64
import dataclasses
import datetime as dt
import hashlib
import json
import re
import secrets
import threading
import time
from pathlib import Path

import jsonschema
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# The operations we call, cut from Mailchimp's OpenAPI document 3.0.81 by spec/extract.py.
SPEC_PATH = Path(__file__).with_name("spec") / "marketing-operations.openapi.json"
PROBLEM_TYPE = "https://mailchimp.com/developer/marketing/docs/errors/"
METHODS = ("get", "post", "put", "patch", "delete")


# Where the spec contradicts Mailchimp's own documentation and API, and how we read it instead.
# Each correction must still find what it corrects: if the spec is fixed, loading fails loudly.
SPEC_CORRECTIONS = (
    (
        # Merge field values are strings for text fields (FNAME, LNAME) and objects only for
        # addresses: Mailchimp's "Merge fields" guide sends {"FNAME": "Elinore"}. The spec's
        # generator typed every value as an object.
        ("Add_List_Members_2", "properties", "merge_fields", "additionalProperties"),
        {"type": "object"},
        {"type": ["string", "object"]},
    ),
)


def _corrected(components: dict) -> dict:
    for path, wrong, right in SPEC_CORRECTIONS:
        *parents, last = path
        holder = components["schemas"]
        for key in parents:
            holder = holder[key]
        found = {k: v for k, v in holder[last].items() if k != "description"}
        if found != wrong:
            raise AssertionError(f"spec correction at {'/'.join(path)} no longer applies: {found}")
        holder[last] = {**holder[last], **right}
    return components


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
    body_schema: dict | None


class Spec:
    """The operations of the OpenAPI document, ready to match and validate requests."""

    def __init__(self, path: Path = SPEC_PATH):
        document = json.loads(path.read_text(encoding="utf-8"))
        self.components = _strict(_corrected(document["components"]))
        self.operations: list[Operation] = []
        for template, item in document["paths"].items():
            pattern = re.compile(
                "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            )
            for method in METHODS:
                if method not in item:
                    continue
                operation = item[method]
                parameters = {
                    p["name"]: p
                    for p in [*item.get("parameters", []), *operation.get("parameters", [])]
                }
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                self.operations.append(
                    Operation(
                        method.upper(),
                        template,
                        pattern,
                        parameters,
                        _strict(body["schema"]) if body else None,
                    )
                )

    def match(self, method: str, path: str) -> tuple[Operation, dict] | None:
        for operation in self.operations:
            found = operation.pattern.match(path)
            if found and operation.method == method:
                return operation, found.groupdict()
        return None

    def check(self, schema: dict, value, where: str) -> list[str]:
        validator = jsonschema.Draft7Validator({"allOf": [schema], "components": self.components})
        return [
            f"{where}{'.' + '.'.join(map(str, e.absolute_path)) if e.absolute_path else ''}: "
            f"{e.message}"
            for e in validator.iter_errors(value)
        ]

    def check_query(self, operation: Operation, query: list[tuple[str, str]]) -> list[str]:
        problems = []
        for name, raw in query:
            parameter = operation.parameters.get(name)
            if parameter is None or parameter["in"] != "query":
                problems.append(f"query parameter {name!r} is not in the spec for this operation")
                continue
            schema = parameter.get("schema", {})
            value = _typed(raw, schema)
            problems += self.check(schema, value, f"query {name}")
        given = {key for key, _ in query}
        for name, parameter in operation.parameters.items():
            if parameter["in"] == "query" and parameter.get("required") and name not in given:
                problems.append(f"required query parameter {name!r} is missing")
        return problems


def _typed(raw: str, schema: dict):
    kind = schema.get("type")
    if kind == "array":
        return raw.split(",")
    if kind == "integer":
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


def problem(status: int, title: str, detail: str, errors: list | None = None) -> JSONResponse:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    body["instance"] = secrets.token_hex(8)
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


@dataclasses.dataclass
class Fault:
    """Make one operation misbehave: answer `status` without acting, or act and then stall for
    `delay` seconds (longer than the client's timeout) so the answer never arrives."""

    status: int | None = None
    delay: float = 0.0
    times: int = 1


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    query: list
    body: object
    status: int = 0

    @property
    def writes(self) -> bool:
        return self.method != "GET"


class LocalMailchimp:
    """State (campaigns, members) and the Starlette app that serves it."""

    def __init__(self, api_key: str, list_id: str, spec: Spec):
        self.api_key = api_key
        self.list_id = list_id
        self.spec = spec
        self.campaigns: dict[str, dict] = {}
        self.members: dict[str, dict] = {}
        self.tests_sent: list[dict] = []
        self.requests: list[Seen] = []
        self.violations: list[str] = []
        self.faults: dict[tuple[str, str], Fault] = {}
        self.checklist_problems: list[dict] = []
        self.headers_seen: list[dict] = []
        self.app = Starlette(routes=[Route("/3.0/{rest:path}", self.handle, methods=METHODS)])

    # -- helpers for tests -------------------------------------------------------------------

    def reset(self) -> list[str]:
        """Forget everything (for a server shared by several tests); returns the violations."""
        violations = list(self.violations)
        for store in (self.campaigns, self.members, self.faults):
            store.clear()
        for log in (self.tests_sent, self.requests, self.violations, self.checklist_problems):
            log.clear()
        self.headers_seen.clear()
        return violations

    def fail(self, method: str, template: str, status: int | None = None, delay: float = 0.0):
        self.faults[(method, template)] = Fault(status=status, delay=delay)

    def writes(self) -> list[Seen]:
        return [seen for seen in self.requests if seen.writes]

    # -- the HTTP side -----------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        path = "/" + request.path_params["rest"]
        raw = await request.body()
        text = raw.decode("utf-8")
        body = json.loads(text) if text.strip() else None
        query = list(request.query_params.multi_items())
        seen = Seen(request.method, path, query, body)
        self.requests.append(seen)
        self.headers_seen.append(dict(request.headers))
        response = await self._answer(request, path, query, body, text)
        seen.status = response.status_code
        return response

    async def _answer(self, request, path, query, body, text) -> Response:
        if not self._authorised(request.headers.get("authorization", "")):
            return problem(
                401,
                "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            )
        matched = self.spec.match(request.method, path)
        if matched is None:
            return self._violation(f"{request.method} {path} is not an operation of the spec")
        operation, path_params = matched
        problems = self.spec.check_query(operation, query)
        if operation.body_schema is None:
            # The client sends the JSON text `null` when an operation takes no body.
            if body is not None:
                problems.append(f"{operation.template} takes no body, got {text[:80]!r}")
        elif body is None:
            problems.append(f"{operation.template} needs a JSON body")
        else:
            problems += self.spec.check(operation.body_schema, body, "body")
        if problems:
            return self._violation(f"{request.method} {path}: " + "; ".join(problems))
        handler = HANDLERS.get((operation.method, operation.template))
        if handler is None:
            return self._violation(f"{operation.method} {operation.template} is not implemented")
        fault = self.faults.get((operation.method, operation.template))
        if fault and fault.times > 0:
            fault.times -= 1
            if fault.status:
                return problem(fault.status, "Internal Server Error", "Something went wrong.")
            response = handler(self, path_params, dict(query), body)
            await asyncio.sleep(fault.delay)
            return response
        return handler(self, path_params, dict(query), body)

    def _authorised(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _, _, key = base64.b64decode(encoded).decode().partition(":")
        except ValueError:
            return False
        return secrets.compare_digest(key, self.api_key)

    def _violation(self, message: str) -> Response:
        self.violations.append(message)
        return problem(400, "Invalid Request (local Mailchimp)", message)

    # -- the operations ----------------------------------------------------------------------

    def campaign(self, campaign_id: str) -> dict | None:
        return self.campaigns.get(campaign_id)

    def list_campaigns(self, params, query, body):
        found = [
            c for c in self.campaigns.values() if c["recipients"]["list_id"] == query.get("list_id")
        ]
        offset, count = int(query.get("offset", 0)), int(query.get("count", 10))
        return JSONResponse(
            {"campaigns": found[offset : offset + count], "total_items": len(found)}
        )

    def create_campaign(self, params, query, body):
        if body["recipients"]["list_id"] != self.list_id:
            return problem(400, "Invalid Resource", "The list does not exist.")
        campaign_id = secrets.token_hex(5)
        self.campaigns[campaign_id] = {
            "id": campaign_id,
            "type": body["type"],
            "status": "save",
            "recipients": body["recipients"],
            "settings": dict(body.get("settings", {})),
            "content": {},
            "send_time": "",
            "emails_sent": 0,
            "create_time": _now(),
        }
        return JSONResponse(self.campaigns[campaign_id])

    def get_campaign(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        return JSONResponse(campaign)

    def update_campaign(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        if campaign["status"] in {"sending", "sent"}:
            return problem(400, "Bad Request", "This campaign has already been sent.")
        reply_to = body["settings"].get("reply_to", "")
        if "@" not in reply_to:
            return problem(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated. For field-specific details, "
                "see the 'errors' array.",
                [{"field": "settings.reply_to", "message": "This value should be a valid email."}],
            )
        campaign["settings"].update(body["settings"])
        return JSONResponse(campaign)

    def set_content(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        if campaign["status"] in {"sending", "sent"}:
            return problem(400, "Bad Request", "This campaign has already been sent.")
        campaign["content"] = {"html": body.get("html"), "plain_text": body.get("plain_text")}
        return JSONResponse(campaign["content"])

    def checklist(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        items = list(self.checklist_problems)
        if not campaign["content"].get("html"):
            items.append(_item("error", "Content", "Your campaign has no content."))
        if campaign["status"] in {"sending", "sent"}:
            items.append(_item("error", "Already sent", "This campaign has already been sent."))
        ready = not any(item["type"] == "error" for item in items)
        return JSONResponse({"is_ready": ready, "items": items})

    def send_test(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        self.tests_sent.append({"campaign": campaign["id"], **body})
        return Response(status_code=204)

    def schedule(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        when = dt.datetime.fromisoformat(body["schedule_time"])
        if when.utcoffset() != dt.timedelta(0) or when.minute % 15 or when.second:
            return problem(400, "Invalid Resource", "Schedule time must be on the quarter-hour.")
        if campaign["status"] in {"sending", "sent"}:
            return problem(400, "Bad Request", "This campaign has already been sent.")
        campaign.update(status="schedule", send_time=when.isoformat())
        return Response(status_code=204)

    def send(self, params, query, body):
        campaign = self.campaign(params["campaign_id"])
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        if campaign["status"] in {"sending", "sent"}:
            return problem(400, "Bad Request", "Your campaign has already been sent.")
        subscribed = [m for m in self.members.values() if m["status"] == "subscribed"]
        campaign.update(status="sent", send_time=_now(), emails_sent=len(subscribed))
        return Response(status_code=204)

    def get_member(self, params, query, body):
        member = self.members.get(params["subscriber_hash"])
        if member is None or params["list_id"] != self.list_id:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        # Mailchimp answers tags as objects; they are kept here as names.
        tags = [{"id": number, "name": name} for number, name in enumerate(member["tags"], 1)]
        return JSONResponse({**member, "tags": tags})

    def delete_member_permanently(self, params, query, body):
        if params["list_id"] != self.list_id or params["subscriber_hash"] not in self.members:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        del self.members[params["subscriber_hash"]]
        return Response(status_code=204)

    def put_member(self, params, query, body):
        if params["list_id"] != self.list_id:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        expected = hashlib.md5(body["email_address"].lower().encode()).hexdigest()
        if params["subscriber_hash"] != expected:
            return self._violation(f"subscriber hash {params['subscriber_hash']} is not the MD5")
        member = self.members.get(expected)
        if member is None:
            member = {
                "id": expected,
                "email_address": body["email_address"],
                "status": body["status_if_new"],
                "merge_fields": {},
                "tags": [],
            }
            self.members[expected] = member
        if "status" in body:
            member["status"] = body["status"]
        member["merge_fields"].update(body.get("merge_fields", {}))
        return JSONResponse(member)

    def tag_member(self, params, query, body):
        member = self.members.get(params["subscriber_hash"])
        if member is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        for tag in body["tags"]:
            if tag["status"] == "active" and tag["name"] not in member["tags"]:
                member["tags"].append(tag["name"])
            elif tag["status"] == "inactive" and tag["name"] in member["tags"]:
                member["tags"].remove(tag["name"])
        return Response(status_code=204)


def _item(kind: str, heading: str, details: str) -> dict:
    return {"type": kind, "id": secrets.randbelow(10_000), "heading": heading, "details": details}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


HANDLERS = {
    ("GET", "/campaigns"): LocalMailchimp.list_campaigns,
    ("POST", "/campaigns"): LocalMailchimp.create_campaign,
    ("GET", "/campaigns/{campaign_id}"): LocalMailchimp.get_campaign,
    ("PATCH", "/campaigns/{campaign_id}"): LocalMailchimp.update_campaign,
    ("PUT", "/campaigns/{campaign_id}/content"): LocalMailchimp.set_content,
    ("GET", "/campaigns/{campaign_id}/send-checklist"): LocalMailchimp.checklist,
    ("POST", "/campaigns/{campaign_id}/actions/test"): LocalMailchimp.send_test,
    ("POST", "/campaigns/{campaign_id}/actions/schedule"): LocalMailchimp.schedule,
    ("POST", "/campaigns/{campaign_id}/actions/send"): LocalMailchimp.send,
    ("GET", "/lists/{list_id}/members/{subscriber_hash}"): LocalMailchimp.get_member,
    ("PUT", "/lists/{list_id}/members/{subscriber_hash}"): LocalMailchimp.put_member,
    ("POST", "/lists/{list_id}/members/{subscriber_hash}/tags"): LocalMailchimp.tag_member,
    (
        "POST",
        "/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent",
    ): LocalMailchimp.delete_member_permanently,
}


class Served:
    """Run an ASGI app with uvicorn on a free loopback port in a background thread."""

    def __init__(self, app, port: int):
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the local server on {self.url} did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
