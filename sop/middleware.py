"""Sliding session expiry for signed-in officers.

``SESSION_COOKIE_AGE`` is the idle time after which an officer signs in again (a working day,
``config.settings``). Each save of the session moves its expiry; saving on every request
(``SESSION_SAVE_EVERY_REQUEST``) would write the session row on every page view, so the
session is refreshed at most once every ``PORTAL_SESI_SEGARKAN`` seconds: the expiry slides
with the officer's activity to within that interval at the cost of one write per interval.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

KUNCI = "_segar"  # session key: when the session's expiry was last moved (epoch seconds)


def segarkan(session, now: float | None = None) -> None:
    session[KUNCI] = int(now if now is not None else time.time())


@receiver(user_logged_in)
def _saat_masuk(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        segarkan(request.session)


class SesiGeser:
    """After ``AuthenticationMiddleware``: re-save an officer's session when its last refresh
    is older than ``PORTAL_SESI_SEGARKAN`` seconds (the SessionMiddleware then writes it with
    a new expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and "_auth_user_id" in session:
            t = session.get(KUNCI)
            now = time.time()
            if not isinstance(t, int) or now - t >= settings.PORTAL_SESI_SEGARKAN:
                segarkan(session, now)
        return self.get_response(request)
