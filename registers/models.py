"""The register of crimes against peacekeepers (Security Council resolution 2589 (2021); plan
deliverables 4.1.1 and 4.1.2): cases, their victims, their follow-up under the standard operating
procedure, their documents, the log of who looked at them, and the runs of the UN fatalities
import. Writes live in registers/services.py; reads through registers/selectors.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Func, IntegerField, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registers.kernel.log import AccessEntry
from reporting.models import Sensitivity


class Year(Func):
    """The year of a date column as an integer, in plain built-in SQL (no Python function per row
    on SQLite, unlike `ExtractYear`), so that the database can store it in a generated column."""

    arity = 1
    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite stores dates as ISO text: YYYY-MM-DD.
        return self.as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)", **extra
        )


TALLIES = ("victims_killed", "victims_injured", "stages_reached")


class Case(models.Model):
    """One incident: an attack on UN personnel, with its victims and its follow-up."""

    class IncidentType(models.TextChoices):
        DIRECT_FIRE = "direct_fire", _("Direct fire")
        INDIRECT_FIRE = "indirect_fire", _("Indirect fire")
        IED = "ied", _("Improvised explosive device")
        AMBUSH = "ambush", _("Ambush")
        ABDUCTION = "abduction", _("Abduction")
        ATTACK_ON_PREMISES = "attack_on_premises", _("Attack on UN premises")
        OTHER = "other", _("Other")
        # The UN fatalities data records a malicious act but not how it was done.
        UNDETERMINED = "undetermined", _("Not yet determined")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        INVESTIGATION = "investigation", _("Under investigation")
        PROSECUTION = "prosecution", _("Prosecution")
        ADJUDICATED = "adjudicated", _("Adjudicated")
        CLOSED = "closed", _("Closed without judicial outcome")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Recorded in the register")
        UN_FATALITIES = "un_fatalities", _("UN fatalities data (psdata)")
        DEMO = "demo", _("Demonstration data")
        SYNTHETIC = "synthetic", _("Synthetic data")

    incident_date = models.DateField(_("date of the incident"))
    # Kept by the database itself from incident_date (every writer, raw inserts included), and
    # indexed: the statistics group by year without computing a date function per row.
    incident_year = models.GeneratedField(
        expression=Year("incident_date"),
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("year of the incident"),
    )
    mission = models.ForeignKey(
        "core.Mission",
        verbose_name=_("mission"),
        on_delete=models.PROTECT,
        related_name="crime_cases",
    )
    country = models.ForeignKey(
        "core.MemberState",
        verbose_name=_("State where it took place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty to use the mission's host State."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    incident_type = models.CharField(
        _("type of incident"),
        max_length=20,
        choices=IncidentType.choices,
        default=IncidentType.UNDETERMINED,
    )
    description = models.TextField(_("description"), blank=True)
    suspected_perpetrators = models.TextField(_("suspected perpetrators"), blank=True)
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For UN staff only; never shown to Member States."),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.REPORTED
    )
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=12,
        choices=Sensitivity.choices,
        default=Sensitivity.INTERNAL,
        help_text=_(
            "Confidential: concerned Member States see the facts, victims and follow-up stages "
            "only, not the description, suspects, coordinates, sources or documents."
        ),
    )
    source = models.CharField(
        _("source"), max_length=14, choices=Source.choices, default=Source.MANUAL
    )
    source_key = models.CharField(
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Key of the imported incident, so that an import never duplicates a case."),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    # Tallies of the case's victims and follow-up, kept by `services.tallies_refresh` (every
    # writer of victims and steps calls it; the synthetic data writes them with the rows), so that
    # the statistics read cases only.
    victims_killed = models.PositiveIntegerField(default=0, editable=False)
    victims_injured = models.PositiveIntegerField(default=0, editable=False)
    # One bit per follow-up stage reached (STAGE_BITS).
    stages_reached = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-incident_date", "-id"]
        indexes = [
            models.Index(fields=["mission", "incident_date"]),
            models.Index(fields=["incident_date"]),
            models.Index(fields=["country"]),
            # Covering the statistics: grouped by year or mission, read from the index alone.
            models.Index(
                fields=[
                    "incident_year",
                    "mission",
                    "victims_killed",
                    "victims_injured",
                    "stages_reached",
                ],
                name="case_year_tallies",
            ),
            models.Index(
                fields=[
                    "mission",
                    "incident_year",
                    "victims_killed",
                    "victims_injured",
                    "stages_reached",
                ],
                name="case_mission_tallies",
            ),
            # Covering the count by type of incident, over a range of years, of some missions.
            models.Index(
                fields=["incident_type", "incident_year", "mission"], name="case_type_year"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="case_coordinates_valid",
                violation_error_message=_(
                    "Give both coordinates or neither; latitude between -90 and 90, longitude "
                    "between -180 and 180."
                ),
            )
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update leaves the tallies alone: a case read before a victim was added must not
        write its stale counts back."""
        updating = not self._state.adding and not kwargs.get("force_insert")
        if updating and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and not f.generated and f.name not in TALLIES
            ]
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"{self.pk}"


class Victim(models.Model):
    """One person killed or injured in a case. No names: the register does not need them."""

    class PersonnelType(models.TextChoices):
        MILITARY = "military", _("Military (contingent)")
        MILITARY_OBSERVER = "military_observer", _("Military observer or staff officer")
        POLICE = "police", _("Police")
        INTERNATIONAL_CIVILIAN = "international_civilian", _("International civilian")
        LOCAL_CIVILIAN = "local_civilian", _("National (local) staff")
        OTHER = "other", _("Other")

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        UNKNOWN = "unknown", _("Not recorded")

    class Outcome(models.TextChoices):
        KILLED = "killed", _("Killed")
        INJURED = "injured", _("Injured")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="victims"
    )
    nationality = models.ForeignKey(
        "core.MemberState",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    nationality_recorded = models.CharField(
        _("nationality as recorded"),
        max_length=80,
        blank=True,
        help_text=_("Kept when the source names a nationality that is not a Member State."),
    )
    personnel_type = models.CharField(
        _("personnel type"), max_length=24, choices=PersonnelType.choices
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    outcome = models.CharField(_("killed or injured"), max_length=8, choices=Outcome.choices)
    casualty_id = models.CharField(
        _("UN casualty id"), max_length=40, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["nationality", "case"]),
            models.Index(fields=["nationality", "outcome", "case"]),
        ]
        verbose_name = _("victim")
        verbose_name_plural = _("victims")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.nationality_label}"

    @property
    def nationality_label(self) -> str:
        if self.nationality is not None:
            return self.nationality.display_name
        return self.nationality_recorded or str(_("Not recorded"))


class FollowUpStep(models.Model):
    """A step of the host State's follow-up under the standard operating procedure."""

    class Stage(models.TextChoices):
        INVESTIGATION = "investigation", _("Host-State investigation opened")
        ARREST = "arrest", _("Arrest")
        CHARGES = "charges", _("Charges brought")
        TRIAL = "trial", _("Trial opened")
        VERDICT = "verdict", _("Verdict")
        SENTENCE = "sentence", _("Sentence")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices)
    date = models.DateField(_("date"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the information comes from, e.g. a note verbale of the host State."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "stage"])]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date:%Y-%m-%d}"


# The bit of each follow-up stage in `Case.stages_reached`.
STAGE_BITS = {stage.value: 1 << n for n, stage in enumerate(FollowUpStep.Stage)}


class CaseDocument(models.Model):
    """A document about a case, by reference or link (the register stores no files)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference or symbol"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document_date", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class CaseAccess(AccessEntry):
    """Who opened or exported a case, and when. The concerned Member States see it."""

    RECORD = "case"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")

    class Meta(AccessEntry.Meta):
        indexes = [models.Index(fields=["case", "-at"])]
        verbose_name = _("access to a case")
        verbose_name_plural = _("accesses to cases")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.case_id}"


class FatalitiesImport(models.Model):
    """One run of `a4p import fatalities`: what the file held and what was written."""

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)
    rejected = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("import of UN fatalities data")
        verbose_name_plural = _("imports of UN fatalities data")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.filename}"
