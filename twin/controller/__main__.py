"""`python -m twin.controller --ofp-port N --rest-port M --topology FILE`: run the controller."""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m twin.controller")
    parser.add_argument("--ofp-port", type=int, required=True, help="OpenFlow port on 127.0.0.1")
    parser.add_argument("--rest-port", type=int, required=True, help="REST port on 127.0.0.1")
    parser.add_argument("--topology", required=True, help="topology file (YAML, JSON, GML, GraphML)")
    parser.add_argument("--die-with-parent", action="store_true",
                        help="exit when the parent process dies (tests)")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    if args.die_with_parent:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    os.environ.setdefault("OSKEN_HUB_TYPE", "native")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")

    from twin.model import TopologyError, load_topology
    try:
        topology = load_topology(args.topology, hosts_per_switch=0)
    except TopologyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from os_ken import cfg
    from os_ken.base.app_manager import AppManager
    from os_ken.controller import controller as _registers_ofp_options  # noqa: F401

    from twin.controller import app

    app.CONFIG = app.ControllerConfig(topology=topology, rest_port=args.rest_port)
    cfg.CONF(args=["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", str(args.ofp_port)],
             project="os_ken")
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    AppManager.run_apps(["twin.controller.app"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
