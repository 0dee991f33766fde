"""Database backup and restore: ``pg_dump``/``pg_restore`` on PostgreSQL, the
SQLite online-backup API in embedded mode. Used by the ``db_backup`` and
``db_restore`` commands."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.db import connections


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def database_backup(*, output: Path, alias: str = "default") -> Path:
    connection = connections[alias]
    db = connection.settings_dict
    output.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        # Custom format: compressed, and pg_restore can restore selectively.
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(output), db["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        # The online backup API copies a consistent snapshot while others write;
        # through Django's own connection so an in-memory test database works too.
        connection.ensure_connection()
        with sqlite3.connect(output) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise NotImplementedError(f"no backup for {connection.vendor}")
    return output


def database_restore(
    *, source: Path, target_url: str | None = None, alias: str = "default"
) -> None:
    """Restore ``source`` into ``target_url`` (a database URL) or the configured database."""
    if not source.exists():
        raise FileNotFoundError(source)
    if target_url:
        db = environ.Env.db_url_config(target_url)
        vendor = (
            "postgresql"
            if "postgresql" in db["ENGINE"]
            else "sqlite"
            if "sqlite" in db["ENGINE"]
            else db["ENGINE"]
        )
    else:
        connection = connections[alias]
        db, vendor = connection.settings_dict, connection.vendor
        connection.close()
    if vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                db["NAME"],
                str(source),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    elif vendor == "sqlite":
        with sqlite3.connect(source) as src, sqlite3.connect(db["NAME"]) as target:
            src.backup(target)
        src.close()
        target.close()
    else:
        raise NotImplementedError(f"no restore for {vendor}")
