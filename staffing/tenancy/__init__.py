"""Who a request belongs to, resolved once, and the admin base classes that enforce it.

In the manner of PostHog's `posthog/api/routing.py`: the tenant filter lives in one base class,
and subclasses cannot override `get_queryset` (they refine the already scoped queryset in
`get_tenant_queryset`), so forgetting the filter is impossible rather than merely unlikely.

The package: `scope` (the `Scope` and how it is resolved), `forms` (district-aware model
forms), `options` (the admin base classes), `filters` (list filters of the district's values).
Import from the package itself.

Who is who:
- A staff user belongs to exactly one district, through one `Membership`. A user with two
  memberships is refused everywhere until an operator removes one (fail closed, never guess).
- Superusers are platform operators: they see every district, are nobody's director, and may
  only provision access (memberships); district data is the district's to write.
- A parent is a user with `Guardian` rows and no membership; the admin is closed to them (their
  entry point is the read-only portal, scoped by their own guardian rows).

What the admin enforces:
- Every queryset, every foreign-key and many-to-many choice, every list filter's values and every
  autocomplete result (Django's autocomplete view reads the target admin's `get_queryset`) is
  limited to the user's district.
- A case manager with schools or a caseload (`Student.case_managers`) sees only those students
  and what hangs off them (mandates, blocks, guardians, allocation rows); one with neither sees
  every student of the district. Staffing data (aides, absences, schools) stays district-wide for
  every member: aides float between schools, and finding cover is the case manager's job.
- An object outside the scope is a 404 on its change, delete and history pages, exactly like an
  id that does not exist (Django's own answer would be a redirect with a "does not exist"
  message).
- `district` is never a form field for a district user: new rows take the user's district before
  validation, so the district-leading unique constraints are checked as form errors.
- A form value of another district is refused even when it slips past the choices (defense in
  depth, and what keeps an operator's membership form consistent).

Who may write (`edit_roles`):
- Directors: everything of their district, memberships included (but not their own, so they
  cannot lock themselves out).
- Case managers: students, mandates and blocks in their scope; aides with their schools,
  qualifications and availability; absences. Schools, contracts, closures, memberships and
  guardian links (which open a child's records to a parent) are the director's. Case managers
  may read all of those but memberships.
- Operators: view everything; write memberships only (`operator_can_write`).
"""

from staffing.tenancy.filters import SchoolListFilter, TenantListFilter
from staffing.tenancy.forms import TenantInlineFormSet, TenantModelForm, UsernameField
from staffing.tenancy.options import (
    ReadOnlyTenantInline,
    TenantAdmin,
    TenantInline,
    student_reads_to,
)
from staffing.tenancy.scope import (
    CASE_MANAGER,
    DIRECTOR,
    DIRECTORS,
    EVERY_ROLE,
    CaseloadSource,
    Scope,
    caseloads_from,
    district_scopes,
    district_staff_scope,
    request_today,
    resolve_scope,
    scope_for_user,
    tenant_queryset,
    today_value,
)

__all__ = [
    "CASE_MANAGER",
    "DIRECTOR",
    "DIRECTORS",
    "EVERY_ROLE",
    "CaseloadSource",
    "ReadOnlyTenantInline",
    "SchoolListFilter",
    "Scope",
    "TenantAdmin",
    "TenantInline",
    "TenantInlineFormSet",
    "TenantListFilter",
    "TenantModelForm",
    "UsernameField",
    "caseloads_from",
    "district_scopes",
    "district_staff_scope",
    "request_today",
    "resolve_scope",
    "scope_for_user",
    "student_reads_to",
    "tenant_queryset",
    "today_value",
]
