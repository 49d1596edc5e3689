"""Import benchmark: generate a bundle per size and import it into the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paracover \\
        .venv/bin/python bench/import_district.py [SIZES...]

Each size runs in a child process so that its peak memory is its own. Timed separately:
reading and validating the bundle, and writing it (one transaction); then a second import of the
same bundle, which replaces the district's data.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ["small", "medium", "large", "xl"]


def one(size: str) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import datetime as dt

    import django

    django.setup()
    from allocations.bundle.generate import generate
    from allocations.bundle.importer import district_import
    from allocations.bundle.validate import read_bundle

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        counts = generate(folder, size=size, seed=1, code=f"BENCH-IMPORT-{size.upper()}",
                          week=dt.date(2026, 11, 23))  # fmt: skip
        started = time.perf_counter()
        bundle = read_bundle(folder)
        validated = time.perf_counter()
        district_import(bundle=bundle)
        written = time.perf_counter()
        district_import(bundle=read_bundle(folder))
        replaced = time.perf_counter()
    return {
        "size": size,
        "rows": sum(counts.values()),
        "validate_s": round(validated - started, 1),
        "write_s": round(written - validated, 1),
        "total_s": round(written - started, 1),
        "replace_s": round(replaced - written, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return
    columns = ["size", "rows", "validate_s", "write_s", "total_s", "replace_s", "peak_mb"]
    print("| size | CSV rows | validate s | write s | import s | re-import (replace) s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for size in sys.argv[1:] or SIZES:
        out = subprocess.run(
            [sys.executable, __file__, "--one", size], check=True, capture_output=True, text=True
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print("| " + " | ".join(str(row[c]) for c in columns) + " |", flush=True)


if __name__ == "__main__":
    main()
