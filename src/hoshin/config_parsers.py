"""How a setting's raw value (None when unset) becomes its typed value, or a ConfigError naming the
variable and what to write instead. Each parser takes (name, raw); the factories (`text`, `choice`,
`switch`, `positive_whole`, `bounded`, `attempts`) make one for a default and limits.

Nothing here reads the environment: `hoshin.config` declares the settings and reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = [
    "ROLE_NAMES",
    "attempts",
    "bounded",
    "choice",
    "error",
    "exact",
    "number_setting",
    "optional_path",
    "optional_text",
    "positive_whole",
    "redis_url",
    "role_mapping",
    "switch",
    "text",
]

_N = TypeVar("_N", int, float)
_D = TypeVar("_D", int, None)


def error(message: str) -> Exception:
    from hoshin.errors import ConfigError  # errors imports nothing; kept lazy like the rest

    return ConfigError(message)


def optional_text(name: str, raw: str | None) -> str | None:
    """The value without surrounding blanks; None when unset or blank."""
    value = (raw or "").strip()
    return value or None


def text(default: str) -> Callable[[str, str | None], str]:
    def parse(name: str, raw: str | None) -> str:
        return optional_text(name, raw) or default

    return parse


def optional_path(name: str, raw: str | None) -> Path | None:
    value = optional_text(name, raw)
    return Path(value).expanduser() if value else None


def choice(default: str, choices: tuple[str, ...]) -> Callable[[str, str | None], str]:
    def parse(name: str, raw: str | None) -> str:
        value = (raw or "").strip().lower() or default
        if value not in choices:
            raise error(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value

    return parse


def switch(default: bool) -> Callable[[str, str | None], bool]:
    def parse(name: str, raw: str | None) -> bool:
        value = (raw or "").strip().lower()
        if value in ("on", "true", "yes", "1"):
            return True
        if value in ("off", "false", "no", "0"):
            return False
        if not value:
            return default
        raise error(f"{name} must be on or off, not {value!r}")

    return parse


def positive_whole(default: _D, fix: str) -> Callable[[str, str | None], int | _D]:
    def parse(name: str, raw: str | None) -> int | _D:
        value = (raw or "").strip()
        if not value:
            return default
        if not value.isdigit() or int(value) < 1:
            raise error(f"{name} must be a positive whole number, not {value!r} ({fix})")
        return int(value)

    return parse


def bounded(
    default: str,
    convert: Callable[[str], _N],
    what: str,
    ok: Callable[[_N], bool],
    limits: str,
    hint: bool = True,
) -> Callable[[str, str | None], _N]:
    """A number: `convert` of the value (`default` when unset) for which `ok` holds. ConfigError
    naming the setting and `what` it must be when it does not convert (with `hint`, how to get the
    default back), or the `limits` it must keep to when it is out of them."""

    def parse(name: str, raw: str | None) -> _N:
        value, written = number_setting(name, default, convert, what, hint, raw)
        if not ok(value):  # the comparisons in `ok` are false for nan, so nan is refused too
            raise error(f"{name} must be {limits}, not {written}")
        return value

    return parse


def attempts(default: str) -> Callable[[str, str | None], int]:
    return bounded(
        default,
        int,
        "a whole number of attempts",
        lambda n: 0 <= n <= 1_000_000,
        "between 0 (no limit) and 1000000 attempts",
    )


def redis_url(name: str, raw: str | None) -> str | None:
    value = optional_text(name, raw)
    if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
        raise error(
            f"{name} must be a Redis URL such as redis://127.0.0.1:6379/0, not {value!r} "
            "(unset it to run jobs in-process)"
        )
    return value


def exact(name: str, raw: str | None) -> str | None:
    """The value exactly as set (an empty one too); None when unset."""
    return raw


ROLE_NAMES = ("admin", "strategist", "unit_manager", "contributor", "viewer")


def role_mapping(raw: str) -> tuple[tuple[str, str, str | None], ...]:
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
        if role not in ROLE_NAMES:
            raise ConfigError(
                f"HOSHIN_OIDC_ROLES: {value!r} maps to {role!r}, which is no role; use one of: "
                + ", ".join(ROLE_NAMES)
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


def number_setting(
    name: str, default: str, convert: Callable[[str], _N], what: str, hint: bool, given: str | None
) -> tuple[_N, str]:
    """`given` (or `default` when unset) converted, and as written; ConfigError naming the setting
    `name` and `what` it must be when it does not convert (with `hint`, how to get the default back)."""
    from hoshin.errors import ConfigError

    raw = (default if given is None else given).strip()
    try:
        return convert(raw), raw
    except ValueError:
        tail = f" (unset it for the default, {default})" if hint else ""
        raise ConfigError(f"{name} must be {what}, not {raw!r}{tail}") from None
