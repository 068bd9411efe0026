"""An S3-compatible server on loopback (moto's server mode) and the portal pointed at a fresh
bucket in it, with an empty MEDIA_ROOT that must stay empty."""

from __future__ import annotations

import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bpum.conftest import banyak, buat, periode  # noqa: F401  (BPUM fixtures used here)

KUNCI_AKSES = "portal-uji"
KUNCI_RAHASIA = "rahasia-uji"
REGION = "ap-southeast-3"  # Jakarta


@dataclass
class Bucket:
    endpoint: str
    nama: str
    media: Path
    client: object

    def kunci(self, awalan: str = "") -> list[str]:
        """Every object key in the bucket (under ``awalan``)."""
        hal = self.client.get_paginator("list_objects_v2")
        return sorted(
            o["Key"]
            for p in hal.paginate(Bucket=self.nama, Prefix=awalan)
            for o in p.get("Contents", [])
        )

    def isi(self, kunci: str) -> bytes:
        return self.client.get_object(Bucket=self.nama, Key=kunci)["Body"].read()

    def status_anonim(self, kunci: str) -> int:
        """HTTP status of an unsigned GET of the object (what anyone on the network gets)."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.nama}/{kunci}", timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def hanya_pemilik(self, kunci: str) -> bool:
        """The object's ACL grants nothing to anybody but its owner."""
        grants = self.client.get_object_acl(Bucket=self.nama, Key=kunci)["Grants"]
        return all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)

    def env(self) -> dict[str, str]:
        """The environment that points a portal process at this bucket."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.nama,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": KUNCI_AKSES,
            "AWS_SECRET_ACCESS_KEY": KUNCI_RAHASIA,
            "AWS_S3_REGION_NAME": REGION,
        }


def media_kosong(media: Path) -> list[str]:
    """Files under ``media`` (expected: none)."""
    return [str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()]


@pytest.fixture(scope="session")
def server_s3():
    """moto's S3 server on a free loopback port for the whole session; its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def buat_bucket(endpoint: str, media: Path) -> Bucket:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KUNCI_AKSES,
        aws_secret_access_key=KUNCI_RAHASIA,
        region_name=REGION,
    )
    nama = f"portal-{secrets.token_hex(6)}"
    client.create_bucket(Bucket=nama, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Bucket(endpoint=endpoint, nama=nama, media=media, client=client)


@pytest.fixture
def s3(server_s3, settings, tmp_path):
    """The portal's default storage is a fresh private bucket exactly as ``config.settings``
    builds it from the environment; MEDIA_ROOT points at an empty directory."""
    import importlib
    import os
    from unittest import mock

    media = tmp_path / "media"
    media.mkdir()
    b = buat_bucket(server_s3, media)
    with mock.patch.dict(os.environ, b.env()):
        import config.settings as cs

        dibangun = importlib.reload(cs)
        storages = dibangun.STORAGES
        tautan = dibangun.PORTAL_UNDUH_TAUTAN
    importlib.reload(cs)  # back to this process's environment
    settings.STORAGES = storages
    settings.PORTAL_UNDUH_TAUTAN = tautan
    settings.MEDIA_ROOT = media
    yield b
    assert media_kosong(media) == [], "nothing may be written under MEDIA_ROOT"
