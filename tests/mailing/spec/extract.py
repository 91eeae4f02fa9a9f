"""Re-extract the vendored part of Mailchimp's Marketing API specification.

The local Mailchimp in tests/mailing validates every request against the operations Letterpress
calls. This script cuts those operations (every method of the paths below) and the schemas they
reference, transitively, out of the full OpenAPI document, so the repository carries 1/20 of it:

    python tests/mailing/spec/extract.py FULL.openapi.json

writes marketing-operations.openapi.json beside this file. Add a path here when the code calls a
new endpoint; the local server answers 400 to any operation not in the extract.
"""

import json
import sys
from pathlib import Path

PATHS = (
    "/campaigns",
    "/campaigns/{campaign_id}",
    "/campaigns/{campaign_id}/content",
    "/campaigns/{campaign_id}/send-checklist",
    "/campaigns/{campaign_id}/actions/test",
    "/campaigns/{campaign_id}/actions/schedule",
    "/campaigns/{campaign_id}/actions/send",
    "/lists/{list_id}/members",
    "/lists/{list_id}/members/{subscriber_hash}",
    "/lists/{list_id}/members/{subscriber_hash}/tags",
    "/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent",
)
OUTPUT = Path(__file__).with_name("marketing-operations.openapi.json")
SCHEMA_PREFIX = "#/components/schemas/"


def referenced_schemas(node, schemas: dict, found: set[str]) -> None:
    """Add to `found` every schema name `node` refers to, following references transitively."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith(SCHEMA_PREFIX) and ref[len(SCHEMA_PREFIX) :] not in found:
            name = ref[len(SCHEMA_PREFIX) :]
            found.add(name)
            referenced_schemas(schemas[name], schemas, found)
        for value in node.values():
            referenced_schemas(value, schemas, found)
    elif isinstance(node, list):
        for value in node:
            referenced_schemas(value, schemas, found)


def extract(document: dict) -> dict:
    missing = [path for path in PATHS if path not in document["paths"]]
    if missing:
        raise SystemExit(f"not in this version of the specification: {', '.join(missing)}")
    paths = {path: document["paths"][path] for path in PATHS}
    schemas = document["components"]["schemas"]
    names: set[str] = set()
    referenced_schemas(paths, schemas, names)
    return {
        "openapi": document["openapi"],
        "info": {
            **document["info"],
            "x-extract": "the operations Letterpress calls; see extract.py",
        },
        "paths": paths,
        "components": {"schemas": {name: schemas[name] for name in sorted(names)}},
    }


def main(source: str) -> None:
    document = json.loads(Path(source).read_text(encoding="utf-8"))
    OUTPUT.write_text(json.dumps(extract(document), indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
