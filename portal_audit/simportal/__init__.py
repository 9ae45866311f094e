"""The bundled simulated county portal: the demo's default site and the tests' ground truth.

>>> from portal_audit.simportal import generate_portal, serve_portal, PRESETS
>>> site = generate_portal(out_dir, articles=PRESETS["small"], seed=2020)    # doctest: +SKIP
>>> with serve_portal(site) as portal:                                       # doctest: +SKIP
...     portal.home_url, portal.ext_origin, portal.dead_origin
...     portal.write_config("site.toml")

See generate.py for the layout and ground_truth.json shape, server.py for serving.
"""
from .generate import AS_OF, PRESETS, SITE_ID, SITE_NAME, generate_portal
from .server import Portal, serve_portal

__all__ = ["generate_portal", "serve_portal", "PRESETS", "Portal", "AS_OF", "SITE_ID", "SITE_NAME"]
