from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = "Allocations"

    def ready(self) -> None:
        # The admin's list and change pages record who read which student (staffing's tenant
        # admin calls this layer's hook, since it may not import it).
        from allocations.access.services import admin_students_read
        from staffing.tenancy import student_reads_to

        student_reads_to(admin_students_read)
        # The API tells the record of access what each answer showed (staffing.api.base).
        from allocations.access.services import api_students_read
        from staffing.api.base import student_records_read

        student_records_read.connect(api_students_read, dispatch_uid="allocations.access.api")
