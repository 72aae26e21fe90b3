"""`tunix-rt serve | db upgrade | db downgrade | db current`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from tunix_rt import migrations
from tunix_rt.settings import Settings


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            variable = "_".join(str(part) for part in error["loc"]).upper()
            lines.append(f"  {variable}: {error['msg']} (got {error.get('input')!r})")
        sys.stderr.write("tunix-rt: invalid configuration\n" + "\n".join(lines) + "\n")
        raise SystemExit(2) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tunix-rt", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database, then serve API and UI")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    db = commands.add_parser("db", help="database migrations (DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    up = db_commands.add_parser("upgrade", help="upgrade to REV (default: head)")
    up.add_argument("revision", nargs="?", default="head")
    down = db_commands.add_parser("downgrade", help="downgrade to REV (e.g. base, -1)")
    down.add_argument("revision")
    db_commands.add_parser("current", help="print the current revision")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = _load_settings()
    if args.command == "db":
        if args.db_command == "upgrade":
            migrations.upgrade(settings.database_url, args.revision)
        elif args.db_command == "downgrade":
            migrations.downgrade(settings.database_url, args.revision)
        else:
            print(migrations.current(settings.database_url) or "(empty database)")
        return
    _serve(settings, args.host, args.port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from tunix_rt.app import create_app

    migrations.upgrade(settings.database_url)
    print(f"tunix-rt serving on http://{host}:{port} (API docs at /docs)", flush=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
