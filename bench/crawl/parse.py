"""Head parsing alone: ms per page for each head parser, on the benchmark's pages.

    .venv/bin/python -m bench.crawl.parse [--pages 2000] [--rounds 5]

The page is what the crawler keeps of `bench/crawl/sites.py`'s realistic blog post (the
bytes up to `</head>`: ~45 tags, the signals among them). For each parser: `Page.parse`
alone, then parse + every extractor (`extract_head`), best and median of `--rounds`, in
CPU time of this process (not disturbed by other work on the machine as wall time is).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.crawl.sites import SERVICE, realistic_page
from crawlers.extract import Page, extract_head
from crawlers.extract.page import HEAD_PARSERS, head_bytes


def timed(pages: list[bytes], parser: str, extract: bool) -> float:
    """CPU ms per page."""
    started = time.process_time()
    for i, body in enumerate(pages):
        page = Page.parse(body, f"https://blog.example.org/posts/{i}", SERVICE, parser=parser)
        if extract:
            extract_head(page)
    return 1000 * (time.process_time() - started) / len(pages)


def main(args: argparse.Namespace) -> None:
    pages = [realistic_page(i % 50).encode() for i in range(args.pages)]
    head = head_bytes(pages[0])
    print(f"{args.pages} pages, head {len(head)} bytes of {len(pages[0])}; CPU ms per page")
    print(f"{'parser':>8} {'step':>16} {'best':>7} {'median':>7} {'pages/s':>8}")
    for parser in HEAD_PARSERS:
        for extract in (False, True):
            timed(pages[:50], parser, extract)  # warm up
            runs = [timed(pages, parser, extract) for _ in range(args.rounds)]
            step = "parse + extract" if extract else "parse"
            best, median = min(runs), statistics.median(runs)
            print(f"{parser:>8} {step:>16} {best:7.3f} {median:7.3f} {1000 / median:8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    main(parser.parse_args())
