"""Filter audit rows by the record they belong to: the content type and the id together.

Two models share the name ``permohonan`` (``sop`` and ``perizinan``) and ids overlap between
models, so ``object_id`` alone (or with ``content_type__model``) can match another record.
"""

from django.contrib.contenttypes.models import ContentType


def milik(obj, awalan: str = "") -> dict:
    """Keyword filters for rows (Jejak, LangkahBerjalan, RiwayatPerubahan...) of ``obj``;
    ``awalan`` reaches them through a relation (``"langkah_berjalan__"``)."""
    return {
        f"{awalan}content_type": ContentType.objects.get_for_model(type(obj)),
        f"{awalan}object_id": str(obj.pk),
    }
