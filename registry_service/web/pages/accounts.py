"""Sign up, sign in, sign out, the account overview and the password change."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from email_validator import EmailNotValidError, validate_email

from registry_service.accounts import passwords, service
from registry_service.api.errors import ApiError, TooManyRequests
from registry_service.api.ratelimit import RateLimit, db_rate_limit
from registry_service.web import overview, sessions, store
from registry_service.web.redirects import safe_next
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

MAX_DISPLAY_NAME = 100


def _clean_text(value: str, limit: int) -> str:
    """Drop control characters; keep what a person typed otherwise."""
    return "".join(ch for ch in value if ch.isprintable())[:limit].strip()


def _field_error(page: Page, error: ApiError) -> tuple[str, str]:
    """Which form field a service error is about, and its message for this page."""
    fields = {
        "weak_password": "password",
        "email_taken": "email",
        "invalid_handle": "handle",
        "handle_taken": "handle",
        "bad_credentials": "password",
    }
    key = f"errors.{error.code}"
    text = page.t(key, min=passwords.MIN_LENGTH) if page.t.has(key) else error.message
    return fields.get(error.code, ""), text


@routes.get("/signup", access="public", forms=True, name="signup")
async def signup_form(page: Page) -> web.StreamResponse:
    if page.account is not None:
        return page.redirect(safe_next(page.field("next")))
    return await page.render(
        "signup.html", values={}, errors={}, next=safe_next(page.field("next"))
    )


@routes.post("/signup", access="public", forms=True, rate=RateLimit(20, 60))
async def signup(page: Page) -> web.StreamResponse:
    next_path = safe_next(page.field("next"))
    values = {
        "email": page.field("email"),
        "display_name": _clean_text(page.field("display_name"), MAX_DISPLAY_NAME),
        "handle": page.field("handle").lower(),
    }
    password = page.form.get("password", "") if page.form else ""
    errors: dict[str, str] = {}
    try:
        values["email"] = validate_email(values["email"], check_deliverability=False).normalized
    except EmailNotValidError:
        errors["email"] = page.t("errors.invalid_email")
    if not values["display_name"]:
        errors["display_name"] = page.t("errors.display_name_required")
    if len(password) < passwords.MIN_LENGTH:
        errors["password"] = page.t("errors.weak_password", min=passwords.MIN_LENGTH)
    if not errors:
        try:
            account = await service.create_account(
                page.context,
                values["email"],
                password,
                values["display_name"],
                values["handle"] or None,
            )
        except ApiError as error:
            if isinstance(error, TooManyRequests):
                raise
            name, text = _field_error(page, error)
            errors[name or "form"] = text
            status = error.status
        else:
            await sessions.sign_in(page.request, page.context, account["_id"])
            await page.flash("success", "flash.welcome", name=account["display_name"])
            return page.redirect(next_path)
    else:
        status = 422
    return await page.render(
        "signup.html", status=status, values=values, errors=errors, next=next_path
    )


@routes.get("/signin", access="public", forms=True, name="signin")
async def signin_form(page: Page) -> web.StreamResponse:
    next_path = safe_next(page.field("next"))
    if page.account is not None:
        return page.redirect(next_path)
    return await page.render("signin.html", email="", error="", next=next_path)


@routes.post("/signin", access="public", forms=True, rate=RateLimit(30, 60))
async def signin(page: Page) -> web.StreamResponse:
    next_path = safe_next(page.field("next"))
    email = page.field("email")
    password = page.form.get("password", "") if page.form else ""
    try:
        account = await service.check_credentials(page.context, email, password)
    except ApiError as error:
        response = await page.render(
            "signin.html",
            status=error.status,
            email=email,
            error=_field_error(page, error)[1] if error.status != 429 else _retry(page, error),
            next=next_path,
        )
        if "Retry-After" in error.headers:
            response.headers["Retry-After"] = error.headers["Retry-After"]
        return response
    await sessions.sign_in(page.request, page.context, account["_id"])
    return page.redirect(next_path)


def _retry(page: Page, error: ApiError) -> str:
    return page.t("errors.rate_limited", retry_after=error.headers.get("Retry-After", "60"))


@routes.post("/signout", access="public")
async def signout(page: Page) -> web.StreamResponse:
    await sessions.sign_out(page.request, page.context)
    await page.flash("info", "flash.signed_out")
    return page.redirect("/")


@routes.get("/account", access="account", name="account")
async def account_overview(page: Page) -> web.StreamResponse:
    keys = await store.keys_owned_by(page.context.db, page.account_id)
    return await page.render(
        "account.html",
        page_title=page.t("account.title"),
        section="overview",
        account=page.account,
        keys=keys,
        money_summary=await overview.money_summary(page.context, page.account_id),
    )


@routes.get("/account/password", access="account", forms=True, name="password")
async def password_form(page: Page) -> web.StreamResponse:
    return await page.render("password.html", errors={})


@routes.post("/account/password", access="account")
async def password_change(page: Page) -> web.StreamResponse:
    form = page.form or {}
    current, new, repeat = (form.get(n, "") for n in ("current", "new", "repeat"))
    errors: dict[str, str] = {}
    if new != repeat:
        errors["repeat"] = page.t("errors.passwords_differ")
    elif len(new) < passwords.MIN_LENGTH:
        errors["new"] = page.t("errors.weak_password", min=passwords.MIN_LENGTH)
    if errors:
        return await page.render("password.html", status=422, errors=errors)
    # Someone holding a stolen session must not be able to guess the password here.
    await db_rate_limit(
        page.context.db,
        f"password:{page.account_id}",
        10,
        timedelta(minutes=15),
        sessions.wall_clock(),
        "Too many attempts; wait a few minutes.",
    )
    try:
        await service.change_password(page.context, page.account_id, current, new)
    except ApiError as error:
        if error.code == "bad_credentials":
            errors["current"] = page.t("errors.wrong_current_password")
        else:
            errors["new"] = _field_error(page, error)[1]
        return await page.render("password.html", status=error.status, errors=errors)
    # Other browsers signed in with the old password are signed out; this one stays.
    session = page.session
    await store.delete_account_sessions(
        page.context.db, page.account_id, keep=session.id_hash if session else None
    )
    await page.flash("success", "flash.password_changed")
    return page.redirect("/account")
