"""The case manager's working tool, one module per concept: students and their schedule
(`students`), IEP mandates with their weekly blocks and the parents' portal links (`mandates`),
their list filters (`filters`), and the district admins that count or list students (`staff`:
schools, memberships). The delivery ledger's admin is `allocations.ledger.admin`. Scoped by
`staffing.tenancy` (see its rules)."""

from students.admin import filters, mandates, staff, students

__all__ = ["filters", "mandates", "staff", "students"]
