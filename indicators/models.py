"""Indicators of progress: definitions with baselines and targets, their values per entity and
cycle with disaggregations. The arithmetic is in indicators/aggregation.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dimension(models.Model):
    """A way to break a value down: sex, personnel category, mission…"""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="dimension_unique")]
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="category_unique")
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    class Unit(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percent")
        YESNO = "yesno", _("Yes/no")
        ORDINAL = "ordinal", _("Ordinal scale")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class PeriodRule(models.TextChoices):
        SUM = "sum", _("Sum of the periods")
        CUMULATIVE = "cumulative", _("Cumulative (running total reported)")
        LATEST = "latest", _("Latest value")
        MEAN = "mean", _("Mean of the periods")

    class EntityRule(models.TextChoices):
        SUM = "sum", _("Sum of the entities")
        MEAN = "mean", _("Mean of the entities")
        MAX = "max", _("Highest value of the entities")

    class WPS(models.TextChoices):
        CORE = "core", _("WPS core indicator")
        ELECTIVE = "elective", _("WPS elective indicator")

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    priority = models.ForeignKey(
        "plans.Priority", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    result = models.ForeignKey(
        "plans.Result", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    deliverable = models.ForeignKey(
        "plans.Deliverable",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    scale = models.JSONField(
        _("ordinal scale"),
        default=list,
        blank=True,
        help_text=_("Labels of the scale, lowest first."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    period_rule = models.CharField(
        _("across periods"), max_length=12, choices=PeriodRule.choices, default=PeriodRule.LATEST
    )
    entity_rule = models.CharField(
        _("across entities"), max_length=6, choices=EntityRule.choices, default=EntityRule.SUM
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    end_target = models.DecimalField(
        _("end-of-plan target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    wps = models.CharField(_("WPS marker"), max_length=10, choices=WPS.choices, blank=True)
    computed = models.CharField(
        _("computed by"),
        max_length=40,
        blank=True,
        help_text=_("Name of the calculation that produces the values; empty when typed."),
    )
    dimensions = models.ManyToManyField(
        Dimension, verbose_name=_("disaggregations"), blank=True, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired_in = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("retired in version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retired_indicators",
    )

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(priority__isnull=False, result__isnull=True, deliverable__isnull=True)
                    | models.Q(
                        priority__isnull=True, result__isnull=False, deliverable__isnull=True
                    )
                    | models.Q(
                        priority__isnull=True, result__isnull=True, deliverable__isnull=False
                    )
                ),
                name="indicator_attached_once",
                violation_error_message=_(
                    "An indicator belongs to one priority, result or deliverable."
                ),
            ),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def attached_code(self) -> str:
        if self.deliverable_id:
            return self.deliverable.code  # type: ignore[union-attr]
        if self.result_id:
            return self.result.code  # type: ignore[union-attr]
        return str(self.priority.number)  # type: ignore[union-attr]

    @property
    def increase(self) -> bool:
        return self.direction == self.Direction.INCREASE


class Target(models.Model):
    """The target of one period, named like the cycle it applies to (2023-H1)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_unique")
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class IndicatorValue(models.Model):
    """What one entity reports for one indicator in one cycle. A percentage is kept as its
    numerator and denominator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    cycle = models.ForeignKey(
        "reporting.Cycle", on_delete=models.PROTECT, related_name="indicator_values"
    )
    entity = models.ForeignKey(
        "core.Entity", on_delete=models.PROTECT, related_name="indicator_values"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "cycle", "entity"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["cycle", "indicator"])]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.cycle.code} {self.entity.label}: {self.value}"


class Breakdown(models.Model):
    """One category's part of a value (women: 1,204 of 5,391)."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="breakdowns")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["value", "category"], name="breakdown_unique")
        ]
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"
