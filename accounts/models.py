"""Users, their roles and what each role is attached to (entities or a Member State)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLANNING_UNIT = "planning_unit", _("Planning unit")
    FOCAL_POINT = "focal_point", _("Entity focal point")
    REVIEWER = "reviewer", _("Reviewer")
    SENIOR_LEADERSHIP = "senior_leadership", _("Senior leadership")
    MEMBER_STATE_DELEGATE = "member_state_delegate", _("Member State delegate")
    REGISTER_OFFICER = "register_officer", _("Register officer")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that act for an entity, and the role that acts for a Member State.
ENTITY_ROLES = (Role.REVIEWER, Role.FOCAL_POINT)  # a tuple: the migration keeps this order
STATE_ROLES = (Role.MEMBER_STATE_DELEGATE,)


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    # Set when an administrator provisions the account with a one-time password
    # (`a4p user add`): the first sign-in leads to the password change and nowhere else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def roles(self) -> set[str]:
        return {m.role for m in self.memberships.all()}


class Membership(models.Model):
    """A user holds a role, for an entity (focal points, reviewers, optionally others) or for a
    Member State (delegates)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    entity = models.ForeignKey(
        "core.Entity",
        verbose_name=_("entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    member_state = models.ForeignKey(
        "core.MemberState",
        verbose_name=_("Member State"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "entity", "member_state"],
                name="membership_unique",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in ENTITY_ROLES]) | Q(entity__isnull=False),
                name="membership_entity_role_needs_entity",
                violation_error_message=_("Focal points and reviewers act for an entity."),
            ),
            models.CheckConstraint(
                condition=(
                    (
                        Q(role__in=[r.value for r in STATE_ROLES])
                        & Q(member_state__isnull=False)
                        & Q(entity__isnull=True)
                    )
                    | (~Q(role__in=[r.value for r in STATE_ROLES]) & Q(member_state__isnull=True))
                ),
                name="membership_state_role_needs_state",
                violation_error_message=_(
                    "A Member State delegate acts for one Member State and no entity."
                ),
            ),
        ]

    def __str__(self) -> str:
        target = self.entity or self.member_state
        role = self.get_role_display()
        return f"{self.user} — {role} ({target})" if target else f"{self.user} — {role}"


class SignInEvent(models.Model):
    """One attempt to sign in, successful or not, shown to the user on their sign-in history."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        FAILED_PASSWORD = "failed_password", _("Wrong password")
        FAILED_SECOND_FACTOR = "failed_second_factor", _("Wrong second-factor code")
        LOCKED = "locked", _("Refused: locked out")
        THROTTLED = "throttled", _("Refused: too many attempts, slowed down")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        TOTP = "totp", _("Authenticator app")
        RECOVERY_CODE = "recovery_codes", _("Recovery code")
        WEBAUTHN = "webauthn", _("Security key")

    # Null when the username tried matches no account.
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sign_in_events",
    )
    username = models.CharField(_("username tried"), max_length=150)
    at = models.DateTimeField(_("at"), db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="signin_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is kept: the token itself is shown once, when it is
    made. `prefix` (the token's first characters, shown to its owner) finds it; `read_only`
    tokens may only read."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(_("SHA-256"), max_length=64)
    read_only = models.BooleanField(_("read only"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
