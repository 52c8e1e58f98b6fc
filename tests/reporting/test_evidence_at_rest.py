"""Evidence files are encrypted at rest and served as they were uploaded; the keys rotate; a file
that no key opens is a clear message, never a server error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.storage import MAGIC, UndecryptableFile, confidential
from reporting import services
from reporting.models import Evidence, ProgressUpdate

PLAIN = b"Minutes of the meeting with the host authorities: Quokkasecret.\n"
KEY1, KEY2, KEY3 = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture
def disk(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.A4P_FILE_KEYS = [KEY1]
    return tmp_path / "media"


def add(update: ProgressUpdate, focal: User, data: bytes = PLAIN) -> Evidence:
    return services.evidence_add(
        update=update,
        actor=focal,
        title="Minutes",
        upload=SimpleUploadedFile("minutes.txt", data),
    )


def download(client: Client, focal: User, evidence: Evidence) -> Any:
    client.force_login(focal)
    return client.get(reverse("evidence-download", args=[evidence.update_id, evidence.pk]))


def test_the_bytes_on_disk_are_not_the_file_and_the_download_is(
    client: Client, disk: Path, minusca_update: ProgressUpdate, focal: User
) -> None:
    evidence = add(minusca_update, focal)
    on_disk = (disk / str(evidence.file.name)).read_bytes()
    assert on_disk.startswith(MAGIC)
    assert b"Quokkasecret" not in on_disk and PLAIN not in on_disk
    response = download(client, focal, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PLAIN
    assert response["Content-Length"] == str(len(PLAIN)) == str(evidence.size)
    assert response["Content-Type"] == "text/plain"
    assert 'filename="minutes.txt"' in response["Content-Disposition"]
    assert confidential.size(str(evidence.file.name)) == len(PLAIN)


def test_encryption_wraps_the_test_settings_in_memory_storage(
    minusca_update: ProgressUpdate, focal: User
) -> None:
    evidence = add(minusca_update, focal)
    raw = storages["default"].open(str(evidence.file.name)).read()
    assert raw.startswith(MAGIC) and PLAIN not in raw
    assert Evidence.objects.get(pk=evidence.pk).file.read() == PLAIN


def test_rotation_re_encrypts_every_file_with_the_first_key(
    disk: Path,
    settings: Any,
    minusca_update: ProgressUpdate,
    focal: User,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = add(minusca_update, focal)
    # A file stored before encryption: read as it is, encrypted by the rotation.
    legacy = Evidence.objects.create(
        update=minusca_update,
        title="Old",
        file=storages["default"].save("evidence/old.txt", ContentFile(b"stored in clear")),
        size=15,
    )
    settings.A4P_FILE_KEYS = [KEY2, KEY1]
    before = (disk / str(first.file.name)).read_bytes()
    assert Evidence.objects.get(pk=first.pk).file.read() == PLAIN  # the old key still opens it
    call_command("files", "rotate-key")
    assert "Re-encrypted 2 confidential files with the first key." in capsys.readouterr().out
    after = (disk / str(first.file.name)).read_bytes()
    assert after != before and after.startswith(MAGIC)
    assert (disk / "evidence/old.txt").read_bytes().startswith(MAGIC)
    settings.A4P_FILE_KEYS = [KEY2]  # the old key dropped
    assert Evidence.objects.get(pk=first.pk).file.read() == PLAIN
    assert Evidence.objects.get(pk=legacy.pk).file.read() == b"stored in clear"


def test_a_wrong_key_is_a_clear_message_not_a_server_error(
    client: Client, disk: Path, settings: Any, minusca_update: ProgressUpdate, focal: User
) -> None:
    evidence = add(minusca_update, focal)
    before = (disk / str(evidence.file.name)).read_bytes()
    settings.A4P_FILE_KEYS = [KEY3]
    response = download(client, focal, evidence)
    assert response.status_code == 302
    assert response["Location"] == reverse("update-detail", args=[minusca_update.pk])
    page = client.get(response["Location"]).content.decode()
    assert "the server&#x27;s file keys do not match it" in page
    with pytest.raises(
        UndecryptableFile, match="cannot be decrypted with the configured file keys"
    ):
        Evidence.objects.get(pk=evidence.pk).file.open("rb")
    with pytest.raises(CommandError, match="nothing was re-encrypted"):
        call_command("files", "rotate-key")
    assert (disk / str(evidence.file.name)).read_bytes() == before


def test_a_bad_key_in_the_environment_stops_the_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "DJANGO_SETTINGS_MODULE": "a4p.settings",
            "A4P_DATA_DIR": str(tmp_path),
            "A4P_SECRET_KEY": "x",
            "A4P_FILE_KEYS": f"{KEY1},not-a-key",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "A4P_FILE_KEYS: key 2 is not a Fernet key" in done.stderr
