"""Idempotent form submissions: a double click or a resent POST creates one record.

The form carries a random token (``token_baru``, rendered in a hidden field). The service that
creates the record claims the token inside its transaction before writing anything:

    klaim, lama = klaim_token(token, user=user)
    if lama is not None:
        return lama               # the same form was already submitted: show that record
    obj = ...create...
    ikat_token(klaim, obj)

The claim is an INSERT into a table with a unique token: a second, simultaneous request with the
same token waits on the unique index until the first commits, then finds its row (and record);
if the first rolls back (a validation error), its claim disappears with it and the second goes
ahead. A missing or malformed token (API clients, management commands) simply claims nothing.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import TokenFormulir

_BENTUK = re.compile(r"[A-Za-z0-9_-]{16,64}")


def token_baru() -> str:
    """A fresh form token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def token_sah(token: str | None) -> bool:
    return bool(token) and _BENTUK.fullmatch(token) is not None


def klaim_token(token: str | None, *, user) -> tuple[TokenFormulir | None, object | None]:
    """Claim ``token`` for ``user`` inside the caller's transaction.

    Returns ``(claim, None)`` for a first submission (bind the record with ``ikat_token``),
    ``(None, record)`` when this form already created ``record``, ``(None, None)`` when there is
    nothing to claim (no token, a malformed one, or another user's)."""
    if not token_sah(token) or not getattr(user, "pk", None):
        return None, None
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a clash
            return TokenFormulir.objects.create(token=token, user=user), None
    except IntegrityError:
        lama = TokenFormulir.objects.filter(token=token).select_related("content_type").first()
    if lama is None or lama.user_id != user.pk:
        return None, None
    return None, lama.objek()


def ikat_token(klaim: TokenFormulir | None, obj) -> None:
    """Record that the claimed form created ``obj``."""
    if klaim is None:
        return
    klaim.content_type = ContentType.objects.get_for_model(type(obj))
    klaim.object_id = str(obj.pk)
    klaim.save(update_fields=["content_type", "object_id"])
