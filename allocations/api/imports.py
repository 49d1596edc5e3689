"""Bundle imports through the API: a director sends the bundle as a zip, a worker runs the same
reader, validator and `district_import` as `import_district`, and the job row says how far it
got and, when the bundle is refused, every error in the command's terms
(`FILE line N, column C: what is wrong`).

The zip is checked before it is stored, and again as it is unpacked: at most
`API_IMPORT_MAX_BYTES` sent, `API_IMPORT_MAX_FILES` files, each at most
`BUNDLE_MAX_FILE_BYTES` unpacked, and no member that would land outside the folder it is
unpacked into (zip-slip: absolute paths, `..`, links). A bundle may only replace its own
district: district.json must name the caller's district."""

from __future__ import annotations

import io
import logging
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone

from allocations.api.models import ImportJob
from allocations.bundle.importer import district_import
from allocations.bundle.validate import BundleInvalid, read_bundle
from staffing.models import District
from staffing.tenancy import DIRECTOR, district_staff_scope

Status = ImportJob.Status
logger = logging.getLogger(__name__)


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip's files, once every member is known to be safe to unpack."""
    infos = archive.infolist()
    files = [info for info in infos if not info.is_dir()]
    if len(files) > settings.API_IMPORT_MAX_FILES:
        raise ValidationError(
            f"the zip holds {len(files)} files; a bundle has at most "
            f"{settings.API_IMPORT_MAX_FILES}"
        )
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in info.filename:
            raise ValidationError(f"{info.filename}: a path outside the bundle's folder")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValidationError(f"{info.filename}: links are not allowed in a bundle")
        if info.file_size > settings.BUNDLE_MAX_FILE_BYTES:
            raise ValidationError(
                f"{info.filename}: {info.file_size} bytes unpacked, more than the "
                f"{settings.BUNDLE_MAX_FILE_BYTES} a bundle file may have"
            )
    return files


def archive_check(data: bytes) -> list[zipfile.ZipInfo]:
    """The zip's files, or ValidationError saying what is wrong with it."""
    if len(data) > settings.API_IMPORT_MAX_BYTES:
        raise ValidationError(
            f"the zip has {len(data)} bytes, more than the {settings.API_IMPORT_MAX_BYTES} allowed"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _members(archive)
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"not a zip file ({exc})") from exc


@transaction.atomic
def import_job_create(*, district: District, user: Any, file_name: str, data: bytes) -> ImportJob:
    """Store a checked bundle zip as a queued job; a worker imports it once this commits."""
    refusal = "Only the district's director may import a bundle: it replaces all its data."
    if district_staff_scope(user=user, district_id=district.pk, refusal=refusal).role != DIRECTOR:
        raise PermissionDenied(refusal)
    archive_check(data)
    job = ImportJob.objects.create(
        district=district,
        file_name=file_name[:200],
        size_bytes=len(data),
        archive=data,
        created_by=user,
        progress_note="waiting for a worker",
    )
    # The task module imports this one.
    from allocations.api.tasks import import_bundle

    transaction.on_commit(lambda: import_bundle.delay(district.pk, job.pk))
    return job


def _unpack(data: bytes, into: Path) -> Path:
    """Unpack the zip into `into` (checked again member by member) and return the bundle's
    folder: `into`, or the one folder the zip holds."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in _members(archive):
            target = into.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            if not target.resolve().is_relative_to(into.resolve()):
                raise ValidationError(f"{info.filename}: a path outside the bundle's folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, target.open("wb") as sink:
                # Read at most one byte more than declared: a forged size cannot unpack more.
                chunk = source.read(info.file_size + 1)
                if len(chunk) > info.file_size:
                    raise ValidationError(f"{info.filename}: larger than its declared size")
                sink.write(chunk)
    entries = [p for p in into.iterdir() if p.name != "__MACOSX"]
    if not (into / "district.json").exists() and len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def _claim(job_id: int, district_id: int) -> ImportJob | None:
    """The queued job, now running; None when another delivery took it or it has ended."""
    claimed = ImportJob.objects.filter(
        pk=job_id, district_id=district_id, status=Status.QUEUED
    ).update(status=Status.RUNNING, started_at=timezone.now(), progress_percent=10,
             progress_note="reading and checking the bundle")  # fmt: skip
    return ImportJob.objects.select_related("district").get(pk=job_id) if claimed else None


def _end(job: ImportJob, status: str, *, note: str, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, progress_percent=100, progress_note=note, archive=b"",
        finished_at=timezone.now(), **fields,
    )  # fmt: skip


def import_job_run(*, district_id: int, job_id: int) -> str:
    """Run one queued import to its end; the job's status is returned. A job that has ended or
    is running elsewhere is left alone (a redelivered message does nothing)."""
    job = _claim(job_id, district_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id).status
    data = bytes(job.archive)
    with tempfile.TemporaryDirectory(prefix="paracover-import-") as tmp:
        try:
            folder = _unpack(data, Path(tmp))
            bundle = read_bundle(folder, max_bytes=settings.BUNDLE_MAX_FILE_BYTES)
        except ValidationError as exc:
            _end(job, Status.FAILED, note="the zip was refused", errors=exc.messages)
            return Status.FAILED
        except BundleInvalid as exc:
            errors = [str(error) for error in exc.errors]
            _end(job, Status.FAILED, note=f"{len(errors)} error(s); nothing was imported",
                 errors=errors)  # fmt: skip
            return Status.FAILED
    if bundle.code != job.district.code:
        message = (
            f"district.json: 'code' is {bundle.code}, not this district's ({job.district.code})"
        )
        _end(job, Status.FAILED, note="nothing was imported", errors=[message])
        return Status.FAILED
    ImportJob.objects.filter(pk=job.pk).update(progress_percent=40, progress_note="writing")
    notes: list[str] = []
    try:
        summary = district_import(bundle=bundle, progress=notes.append)
    except OperationalError:
        # A database blip: the task is retried, so the job waits for it again.
        ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)
        raise
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _end(job, Status.FAILED, note="the import failed; nothing was imported",
             errors=[f"{type(exc).__name__}: {exc}"])  # fmt: skip
        return Status.FAILED
    _end(
        job,
        Status.SUCCEEDED,
        note="imported",
        summary={
            "counts": summary.counts,
            "removed_runs": summary.removed_runs,
            "dropped_links": summary.dropped_links,
            "steps": notes,
        },
    )
    return Status.SUCCEEDED
