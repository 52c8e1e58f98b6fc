"""Confidential files encrypted at rest: a storage that encrypts what it saves and decrypts what it
opens, over whatever storage holds the bytes (the file system, or memory in the tests).

Keys come from A4P_FILE_KEYS (Fernet keys, comma-separated): the first encrypts, all decrypt, so a
new key is put first and `a4p files rotate-key` re-encrypts every stored file with it before the
old one is dropped. A field uses it with `storage=confidential_storage` (a callable, so its
migration names the function, not a key or a folder). Published reports stay plain: their SHA-256
is public and anyone may check a copy against it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _

# Marks an encrypted file; a file without it was stored before encryption and is read as it is
# until `a4p files rotate-key` encrypts it.
MAGIC = b"A4PENC1\n"


class UndecryptableFile(OSError):
    """A stored file that none of the configured keys opens."""


def file_keys() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.A4P_FILE_KEYS])


@deconstructible(path="core.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    """Fernet over the storage `base` (an alias of STORAGES), resolved at each use so the tests'
    storage settings apply."""

    def __init__(self, base: str = "default") -> None:
        self.base_alias = base

    @property
    def base(self) -> Storage:
        return storages[self.base_alias]

    # --- bytes in, bytes out ---

    def encrypt(self, data: bytes) -> bytes:
        return MAGIC + file_keys().encrypt(data)

    def decrypt(self, data: bytes, name: str) -> bytes:
        if not data.startswith(MAGIC):
            return data
        try:
            return file_keys().decrypt(data[len(MAGIC) :])
        except InvalidToken:
            raise UndecryptableFile(
                _(
                    "%(name)s cannot be decrypted with the configured file keys "
                    "(A4P_FILE_KEYS): the key it was stored with is missing."
                )
                % {"name": name}
            ) from None

    def _raw(self, name: str) -> bytes:
        with self.base.open(name, "rb") as handle:
            data = handle.read()
        return data if isinstance(data, bytes) else data.encode()

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Confidential files are written through save(), never in place.")
        return ContentFile(self.decrypt(self._raw(name), name), name=name)

    def _save(self, name: str, content: File[Any]) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        return self.base.save(name, ContentFile(self.encrypt(data)))

    def reencrypt(self, name: str) -> None:
        """Store `name` again, encrypted with the first key (a plain file is encrypted)."""
        raw = self._raw(name)
        if raw.startswith(MAGIC):
            self.decrypt(raw, name)  # the clear error when no key opens it
            new = MAGIC + file_keys().rotate(raw[len(MAGIC) :])
        else:
            new = self.encrypt(raw)
        self._replace(name, new)

    def _replace(self, name: str, data: bytes) -> None:
        try:
            path = Path(self.base.path(name))
        except NotImplementedError:
            self.base.delete(name)
            saved = self.base.save(name, ContentFile(data))
            assert saved == name, (saved, name)
            return
        # Written beside it, then swapped in: a crash leaves the old file or the new, never half.
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(partial, path.stat().st_mode & 0o777)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    # --- everything else is the base storage's ---

    def delete(self, name: str) -> None:
        self.base.delete(name)

    def exists(self, name: str) -> bool:
        return self.base.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.base.listdir(path)

    def size(self, name: str) -> int:
        return len(self.decrypt(self._raw(name), name))

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.base.get_available_name(name, max_length=max_length)

    def get_modified_time(self, name: str) -> Any:
        return self.base.get_modified_time(name)

    def get_created_time(self, name: str) -> Any:
        return self.base.get_created_time(name)

    def get_accessed_time(self, name: str) -> Any:
        return self.base.get_accessed_time(name)


class _Confidential(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["confidential"]


confidential = _Confidential()


def confidential_storage() -> Storage:
    """The storage of confidential files (evidence, registers' documents, report job files)."""
    return confidential  # type: ignore[return-value]


@receiver(setting_changed)
def _storages_changed(*, setting: str, **_kwargs: Any) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        confidential._wrapped = empty  # type: ignore[assignment]
