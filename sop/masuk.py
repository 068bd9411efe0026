"""Login throttling (django-axes) behind a reverse proxy.

* The address is the client's, not the proxy's: ``AXES_CLIENT_IP_CALLABLE`` is
  ``sop.klien.alamat_klien`` (trusted-proxy count ``PORTAL_PROXY_TEPERCAYA``). Behind nginx
  without it every client is 127.0.0.1, and five wrong passwords from anyone lock the real user
  out.
* A username is locked per address (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``):
  someone guessing from elsewhere cannot lock an officer out of their own office.
* One address is also limited across usernames (``PORTAL_BATAS_GAGAL_ALAMAT`` failures within
  the cool-off time): guessing many accounts from one address stops too. The limit is higher
  than the per-user one because a village office or a mobile network shares one address.
  A successful login resets only its own username+address failures, so logging in to one's
  own account does not clear the address's count.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class PenanganMasuk(AxesDatabaseHandler):
    """The database handler plus a per-address limit across usernames."""

    def gagal_per_alamat(self, request) -> int:
        """Failures from the request's address within the cool-off time, all usernames."""
        qs = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            qs = qs.filter(attempt_time__gte=get_cool_off_threshold(request))
        return qs.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def get_failures(self, request, credentials: dict | None = None) -> int:
        n = super().get_failures(request, credentials)
        batas = getattr(settings, "PORTAL_BATAS_GAGAL_ALAMAT", 0)
        if batas and self.gagal_per_alamat(request) >= batas:
            # reported as a full count: axes then locks like a per-user lockout
            return max(n, get_failure_limit(request, credentials))
        return n
