"""The REST API's foundation and staffing's resources (docs/api.md).

- `base`: the one base class every API view builds on (`TenantViewSet`: the district and scope
  resolved once from `staffing.tenancy`, the tenant filter impossible to forget), the error
  shape, pagination and throttles;
- `tokens` and `auth`: per-district API tokens (stored hashed, shown once) and their
  authentication;
- `views`, `serializers`, `urls`: schools, aides (with qualifications and availability),
  contracts.

Imports nothing of students or allocations: their resources live in their own `api` packages.
"""
