"""Settings for the test suite: the normal settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("A4P_SECRET_KEY", "test-only-key")
os.environ.setdefault("A4P_FILE_KEYS", "dGVzdC1vbmx5LWZpbGUta2V5LTMyLWJ5dGVzLWxvbmc=")

from a4p.settings import *  # noqa: F403
from a4p.settings import DATA_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "confidential": {"BACKEND": "core.storage.EncryptedStorage", "OPTIONS": {"base": "default"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = False
A4P_DEMO = True
MEDIA_ROOT = DATA_DIR / "test-media"
STATIC_ROOT = DATA_DIR / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Counters and used one-time codes stay in this process whatever A4P_CACHE_URL says (the suite
# clears the cache between tests).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Jobs run inside the call that starts them, so a test sees the finished job.
A4P_TASKS_MODE = "sync"
