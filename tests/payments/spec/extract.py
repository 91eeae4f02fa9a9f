"""Re-extract the vendored part of Stripe's OpenAPI description and its example objects.

The local Stripe in tests/payments validates every request the `stripe` library makes against the
operations Letterpress calls, and answers with objects shaped like Stripe's own examples. This
script cuts those operations out of the full description (spec3.json, several megabytes) and the
example objects out of fixtures3.json, both from the public repository stripe/openapi:

    python tests/payments/spec/extract.py spec3.json fixtures3.json

writes stripe-operations.openapi.json and stripe-fixtures.json beside this file. Add an operation
to OPERATIONS when the code calls a new endpoint, or a parameter to its list when the code sends a
new one: the local server answers 400 to an operation, or a parameter, that is not in the extract,
so the test fails until the extract (and so Stripe's own schema) says it is allowed.
"""

import json
import sys
from pathlib import Path

FORM = "application/x-www-form-urlencoded"
# (path, method) -> the request body's parameters kept, or None for all of them. The create
# call's body has some 150 parameters (every payment method's options); we keep those we send.
OPERATIONS = {
    ("/v1/checkout/sessions", "post"): (
        "customer_email",
        "expires_at",
        "line_items",
        "metadata",
        "mode",
        "submit_type",
        "success_url",
    ),
    ("/v1/checkout/sessions/{session}", "get"): None,
    ("/v1/checkout/sessions/{session}/expire", "post"): None,
    ("/v1/refunds", "post"): None,
}
FIXTURES = ("checkout.session", "event", "refund")
HERE = Path(__file__).parent
OPERATIONS_FILE = HERE / "stripe-operations.openapi.json"
FIXTURES_FILE = HERE / "stripe-fixtures.json"
DROPPED_KEYS = {"description", "responses"}


def without_prose(node):
    """The node without descriptions (prose) or responses (the server answers from fixtures)."""
    if isinstance(node, dict):
        return {k: without_prose(v) for k, v in node.items() if k not in DROPPED_KEYS}
    if isinstance(node, list):
        return [without_prose(item) for item in node]
    return node


def cut_operation(operation: dict, kept: tuple[str, ...] | None) -> dict:
    operation = without_prose(operation)
    body = operation.get("requestBody", {}).get("content", {}).get(FORM)
    if body and kept is not None:
        properties = body["schema"]["properties"]
        missing = [name for name in kept if name not in properties]
        if missing:
            raise SystemExit(f"the description has no parameter {', '.join(missing)}")
        body["schema"]["properties"] = {name: properties[name] for name in kept}
        body["encoding"] = {k: v for k, v in body.get("encoding", {}).items() if k in kept}
    return operation


def extract(spec: dict, fixtures: dict) -> tuple[dict, dict]:
    paths: dict = {}
    for (path, method), kept in OPERATIONS.items():
        try:
            operation = spec["paths"][path][method]
        except KeyError:
            raise SystemExit(f"the description has no operation {method.upper()} {path}") from None
        paths.setdefault(path, {})[method] = cut_operation(operation, kept)
    document = {
        "openapi": spec.get("openapi", "3.0.0"),
        "info": spec.get("info", {}),
        "paths": paths,
    }
    examples = {name: fixtures["resources"][name] for name in FIXTURES}
    return document, {"resources": examples}


def main(arguments: list[str]) -> None:
    if len(arguments) != 2:
        raise SystemExit(__doc__)
    spec, fixtures = (json.loads(Path(a).read_text(encoding="utf-8")) for a in arguments)
    document, examples = extract(spec, fixtures)
    for path, data in ((OPERATIONS_FILE, document), (FIXTURES_FILE, examples)):
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
