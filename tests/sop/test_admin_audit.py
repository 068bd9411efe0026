"""Immutable rows in the admin: a bulk delete (or any action the page does not offer) is refused
visibly with 403, and nothing is deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from sop.models import Jejak, RiwayatPerubahan

pytestmark = pytest.mark.django_db


def _jejak():
    return Jejak.objects.create(
        content_type=ContentType.objects.get_for_model(Jejak),
        object_id="1",
        transisi="uji",
        dari="a",
        ke="b",
        selesai=timezone.now(),
    )


def _riwayat():
    return RiwayatPerubahan.objects.create(
        content_type=ContentType.objects.get_for_model(Jejak),
        object_id="1",
        field="nama",
        lama="a",
        baru="b",
        waktu=timezone.now(),
    )


@pytest.mark.parametrize(("buat", "model"), [(_jejak, "jejak"), (_riwayat, "riwayatperubahan")])
@pytest.mark.parametrize("post", [{}, {"post": "yes"}])
def test_hapus_massal_ditolak(masuk, buat, model, post):
    obj = buat()
    r = masuk("admin").post(
        reverse(f"admin:sop_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], **post},
    )
    assert r.status_code == 403
    html = r.content.decode()
    assert 'data-testid="aksi-ditolak"' in html and "tidak dapat diubah atau dihapus" in html
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "model", ["jejak", "pelanggaran", "peringatan", "riwayatperubahan", "langkahberjalan"]
)
def test_tanpa_aksi_hapus_dan_tanpa_tombol(masuk, model):
    r = masuk("admin").get(reverse(f"admin:sop_{model}_changelist"))
    assert r.status_code == 200
    assert 'value="delete_selected"' not in r.content.decode()


def test_hapus_satu_baris_ditolak(masuk):
    obj = _jejak()
    r = masuk("admin").post(reverse("admin:sop_jejak_delete", args=[obj.pk]), {"post": "yes"})
    assert r.status_code == 403 and Jejak.objects.filter(pk=obj.pk).exists()


def test_keputusan_duplikat_bpum_ditolak(masuk):
    r = masuk("admin").post(
        reverse("admin:bpum_duplikatkeputusan_changelist"),
        {"action": "delete_selected", "_selected_action": ["1"], "post": "yes"},
    )
    assert r.status_code == 403 and 'data-testid="aksi-ditolak"' in r.content.decode()
    assert (
        "delete_selected"
        not in masuk("admin")
        .get(reverse("admin:bpum_duplikatkeputusan_changelist"))
        .content.decode()
    )


def test_aksi_yang_ada_tetap_jalan(masuk):
    """The refusal is only for actions a page does not offer: a real action still runs."""
    from sop.models import Sop

    sop = Sop.objects.berlaku().get(kode="PACITAN-14")
    r = masuk("admin").post(
        reverse("admin:sop_sop_changelist"),
        {"action": "buat_revisi", "_selected_action": [sop.pk]},
    )
    assert r.status_code == 302
    assert Sop.objects.filter(kode="PACITAN-14", status="draf").exists()
