"""The record of access to students' records (FERPA 34 CFR 99.32, IDEA 34 CFR 300.614).

Every read of a student's records through a door (the admin, the API, the parent portal, the
report pages, the exports) writes one `StudentAccess` row per student read, in one bulk insert
per page. Rows are never changed or deleted: the admin offers no add, change or delete to anyone,
and on PostgreSQL a trigger refuses UPDATE and DELETE (SQLite, the embedded demo, relies on the
application alone).

- `models`: `StudentAccess`;
- `services`: `student_records_read` (the one way to write rows) and the admin's hook;
- `selectors`: the log as a director and as a parent see it;
- `admin`: the directors' read-only list, searchable by student.
"""
