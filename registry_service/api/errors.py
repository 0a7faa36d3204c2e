"""The error model of the API: `{"error": {"code", "message"}}` with a fitting status."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.responses import json_response

RETRY_AFTER_DB_SECONDS = 2


class ApiError(Exception):
    """An error a client can act on. Raised anywhere below a handler; rendered by middleware."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status
        self.headers = headers or {}
        self.extra = extra or {}

    def to_response(self) -> web.Response:
        body: dict = {"error": {"code": self.code, "message": self.message, **self.extra}}
        return json_response(body, status=self.status, headers=self.headers)


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401

    def __init__(self, code: str = "unauthorized", message: str = "", **kw) -> None:
        super().__init__(
            code,
            message or "Send a valid token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="omniflattr"'},
            **kw,
        )


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class Unprocessable(ApiError):
    status = 422


class TooManyRequests(ApiError):
    status = 429

    def __init__(self, retry_after: int, message: str = "") -> None:
        retry_after = max(1, int(retry_after))
        super().__init__(
            "rate_limited",
            message or f"Too many requests; try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )


class DatabaseUnavailable(ApiError):
    status = 503

    def __init__(self) -> None:
        super().__init__(
            "database_unavailable",
            "The database is not reachable right now; nothing was changed. Try again shortly.",
            headers={"Retry-After": str(RETRY_AFTER_DB_SECONDS)},
        )


def error_response(
    status: int, code: str, message: str, headers: dict | None = None
) -> web.Response:
    return ApiError(code, message, status=status, headers=headers).to_response()
