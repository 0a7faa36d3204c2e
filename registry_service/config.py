"""Configuration read from the environment (12-factor).

Every variable is documented in the README. A bad value raises `ConfigError`
naming the variable and the reason; the CLI prints that one line and exits 2.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import idna

ENVIRONMENTS = ("prod", "dev", "test")


class ConfigError(ValueError):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


@dataclass(frozen=True)
class FeeRule:
    """A payment method's fee: a fixed part in cents plus a percentage in basis points."""

    fixed_cents: int
    percent_bp: int  # 1 bp = 0.01 %


DEFAULT_FEES: dict[str, FeeRule] = {
    "bank": FeeRule(30, 30),
    "card": FeeRule(30, 200),
    "paypal": FeeRule(35, 340),
}


@dataclass(frozen=True)
class Settings:
    env: str = "prod"
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("var")
    mongodb_uri: str | None = None
    db_name: str = "omniflattr"
    now: datetime | None = None
    public_url: str = ""
    admin_emails: frozenset[str] = frozenset()
    trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For is believed
    # money
    currency: str = "EUR"
    commission_bp: int = 1000
    min_budget_cents: int = 200
    escrow_months: int = 6
    fees: Mapping[str, FeeRule] = field(default_factory=lambda: dict(DEFAULT_FEES))
    payment_provider: str = "sandbox"
    webhook_secret: str | None = None
    unspent_budget: str = "keep"  # or "charity"
    # claims
    dns_nameservers: tuple[tuple[str, int], ...] = ()
    recheck_days: int = 7
    # background ledger work (settling past months, expiring escrow): first run, then every
    ledger_first_delay_s: int = 60
    ledger_interval_s: int = 300
    # crawler
    crawl_host_map: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    crawler_user_agent_url: str = "https://github.com/omniflattr/omniflattr"

    @property
    def is_dev_or_test(self) -> bool:
        return self.env in ("dev", "test")

    @property
    def base_url(self) -> str:
        """The service's public URL, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def embedded(self) -> bool:
        return not self.mongodb_uri


_ASCII_INT = re.compile(r"-?[0-9]+")
# MongoDB database names: no /\. "$ (nor NUL), at most 63 bytes.
_DB_NAME = re.compile(r'[^/\\. "$\x00]{1,63}')


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not _ASCII_INT.fullmatch(raw):  # int() would also take "８０８０" or "1_000"
        raise ConfigError(name, f"{raw!r} is not a whole number")
    value = int(raw)
    if not lo <= value <= hi:
        raise ConfigError(name, f"{value} is outside {lo}..{hi}")
    return value


def _percent_bp(name: str, raw: str) -> int:
    """'2' or '0.3' or '3.4%' → basis points, exactly (no float)."""
    text = raw.strip().removesuffix("%").strip()
    try:
        value = Decimal(text) * 100
    except InvalidOperation:
        raise ConfigError(name, f"{raw!r} is not a percentage") from None
    if value != value.to_integral_value() or not 0 <= value <= 10000:
        raise ConfigError(name, f"{raw!r} must be between 0 and 100 with at most 2 decimals")
    return int(value)


def _host_port(name: str, item: str, default_port: int | None = None) -> tuple[str, int]:
    host, sep, port = item.strip().rpartition(":")
    if not sep:
        if default_port is None:
            raise ConfigError(name, f"{item!r} needs host:port")
        host, port = item.strip(), str(default_port)
    if not _ASCII_INT.fullmatch(port.strip()):
        raise ConfigError(name, f"{item!r} has a bad port")
    port_no = int(port)
    if not host or not 0 < port_no < 65536:
        raise ConfigError(name, f"{item!r} is not host:port")
    return host.strip("[]"), port_no


def _fees(env: Mapping[str, str]) -> dict[str, FeeRule]:
    """OMNIFLATTR_FEES="bank=30+0.3%,card=30+2%,paypal=35+3.4%" (fixed cents + percent)."""
    name = "OMNIFLATTR_FEES"
    raw = env.get(name, "").strip()
    if not raw:
        return dict(DEFAULT_FEES)
    fees: dict[str, FeeRule] = {}
    for item in raw.split(","):
        method, sep, rule = item.partition("=")
        fixed, plus, percent = rule.partition("+")
        if not sep or not plus or not method.strip():
            raise ConfigError(name, f"{item!r} must look like card=30+2%")
        try:
            fixed_cents = int(fixed)
        except ValueError:
            raise ConfigError(name, f"{item!r}: {fixed!r} is not a number of cents") from None
        fees[method.strip()] = FeeRule(fixed_cents, _percent_bp(name, percent))
    return fees


def _now(env: Mapping[str, str], app_env: str) -> datetime | None:
    name = "OMNIFLATTR_NOW"
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if app_env not in ("dev", "test"):
        raise ConfigError(name, "a fixed clock is only allowed when OMNIFLATTR_ENV is dev or test")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            name, f"{raw!r} is not an ISO 8601 time like 2026-11-15T12:00:00Z"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _host_map(env: Mapping[str, str], app_env: str) -> dict[str, tuple[str, int]]:
    name = "OMNIFLATTR_CRAWL_HOST_MAP"
    raw = env.get(name, "").strip()
    if not raw:
        return {}
    if app_env not in ("dev", "test"):
        raise ConfigError(
            name, "the crawl host map is only allowed when OMNIFLATTR_ENV is dev or test"
        )
    mapping: dict[str, tuple[str, int]] = {}
    for item in raw.split(","):
        host, sep, target = item.partition("=")
        if not sep or not host.strip():
            raise ConfigError(name, f"{item!r} must look like example.org=127.0.0.1:8001")
        address, port = _host_port(name, target)
        try:
            loopback = ipaddress.ip_address(address).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            # Tests point public names at their own local servers, nothing else.
            raise ConfigError(name, f"{item!r} must map to a loopback address like 127.0.0.1")
        try:
            key = idna.encode(host.strip().rstrip("."), uts46=True).decode("ascii")
        except idna.IDNAError:
            raise ConfigError(name, f"{host.strip()!r} is not a host name") from None
        mapping[key] = (address, port)
    return mapping


def _trusted_proxies(env: Mapping[str, str]) -> str:
    from registry_service.api.proxies import parse_networks

    raw = env.get("OMNIFLATTR_TRUSTED_PROXIES", "").strip()
    try:
        parse_networks(raw)
    except ValueError as exc:
        raise ConfigError("OMNIFLATTR_TRUSTED_PROXIES", str(exc)) from None
    return raw


def _check_mongodb_uri(uri: str) -> None:
    """The URI's own syntax (hosts, ports, options), without contacting anyone. A
    mongodb+srv:// URI is left to the driver: checking it means asking DNS."""
    from pymongo.errors import ConfigurationError, InvalidURI
    from pymongo.uri_parser import parse_uri

    try:
        parse_uri(uri, connect_timeout=1)
    except (InvalidURI, ConfigurationError, ValueError) as exc:
        raise ConfigError("MONGODB_URI", str(exc).split("\n")[0]) from None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build `Settings` from environment variables, validating every one."""
    env = os.environ if environ is None else environ
    app_env = env.get("OMNIFLATTR_ENV", "prod").strip() or "prod"
    if app_env not in ENVIRONMENTS:
        raise ConfigError("OMNIFLATTR_ENV", f"{app_env!r} is not one of {', '.join(ENVIRONMENTS)}")

    uri = env.get("MONGODB_URI", "").strip() or None
    if uri and not uri.startswith(("mongodb://", "mongodb+srv://")):
        raise ConfigError("MONGODB_URI", "must start with mongodb:// or mongodb+srv://")
    if uri and uri.startswith("mongodb://"):
        _check_mongodb_uri(uri)
    db_name = env.get("OMNIFLATTR_DB_NAME", "").strip() or "omniflattr"
    if not _DB_NAME.fullmatch(db_name):
        raise ConfigError(
            "OMNIFLATTR_DB_NAME", f'{db_name!r} is not a MongoDB database name (no /\\. "$)'
        )

    data_dir = Path(env.get("OMNIFLATTR_DATA_DIR", "").strip() or "var")
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError("OMNIFLATTR_DATA_DIR", f"{data_dir} exists and is not a directory")

    provider = env.get("OMNIFLATTR_PAYMENT_PROVIDER", "").strip() or "sandbox"
    if provider not in ("sandbox", "webhook"):
        raise ConfigError("OMNIFLATTR_PAYMENT_PROVIDER", f"{provider!r} is not sandbox or webhook")
    webhook_secret = env.get("OMNIFLATTR_WEBHOOK_SECRET", "").strip() or None
    if provider == "webhook" and not webhook_secret:
        raise ConfigError("OMNIFLATTR_WEBHOOK_SECRET", "is required with the webhook provider")

    unspent = env.get("OMNIFLATTR_UNSPENT_BUDGET", "").strip() or "keep"
    if unspent not in ("keep", "charity"):
        raise ConfigError("OMNIFLATTR_UNSPENT_BUDGET", f"{unspent!r} is not keep or charity")

    public_url = env.get("OMNIFLATTR_PUBLIC_URL", "").strip()
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ConfigError("OMNIFLATTR_PUBLIC_URL", "must start with http:// or https://")

    nameservers = tuple(
        _host_port("OMNIFLATTR_DNS_NAMESERVERS", item, default_port=53)
        for item in env.get("OMNIFLATTR_DNS_NAMESERVERS", "").split(",")
        if item.strip()
    )

    currency = env.get("OMNIFLATTR_CURRENCY", "").strip().upper() or "EUR"
    if len(currency) != 3 or not currency.isalpha():
        raise ConfigError("OMNIFLATTR_CURRENCY", f"{currency!r} is not a 3-letter currency code")

    commission_raw = env.get("OMNIFLATTR_COMMISSION_PERCENT", "").strip()
    commission_bp = (
        _percent_bp("OMNIFLATTR_COMMISSION_PERCENT", commission_raw) if commission_raw else 1000
    )

    return Settings(
        env=app_env,
        host=env.get("OMNIFLATTR_HOST", "").strip() or "127.0.0.1",
        port=_int(env, "OMNIFLATTR_PORT", 8080, 0, 65535),
        data_dir=data_dir,
        mongodb_uri=uri,
        db_name=db_name,
        now=_now(env, app_env),
        public_url=public_url,
        admin_emails=frozenset(
            e.strip().lower()
            for e in env.get("OMNIFLATTR_ADMIN_EMAILS", "").split(",")
            if e.strip()
        ),
        currency=currency,
        commission_bp=commission_bp,
        min_budget_cents=_int(env, "OMNIFLATTR_MIN_BUDGET_CENTS", 200, 1, 10**9),
        escrow_months=_int(env, "OMNIFLATTR_ESCROW_MONTHS", 6, 1, 120),
        fees=_fees(env),
        payment_provider=provider,
        webhook_secret=webhook_secret,
        unspent_budget=unspent,
        dns_nameservers=nameservers,
        recheck_days=_int(env, "OMNIFLATTR_RECHECK_DAYS", 7, 1, 365),
        ledger_first_delay_s=_int(env, "OMNIFLATTR_LEDGER_FIRST_DELAY_S", 60, 0, 86_400),
        ledger_interval_s=_int(env, "OMNIFLATTR_LEDGER_INTERVAL_S", 300, 1, 86_400),
        crawl_host_map=_host_map(env, app_env),
        trusted_proxies=_trusted_proxies(env),
    )
