"""The parent portal: a family list and one read-only page per child.

A child's page spans every app: the IEP's para support (students), who staffs it this week and
next (allocations) and what the delivery ledger recorded, so the portal lives in the top layer.
Its scope is the user's guardian rows, each carrying its district: a student reached any other
way is a 404, exactly like an id that does not exist.

- `selectors`: the week a parent asked for, and everything one child's page shows;
- `views` and `urls`: the pages, under `/family/`.
"""
