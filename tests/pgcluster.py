"""A throwaway PostgreSQL server for the store tests: `initdb` and `pg_ctl` in a temporary
folder, listening only on a unix socket in that folder (no TCP port to find or to clash
on), without durability (fsync off). The server refuses to run as root: tests running as
root run it as the `postgres` system user (created by Debian's postgresql package)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg

SERVER_USER = "postgres"
PORT = 5432  # names the socket file only: the server listens on no TCP port
INSTALL = "apt-get install postgresql"


def binaries() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: from PATH, else Debian's newest
    /usr/lib/postgresql/<major>/bin (not on PATH there)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)],
    )
    return debian[-1].parent if debian else None


def _as_root() -> bool:
    return os.geteuid() == 0


def unavailable() -> str | None:
    """Why no server can be started here (a skip's reason), or None."""
    if binaries() is None:
        return f"PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): {INSTALL}"
    if _as_root():
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"the tests run as root and there is no {SERVER_USER!r} user to run PostgreSQL: {INSTALL}"
        if shutil.which("runuser") is None:
            return (
                "the tests run as root and runuser (util-linux) is missing to run PostgreSQL as another user"
            )
    return None


@contextmanager
def cluster() -> Iterator[str]:
    """Start a server; yield the URL of its `postgres` database (superuser, no password);
    stop it and delete its folder at the end."""
    bin_dir = binaries()
    prefix: list[str] = []
    # as root, a folder the server's user can reach: /tmp, not a private TMPDIR
    folder = Path(tempfile.mkdtemp(prefix="pgtest-", dir="/tmp" if _as_root() else None))
    if _as_root():
        shutil.chown(folder, SERVER_USER, pwd.getpwnam(SERVER_USER).pw_gid)
        prefix = ["runuser", "-u", SERVER_USER, "--"]
    data, log = folder / "data", folder / "server.log"

    def run(*args: object) -> None:
        cmd = [*prefix, *(str(a) for a in args)]
        done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=120)
        if done.returncode:
            server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}{server_log}")

    try:
        run(
            bin_dir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "-N",
        )
        options = f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
        try:
            yield f"postgresql://postgres@/postgres?host={quote(str(folder), safe='')}&port={PORT}"
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_search_path(url: str, schema: str) -> str:
    """`url` with its tables in `schema` (libpq's `options`, replacing any given)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | {"options": f"-c search_path={schema}"}
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def fresh_schema(server_url: str, name: str) -> Iterator[str]:
    """A new empty schema in the server's database, dropped at the end: the URL to use it."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_search_path(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")
