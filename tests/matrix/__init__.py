"""The permission matrix: every named URL of the project, what each kind of visitor gets.

`test_coverage.py` walks the URL conf and fails on any named pattern that no table or family
covers ("add it to the matrix"), and on any table entry whose URL is gone. Each `test_<app>.py`
holds the table of its app's URLs (`MATRIX`) and, where a whole family of URLs shares one
expectation, `FAMILIES` (the Django admin: `admin:`). The data are built once per module
(`world.py`), inside a transaction rolled back at the module's end.

How to add a URL
----------------
Add one entry to the table of its app, keyed by the URL's name, with one `Probe` per kind of
object it can be asked for (one the roles may see, one they may not)::

    "update-detail": [
        Probe("visible", args=lambda w: {"pk": w.update.pk}, get=SIGNED_IN_REPORTING),
        Probe("hidden", args=lambda w: {"pk": w.hidden_update.pk}, get="L 404 200 ..."),
    ],

An expectation line has one token per column, in this order::

    anonymous outsider planning_unit focal_point reviewer senior_leadership
    member_state_delegate register_officer administrator

Tokens: a status code (200, 400, 404, 405), `302` (a redirect anywhere but the log-in page),
`L` (a redirect to the log-in page), `A` (to the admin's log-in page). Give `post=` for a view that
changes something: a POST refused with 404, 405, `L` or `A` must leave the database as it was
(the audit trail and the world's objects are compared). No 404, 405 or redirect shows the
world's words (`world.SECRET`, `world.HIDDEN_SECRET`); visitors and outsiders see them on no
page, and the roles a hidden object is hidden from never see `HIDDEN_SECRET`.

How to add a family
-------------------
URLs added by a library (a namespace, or a name prefix such as `account_` or `mfa_`) are covered
by one `Family` in the module of their app: the prefix, and the probes of a handful of its
members::

    FAMILIES = [Family("account_", {"account_login": [Probe("page", args=no_args, get=PUBLIC)]})]

Every URL whose name starts with the prefix is then covered; only the probed ones are requested.
"""
