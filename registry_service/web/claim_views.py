"""Claims as the pages show them: findings, instructions and history in the person's words.

The claims package writes its findings and history messages in English. Pages say what
each one means in the person's language (by method and outcome, by event type) and keep
the package's exact sentence beside it, marked as English when the page is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry_service.claims.proofs import adapter_for
from registry_service.web.i18n import Translator

SERVICE_LANG = "en"  # the language the claims package writes its messages in
METHODS = ("dns", "https_file", "meta_tag", "profile", "rel_me", "legacy_meta")
OUTCOMES = ("found", "missing", "mismatch", "error")
STATUSES = ("pending", "verified", "lapsed", "transferred", "withdrawn")


@dataclass(frozen=True)
class FindingView:
    method: str
    method_label: str
    target: str
    outcome: str
    outcome_label: str
    ok: bool
    hint: str  # what the outcome means, in the page's language
    detail: str  # the claims package's own sentence
    detail_lang: str


def _known(value: str, allowed: tuple[str, ...], fallback: str) -> str:
    return value if value in allowed else fallback


def method_label(t: Translator, method: str) -> str:
    return t(f"claim.method.{_known(method, METHODS, 'other')}")


def finding_view(t: Translator, finding: dict) -> FindingView:
    method = str(finding.get("method", ""))
    outcome = _known(str(finding.get("outcome", "")), OUTCOMES, "error")
    target = str(finding.get("target", ""))
    return FindingView(
        method=method,
        method_label=method_label(t, method),
        target=target,
        outcome=outcome,
        outcome_label=t(f"claim.outcome.{outcome}"),
        ok=outcome == "found",
        hint=t(f"claim.hint.{outcome}", target=target),
        detail=str(finding.get("message", "")),
        detail_lang=SERVICE_LANG,
    )


def check_view(t: Translator, check: dict | None) -> dict | None:
    """A stored check (`last_check`) or a fresh one: when, whether it passed, each finding."""
    if not check:
        return None
    return {
        "at": check.get("at"),
        "ok": bool(check.get("ok")),
        "findings": [finding_view(t, f) for f in check.get("findings", [])],
    }


def status_label(t: Translator, claim: dict) -> str:
    status = _known(claim.get("status", ""), STATUSES, "pending")
    if status == "verified" and claim.get("declined"):
        return t("claim.status.declined")
    return t(f"claim.status.{status}")


def event_view(t: Translator, event: dict) -> dict:
    kind = str(event.get("type", ""))
    key = f"claim.event.{kind}"
    evidence = event.get("evidence") or {}
    cents = evidence.get("cents")
    return {
        "at": event.get("at"),
        "label": t(key) if t.has(key) else kind,
        "detail": event.get("message", ""),
        "detail_lang": SERVICE_LANG,
        "cents": cents if type(cents) is int else None,
        "findings": [finding_view(t, f) for f in evidence.get("findings", [])],
    }


def instruction_views(t: Translator, namespace: str, steps: list[dict]) -> list[dict]:
    """The claims package's instructions, method by method, with translated headings."""
    adapter = adapter_for(namespace)
    platform = adapter.label if adapter else namespace
    views = []
    for step in steps:
        method = _known(step.get("method", ""), METHODS, "other")
        views.append(
            {
                **step,
                "method": method,
                "title": method_label(t, method),
                "help": t(f"claim.how.{method}", platform=platform),
                "detail_lang": SERVICE_LANG,
            }
        )
    return views


def accepts_proof_url(namespace: str) -> bool:
    """Platforms where a person may point at one page holding the proof (a gist)."""
    adapter = adapter_for(namespace)
    return adapter is not None and adapter.proof_url_pattern is not None
