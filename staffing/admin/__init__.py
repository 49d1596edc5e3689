"""The staffing side of the admin, one module per concept: platform accounts, aides and
contracts, closures, schools and memberships, the email outbox.

Every class builds on `staffing.tenancy` (district scope, choices, permissions); see its
docstring for who may do what.
"""

from django.contrib import admin

from staffing.admin import access, accounts, aides, closures, outbox

__all__ = ["access", "accounts", "aides", "closures", "outbox"]

admin.site.site_header = "ParaCover"
admin.site.site_title = "ParaCover"
admin.site.index_title = "Your district"
admin.site.site_url = "/"
