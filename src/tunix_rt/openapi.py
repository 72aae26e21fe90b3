"""`python -m tunix_rt.openapi [PATH]`: the API's OpenAPI document, for the generated UI client."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tunix_rt.app import create_app
from tunix_rt.settings import Settings


def document() -> str:
    # The schema does not depend on the database; an in-memory URL keeps this side-effect free.
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    text = document()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
