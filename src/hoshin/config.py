"""Settings, each declared once with its default and its help text.

Values come from the environment (HOSHIN_*), command-line flags override them. `SETTINGS` is the
documented list; a test keeps README.md in step with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = [
    "SETTINGS",
    "Setting",
    "cache_dir",
    "data_dir",
    "model_dir",
    "database_url",
    "db_pool_size",
    "verdict_history",
    "dashboard_max_age",
    "max_request_bytes",
    "secure_cookie",
    "sign_in_limits",
    "single_sign_on",
    "SignInLimits",
    "SingleSignOn",
]

_N = TypeVar("_N", int, float)


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "HOSHIN_HOME",
        "the user data folder (platformdirs)",
        "Folder for the default SQLite database and the vector cache.",
    ),
    Setting(
        "HOSHIN_DATABASE_URL",
        "sqlite:///$HOSHIN_HOME/hoshin.sqlite3",
        "SQLAlchemy URL of the store; postgresql+psycopg://... for PostgreSQL.",
    ),
    Setting(
        "HOSHIN_EMBEDDER",
        "minilm",
        "Embedding backend: minilm (packaged all-MiniLM-L6-v2) or hashing (tests only).",
    ),
    Setting(
        "HOSHIN_DB_POOL",
        "32",
        "PostgreSQL connections one process may hold (half kept open, half opened on demand). "
        "Keep workers x pool below the server's max_connections.",
    ),
    Setting("HOSHIN_DEVICE", "auto", "Where the model runs: auto (CUDA when torch sees it), cpu, cuda."),
    Setting(
        "HOSHIN_RUNTIME",
        "auto",
        "What runs the packaged model: auto (onnxruntime on the CPU, torch on a GPU), onnx or torch. "
        "Both give the same vectors; onnxruntime loads in a fraction of a second and has less "
        "overhead per call.",
    ),
    Setting(
        "HOSHIN_PRECISION",
        "auto",
        "fp32 or int8 (onnxruntime on the CPU only): the int8 build, made from the installed weights "
        "on first use, embeds about 1.7x as many texts per CPU second with vectors close to, not "
        "the same as, fp32's. auto means fp32: int8 moved some evaluation numbers by more than 0.005.",
    ),
    Setting(
        "HOSHIN_MODEL_DIR",
        "the user cache folder (platformdirs)",
        "Where the model exported for onnxruntime is kept (made from the installed weights on first use).",
    ),
    Setting(
        "HOSHIN_CPU_THREADS",
        "all cores; 1 under `hoshin serve`",
        "Threads one model call or matrix product may use (torch and BLAS). The server answers many "
        "requests at once; one thread each keeps threads from spinning against each other.",
    ),
    Setting(
        "HOSHIN_VERDICT_HISTORY",
        "10",
        "Full re-scores whose verdicts are kept whole, per organisation and record kind; older ones "
        "keep their counts by tier and theme (the newest verdict of every record is always kept).",
    ),
    Setting(
        "HOSHIN_DASHBOARD_MAX_AGE_S",
        "2",
        "Seconds the web app may show dashboard numbers it already built. Edits made through the "
        "app show at once, whichever worker process answers; new ideas and writes from elsewhere "
        "(CLI, jobs, servers on other machines) within this time. 0 builds the numbers for every view.",
    ),
    Setting(
        "HOSHIN_MAX_REQUEST_MB",
        "50",
        "Largest request body the server accepts, in MiB (file imports included); a larger one is "
        "refused with 413 before it is read or its sender signed in.",
    ),
    Setting(
        "HOSHIN_SECURE_COOKIE",
        "off",
        "on: mark the session cookie Secure (sent over HTTPS only) and ask browsers to keep to "
        "HTTPS; set it when the server is reached through TLS.",
    ),
    Setting(
        "HOSHIN_SIGN_IN_FAILURES",
        "5",
        "Sign-in attempts one user name may fail within the window; further ones are answered 429 "
        "(with Retry-After) without the password being checked. A success starts the count again. "
        "0: no limit per name.",
    ),
    Setting(
        "HOSHIN_SIGN_IN_ADDRESS_FAILURES",
        "30",
        "Sign-in attempts one client address may fail within the window, whatever names it tries. "
        "0: no limit per address.",
    ),
    Setting(
        "HOSHIN_SIGN_IN_WINDOW_MIN",
        "15",
        "Minutes over which failed sign-ins are counted (a sliding window: each failure stops "
        "counting this long after it was made).",
    ),
    Setting(
        "HOSHIN_OIDC_ISSUER",
        "none (single sign-on off)",
        "OpenID Connect provider: its issuer URL, or its discovery URL (ending in "
        "/.well-known/openid-configuration). Set it with the client id and secret and the role "
        "mapping to show 'Sign in with ...' on the sign-in page (docs/single-sign-on.md).",
    ),
    Setting("HOSHIN_OIDC_CLIENT_ID", "none", "The client id Hoshin is registered under at the provider."),
    Setting("HOSHIN_OIDC_CLIENT_SECRET", "none", "That client's secret."),
    Setting("HOSHIN_OIDC_NAME", "single sign-on", "The provider's name on the button: 'Sign in with NAME'."),
    Setting(
        "HOSHIN_OIDC_ROLE_CLAIM",
        "roles",
        "The ID token claim that carries the user's roles or groups (a list or a single value); a "
        "dotted path reaches into an object, e.g. realm_access.roles.",
    ),
    Setting(
        "HOSHIN_OIDC_ROLES",
        "none (nobody may sign in)",
        "Claim values and the Hoshin role each gives: 'hoshin-admins=admin, planners=strategist, "
        "rd-leads=unit_manager:U-RD, staff=contributor, all=viewer' (or the same as a JSON object). "
        "A unit manager's unit follows a colon. A user with several gets the strongest; one with "
        "none is refused.",
    ),
    Setting(
        "HOSHIN_OIDC_ORGANISATION",
        "the database's only organisation",
        "The organisation whose users sign in through the provider; a new user is created there "
        "with the mapped role, a known one gets the mapped role on every sign-in.",
    ),
    Setting(
        "HOSHIN_OIDC_USERNAME_CLAIM",
        "preferred_username",
        "The ID token claim whose value is the Hoshin user name (use one the provider controls, "
        "such as preferred_username or email in a company directory).",
    ),
    Setting("HOSHIN_OIDC_SCOPE", "openid profile email", "The scopes asked for at the provider."),
    Setting("HOSHIN_CACHE", "on", "Set to off to disable the vector cache of the batch commands."),
    Setting(
        "HOSHIN_SECRET_KEY",
        "(generated per data folder)",
        "Signs session cookies; must be set outside development.",
    ),
)


def data_dir() -> Path:
    """Where Hoshin keeps its files: HOSHIN_HOME, else the platform's user data folder."""
    home = os.environ.get("HOSHIN_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("hoshin", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_dir() -> Path:
    """Where derived model files live: HOSHIN_MODEL_DIR, else the platform's user cache folder.

    Not under HOSHIN_HOME: the export is the same for every data folder on a machine, and a test
    suite that gives each test its own HOSHIN_HOME should not export the model once per test."""
    explicit = os.environ.get("HOSHIN_MODEL_DIR")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("hoshin", appauthor=False)) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(explicit: str | None = None) -> str:
    """The store's URL: an explicit --db, else HOSHIN_DATABASE_URL, else SQLite in the data folder."""
    url = explicit or os.environ.get("HOSHIN_DATABASE_URL")
    if url:
        if "://" not in url:  # a bare path means a SQLite file
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        return url
    return f"sqlite:///{data_dir() / 'hoshin.sqlite3'}"


def db_pool_size() -> int:
    """HOSHIN_DB_POOL, checked: at least 2 (one connection reads while another writes)."""
    from hoshin.errors import ConfigError

    size, _ = _number_setting("HOSHIN_DB_POOL", "32", int, "a whole number of connections", hint=False)
    if size < 2:
        raise ConfigError(f"HOSHIN_DB_POOL must be at least 2, not {size}")
    return size


def verdict_history() -> int:
    """HOSHIN_VERDICT_HISTORY, checked: how many re-score batches per organisation and record kind
    keep their verdicts (store/verdict_batches.py); at least 1, the batch just stored."""
    from hoshin.errors import ConfigError

    keep, _ = _number_setting("HOSHIN_VERDICT_HISTORY", "10", int, "a whole number of re-scores to keep")
    if keep < 1:
        raise ConfigError(
            f"HOSHIN_VERDICT_HISTORY must be at least 1 (the newest re-score is always kept), not {keep}"
        )
    return keep


def dashboard_max_age() -> float:
    """HOSHIN_DASHBOARD_MAX_AGE_S, checked: how old (seconds) dashboard numbers the web app shows
    again may be (service/dashboard_snapshots.py); 0 or more, at most a day."""
    from hoshin.errors import ConfigError

    seconds, raw = _number_setting("HOSHIN_DASHBOARD_MAX_AGE_S", "2", float, "a number of seconds")
    if not 0 <= seconds <= 86_400:  # also refuses nan
        raise ConfigError(
            f"HOSHIN_DASHBOARD_MAX_AGE_S must be between 0 (always rebuild) and 86400 seconds, not {raw}"
        )
    return seconds


def max_request_bytes() -> int:
    """HOSHIN_MAX_REQUEST_MB, checked and in bytes: the largest request body the server reads
    (api/body_limit.py). The default of 50 MiB holds the imports the REST API takes in one request;
    without a limit one unauthenticated upload could grow a worker by gigabytes."""
    from hoshin.errors import ConfigError

    mib, _ = _number_setting("HOSHIN_MAX_REQUEST_MB", "50", int, "a whole number of MiB")
    if not 1 <= mib <= 4096:
        raise ConfigError(f"HOSHIN_MAX_REQUEST_MB must be between 1 and 4096 MiB, not {mib}")
    return mib * 2**20


def secure_cookie() -> bool:
    """HOSHIN_SECURE_COOKIE, checked: whether the session cookie is marked Secure. Off by default,
    since a browser drops a Secure cookie over plain HTTP and `hoshin serve` speaks plain HTTP;
    behind a TLS proxy it should be on, or the cookie can leak over an http:// link."""
    from hoshin.errors import ConfigError

    raw = os.environ.get("HOSHIN_SECURE_COOKIE", "off").strip().lower()
    if raw in ("on", "true", "yes", "1"):
        return True
    if raw in ("off", "false", "no", "0", ""):
        return False
    raise ConfigError(f"HOSHIN_SECURE_COOKIE must be on or off, not {raw!r}")


@dataclass(frozen=True)
class SignInLimits:
    """How many sign-ins may fail per user name and per client address within `window_s` seconds
    (0: no limit of that kind)."""

    per_name: int = 5
    per_address: int = 30
    window_s: float = 900.0


def sign_in_limits() -> SignInLimits:
    """HOSHIN_SIGN_IN_FAILURES, HOSHIN_SIGN_IN_ADDRESS_FAILURES and HOSHIN_SIGN_IN_WINDOW_MIN,
    checked: the brute-force limits of the sign-in form and POST /auth/token."""
    from hoshin.errors import ConfigError

    per_name, _ = _number_setting("HOSHIN_SIGN_IN_FAILURES", "5", int, "a whole number of attempts")
    per_address, _ = _number_setting(
        "HOSHIN_SIGN_IN_ADDRESS_FAILURES", "30", int, "a whole number of attempts"
    )
    minutes, raw = _number_setting("HOSHIN_SIGN_IN_WINDOW_MIN", "15", float, "a number of minutes")
    for name, value in (
        ("HOSHIN_SIGN_IN_FAILURES", per_name),
        ("HOSHIN_SIGN_IN_ADDRESS_FAILURES", per_address),
    ):
        if not 0 <= value <= 1_000_000:
            raise ConfigError(f"{name} must be between 0 (no limit) and 1000000 attempts, not {value}")
    if not 0 < minutes <= 7 * 24 * 60:  # also refuses nan
        raise ConfigError(f"HOSHIN_SIGN_IN_WINDOW_MIN must be more than 0 and at most a week, not {raw}")
    return SignInLimits(per_name, per_address, minutes * 60)


_ROLE_NAMES = ("admin", "strategist", "unit_manager", "contributor", "viewer")


@dataclass(frozen=True)
class SingleSignOn:
    """Sign-in through an OpenID Connect provider (HOSHIN_OIDC_*). `roles` maps a claim value to
    (Hoshin role, unit or None); `discovery_url` is the provider's metadata document."""

    discovery_url: str
    client_id: str
    client_secret: str
    name: str
    role_claim: str
    roles: tuple[tuple[str, str, str | None], ...]
    organisation: str | None
    username_claim: str
    scope: str


def single_sign_on() -> SingleSignOn | None:
    """The HOSHIN_OIDC_* settings, checked; None when HOSHIN_OIDC_ISSUER is unset (no single
    sign-on). ConfigError naming the setting when one is missing or malformed."""
    from hoshin.errors import ConfigError

    issuer = os.environ.get("HOSHIN_OIDC_ISSUER", "").strip()
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise ConfigError(f"HOSHIN_OIDC_ISSUER must be an http(s) URL, not {issuer!r}")
    well_known = "/.well-known/openid-configuration"
    discovery = issuer if issuer.endswith(well_known) else issuer.rstrip("/") + well_known
    values = {}
    for name in ("HOSHIN_OIDC_CLIENT_ID", "HOSHIN_OIDC_CLIENT_SECRET", "HOSHIN_OIDC_ROLES"):
        values[name] = os.environ.get(name, "").strip()
        if not values[name]:
            raise ConfigError(f"{name} must be set for single sign-on (HOSHIN_OIDC_ISSUER is set)")
    return SingleSignOn(
        discovery_url=discovery,
        client_id=values["HOSHIN_OIDC_CLIENT_ID"],
        client_secret=values["HOSHIN_OIDC_CLIENT_SECRET"],
        name=os.environ.get("HOSHIN_OIDC_NAME", "").strip() or "single sign-on",
        role_claim=os.environ.get("HOSHIN_OIDC_ROLE_CLAIM", "").strip() or "roles",
        roles=_role_mapping(values["HOSHIN_OIDC_ROLES"]),
        organisation=os.environ.get("HOSHIN_OIDC_ORGANISATION", "").strip() or None,
        username_claim=os.environ.get("HOSHIN_OIDC_USERNAME_CLAIM", "").strip() or "preferred_username",
        scope=os.environ.get("HOSHIN_OIDC_SCOPE", "").strip() or "openid profile email",
    )


def _role_mapping(raw: str) -> tuple[tuple[str, str, str | None], ...]:
    """HOSHIN_OIDC_ROLES as (claim value, role, unit) triples: 'value=role[:unit], ...' or a JSON
    object {"value": "role[:unit]"} (for claim values that hold commas or equals signs)."""
    import json

    from hoshin.errors import ConfigError

    if raw.startswith("{"):
        try:
            pairs = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"HOSHIN_OIDC_ROLES is not valid JSON: {exc}") from None
        if not isinstance(pairs, dict) or not all(isinstance(v, str) for v in pairs.values()):
            raise ConfigError('HOSHIN_OIDC_ROLES as JSON must map claim values to roles: {"value": "role"}')
        entries = [(str(value), target) for value, target in pairs.items()]
    else:
        entries = []
        for part in filter(None, (item.strip() for item in raw.split(","))):
            value, equals, target = part.rpartition("=")
            if not equals or not value.strip():
                raise ConfigError(
                    f"HOSHIN_OIDC_ROLES: {part!r} is not 'claim value=role' "
                    "(e.g. hoshin-admins=admin, rd-leads=unit_manager:U-RD)"
                )
            entries.append((value.strip(), target))
    mapping = []
    for value, target in entries:
        role, _, unit = (item.strip() for item in target.partition(":"))
        role = role.lower().replace(" ", "_").replace("-", "_")
        if role not in _ROLE_NAMES:
            raise ConfigError(
                f"HOSHIN_OIDC_ROLES: {value!r} maps to {role!r}, which is no role; use one of: "
                + ", ".join(_ROLE_NAMES)
            )
        if role == "unit_manager" and not unit:
            raise ConfigError(
                f"HOSHIN_OIDC_ROLES: {value!r} maps to unit_manager without a unit; "
                f"name it after a colon, e.g. {value}=unit_manager:U-RD"
            )
        mapping.append((value, role, unit or None))
    if not mapping:
        raise ConfigError("HOSHIN_OIDC_ROLES maps no claim value to a role")
    return tuple(mapping)


def _number_setting(
    name: str, default: str, convert: Callable[[str], _N], what: str, hint: bool = True
) -> tuple[_N, str]:
    """The setting `name` (or `default`) converted, and as written; ConfigError naming it and
    `what` it must be when it does not convert (with `hint`, how to get the default back)."""
    from hoshin.errors import ConfigError

    raw = os.environ.get(name, default).strip()
    try:
        return convert(raw), raw
    except ValueError:
        tail = f" (unset it for the default, {default})" if hint else ""
        raise ConfigError(f"{name} must be {what}, not {raw!r}{tail}") from None
