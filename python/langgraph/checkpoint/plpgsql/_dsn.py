"""Connection strings in messages: masked, and as the commands that use them.

``masked_url`` turns any conninfo (URL or ``key=value``) into a ``postgresql://`` URL
with the password replaced by ``****``, for error hints that a user copies and fills
in. ``libpq_environment`` turns a conninfo into the ``PG*`` variables that Sqitch (and
the psql it runs) read, so a password never appears on a command line.
"""

from __future__ import annotations

from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict

MASK = "****"

# conninfo keyword -> the libpq environment variable that sets it.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


def masked_url(conninfo: str) -> str:
    """``conninfo`` as a ``postgresql://`` URL with the password shown as ``****``."""
    try:
        params = {key: str(value) for key, value in conninfo_to_dict(conninfo).items()}
    except Exception:  # noqa: BLE001 - never echo a string we cannot parse: it may hold a password
        return "postgresql://<user>@<host>/<database>"
    user = params.pop("user", "")
    password = params.pop("password", None)
    host = params.pop("host", "")
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    userinfo = quote(user, safe="") + (f":{MASK}" if password is not None else "")
    # A socket directory is not a URL host: it goes in the query, as libpq allows.
    if host.startswith("/"):
        params = {"host": host, **params}
        host = ""
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
    query = "&".join(f"{key}={quote(value, safe='/')}" for key, value in params.items())
    return f"postgresql://{netloc}/{quote(dbname, safe='')}" + (f"?{query}" if query else "")


def libpq_environment(conninfo: str) -> dict[str, str]:
    """The ``PG*`` environment variables equivalent to ``conninfo``.

    Raises ``ValueError`` for a keyword libpq has no variable for.
    """
    env: dict[str, str] = {}
    for key, value in conninfo_to_dict(conninfo).items():
        variable = _LIBPQ_ENV.get(key)
        if variable is None:
            raise ValueError(f"connection option {key!r} cannot be passed to Sqitch; use a service file")
        env[variable] = str(value)
    return env
