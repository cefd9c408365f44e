"""``kiosk supervise -- [kiosk run options]``: keep the kiosk running (what the autostart starts).

Plain Python, no Qt, no models: the supervisor stays small while the kiosk it watches
holds the camera and the models. The policy's defaults are its; these options exist
for tests and for a slow machine (a longer start grace).
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from kiosk import paths
from kiosk.cli.context import CliContext
from kiosk.config import load_settings
from kiosk.errors import ConfigError, KioskError
from kiosk.flows.restart_policy import RestartPolicy
from kiosk.flows.supervisor import RestartLog, Supervisor, kiosk_command

DEFAULTS = RestartPolicy()


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "supervise",
        help="run the kiosk and restart it after a crash or a hang (the installer's autostart uses this)",
        description="Starts `kiosk run` with the options after `--`, restarts it within seconds after a crash, "
        "kills and restarts it when its window stops answering, and backs off when it crashes in a loop. "
        "A clean exit (the operator left with the PIN) ends the supervisor too. Restarts are audited (docs/packaging.md, Supervisor).",
    )
    parser.add_argument("--hang-after", type=float, default=DEFAULTS.hang_after_s, metavar="S", help=f"seconds without a heartbeat from the window that count as a hang (default {DEFAULTS.hang_after_s:g})")
    parser.add_argument("--start-grace", type=float, default=DEFAULTS.start_grace_s, metavar="S", help=f"seconds a new start has before its first heartbeat (default {DEFAULTS.start_grace_s:g})")
    parser.add_argument("--first-delay", type=float, default=DEFAULTS.first_delay_s, metavar="S", help=f"wait before the first restart (default {DEFAULTS.first_delay_s:g})")
    parser.add_argument("--max-delay", type=float, default=DEFAULTS.max_delay_s, metavar="S", help=f"longest wait between restarts in a crash loop (default {DEFAULTS.max_delay_s:g})")
    parser.add_argument("--stable-after", type=float, default=DEFAULTS.stable_after_s, metavar="S", help=f"a run this long resets the back-off (default {DEFAULTS.stable_after_s:g})")
    parser.add_argument("run_args", nargs=argparse.REMAINDER, metavar="-- RUN-OPTIONS", help="options for `kiosk run`, after --")
    parser.set_defaults(func=handle)


def policy_from(args: argparse.Namespace) -> RestartPolicy:
    try:
        return RestartPolicy(
            first_delay_s=args.first_delay, max_delay_s=args.max_delay, stable_after_s=args.stable_after,
            hang_after_s=args.hang_after, start_grace_s=args.start_grace,
        )  # fmt: skip
    except ValueError as exc:
        raise ConfigError(f"kiosk supervise: {exc}", hint="give each time in seconds, >= 0") from None


def global_args(args: argparse.Namespace, data_dir: Path) -> list[str]:
    """The supervisor's own global options, passed on to the child (``--data-dir`` and a pack folder made absolute).

    A ``--models`` that is no folder here is passed as given: the name of a pack in the data folder
    (``--models pad-trained``), which the child finds under the same ``--data-dir``.
    """
    out = ["--data-dir", str(data_dir)]
    if args.models:
        folder = Path(args.models).expanduser()
        out += ["--models", str(folder.resolve()) if folder.is_dir() else args.models]
    if args.providers:
        out += ["--providers", args.providers]
    if args.verbose:
        out.append("-v")
    return out


def handle(ctx: CliContext) -> int:
    args = ctx.args
    policy = policy_from(args)
    run_args = list(args.run_args)
    if run_args[:1] == ["--"]:
        run_args = run_args[1:]
    data_dir = (Path(args.data_dir).expanduser() if args.data_dir else paths.data_dir()).resolve()
    restart_log = RestartLog(data_dir, kiosk_name_of(data_dir))
    supervisor = Supervisor(kiosk_command(run_args, global_args(args, data_dir)), data_dir, policy, restart_log)
    for name in ("SIGTERM", "SIGINT", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: supervisor.stop())
    return supervisor.run()


def kiosk_name_of(data_dir: Path) -> str:
    """``events.kiosk_name`` for the restart events; a config the kiosk itself would refuse must not stop the supervisor."""
    try:
        return load_settings(data_dir=data_dir).events.kiosk_name
    except KioskError:
        return ""
