"""CPU time by process group, read from /proc (Linux): where a load benchmark's CPU went.

Throughput on a 2-core machine shared with other work swings with the neighbours; CPU seconds per
request do much less, and they say which process to make cheaper. `CpuMeter` sums user + system
time of: the web server and its workers (a process and its descendants), the PostgreSQL backends
connected to one database (found by their process title), Redis, and this process (the load
generator). Backends or workers that exit between two readings take their time with them, so the
benchmarks keep their connections open while they measure."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (name) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuMeter:
    """`reading()` gives CPU seconds per group so far; `since(earlier)` the difference."""

    def __init__(self, *, server_pid: int, database: str) -> None:
        self.server_pid = server_pid
        self.database = database

    def reading(self) -> dict[str, float]:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (stat := _stat(int(entry))):
                stats[int(entry)] = stat
        groups = {"web server": 0.0, "postgresql": 0.0, "redis": 0.0, "load generator": 0.0}
        for pid, (_, seconds) in stats.items():
            group = self._group(pid, stats)
            if group:
                groups[group] += seconds
        return groups

    def since(self, earlier: dict[str, float]) -> dict[str, float]:
        now = self.reading()
        return {group: now[group] - earlier.get(group, 0.0) for group in now}

    def _group(self, pid: int, stats) -> str | None:
        if pid == os.getpid():
            return "load generator"
        ancestor = pid
        while ancestor in stats and ancestor > 1:
            if ancestor == self.server_pid:
                return "web server"
            ancestor = stats[ancestor][0]
        command = _cmdline(pid)
        if command.startswith("postgres:") and f" {self.database} " in command:
            return "postgresql"
        if command.startswith("redis-server"):
            return "redis"
        return None


def per_request(cpu: dict[str, float], requests: int) -> str:
    """'web server 4.1 ms, postgresql 1.2 ms, … (total 6.3 ms) CPU per request'."""
    if not requests:
        return "no requests"
    parts = [f"{group} {seconds / requests * 1000:.2f} ms" for group, seconds in cpu.items()]
    total = sum(cpu.values()) / requests * 1000
    return f"{', '.join(parts)} (total {total:.2f} ms) CPU per request"
