"""The synthetic district generator: deterministic, spec-shaped, valid, with the right scale."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from allocations.bundle.generate import HEADERS, generate
from allocations.bundle.validate import read_bundle

WEEK = dt.date(2026, 11, 23)


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path):
    generate(tmp_path / "a", size="small", seed=3, code="G", week=WEEK)
    generate(tmp_path / "b", size="small", seed=3, code="G", week=WEEK)
    generate(tmp_path / "c", size="small", seed=4, code="G", week=WEEK)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["mandates.csv"] != _files(tmp_path / "c")["mandates.csv"]


def test_headers_follow_the_spec_in_order(tmp_path):
    generate(tmp_path, size="tiny", seed=1, code="G", week=WEEK)
    for name, header in HEADERS.items():
        with (tmp_path / name).open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == header
    assert HEADERS["mandates.csv"] == [
        "mandate_code", "student_code", "support", "max_group", "setting", "location", "weekday",
        "start", "end", "required_qualifications", "starts_on", "ends_on",
    ]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("size", ["tiny", "small", "medium"])
def test_every_generated_bundle_passes_the_importers_validation(tmp_path, size, seed):
    generate(tmp_path, size=size, seed=seed, code="G", week=WEEK)
    bundle = read_bundle(tmp_path)  # raises BundleInvalid listing any error
    assert bundle.code == "G"


@pytest.mark.parametrize(
    ("size", "schools", "students", "aides"),
    [("tiny", 2, 15, 10), ("small", 4, 70, 46), ("medium", 40, 800, 480)],
)
def test_sizes_have_their_documented_scale(tmp_path, size, schools, students, aides):
    counts = generate(tmp_path, size=size, seed=1, code="G", week=WEEK)
    assert (counts["schools.csv"], counts["students.csv"], counts["aides.csv"]) == (
        schools, students, aides,
    )  # fmt: skip


def test_the_week_is_interesting(tmp_path):
    generate(tmp_path, size="medium", seed=1, code="G", week=WEEK)
    bundle = read_bundle(tmp_path)
    assert (dt.date(2026, 11, 26), None, "Thanksgiving") in bundle.closures
    assert any(start is not None for _, _, start, _, _ in bundle.absences)
    assert any(start is None for _, _, start, _, _ in bundle.absences)
    assert any(exp == dt.date(2026, 11, 24) for _, _, exp in bundle.qualifications)
    assert any(c[2] == dt.date(2026, 11, 24) for c in bundle.contracts.values())
    assert any(len(a[2]) > 1 for a in bundle.aides.values())
    assert any(a[1] for a in bundle.aides.values())
    supports = {m.support for m in bundle.mandates.values()}
    assert supports == {"one_to_one", "shared"}
    assert any(m.starts_on == dt.date(2026, 11, 26) for m in bundle.mandates.values())


def test_command_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("generate_district", str(tmp_path), size="tiny", seed=1, stdout=StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
