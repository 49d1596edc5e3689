"""The top layer's resources in the REST API, and the API's one router (`urls`).

Absences (recorded and cancelled through `allocations.absences`, re-planning the day as
`record_absence` does), the week's assignments and unstaffed runs, allocation runs, alerts,
the delivery ledger and compensatory balances, weekly shortfall reports and bundle import jobs.
Every view builds on `staffing.api.base.TenantViewSet` (docs/api.md).
"""
