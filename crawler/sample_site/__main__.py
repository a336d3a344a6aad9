"""Sample site: ``python -m crawler.sample_site [--host H] [--port P]`` serves it until Ctrl-C."""

from __future__ import annotations

import argparse

from core.config import get_settings
from crawler.sample_site.site import serve_sample_site


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve zhaoshang's bundled sample government portal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=get_settings().sample_site_port)
    args = parser.parse_args()
    print(f"sample site on http://{args.host}:{args.port}/")
    serve_sample_site(args.host, args.port)


if __name__ == "__main__":
    main()
