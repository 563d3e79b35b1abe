"""allauth hooks: who may sign up, what a new user becomes, how mail leaves (the outbox), and
second-factor secrets encrypted at rest."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts.services import user_sign_up
from core.encryption import decrypt_text, encrypt_text
from core.services import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    @property
    def error_messages(self) -> dict[str, Any]:  # type: ignore[override]
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        return {
            **DefaultAccountAdapter.error_messages,
            "too_many_login_attempts": (
                "Too many failed login attempts for this email address. Wait "
                f"{minutes} minutes, then try again. If you have forgotten your password, "
                "reset it with the link below."
            ),
        }

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        return user_sign_up(
            user=user,
            full_name=data.get("full_name", ""),
            staff_group=data.get("staff_group", ""),
            job_title=data.get("job_title", ""),
            request=request,
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Render now (the request is here), deliver through the outbox like every other email.
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        outbox_enqueue(
            idempotency_key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            recipients=list(message.to),
            subject=str(message.subject),
            body_text=str(message.body),
            body_html=html,
        )


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP keys and recovery-code seeds are stored encrypted (accounts.mfa_secrets)."""

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        # A secret no key opens raises InvalidToken: the sign-in fails loudly, never with a
        # code checked against ciphertext.
        return decrypt_text(encrypted_text)
