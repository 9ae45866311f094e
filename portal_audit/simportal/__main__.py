"""python -m portal_audit.simportal generate OUT [--articles N | --preset NAME] [--seed S]
python -m portal_audit.simportal serve SITE_DIR [--port P] [--config FILE]"""
from __future__ import annotations

import argparse
import signal
import sys
import time

from . import PRESETS, generate_portal, serve_portal


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m portal_audit.simportal",
                                 description="Generate or serve the simulated county portal.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write the portal's files into OUT")
    g.add_argument("out")
    g.add_argument("--articles", type=int, default=None, help="number of items (default: the small preset)")
    g.add_argument("--preset", choices=sorted(PRESETS), default=None)
    g.add_argument("--seed", type=int, default=2020)
    s = sub.add_parser("serve", help="serve a generated SITE_DIR until Ctrl-C")
    s.add_argument("site_dir")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--config", default=None, help="also write a site config TOML here")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        n = a.articles if a.articles is not None else PRESETS[a.preset or "small"]
        t0 = time.time()
        out = generate_portal(a.out, articles=n, seed=a.seed)
        print(f"generated {n} items into {out} in {time.time() - t0:.1f}s")
        return 0
    portal = serve_portal(a.site_dir, port=a.port)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        print(f"home:     {portal.home_url}")
        print(f"external: {portal.ext_origin}")
        print(f"dead:     {portal.dead_origin}  (connection refused)")
        if a.config:
            print(f"config:   {portal.write_config(a.config)}")
        print("serving; Ctrl-C to stop", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
