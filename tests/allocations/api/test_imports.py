"""A bundle zip sent to the API: imported by a worker as import_district would, its errors in
the command's terms, and zips that could escape their folder or overwhelm a worker refused."""

from __future__ import annotations

import io
import zipfile

from allocations.api.imports import import_job_run
from allocations.api.models import ImportJob
from staffing.models import Aide, District, School
from tests.allocations.bundle.bundles import with_row, write_bundle
from tests.api_personas import client_as, issue


def _zip(folder=None, members=None, top=""):
    """The bundle in `folder` as a zip (under `top/` when given), or `members` name -> bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()) if folder else []:
            archive.write(path, f"{top}{path.name}")
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    buffer.seek(0)
    buffer.name = "bundle.zip"
    return buffer


def _send(client, upload, capture):
    with capture(execute=True):
        return client.post("/api/v1/imports/", {"file": upload}, format="multipart")


def test_a_bundle_zip_is_imported_by_a_worker(
    tmp_path, district_a, director_a, django_capture_on_commit_callbacks
):
    upload = _zip(write_bundle(tmp_path / "b"), top="alpha-bundle/")

    sent = _send(client_as(director_a), upload, django_capture_on_commit_callbacks)
    job = client_as(director_a).get(f"/api/v1/imports/{sent.json()['id']}/").json()

    assert (sent.status_code, sent.json()["status"]) == (202, "queued")
    assert (job["status"], job["progress_percent"], job["errors"]) == ("succeeded", 100, [])
    assert job["summary"]["counts"]["schools"] == 2
    assert sorted(School.objects.filter(district=district_a).values_list("code", flat=True)) == [
        "LINCOLN",
        "WASH",
    ]
    assert Aide.objects.filter(district=district_a).count() == 3
    assert bytes(ImportJob.objects.get().archive) == b""


def test_an_invalid_bundle_fails_with_every_error_in_the_commands_terms(
    tmp_path, district_a, director_a, django_capture_on_commit_callbacks
):
    folder = write_bundle(
        tmp_path / "b",
        files={**with_row("students.csv", "S3,LINCOLN,,Stone,3"), "schools.csv": ["school_code"]},
    )

    sent = _send(client_as(director_a), _zip(folder), django_capture_on_commit_callbacks)
    job = client_as(director_a).get(f"/api/v1/imports/{sent.json()['id']}/").json()

    assert job["status"] == "failed"
    assert job["errors"][:2] == [
        "schools.csv line 1, column name: required column is missing",
        "students.csv line 4, column first_name: required value is empty",
    ]
    assert School.objects.filter(district=district_a).count() == 0


def test_a_bundle_of_another_district_is_refused(
    tmp_path, district_a, director_a, django_capture_on_commit_callbacks
):
    folder = write_bundle(tmp_path / "b", district={"code": "BETA", "name": "B", "timezone": "UTC"})

    sent = _send(client_as(director_a), _zip(folder), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get(pk=sent.json()["id"])
    assert (job.status, job.errors) == (
        "failed",
        ["district.json: 'code' is BETA, not this district's (ALPHA)"],
    )
    assert list(District.objects.values_list("code", flat=True)) == ["ALPHA"]


def test_zips_that_escape_their_folder_or_are_too_big_are_refused(
    district_a, director_a, settings, django_capture_on_commit_callbacks
):
    settings.API_IMPORT_MAX_FILES = 3
    settings.BUNDLE_MAX_FILE_BYTES = 100
    client = client_as(director_a)

    answers = [
        _send(client, upload, django_capture_on_commit_callbacks).json()["error"]["fields"]
        for upload in (
            _zip(members={"../evil.csv": b"x"}),
            _zip(members={"/etc/evil.csv": b"x"}),
            _zip(members={f"f{i}.csv": b"x" for i in range(4)}),
            _zip(members={"big.csv": b"x" * 101}),
            io.BytesIO(b"not a zip"),
        )
    ]

    assert answers == [
        {"file": ["../evil.csv: a path outside the bundle's folder"]},
        {"file": ["/etc/evil.csv: a path outside the bundle's folder"]},
        {"file": ["the zip holds 4 files; a bundle has at most 3"]},
        {"file": ["big.csv: 101 bytes unpacked, more than the 100 a bundle file may have"]},
        {"file": ["not a zip file (File is not a zip file)"]},
    ]
    assert ImportJob.objects.count() == 0


def test_only_the_director_imports_and_follows_imports(
    tmp_path, worlds, district_a, director_a, django_capture_on_commit_callbacks
):
    case_manager = client_as(worlds["a"]["member"].user)
    job = ImportJob.objects.get(district=district_a)

    sent = _send(
        case_manager, _zip(write_bundle(tmp_path / "b")), django_capture_on_commit_callbacks
    )

    assert (sent.status_code, sent.json()["error"]["code"]) == (403, "permission_denied")
    assert case_manager.get("/api/v1/imports/").json()["count"] == 0
    assert case_manager.get(f"/api/v1/imports/{job.pk}/").status_code == 404
    assert ImportJob.objects.count() == 2


def test_a_token_imports_and_a_re_import_keeps_tokens_and_jobs(
    tmp_path, district_a, director_a, django_capture_on_commit_callbacks
):
    client = client_as(raw_token=issue(district_a, director_a))
    upload = _zip(write_bundle(tmp_path / "b"))
    again = _zip(write_bundle(tmp_path / "b"))

    first = _send(client, upload, django_capture_on_commit_callbacks)
    second = _send(client, again, django_capture_on_commit_callbacks)

    assert [j.status for j in ImportJob.objects.order_by("pk")] == ["succeeded", "succeeded"]
    assert client.get(f"/api/v1/imports/{first.json()['id']}/").status_code == 200
    assert second.status_code == 202


def test_a_redelivered_import_does_nothing(district_a, director_a):
    job = ImportJob.objects.create(
        district=district_a, file_name="b.zip", size_bytes=1, archive=b"", status="succeeded"
    )

    assert import_job_run(district_id=district_a.pk, job_id=job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.status == "succeeded"
