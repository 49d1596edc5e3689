"""Students' resources in the REST API: students, and their mandates with their weekly blocks.
Built on `staffing.api.base.TenantViewSet`, so a case manager limited to schools or a caseload
reaches only those students (docs/api.md)."""
