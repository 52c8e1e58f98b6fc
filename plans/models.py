"""The plan as data: plan → priorities → results → deliverables, and who leads each deliverable.

Models hold data and invariants only; plans/services.py writes them, plans/selectors.py reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=40, blank=True)
    period_start = models.DateField(_("start of the plan period"))
    period_end = models.DateField(_("end of the plan period"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("last loaded"), auto_now=True)

    class Meta:
        ordering = ["-period_start", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.short_title or self.title


class Marker(models.Model):
    """A cross-cutting theme tagged on deliverables (WPS/gender, data/technology)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="markers")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="marker_code_unique")]
        verbose_name = _("marker")
        verbose_name_plural = _("markers")

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique")
        ]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return str(self.number)


class Result(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="results")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(_("code"), max_length=10)
    number = models.PositiveSmallIntegerField(_("number within the priority"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="result_code_unique")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Deliverable(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deliverables")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(_("code"), max_length=12)
    number = models.PositiveSmallIntegerField(_("number within the result"))
    position = models.PositiveSmallIntegerField(_("position in the plan"))
    text = models.TextField(_("text"))
    lead_text = models.CharField(
        _("Lead line"),
        max_length=500,
        help_text=_("The Lead line as printed in the plan; the entities below are read from it."),
    )
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    retired_in = models.ForeignKey(
        "PlanVersion",
        verbose_name=_("retired in version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retired_deliverables",
        help_text=_("A retired deliverable keeps its identity and its past reports."),
    )
    markers = models.ManyToManyField(
        Marker, verbose_name=_("markers"), blank=True, related_name="deliverables"
    )
    entities = models.ManyToManyField(
        "core.Entity", through="DeliverableEntity", related_name="deliverables"
    )

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="deliverable_code_unique")
        ]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return f"{self.code}"


class DeliverableEntity(models.Model):
    """One entity's part in a deliverable, as read from the Lead line."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORT = "support", _("Supporting")
        OVERSIGHT = "oversight", _("Oversight")

    class Level(models.TextChoices):
        HQ = "hq", _("Headquarters")
        MISSION = "mission", _("Missions")

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="parts")
    entity = models.ForeignKey("core.Entity", on_delete=models.PROTECT, related_name="parts")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    scope = models.CharField(
        _("scope"),
        max_length=300,
        blank=True,
        help_text=_("The part of the deliverable this entity covers, where the Lead line says."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["deliverable", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "entity"], name="deliverable_entity_unique"
            )
        ]
        verbose_name = _("lead or supporting entity")
        verbose_name_plural = _("lead and supporting entities")

    def __str__(self) -> str:
        return f"{self.deliverable.code} {self.get_role_display()}: {self.entity}"


class Assignment(models.Model):
    """A deliverable in one entity's work plan: the concrete office or mission that reports on it.

    Generated from the deliverable's Lead line, groups expanded to their members ("Heads of
    Mission" → each mission); the planning unit adds, removes and staffs them.
    """

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="assignments"
    )
    entity = models.ForeignKey("core.Entity", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=DeliverableEntity.Role.choices)
    via = models.ForeignKey(
        "core.Entity",
        verbose_name=_("through the group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    active = models.BooleanField(_("in the work plan"), default=True)
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("focal points"),
        blank=True,
        related_name="focal_assignments",
    )

    class Meta:
        ordering = ["deliverable__position", "entity__code"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "entity"], name="assignment_unique")
        ]
        verbose_name = _("work-plan assignment")
        verbose_name_plural = _("work-plan assignments")

    def __str__(self) -> str:
        return f"{self.deliverable.code} — {self.entity.label}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | ~models.Q(status="done"),
                name="milestone_done_has_date",
                violation_error_message=_("A milestone that is done needs its completion date."),
            )
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """A published state of a plan, or the one draft revision being prepared.

    `tree` holds the whole plan in the plan-file shape (what `a4p plan export` writes), so that a
    cycle bound to a version, and its report, keep the text they were written against. `reasons`
    maps each change ("deliverable:3.1.1") to why it was made.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft revision")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    tree = models.JSONField(_("content"))
    reasons = models.JSONField(_("reasons for the changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(state="draft"), name="plan_one_draft_revision"
            ),
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
