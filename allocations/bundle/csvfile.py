"""Reading one bundle file safely: size, encoding, binary content, CSV syntax, columns.

Every problem becomes a `BundleError` naming the file, the physical line and the column, so that
whoever exported the bundle can find and fix it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, order=True)
class BundleError:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        if self.column is None:
            return f"{self.file} line {self.line}: {self.message}"
        return f"{self.file} line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]


def read_text(path: Path, errors: list[BundleError], max_bytes: int) -> str | None:
    name = path.name
    size = path.stat().st_size
    if size > max_bytes:
        errors.append(
            BundleError(
                name, None, None, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"
            )
        )
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        errors.append(BundleError(name, None, None, "not a CSV text file (it contains NUL bytes)"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        errors.append(
            BundleError(
                name, None, None, f"not UTF-8 text (byte 0x{byte:02x} at offset {exc.start})"
            )
        )
        return None
    return text.removeprefix("\ufeff")


def read_rows(
    path: Path, required: list[str], optional: list[str], errors: list[BundleError], max_bytes: int
) -> list[Row] | None:
    """Rows of one CSV file as dicts of the known columns, values stripped. Problems go to
    `errors`; a file that cannot be read as a whole (encoding, missing column, CSV syntax)
    gives None."""
    name = path.name
    text = read_text(path, errors, max_bytes)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(BundleError(name, 1, None, f"not valid CSV: {exc}"))
        return None
    if header is None:
        errors.append(BundleError(name, None, None, "file is empty (no header row)"))
        return None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    for column in missing:
        errors.append(BundleError(name, 1, column, "required column is missing"))
    if missing:
        return None
    index = {c: header.index(c) for c in required + optional if c in header}
    rows: list[Row] = []
    line = reader.line_num
    try:
        for record in reader:
            start_line = line + 1
            line = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(header):
                errors.append(
                    BundleError(
                        name, start_line, None,
                        f"has {len(record)} fields but the header has {len(header)}",
                    )
                )  # fmt: skip
                continue
            rows.append(Row(name, start_line, {c: record[i].strip() for c, i in index.items()}))
    except csv.Error as exc:
        errors.append(BundleError(name, reader.line_num, None, f"not valid CSV: {exc}"))
        return None
    return rows
