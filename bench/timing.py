"""Run a command as a child process and measure its wall-clock and CPU time.

CPU time is the child's user plus system time as `os.wait4` reports it, which includes the
worker processes it waited for, so a build that uses both cores shows more CPU than wall time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field


class CommandFailed(RuntimeError):
    """Raised when a measured command exits with a non-zero status."""


@dataclass
class Sample:
    wall: float
    cpu: float


@dataclass
class Series:
    """Several samples of one measurement, summarised as median and spread (min to max)."""

    samples: list = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def spread(self) -> tuple[float, float]:
        walls = [s.wall for s in self.samples]
        return min(walls), max(walls)

    def describe(self) -> str:
        low, high = self.spread()
        return f"{self.wall:.2f} s ({low:.2f}–{high:.2f}; CPU {self.cpu:.2f} s; {len(self.samples)} lần)"


def run_timed(command: list[str], cwd: str | None = None, env: dict | None = None) -> Sample:
    """Run `command` to completion and return its wall and CPU time; raise on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # communicate() drains the pipes; wait4 then reaps the child and returns its resource usage.
    stdout, stderr = _drain(process)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = (stderr or stdout).decode("utf-8", "replace")[-2000:]
        raise CommandFailed(f"{' '.join(command[:3])} … exited with {process.returncode}:\n{tail}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime)


def _drain(process: subprocess.Popen) -> tuple[bytes, bytes]:
    # Read both pipes until the child closes them, without reaping it (communicate() would reap
    # it through wait(), and the resource usage would be lost).
    import selectors

    chunks = {process.stdout: [], process.stderr: []}
    selector = selectors.DefaultSelector()
    for stream in chunks:
        selector.register(stream, selectors.EVENT_READ)
    open_streams = len(chunks)
    while open_streams:
        for key, _ in selector.select():
            data = os.read(key.fileobj.fileno(), 65536)
            if data:
                chunks[key.fileobj].append(data)
            else:
                selector.unregister(key.fileobj)
                open_streams -= 1
    return b"".join(chunks[process.stdout]), b"".join(chunks[process.stderr])
