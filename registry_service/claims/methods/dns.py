"""The DNS method: a TXT record `token=<token>` at `_omniflattr-challenge.<domain>`.

Queried over the DNS protocol with dnspython, through `settings.dns_nameservers`
(OMNIFLATTR_DNS_NAMESERVERS) or the system's resolvers. A record at a parent name proves
every subdomain, so a subdomain key is also proved by the registrable domain's record.
"""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver

from registry_service.claims.domains import DomainName
from registry_service.claims.findings import Finding
from registry_service.claims.tokens import contains_token
from registry_service.config import Settings

CHALLENGE_LABEL = "_omniflattr-challenge"
MAX_CNAME_HOPS = 8
TIMEOUT_S = 3.0
LIFETIME_S = 8.0


def record_name(host: str) -> str:
    return f"{CHALLENGE_LABEL}.{host}"


def record_value(token: str) -> str:
    return f"token={token}"


def make_resolver(settings: Settings) -> dns.asyncresolver.Resolver:
    if settings.dns_nameservers:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [
            dns.nameserver.Do53Nameserver(host, port) for host, port in settings.dns_nameservers
        ]
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.timeout = TIMEOUT_S
    resolver.lifetime = LIFETIME_S
    resolver.cache = None  # a removed record must be seen at the next check
    return resolver


async def txt_strings(resolver: dns.asyncresolver.Resolver, name: str) -> list[str] | None:
    """The TXT values at a name (each record's strings joined), following CNAMEs;
    None when the name has no TXT record. DNS failures raise dns.exception.DNSException."""
    qname = dns.name.from_text(name)
    for _ in range(MAX_CNAME_HOPS):
        try:
            answer = await resolver.resolve(qname, "TXT", raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return None
        if answer.rrset is not None:
            return [
                b"".join(rdata.strings).decode("utf-8", errors="replace") for rdata in answer.rrset
            ]
        if answer.canonical_name == qname:
            return None
        qname = answer.canonical_name  # a CNAME whose target the server did not answer for
    return None


def judge_txt(name: str, values: list[str] | None, token: str) -> Finding:
    """What the TXT values at `name` say about this token (a pure rule)."""
    expected = record_value(token)
    if values is None:
        return Finding(
            "dns",
            name,
            "missing",
            f"There is no TXT record at {name}. Add one with the value {expected} "
            "(DNS changes can take a while to reach every server).",
        )
    tokens = [v.strip() for v in values]
    if any(v.lower() == expected.lower() for v in tokens):
        return Finding("dns", name, "found", f"The TXT record at {name} holds your token.")
    ours_elsewhere = [v for v in tokens if contains_token(v, token)]
    if ours_elsewhere:
        return Finding(
            "dns",
            name,
            "mismatch",
            f"A TXT record at {name} contains your token but not in the form {expected}; "
            "set its value to exactly that.",
        )
    if any(v.lower().startswith("token=") for v in tokens):
        return Finding(
            "dns",
            name,
            "mismatch",
            f"TXT record {name} exists but holds a different token; "
            f"this claim needs the value {expected}.",
        )
    return Finding(
        "dns",
        name,
        "mismatch",
        f"TXT records exist at {name} but none holds a token=... value; "
        f"add a TXT record with the value {expected}.",
    )


async def check_dns(
    settings: Settings,
    domain: DomainName,
    token: str,
    parent_tokens: dict[str, str] | None = None,
) -> list[Finding]:
    """One finding per name from the key's host up to its registrable domain.

    `parent_tokens` ({parent host: token}) are the tokens of the same account's verified
    claims of parent domains: their records prove every subdomain too."""
    try:
        resolver = make_resolver(settings)
    except (dns.exception.DNSException, ValueError) as exc:  # no resolv.conf, bad address
        return [
            Finding("dns", record_name(domain.host), "error", f"DNS is not configured here: {exc}")
        ]
    findings = []
    for host in domain.parents():
        name = record_name(host)
        try:
            values = await txt_strings(resolver, name)
        except dns.exception.Timeout:
            findings.append(
                Finding("dns", name, "error", f"The DNS lookup of {name} timed out; try again.")
            )
            continue
        except dns.exception.DNSException as exc:
            findings.append(
                Finding(
                    "dns", name, "error", f"The DNS lookup of {name} failed ({exc}); try again."
                )
            )
            continue
        finding = judge_txt(name, values, token)
        parent_token = (parent_tokens or {}).get(host)
        if not finding.ok and parent_token and judge_txt(name, values, parent_token).ok:
            finding = Finding(
                "dns",
                name,
                "found",
                f"The TXT record at {name} holds the token of your verified claim of "
                f"domain:{host}, which proves its subdomains too.",
            )
        findings.append(finding)
        if finding.ok:
            break
    return findings
