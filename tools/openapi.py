"""Write the API's OpenAPI document: `python -m tools.openapi [--check]`.

The document is built from the layer's request and response models
(clocks.schema) and kept at the repository root as openapi.json. With --check
nothing is written; the exit status is 1 when the committed file differs from
what the models give, so that a change of the API cannot leave it behind.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tools.local_api import put_layers_on_path
from tools.template import ROOT, load_template

DOCUMENT = ROOT / "openapi.json"
EXIT_DIFFERS = 1


def generated_document() -> dict[str, Any]:
    """The document as the layer's models give it now."""
    put_layers_on_path(load_template())
    from clocks.schema import openapi_document

    return openapi_document()


def render(document: dict[str, Any]) -> str:
    """The file's exact text: stable key order, readable non-ASCII, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.openapi")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if openapi.json is not what the models give",
    )
    parser.add_argument("--output", type=Path, default=DOCUMENT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    text = render(generated_document())
    if args.check:
        committed = (
            args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        )
        if committed != text:
            print(
                f"{args.output.name} is out of date; run `python -m tools.openapi`",
                file=sys.stderr,
            )
            return EXIT_DIFFERS
        print(f"{args.output.name} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
