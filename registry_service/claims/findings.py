"""What one check saw, in words a person can act on, and what a set of checks adds up to."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Outcome = Literal["found", "missing", "mismatch", "error"]


@dataclass(frozen=True)
class Finding:
    method: str  # dns | https_file | meta_tag | profile | rel_me | legacy_meta
    target: str  # the DNS name or the URL looked at
    outcome: Outcome
    message: str

    @property
    def ok(self) -> bool:
        return self.outcome == "found"

    @property
    def definite(self) -> bool:
        """A clean answer (found or not there), as opposed to a fetch or DNS error."""
        return self.outcome != "error"

    def to_doc(self) -> dict:
        return {**asdict(self), "ok": self.ok}

    @classmethod
    def from_doc(cls, doc: dict) -> Finding:
        return cls(doc["method"], doc["target"], doc["outcome"], doc["message"])


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return any(f.ok for f in self.findings)

    @property
    def proving(self) -> Finding | None:
        return next((f for f in self.findings if f.ok), None)

    def proof_gone(self, method: str | None, target: str | None) -> bool:
        """True when the proof clearly no longer holds: nothing passes, and the method that
        once proved it answered cleanly (an outage is not evidence that control changed)."""
        if self.ok:
            return False
        used = [f for f in self.findings if f.method == method and f.target == target]
        considered = used or list(self.findings)
        return bool(considered) and all(f.definite for f in considered)

    def summary(self) -> str:
        proving = self.proving
        if proving is not None:
            return f"Verified: {proving.message}"
        if not self.findings:
            return "No check could be run for this key."
        return "Not verified yet: " + " ".join(f.message for f in self.findings)

    def to_docs(self) -> list[dict]:
        return [f.to_doc() for f in self.findings]
