"""Stand-in for the Tunix runner, for fast tests of run execution without training.

Takes the real runner's arguments (`--config <manifest.yaml>`), reads the manifest and the
dataset the server wrote, then does what the model id asks: `stand-in:<action>[:<argument>]`.

  ok               print two step lines and the JSON summary, exit 0
  exit:N           print a reason to stderr, exit N
  crash            kill itself with SIGKILL
  sleep:S          sleep S seconds, then behave like ok
  orphan:S         start a grandchild sleeping S seconds, then sleep S seconds itself
  ignore-term:S    ignore SIGTERM and sleep S seconds
  flood:N          write N bytes to stdout between a FIRST and a LAST line
  bad-bytes        write invalid UTF-8 to stdout and stderr, exit 0
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml


def _ok(examples: int) -> None:
    print("step 1 loss 2.5000", flush=True)
    print("step 2 loss 1.2500", flush=True)
    print(
        json.dumps({"steps": 2, "final_loss": 1.25, "duration_seconds": 0.01, "examples": examples})
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, type=Path)
    args = parser.parse_args()
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    folder = args.config.parent
    examples = len((folder / config["dataset_path"]).read_text(encoding="utf-8").splitlines())
    (folder / "runner.pid").write_text(str(os.getpid()))
    print(f"stand-in runner: {examples} examples of {config['dataset_key']}", flush=True)

    action, _, argument = config["model_id"].removeprefix("stand-in:").partition(":")
    if action == "ok":
        _ok(examples)
    elif action == "exit":
        print(f"stand-in runner failing on purpose with {argument}", file=sys.stderr)
        return int(argument)
    elif action == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "sleep":
        time.sleep(float(argument))
        _ok(examples)
    elif action == "orphan":
        grandchild = subprocess.Popen(
            [sys.executable, "-c", f"import time; time.sleep({float(argument)})"]
        )
        (folder / "grandchild.pid").write_text(str(grandchild.pid))
        time.sleep(float(argument))
    elif action == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        (folder / "ignoring").write_text("yes")
        time.sleep(float(argument))
    elif action == "flood":
        out = sys.stdout.buffer
        out.write(b"FIRST LINE\n")
        remaining = int(argument)
        block = b"x" * 1023 + b"\n"
        while remaining > 0:
            out.write(block[:remaining])
            remaining -= len(block)
        out.write(b"\nLAST LINE\n")
    elif action == "bad-bytes":
        sys.stdout.buffer.write(b"before \xff\xfe after \xc3\n")
        sys.stderr.buffer.write(b"err \x80 bytes\n")
    else:
        print(f"stand-in runner: unknown action {action!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
