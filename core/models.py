"""Reference data (entities, missions, Member States) and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class MemberState(models.Model):
    """One of the 193 Member States of the United Nations."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.PositiveSmallIntegerField(_("UN M49 code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120)
    formal_name = models.CharField(_("formal name"), max_length=200)
    formal_name_fr = models.CharField(_("formal name in French"), max_length=200)
    region = models.CharField(_("region"), max_length=60)
    subregion = models.CharField(_("sub-region"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Member State")
        verbose_name_plural = _("Member States")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name


class Entity(models.Model):
    """An office, unit or mission that can lead or support a deliverable, or a group of them.

    A group ("Heads of Mission", "regional ASGs") stands for its members; Lead lines name groups
    and work plans expand them.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        OFFICE = "office", _("Office")
        DIVISION = "division", _("Division")
        SERVICE = "service", _("Service")
        SECTION = "section", _("Section")
        UNIT = "unit", _("Unit")
        TEAM = "team", _("Team")
        MISSION = "mission", _("Field mission")
        GROUP = "group", _("Group of entities")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Strings the plan writes for this entity."),
    )
    members = models.ManyToManyField(
        "self", verbose_name=_("members"), symmetrical=False, blank=True, related_name="groups"
    )
    uncertain = models.BooleanField(
        _("uncertain reading"),
        default=False,
        help_text=_("The identity or place of this entity is a likely reading, not confirmed."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.label

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name

    @property
    def label(self) -> str:
        """Short label for lists: as the plan writes it ("OROLSI/PD"), else the acronym, else
        the name."""
        return (self.aliases[0] if self.aliases else "") or self.acronym or self.display_name

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class Mission(models.Model):
    """The field-mission facts of an entity of kind "mission"."""

    class Type(models.TextChoices):
        PKO = "pko", _("Peacekeeping operation")
        SPM = "spm", _("Special political mission")

    entity = models.OneToOneField(
        Entity, on_delete=models.CASCADE, primary_key=True, related_name="mission"
    )
    mission_type = models.CharField(_("type"), max_length=3, choices=Type.choices)
    in_plan_group = models.BooleanField(
        _("active in the plan period"),
        default=False,
        help_text=_('Counted in "Heads of Mission" and the other per-mission groups.'),
    )
    host_states = models.ManyToManyField(
        MemberState, verbose_name=_("host States"), blank=True, related_name="hosted_missions"
    )
    host_territory = models.CharField(_("host territory"), max_length=100, blank=True)
    hq = models.CharField(_("headquarters"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    regional_asg = models.ForeignKey(
        Entity,
        verbose_name=_("regional ASG"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asg_missions",
    )
    division = models.ForeignKey(
        Entity,
        verbose_name=_("regional division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="division_missions",
    )
    aliases = models.JSONField(_("other acronyms"), default=list, blank=True)

    class Meta:
        ordering = ["entity__acronym"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return self.entity.acronym


class AuditEntry(models.Model):
    """Who did what to which object, written by the service that did it, in its transaction."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=80)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
