"""CLI: ``python -m fakehub --port 0 --models N --seed S [...]``.

Prints one JSON line (``{"hf_endpoint": ..., "pid": ...}`` plus keys of other API modules) once it accepts
connections, then serves until SIGTERM/SIGINT and exits 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
import threading
from types import FrameType

from .server import FakeServer, Faults, load_modules


def build_parser(modules: list) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fakehub", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--seed", type=int, default=0)
    faults = parser.add_argument_group("faults (seeded, deterministic per request sequence)")
    faults.add_argument("--latency", type=float, default=0, help="milliseconds added to every request")
    faults.add_argument("--error-rate", type=float, default=0, help="share of 500/502/503 answers")
    faults.add_argument("--truncate-rate", type=float, default=0, help="share of bodies cut short")
    faults.add_argument("--malformed-rate", type=float, default=0, help="share of broken JSON bodies")
    for module in modules:
        module.add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(200_000, 50, 100)  # many small long-lived objects: full collections would stall pages
    module_files = load_modules()
    args = build_parser(module_files).parse_args(argv)
    apis = [module.create(args) for module in module_files]
    faults = Faults(args.seed, args.latency, args.error_rate, args.truncate_rate, args.malformed_rate)
    server = FakeServer((args.host, args.port), apis, faults)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    sys.stdout.write(json.dumps({**server.info(), "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
