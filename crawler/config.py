"""empathy-audit.toml: every `crawl` option in a file, CLI flags override it, secrets come from ${VAR} references.

Keys are the long option names without the dashes (`max-pages = 50`, `ignore-robots = true`, `url = "..."`);
underscores are accepted for dashes. The schema is read from the argparse parser itself, so an option added to the
CLI is a valid key at once and appears in the starter file written by `empathy-audit init`. Any problem is a
`ConfigError` whose message is one sentence naming the key; the CLI prints it and exits with 2.

Lookup: `--config PATH`; else ./empathy-audit.toml when present; else the `[tool.empathy-audit]` table of
./pyproject.toml when present; else no file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

CONFIG_FILE = "empathy-audit.toml"
PYPROJECT_TABLE = "empathy-audit"  # [tool.empathy-audit]

# Options whose values may be written as a TOML table instead of a list of strings: key -> separator.
TABLE_OPTIONS = {"header": ": ", "cookie": "=", "login-field": "="}
# Options that carry credentials: ${VAR} values in them are secrets (masked everywhere), literal secrets are refused.
AUTH_OPTIONS = ("basic-auth", "header", "cookie", "login-field")
# Options whose value in the file may also be a list (`urls = ["https://...", ...]`: the pages themselves, where the
# command line takes a file of them).
LIST_OR_VALUE = {"urls"}
# Never taken from a file: they choose the file, or only make sense typed by hand.
NOT_IN_FILE = {"config", "help", "force"}

_VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SECRET_NAME = re.compile(r"pass|pwd|secret|token|otp|pin\b|api[-_]?key|^key$|auth|session|sid$|jwt|bearer|cookie",
                         re.IGNORECASE)


class ConfigError(Exception):
    """A bad config file or value: one sentence naming the key; a file with several problems, one line each."""


@dataclass
class Loaded:
    path: str | None  # the file the values came from (None: no file)
    values: dict[str, Any] = field(default_factory=dict)  # dest -> value, validated and ${VAR}-expanded
    secrets: set[str] = field(default_factory=set)  # values that came from ${VAR} in credential options


# --- the schema, read from the parser ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str  # TOML key: the long option name without "--" (or the positional's name)
    dest: str
    kind: str  # flag | list | value
    action: argparse.Action

    @property
    def help(self) -> str:
        return (self.action.help or "").replace("%%", "%")


def options_of(parser: argparse.ArgumentParser) -> dict[str, Option]:
    """TOML key -> Option for every option of `parser` a file may set."""
    out: dict[str, Option] = {}
    for action in parser._actions:  # noqa: SLF001 - argparse has no public accessor
        if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):  # noqa: SLF001
            continue
        longs = [s for s in action.option_strings if s.startswith("--")]
        if action.option_strings and not longs:
            continue
        key = longs[0][2:] if longs else action.dest
        if key in NOT_IN_FILE or action.dest in NOT_IN_FILE:
            continue
        if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):  # noqa: SLF001
            kind = "flag"
        elif isinstance(action, argparse._AppendAction):  # noqa: SLF001
            kind = "list"
        else:
            kind = "value"
        out[key] = Option(key, action.dest, kind, action)
    return out


def schema(parsers: Iterable[argparse.ArgumentParser]) -> dict[str, Option]:
    """Every key valid in the file: the union of the options of the commands that read it (crawl first)."""
    out: dict[str, Option] = {}
    for p in parsers:
        for key, opt in options_of(p).items():
            out.setdefault(key, opt)
    return out


# --- finding and reading the file -------------------------------------------------------------------------------


def find_config(explicit: str | None, cwd: str | None = None) -> tuple[str | None, bool]:
    """(path, is_pyproject) of the file to read, or (None, False)."""
    cwd = cwd or os.getcwd()
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"there is no config file at {explicit} ('empathy-audit init' writes a starter file).")
        return explicit, os.path.basename(explicit) == "pyproject.toml"
    own = os.path.join(cwd, CONFIG_FILE)
    if os.path.isfile(own):
        return own, False
    pyproject = os.path.join(cwd, "pyproject.toml")
    if os.path.isfile(pyproject):
        try:
            with open(pyproject, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            return None, False  # not ours to judge unless it holds our table
        if isinstance(data.get("tool"), dict) and PYPROJECT_TABLE in data["tool"]:
            return pyproject, True
    return None, False


def read_table(path: str, is_pyproject: bool) -> dict[str, Any]:
    name = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name} is not valid TOML: {exc}.") from None
    if is_pyproject:
        table = (data.get("tool") or {}).get(PYPROJECT_TABLE, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{name}: [tool.{PYPROJECT_TABLE}] must be a table of options.")
        return table
    return data


def load(path: str | None, is_pyproject: bool, keys: dict[str, Option],
         env: dict[str, str] | None = None) -> Loaded:
    """Read, expand and validate the file at `path` (None: nothing to load)."""
    if path is None:
        return Loaded(None)
    env = os.environ if env is None else env
    table = read_table(path, is_pyproject)
    where = f"{os.path.basename(path)}" + (f" [tool.{PYPROJECT_TABLE}]" if is_pyproject else "")
    loaded = Loaded(path)
    problems: list[str] = []
    for raw_key, raw in table.items():
        try:
            _load_key(loaded, keys, raw_key, raw, where, env)
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:  # every problem of the file at once, one sentence a line
        raise ConfigError("\n".join(problems))
    return loaded


def _load_key(loaded: Loaded, keys: dict[str, Option], raw_key: str, raw: Any, where: str,
              env: dict[str, str] | os._Environ) -> None:
    """One key of the file, converted, expanded and validated into `loaded`; a ConfigError says what is wrong."""
    key = raw_key.replace("_", "-")
    opt = keys.get(key)
    if opt is None:
        close = difflib.get_close_matches(key, list(keys), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else " (valid keys are the options of 'empathy-audit crawl --help')"
        if isinstance(raw, dict) and not close:
            hint = " (options are top-level keys, not tables; see 'empathy-audit init')"
        raise ConfigError(f"{where}: unknown key '{raw_key}'{hint}.")
    value = convert(opt, raw, where, from_file=True)
    if opt.key in AUTH_OPTIONS and any(literal_secret(opt.key, str(v)) for v in
                                       (value if isinstance(value, list) else [value])):
        raise ConfigError(
            f"{where}: key '{raw_key}' holds a secret in the file: write it as ${{VAR}} and set VAR in the "
            f"environment (e.g. a CI secret)."
        )
    value, secrets = expand_env(value, opt.key, where, env)
    if opt.key in AUTH_OPTIONS:
        loaded.secrets |= secrets
    value = validate(opt, value, where)
    loaded.values[opt.dest] = value


# --- values ----------------------------------------------------------------------------------------------------


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))


def convert(opt: Option, raw: Any, where: str, from_file: bool = True) -> Any:
    """TOML value -> the Python value argparse would have produced (still unexpanded, not yet type-checked)."""
    key = opt.key
    if opt.kind == "flag":
        if not isinstance(raw, bool):
            raise ConfigError(f"{where}: key '{key}' must be true or false, not {_toml(raw)}.")
        return raw
    if opt.kind == "list":
        if isinstance(raw, dict) and key in TABLE_OPTIONS:
            items = []
            for name, v in raw.items():
                if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                    raise ConfigError(f"{where}: key '{key}.{name}' must be a string, not {_toml(v)}.")
                items.append(f"{name}{TABLE_OPTIONS[key]}{v}")
            return items
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                                for v in raw):
            shape = " or a table" if key in TABLE_OPTIONS else ""
            raise ConfigError(f"{where}: key '{key}' must be a string or a list of strings{shape}, not {_toml(raw)}.")
        return [str(v) for v in raw]
    if key in LIST_OR_VALUE and isinstance(raw, list):
        if not all(isinstance(v, str) for v in raw):
            raise ConfigError(f"{where}: key '{key}' must be a file name or a list of URLs, not {_toml(raw)}.")
        return [str(v) for v in raw]
    if key == "basic-auth" and isinstance(raw, dict):
        if set(raw) != {"user", "password"} or not all(isinstance(v, str) for v in raw.values()):
            raise ConfigError(f"{where}: key '{key}' must be \"user:${{VAR}}\" or {{ user = ..., password = ... }}.")
        return f"{raw['user']}:{raw['password']}"
    if isinstance(raw, (dict, list)) or isinstance(raw, bool):
        raise ConfigError(f"{where}: key '{key}' must be a single value, not {_toml(raw)}.")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw) if not isinstance(raw, (int, float)) else raw


def expand_env(value: Any, key: str, where: str, env: dict[str, str] | os._Environ) -> tuple[Any, set[str]]:
    """Replace ${VAR} with the environment's value ($$ is a literal $); returns (value, expanded values)."""
    used: set[str] = set()

    def one(text: Any) -> Any:
        if not isinstance(text, str):
            return text

        def sub(m: re.Match[str]) -> str:
            if m.group(0) == "$$":
                return "$"
            name = m.group(1)
            if name not in env:
                raise ConfigError(f"{where}: key '{key}' refers to ${{{name}}}, which is not set in the environment.")
            used.add(env[name])
            return env[name]

        return _VAR.sub(sub, text)

    if isinstance(value, list):
        return [one(v) for v in value], used
    return one(value), used


def validate(opt: Option, value: Any, where: str) -> Any:
    """Run argparse's own type and choices checks on a value from the file."""
    action = opt.action
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if opt.kind == "flag":
            out.append(v)
            continue
        if action.type is not None:
            if isinstance(v, float) and action.type in (int,):
                raise ConfigError(f"{where}: key '{opt.key}' must be a whole number, not {v}.")
            try:
                v = action.type(str(v))
            except argparse.ArgumentTypeError as exc:
                raise ConfigError(f"{where}: key '{opt.key}': {exc}.") from None
            except (TypeError, ValueError):
                raise ConfigError(f"{where}: key '{opt.key}' has an invalid value {_toml(v)}.") from None
        elif not isinstance(v, str):
            v = str(v)
        if action.choices is not None and v not in action.choices:
            choices = ", ".join(str(c) for c in action.choices)
            raise ConfigError(f"{where}: key '{opt.key}' must be one of {choices}, not {_toml(v)}.")
        out.append(v)
    return out if isinstance(value, list) else out[0]


def literal_secret(key: str, value: str) -> str | None:
    """The secret part of one credential option value when it is written literally (not as ${VAR}); else None."""
    if key == "basic-auth":
        secret = value.partition(":")[2]
    elif key in TABLE_OPTIONS:
        name, _, secret = value.partition(TABLE_OPTIONS[key].strip())
        if not SECRET_NAME.search(name.strip()):
            return None
    else:
        return None
    secret = secret.strip()
    if not secret or "${" in secret:
        return None
    return secret


# --- merging with the command line ------------------------------------------------------------------------------


def explicit_dests(subparser: argparse.ArgumentParser, sub_argv: Sequence[str]) -> set[str]:
    """The dests the user actually gave on the command line (defaults suppressed)."""
    saved = [(a, a.default) for a in subparser._actions]  # noqa: SLF001
    saved_defaults = dict(subparser._defaults)  # noqa: SLF001
    try:
        for a, _ in saved:
            a.default = argparse.SUPPRESS
        subparser._defaults = {}  # noqa: SLF001
        ns, _ = subparser.parse_known_args(list(sub_argv))
    finally:
        for a, d in saved:
            a.default = d
        subparser._defaults = saved_defaults  # noqa: SLF001
    return set(vars(ns))


def apply(args: argparse.Namespace, loaded: Loaded, explicit: set[str]) -> argparse.Namespace:
    """File values fill every option not given on the command line (a list given on the CLI replaces the file's)."""
    for dest, value in loaded.values.items():
        if dest in explicit or not hasattr(args, dest):
            continue
        setattr(args, dest, value)
    args.config_path = loaded.path
    args.config_secrets = set(loaded.secrets)
    args.config_dests = {dest for dest in loaded.values if dest not in explicit and hasattr(args, dest)}
    return args


# --- the starter file -------------------------------------------------------------------------------------------

_EXAMPLES = {
    "url": "https://staging.example.com/",
    "basic-auth": "ci:${STAGING_PASSWORD}",
    "header": {"X-Staging-Token": "${STAGING_TOKEN}"},
    "cookie": {"consent": "all"},
    "login-url": "https://staging.example.com/login",
    "login-field": {"email": "ci@example.com", "password": "${STAGING_LOGIN_PASSWORD}"},
    "login-form": "form#login",
    "login-hook": "ci_login:login",
    "user-agent": "empathy-audit (CI)",
    "webdriver-url": "http://selenium-hub:4444/wd/hub",
    "include": ["^https://staging\\.example\\.com/shop/"],
    "exclude": ["/admin/", "\\?print="],
    "browser-arg": ["--lang=en-GB"],
    "format": ["html", "json"],
    "db": "postgresql://empathy@db.example.com/empathy_audit",
    "urls": "pages.txt",
    "also-origin": ["https://static.staging.example.com"],
    "max-pages": 500,
    "sample": "auto",
    "chromium": "/usr/bin/chromium",
    "chromedriver": "/usr/bin/chromedriver",
    "axe-script": "vendor/axe.min.js",
    "ignore-check": ["link-text-generic"],
    "exclude-selector": ["#cookie-banner", ".third-party-widget"],
}
_SECTIONS = [
    ("What to audit", ("url", "urls", "also-origin", "max-pages", "max-depth", "include", "exclude", "ignore-robots",
                       "no-sitemaps")),
    ("What to leave out", ("ignore-check", "exclude-selector")),
    ("Staging access: credentials go only to the audited site's origins and are masked in logs, the database and "
     "reports. Secrets must be ${VAR} references to environment variables (CI secrets), never written here.",
     ("basic-auth", "header", "cookie", "login-url", "login-field", "login-form", "login-hook", "insecure")),
    ("Crawling", ("concurrency", "timeout", "max-time", "user-agent")),
    ("Browser audits", ("browsers", "no-browser", "browser-arg", "webdriver-url", "chromium", "chromedriver",
                        "standard", "axe-script", "best-practices", "no-screenshots")),
    ("Output and history", ("out", "db", "format", "quiet", "verbose")),
]


def starter(keys: dict[str, Option]) -> str:
    """A commented starter file with every option, its help and its default (or an example)."""
    lines = [
        "# empathy-audit configuration. Every key is a `empathy-audit crawl` option without its dashes; flags given",
        "# on the command line override what is written here. Uncomment what you need.",
        "# ${VAR} is replaced by the environment variable VAR (write $$ for a literal $).",
        "",
    ]
    done: set[str] = set()
    sections = list(_SECTIONS)
    rest = tuple(k for k in keys if k not in {k2 for _, ks in _SECTIONS for k2 in ks})
    if rest:
        sections.append(("Other options", rest))
    for title, section_keys in sections:
        present = [k for k in section_keys if k in keys and k not in done]
        if not present:
            continue
        lines.append("# --- " + title)
        for key in present:
            done.add(key)
            opt = keys[key]
            if opt.help:
                lines.append(f"# {opt.help}")
            lines.append(f"# {key} = {_example(opt)}")
        lines.append("")
    return "\n".join(lines)


def _example(opt: Option) -> str:
    key = opt.key
    if key in _EXAMPLES:
        ex = _EXAMPLES[key]
        if isinstance(ex, dict):
            return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in ex.items()) + " }"
        return _toml(ex)
    default = opt.action.default
    if opt.kind == "flag":
        return "true"
    if opt.kind == "list":
        return _toml(list(default or []))
    if default is None:
        if opt.action.choices:
            return _toml(list(opt.action.choices)[0])
        return _toml(opt.action.type("1")) if opt.action.type else '""'
    return _toml(default)
