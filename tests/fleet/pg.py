"""A throwaway PostgreSQL cluster on loopback for the fleet tests and the benchmark.

Real PostgreSQL 15 from Debian (``postgresql``): ``initdb`` refuses to run as root, so
as root the cluster belongs to the ``postgres`` user (``runuser``). Missing server
binaries are an error naming the package, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("KIOSK_PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "fleet_owner"
KIOSK = "kiosk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        if not (PG_BIN / "initdb").is_file():
            raise RuntimeError(
                f"PostgreSQL server binaries not found in {PG_BIN}: install the Debian package `postgresql` "
                "(the fleet tests start a cluster of their own), or set KIOSK_PG_BIN"
            )
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
        self.start()
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {OWNER} LOGIN")
            conn.execute("CREATE ROLE fleet_kiosk NOLOGIN")
            conn.execute(f"CREATE ROLE {KIOSK} LOGIN IN ROLE fleet_kiosk")
        self._databases = 0

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(PG_BIN / tool), *args], check=True, capture_output=True, cwd=self.root)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)

    def new_database(self) -> str:
        self._databases += 1
        name = f"fleet_{os.getpid()}_{self._databases}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
        return name

    def url(self, dbname: str, user: str = KIOSK) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped by a test
        shutil.rmtree(self.root, ignore_errors=True)
