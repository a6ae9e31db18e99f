"""`python -m rasd.monitor.demoweb`: serve the demo web until Ctrl-C, to browse it or crawl it by hand."""

from __future__ import annotations

import argparse
import threading

from rasd.monitor.demoweb import DemoWeb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rasd.monitor.demoweb", description=__doc__)
    parser.add_argument("--first-host", type=int, default=10, help="site i serves on 127.0.0.(N+i); default 10")
    parser.add_argument("--port", type=int, default=8631, help="the port every site listens on (0: any)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    with DemoWeb(first_host=args.first_host, port=args.port, log_requests=not args.quiet) as web:
        for site in web.sites:
            count = sum(story.site == site.name for story in web.stories)
            region = site.region or "national"
            print(f"{site.url:<28} {site.name:<18} {site.lang}  {region:<8} {site.kind:<8} {count} stories")
        print("\n# sources for a Rasd config:\n" + web.sources_toml())
        print("Serving; Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nstopped")


if __name__ == "__main__":
    main()
