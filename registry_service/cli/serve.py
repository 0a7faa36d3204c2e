"""`omniflattr serve`: the API, the web pages and a crawl worker, on one port."""

from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from registry_service.config import Settings
from registry_service.logs import access_logger_class, configure_logging
from registry_service.store.embedded import EmbeddedDatabaseError

log = logging.getLogger("omniflattr")


def add_commands(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve", help="run the service (embedded database unless MONGODB_URI)"
    )
    serve.add_argument("--no-crawler", action="store_true", help="do not run a crawl worker inside")
    serve.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from registry_service.app import create_app

    configure_logging(args.log_json)
    app = create_app(settings, run_crawler=not args.no_crawler)
    log.info(
        "omniflattr starting on http://%s:%s (env %s, database %s)",
        settings.host,
        settings.port,
        settings.env,
        "embedded" if settings.embedded else "MONGODB_URI",
    )
    try:
        # run_app turns SIGTERM and SIGINT into a graceful stop; cleanup stops the database.
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=None,
            shutdown_timeout=3.0,
            access_log=logging.getLogger("omniflattr.access"),
            access_log_class=access_logger_class(settings.trusted_proxies),
        )
    except EmbeddedDatabaseError as exc:
        print(f"omniflattr: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"omniflattr: cannot listen on {settings.host}:{settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    return 0
