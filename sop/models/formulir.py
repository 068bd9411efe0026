"""Idempotency keys of submitted forms (``sop.idempoten``)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenFormulir(models.Model):
    """One submitted form: the random token the form carried and the record it created. A
    second POST of the same form (a double click, a resent page) finds this row and shows that
    record instead of creating another; the unique index makes two simultaneous POSTs wait for
    each other in the database."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    dibuat = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return self.token

    def objek(self):
        """The record the form created, or None."""
        if self.content_type_id is None or not self.object_id:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None
