"""Settings, each declared once with its type, its default and its help text.

Values come from the environment (HOSHIN_*), command-line flags override them. `settings` is the
one typed object every module reads them through: `settings.job_queue` is the checked value of
HOSHIN_JOB_QUEUE (a `str | None`), read from the environment at that moment, so a variable set
later (a test, `hoshin serve` for its worker processes) counts at once. A malformed value raises
ConfigError naming the variable and what to write instead. `SETTINGS` is the documented list, in
`Settings`' order; a test keeps README.md in step with it, and another keeps every other module
from reading HOSHIN_* variables itself. The parsers that check each raw value live in
`hoshin.config_parsers`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from hoshin import config_parsers as parse

__all__ = [
    "SETTINGS",
    "Setting",
    "Settings",
    "settings",
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

_T = TypeVar("_T")


@dataclass(frozen=True)
class Setting(Generic[_T]):
    """One HOSHIN_* environment variable: its name, its default as the README gives it, one line
    of help, and `parse`, which turns the raw value (None when unset) into the typed value or raises
    ConfigError naming the variable. Read on a `Settings` instance it gives that typed value; read
    on the class, the Setting itself."""

    env: str
    default: str
    help: str
    parse: Callable[[str, str | None], _T] = field(repr=False, compare=False)

    def value(self) -> _T:
        """The checked value as the environment holds it now."""
        return self.parse(self.env, os.environ.get(self.env))

    def export(self, value: str, keep_existing: bool = False) -> None:
        """Set the variable for this process and the processes it starts (a server's workers);
        with `keep_existing`, only where it is not set already."""
        if keep_existing:
            os.environ.setdefault(self.env, value)
        else:
            os.environ[self.env] = value

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Setting[_T]: ...
    @overload
    def __get__(self, instance: Settings, owner: type[Any] | None = None) -> _T: ...
    def __get__(self, instance: Settings | None, owner: type[Any] | None = None) -> Setting[_T] | _T:
        return self if instance is None else self.value()


class Settings:
    """Every HOSHIN_* setting, typed. Each attribute reads its variable when it is read."""

    __slots__ = ()

    home = Setting(
        "HOSHIN_HOME",
        "the user data folder (platformdirs)",
        "Folder for the default SQLite database and the vector cache.",
        parse.optional_path,
    )
    database_url = Setting(
        "HOSHIN_DATABASE_URL",
        "sqlite:///$HOSHIN_HOME/hoshin.sqlite3",
        "SQLAlchemy URL of the store; postgresql+psycopg://... for PostgreSQL.",
        parse.optional_text,
    )
    embedder = Setting(
        "HOSHIN_EMBEDDER",
        "minilm",
        "Embedding backend: minilm (packaged all-MiniLM-L6-v2) or hashing (tests only).",
        parse.choice("minilm", ("minilm", "hashing")),
    )
    db_pool = Setting(
        "HOSHIN_DB_POOL",
        "32",
        "PostgreSQL connections one process may hold (half kept open, half opened on demand). "
        "Keep workers x pool below the server's max_connections.",
        parse.bounded(
            "32",
            int,
            "a whole number of connections",
            lambda n: n >= 2,
            "at least 2",
            hint=False,
        ),
    )
    device = Setting(
        "HOSHIN_DEVICE",
        "auto",
        "Where the model runs: auto (CUDA when torch sees it), cpu, cuda.",
        parse.text("auto"),
    )
    runtime = Setting(
        "HOSHIN_RUNTIME",
        "auto",
        "What runs the packaged model: auto (onnxruntime on the CPU, torch on a GPU), onnx or torch. "
        "Both give the same vectors; onnxruntime loads in a fraction of a second and has less "
        "overhead per call.",
        parse.choice("auto", ("auto", "onnx", "torch")),
    )
    precision = Setting(
        "HOSHIN_PRECISION",
        "auto",
        "fp32 or int8 (onnxruntime on the CPU only): the int8 build, made from the installed weights "
        "on first use, embeds about 1.7x as many texts per CPU second with vectors close to, not "
        "the same as, fp32's. auto means fp32: int8 moved some evaluation numbers by more than 0.005.",
        parse.choice("auto", ("auto", "fp32", "int8")),
    )
    model_dir = Setting(
        "HOSHIN_MODEL_DIR",
        "the user cache folder (platformdirs)",
        "Where the model exported for onnxruntime is kept (made from the installed weights on first use).",
        parse.optional_path,
    )
    cpu_threads = Setting(
        "HOSHIN_CPU_THREADS",
        "all cores; 1 under `hoshin serve`",
        "Threads one model call or matrix product may use (torch and BLAS). The server answers many "
        "requests at once; one thread each keeps threads from spinning against each other.",
        parse.positive_whole(None, "unset it to let the libraries decide"),
    )
    cache = Setting(
        "HOSHIN_CACHE",
        "on",
        "Set to off to disable the vector cache of the batch commands.",
        parse.switch(True),
    )
    job_queue = Setting(
        "HOSHIN_JOB_QUEUE",
        "none (jobs run in-process)",
        "Redis URL of the background-job queue (redis://host:6379/0); `hoshin jobs worker` runs them.",
        parse.redis_url,
    )
    job_queue_name = Setting(
        "HOSHIN_JOB_QUEUE_NAME",
        "hoshin",
        "Name of the Redis queue; separate names keep deployments apart on one Redis.",
        parse.text("hoshin"),
    )
    rescore_chunk = Setting(
        "HOSHIN_RESCORE_CHUNK",
        "500",
        "Ideas per transaction in a re-scoring job (smaller: finer resume after a crash).",
        parse.positive_whole(500, "unset it for the default, 500"),
    )
    verdict_history = Setting(
        "HOSHIN_VERDICT_HISTORY",
        "10",
        "Full re-scores whose verdicts are kept whole, per organisation and record kind; older ones "
        "keep their counts by tier and theme (the newest verdict of every record is always kept).",
        parse.bounded(
            "10",
            int,
            "a whole number of re-scores to keep",
            lambda n: n >= 1,
            "at least 1 (the newest re-score is always kept)",
        ),
    )
    dashboard_max_age_s = Setting(
        "HOSHIN_DASHBOARD_MAX_AGE_S",
        "2",
        "Seconds the web app may show dashboard numbers it already built. Edits made through the "
        "app show at once, whichever worker process answers; new ideas and writes from elsewhere "
        "(CLI, jobs, servers on other machines) within this time. 0 builds the numbers for every view.",
        parse.bounded(
            "2",
            float,
            "a number of seconds",
            lambda s: 0 <= s <= 86_400,
            "between 0 (always rebuild) and 86400 seconds",
        ),
    )
    max_request_mb = Setting(
        "HOSHIN_MAX_REQUEST_MB",
        "50",
        "Largest request body the server accepts, in MiB (file imports included); a larger one is "
        "refused with 413 before it is read or its sender signed in.",
        parse.bounded("50", int, "a whole number of MiB", lambda n: 1 <= n <= 4096, "between 1 and 4096 MiB"),
    )
    secure_cookie = Setting(
        "HOSHIN_SECURE_COOKIE",
        "off",
        "on: mark the session cookie Secure (sent over HTTPS only) and ask browsers to keep to "
        "HTTPS; set it when the server is reached through TLS.",
        parse.switch(False),
    )
    sign_in_failures = Setting(
        "HOSHIN_SIGN_IN_FAILURES",
        "5",
        "Sign-in attempts one user name may fail within the window; further ones are answered 429 "
        "(with Retry-After) without the password being checked. A success starts the count again. "
        "0: no limit per name.",
        parse.attempts("5"),
    )
    sign_in_address_failures = Setting(
        "HOSHIN_SIGN_IN_ADDRESS_FAILURES",
        "30",
        "Sign-in attempts one client address may fail within the window, whatever names it tries. "
        "0: no limit per address.",
        parse.attempts("30"),
    )
    sign_in_window_min = Setting(
        "HOSHIN_SIGN_IN_WINDOW_MIN",
        "15",
        "Minutes over which failed sign-ins are counted (a sliding window: each failure stops "
        "counting this long after it was made).",
        parse.bounded(
            "15",
            float,
            "a number of minutes",
            lambda m: 0 < m <= 7 * 24 * 60,
            "more than 0 and at most a week",
        ),
    )
    oidc_issuer = Setting(
        "HOSHIN_OIDC_ISSUER",
        "none (single sign-on off)",
        "OpenID Connect provider: its issuer URL, or its discovery URL (ending in "
        "/.well-known/openid-configuration). Set it with the client id and secret and the role "
        "mapping to show 'Sign in with ...' on the sign-in page (docs/single-sign-on.md).",
        parse.optional_text,
    )
    oidc_client_id = Setting(
        "HOSHIN_OIDC_CLIENT_ID",
        "none",
        "The client id Hoshin is registered under at the provider.",
        parse.optional_text,
    )
    oidc_client_secret = Setting(
        "HOSHIN_OIDC_CLIENT_SECRET", "none", "That client's secret.", parse.optional_text
    )
    oidc_name = Setting(
        "HOSHIN_OIDC_NAME",
        "single sign-on",
        "The provider's name on the button: 'Sign in with NAME'.",
        parse.text("single sign-on"),
    )
    oidc_role_claim = Setting(
        "HOSHIN_OIDC_ROLE_CLAIM",
        "roles",
        "The ID token claim that carries the user's roles or groups (a list or a single value); a "
        "dotted path reaches into an object, e.g. realm_access.roles.",
        parse.text("roles"),
    )
    oidc_roles = Setting(
        "HOSHIN_OIDC_ROLES",
        "none (nobody may sign in)",
        "Claim values and the Hoshin role each gives: 'hoshin-admins=admin, planners=strategist, "
        "rd-leads=unit_manager:U-RD, staff=contributor, all=viewer' (or the same as a JSON object). "
        "A unit manager's unit follows a colon. A user with several gets the strongest; one with "
        "none is refused.",
        parse.optional_text,
    )
    oidc_organisation = Setting(
        "HOSHIN_OIDC_ORGANISATION",
        "the database's only organisation",
        "The organisation whose users sign in through the provider; a new user is created there "
        "with the mapped role, a known one gets the mapped role on every sign-in.",
        parse.optional_text,
    )
    oidc_username_claim = Setting(
        "HOSHIN_OIDC_USERNAME_CLAIM",
        "preferred_username",
        "The ID token claim whose value is the Hoshin user name (use one the provider controls, "
        "such as preferred_username or email in a company directory).",
        parse.text("preferred_username"),
    )
    oidc_scope = Setting(
        "HOSHIN_OIDC_SCOPE",
        "openid profile email",
        "The scopes asked for at the provider.",
        parse.text("openid profile email"),
    )
    secret_key = Setting(
        "HOSHIN_SECRET_KEY",
        "(generated per data folder)",
        "Signs session cookies; must be set outside development (api/security.py checks its strength).",
        parse.exact,
    )


settings = Settings()
SETTINGS: tuple[Setting[Any], ...] = tuple(
    value for value in vars(Settings).values() if isinstance(value, Setting)
)


def data_dir() -> Path:
    """Where Hoshin keeps its files: HOSHIN_HOME, else the platform's user data folder."""
    path = settings.home
    if path is None:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("hoshin", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_dir() -> Path:
    """Where derived model files live: HOSHIN_MODEL_DIR, else the platform's user cache folder.

    Not under HOSHIN_HOME: the export is the same for every data folder on a machine, and a test
    suite that gives each test its own HOSHIN_HOME should not export the model once per test."""
    path = settings.model_dir
    if path is None:
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
    url = explicit or settings.database_url
    if url:
        if "://" not in url:  # a bare path means a SQLite file
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        return url
    return f"sqlite:///{data_dir() / 'hoshin.sqlite3'}"


def db_pool_size() -> int:
    """HOSHIN_DB_POOL, checked: at least 2 (one connection reads while another writes)."""
    return settings.db_pool


def verdict_history() -> int:
    """HOSHIN_VERDICT_HISTORY, checked: how many re-score batches per organisation and record kind
    keep their verdicts (store/verdict_batches.py); at least 1, the batch just stored."""
    return settings.verdict_history


def dashboard_max_age() -> float:
    """HOSHIN_DASHBOARD_MAX_AGE_S, checked: how old (seconds) dashboard numbers the web app shows
    again may be (service/dashboard_snapshots.py); 0 or more, at most a day."""
    return settings.dashboard_max_age_s


def max_request_bytes() -> int:
    """HOSHIN_MAX_REQUEST_MB, checked and in bytes: the largest request body the server reads
    (api/body_limit.py). The default of 50 MiB holds the imports the REST API takes in one request;
    without a limit one unauthenticated upload could grow a worker by gigabytes."""
    return settings.max_request_mb * 2**20


def secure_cookie() -> bool:
    """HOSHIN_SECURE_COOKIE, checked: whether the session cookie is marked Secure. Off by default,
    since a browser drops a Secure cookie over plain HTTP and `hoshin serve` speaks plain HTTP;
    behind a TLS proxy it should be on, or the cookie can leak over an http:// link."""
    return settings.secure_cookie


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
    return SignInLimits(
        settings.sign_in_failures, settings.sign_in_address_failures, settings.sign_in_window_min * 60
    )


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

    issuer = settings.oidc_issuer
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise ConfigError(f"HOSHIN_OIDC_ISSUER must be an http(s) URL, not {issuer!r}")
    well_known = "/.well-known/openid-configuration"
    discovery = issuer if issuer.endswith(well_known) else issuer.rstrip("/") + well_known
    return SingleSignOn(
        discovery_url=discovery,
        client_id=_required_for_sign_on(Settings.oidc_client_id),
        client_secret=_required_for_sign_on(Settings.oidc_client_secret),
        roles=parse.role_mapping(_required_for_sign_on(Settings.oidc_roles)),
        name=settings.oidc_name,
        role_claim=settings.oidc_role_claim,
        organisation=settings.oidc_organisation,
        username_claim=settings.oidc_username_claim,
        scope=settings.oidc_scope,
    )


def _required_for_sign_on(setting: Setting[str | None]) -> str:
    value = setting.value()
    if not value:
        raise parse.error(f"{setting.env} must be set for single sign-on (HOSHIN_OIDC_ISSUER is set)")
    return value
