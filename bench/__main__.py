"""Run the benchmarks as one command and print each one's markdown table.

Each ``bench/<name>_bench.py`` exposes ``main(argv) -> str`` returning markdown.
Ratios are measured side by side within one run, since these machines are shared.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

ALL = ("engine", "store", "capture", "gallery", "events", "fleet", "strict", "rest", "coldstart", "roster", "migrate")


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or list(ALL)
    print(f"# kiosk benchmarks — {time.strftime('%Y-%m-%d %H:%M')} — {platform.platform()}, {platform.processor() or platform.machine()}\n")
    for name in names:
        module = importlib.import_module(f"bench.{name}_bench")
        started = time.perf_counter()
        print(module.main([a for a in argv if a.startswith("-")]))
        print(f"\n_{name}: {time.perf_counter() - started:.1f} s_\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
