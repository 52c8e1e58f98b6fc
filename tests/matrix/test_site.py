"""The permission matrix of signing in and out, the profile, the language switch and the Django
admin (one family: staff only, anyone else sent to the admin's log-in) — see
tests/matrix/__init__.py."""

from __future__ import annotations

from accounts.models import Role
from tests.matrix.table import Family, Probe, Table, family_table, matrix_test, no_args
from tests.matrix.world import World

# Columns: anonymous outsider planning_unit focal_point reviewer senior_leadership
# member_state_delegate register_officer administrator
ALL_302 = "302 302 302 302 302 302 302 302 302"
ALL_200 = "200 200 200 200 200 200 200 200 200"
STAFF = "A A A A A A A A 200"  # the administrator is the only staff user of the world


def admin_user(world: World) -> dict[str, object]:
    user = world.users[Role.ADMINISTRATOR]
    assert user is not None
    return {"object_id": user.pk}


MATRIX: Table = {
    "login": [
        Probe(
            "form",
            args=no_args,
            get="200 302 302 302 302 302 302 302 302",
            post="200 302 302 302 302 302 302 302 302",
        )
    ],
    "logout": [
        Probe(
            "sign out",
            args=no_args,
            get="302 200 200 200 200 200 200 200 200",  # allauth asks to confirm
            post=ALL_302,
        )
    ],
    "profile": [Probe("page", args=no_args, get="L 200 200 200 200 200 200 200 200")],
    # The audit trail: the planning unit and administrators; anyone else 404.
    "audit-trail": [Probe("page", args=no_args, get="L 404 200 404 404 404 404 404 200")],
    "audit-trail-export": [Probe("CSV", args=no_args, get="L 404 200 404 404 404 404 404 200")],
    "sign-in-history": [Probe("own", args=no_args, get="L 200 200 200 200 200 200 200 200")],
    "set_language": [
        Probe("French", args=no_args, get=ALL_302, post=ALL_302, data={"language": "fr"})
    ],
}

SIGNED_IN = "L 200 200 200 200 200 200 200 200"

FAMILIES = [
    # django-allauth's sign-in pages (accounts/urls.py includes allauth.urls).
    Family(
        "account_",
        {
            "account_login": [
                Probe("form", args=no_args, get="200 302 302 302 302 302 302 302 302")
            ],
            "account_change_password": [Probe("form", args=no_args, get=SIGNED_IN)],
            "account_reset_password": [Probe("form", args=no_args, get=ALL_200)],
            "account_signup": [
                Probe("closed", args=no_args, get="200 302 302 302 302 302 302 302 302")
            ],
            "account_reauthenticate": [Probe("form", args=no_args, get=SIGNED_IN)],
        },
    ),
    Family(
        "mfa_",
        {
            "mfa_index": [Probe("page", args=no_args, get=SIGNED_IN)],
            "mfa_activate_totp": [Probe("form", args=no_args, get=SIGNED_IN)],
            "mfa_list_webauthn": [Probe("keys", args=no_args, get=SIGNED_IN)],
            # No codes before a TOTP authenticator exists.
            "mfa_view_recovery_codes": [
                Probe("none yet", args=no_args, get="L 404 404 404 404 404 404 404 404")
            ],
        },
    ),
    Family(
        "admin:",
        {
            "admin:index": [Probe("index", args=no_args, get=STAFF)],
            # Signed in through the site's log-in; a signed-in user who is not staff is refused.
            "admin:login": [Probe("form", args=no_args, get="L 403 403 403 403 403 403 403 302")],
            "admin:accounts_user_changelist": [Probe("users", args=no_args, get=STAFF)],
            "admin:accounts_user_change": [Probe("a user", args=admin_user, get=STAFF, post=STAFF)],
            # Not staff: sent to the admin's index (and from there to its log-in).
            "admin:logout": [
                Probe("sign out", args=no_args, get="302 302 302 302 302 302 302 302 405")
            ],
        },
    ),
]

test_matrix = matrix_test(MATRIX)
test_admin_family = matrix_test(family_table(FAMILIES))
