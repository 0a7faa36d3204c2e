"""CPU time of processes and the load average, read from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of every thread of `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def runqueue_wait_seconds(pid: int) -> float:
    """Time every thread of `pid` spent ready to run but waiting for a CPU (schedstat)."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def load_average() -> float:
    """The 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


@dataclass
class CpuMeter:
    """CPU seconds spent by named processes between `start()` and `stop()`, and the
    seconds they waited for a CPU (the machine's other work)."""

    pids: dict[str, int]

    def _read(self) -> dict[str, tuple[float, float]]:
        return {n: (cpu_seconds(p), runqueue_wait_seconds(p)) for n, p in self.pids.items()}

    def start(self) -> None:
        self._before = self._read()

    def stop(self) -> tuple[dict[str, float], dict[str, float]]:
        after = self._read()
        cpu = {n: after[n][0] - self._before[n][0] for n in self.pids}
        waited = {n: after[n][1] - self._before[n][1] for n in self.pids}
        return cpu, waited
