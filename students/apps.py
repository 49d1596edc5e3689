from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Students and IEP mandates"

    def ready(self) -> None:
        # Caseloads are students' rows: the staff scope (staffing.tenancy) reads them from here.
        from staffing.tenancy import caseloads_from
        from students.scope import caseloads

        caseloads_from(caseloads)
        # Parents' invitation links, and guardian links as ties of accounts to districts.
        from students.invitations.services import register

        register()
