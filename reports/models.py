"""The consolidated semi-annual report: the planning unit's executive summary, generation jobs, and
published editions whose files never change once stored."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import confidential_storage


class Edition(models.TextChoices):
    PUBLIC = "public", _("Public edition")
    INTERNAL = "internal", _("Internal edition")


class Format(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Data annex (XLSX)")
    HTML = "html", _("Web page (HTML)")


CONTENT_TYPES: dict[str, str] = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.HTML: "text/html; charset=utf-8",
}


class ReportDraft(models.Model):
    """What the planning unit writes for a cycle's report before publishing it."""

    cycle = models.OneToOneField(
        "reporting.Cycle", on_delete=models.CASCADE, related_name="report_draft"
    )
    executive_summary = models.TextField(
        _("executive summary"),
        blank=True,
        help_text=_(
            "Appears at the front of both editions, public and internal. Markdown: *emphasis*, "
            "lists, links."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")

    def __str__(self) -> str:
        return str(self.cycle)


class Publication(models.Model):
    """One published edition of a cycle's report. Publishing again makes a new revision; an
    earlier one stays, marked as superseded."""

    cycle = models.ForeignKey(
        "reporting.Cycle", on_delete=models.PROTECT, related_name="publications"
    )
    edition = models.CharField(_("edition"), max_length=10, choices=Edition.choices)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-cycle__period_start", "edition", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "edition", "revision"], name="publication_revision_unique"
            )
        ]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self) -> str:
        return f"{self.cycle} {self.edition} r{self.revision}"

    def files_in_order(self) -> list[PublishedFile]:
        """PDF first, then Word, the data annex and the web page; by language within each."""
        order = list(Format.values)
        return sorted(self.files.all(), key=lambda f: (order.index(f.format), f.language))


def published_path(instance: PublishedFile, filename: str) -> str:
    return f"reports/{instance.sha256[:2]}/{instance.sha256}-{filename}"


class PublishedFile(models.Model):
    """A stored file of a publication with its SHA-256, written once."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to=published_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["language", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "format", "language"], name="published_file_unique"
            )
        ]
        verbose_name = _("published file")
        verbose_name_plural = _("published files")

    def __str__(self) -> str:
        return self.filename

    def save(self, *args: object, **kwargs: object) -> None:
        # A published file is evidence of what was circulated: it is written once.
        if self.pk is not None:
            raise ValueError("A published report file never changes.")
        super().save(*args, **kwargs)


class ReportJob(models.Model):
    """A report being built in the background, with its progress for the page to show."""

    class Kind(models.TextChoices):
        BUILD = "build", _("Build a file")
        PUBLISH = "publish", _("Publish")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    cycle = models.ForeignKey("reporting.Cycle", on_delete=models.CASCADE, related_name="+")
    edition = models.CharField(max_length=10, choices=Edition.choices)
    format = models.CharField(max_length=5, choices=Format.choices, blank=True)
    language = models.CharField(max_length=20)
    confidential = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # A draft may be an internal edition with confidential content: encrypted like evidence.
    file = models.FileField(
        upload_to="report-jobs/", blank=True, max_length=300, storage=confidential_storage
    )
    filename = models.CharField(max_length=200, blank=True)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Touched with every step of progress: a running job whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.cycle} {self.edition} {self.format}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
