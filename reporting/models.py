"""Reporting cycles, progress updates with their obstacles and evidence, the review trail, and
notifications. Writes live in reporting/services.py; reads in reporting/selectors.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import confidential_storage


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class Cycle(models.Model):
    """A reporting period of a plan: semi-annual by default."""

    class Kind(models.TextChoices):
        SEMIANNUAL = "semiannual", _("Semi-annual")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="cycles")
    version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("plan version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_("The version in force when the cycle was created; its report uses it."),
    )
    code = models.SlugField(_("code"), max_length=20, help_text=_("For example 2023-H1."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SEMIANNUAL)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("updates due on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="cycle_code_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start"))
                & models.Q(due_on__gte=models.F("opens_on"))
                & models.Q(closes_on__gte=models.F("due_on")),
                name="cycle_dates_in_order",
                violation_error_message=_(
                    "The period must end after it starts, and a cycle opens, is due and closes "
                    "in that order."
                ),
            ),
        ]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ProgressUpdate(models.Model):
    """One assignment's report for one cycle."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        VALIDATED = "validated", _("Validated")

    class Rating(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        DELAYED = "delayed", _("Delayed")
        OFF_TRACK = "off_track", _("Off track")
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="updates")
    assignment = models.ForeignKey(
        "plans.Assignment", on_delete=models.PROTECT, related_name="updates"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    narrative = models.TextField(_("narrative of progress"), blank=True)
    achievements = models.TextField(_("key achievements"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    wps_note = models.TextField(_("women, peace and security / gender note"), blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised by every save; a stale version is an edit conflict.")
    )
    reopened = models.BooleanField(
        _("reopened"),
        default=False,
        help_text=_("Editable although its cycle is closed, after a recorded reopening."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["assignment__deliverable__position", "assignment__entity__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "assignment"], name="update_unique")
        ]
        indexes = [models.Index(fields=["cycle", "state"])]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.cycle.code} {self.assignment}"

    @property
    def is_with_reviewer(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.RESUBMITTED)

    @property
    def is_with_author(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class Obstacle(models.Model):
    class Category(models.TextChoices):
        POLITICAL = "political", _("Political")
        SECURITY = "security", _("Security")
        HOST_COUNTRY = "host_country", _("Host-country cooperation")
        RESOURCES = "resources", _("Funding and resources")
        CAPACITY = "capacity", _("Staffing and capacity")
        COORDINATION = "coordination", _("Coordination")
        LOGISTICS = "logistics", _("Logistics")
        POLICY = "policy", _("Policy and guidance")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="obstacles")
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    mitigation = models.TextField(_("mitigation"), blank=True)
    support_requested = models.TextField(_("support requested"), blank=True)
    support_from = models.CharField(_("support requested from"), max_length=200, blank=True)
    escalate = models.BooleanField(_("escalate to leadership"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:60]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.update.cycle_id}/{instance.update_id}/{filename}"


class Evidence(models.Model):
    """A file or a link that supports an update."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=evidence_path, blank=True, storage=confidential_storage
    )
    url = models.URLField(_("link"), blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="evidence_file_or_link",
                violation_error_message=_("Evidence is either a file or a link."),
            )
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class Transition(models.Model):
    """One step of an update's workflow: who moved it, when, from which state, and why."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"

    @property
    def from_label(self) -> str:
        return str(ProgressUpdate.State(self.from_state).label)

    @property
    def to_label(self) -> str:
        return str(ProgressUpdate.State(self.to_state).label)


class Notification(models.Model):
    """An in-app message, also sent by e-mail by `a4p remind`. `key` makes each one unique, so
    running the reminders twice sends nothing twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        RETURNED = "returned", _("Returned")
        VALIDATED = "validated", _("Validated")
        SUBMITTED = "submitted", _("Submitted for review")
        CASE_CHANGED = "case_changed", _("A register case changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    update = models.ForeignKey(
        ProgressUpdate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    link = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Page to open, for notifications about something other than an update."),
    )
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user}"
