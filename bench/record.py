"""Writes benchmark figures into docs/benchmarks.md, one table per section, newest figure per key."""

import datetime as dt
import os
import platform
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]  # other work on the machine while measuring shows here
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GiB, Python {platform.python_version()}, load {load:.1f}"


def record(section: str, header: str, row: str, *, key: str) -> None:
    """Replaces the row starting with `| key` in `section` (or appends it), stamped with date and machine."""
    stamped = f"{row} {dt.date.today().isoformat()} | {machine()} |"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    title = f"## {section}"
    full_header = f"{header} date | machine |"
    divider = "|" + "---|" * (full_header.count("|") - 1)
    if title not in text:
        text = text.rstrip("\n") + f"\n\n{title}\n\n{full_header}\n{divider}\n"
    head, _, rest = text.partition(title)
    body, sep, tail = rest.partition("\n## ")
    lines = [ln for ln in body.splitlines() if not ln.startswith(f"| {key} |")]
    if full_header not in lines:  # the columns changed: the new header, and only rows of its shape stay
        rows = [ln for ln in lines[1:] if ln.startswith("| ") and ln.count("|") == full_header.count("|")]
        lines = ["", "", full_header, divider, *(ln for ln in rows if ln != full_header)]
    lines.append(stamped)
    text = head + title + "\n".join(lines) + "\n" + (sep + tail if sep else "")
    DOC.write_text(text)
