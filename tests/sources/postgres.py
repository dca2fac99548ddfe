"""A throwaway PostgreSQL cluster for the database tests: Debian's server binaries, initdb and
pg_ctl in a temporary folder, listening on 127.0.0.1 only, with password authentication. As
root (CI), the server runs as the `postgres` user, which PostgreSQL requires."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port

USER, PASSWORD = "csm", "s3cret-pw"


@dataclass(frozen=True)
class Server:
    port: int
    bin: Path

    def uri(self, database: str = "postgres", password: bool = False) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def psql(self, *args: str) -> str:
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        done = subprocess.run(
            [str(self.bin / "psql"), self.uri(), "-v", "ON_ERROR_STOP=1", "-q", *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def server_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextmanager
def postgres_server() -> Iterator[Server]:
    bindir = server_binaries()
    if bindir is None:
        if os.environ.get("CSMETRICS_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL's server binaries are missing (.ci/run installs them)")
        pytest.skip("PostgreSQL's server is not installed (Debian package postgresql)")
    work = Path(tempfile.mkdtemp(prefix="csmetrics-pg-"))
    as_root = os.geteuid() == 0
    runner: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        owner = pwd.getpwnam("postgres")
        os.chown(work, owner.pw_uid, owner.pw_gid)
    (work / "pw").write_text(PASSWORD)
    if as_root:
        os.chown(work / "pw", owner.pw_uid, owner.pw_gid)
    data, port = work / "data", free_port()
    subprocess.run(
        [*runner, str(bindir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(work / "pw"),
         "--auth", "scram-sha-256", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*runner, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
         str(work / "log"), "-w", "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield Server(port, Path(shutil.which("psql") or bindir / "psql").parent)
    finally:
        subprocess.run(
            [*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)
