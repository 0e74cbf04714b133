"""mfa.uncertainty.memory: a chunk on a Dask worker keeps its freed memory (no page faults
for every step's fresh arrays), and the worker's setting comes back after it."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

SCRIPT = """
import resource
import numpy as np
from mfa.uncertainty.memory import keep_freed_memory

def faults(n=40):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(n):
        a = np.ones(1_000_000)  # 8 MB, allocated and freed like a step's arrays
        del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

plain = faults()
with keep_freed_memory():
    kept = faults()
after = faults()
print(plain, kept, after)
"""


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="glibc's malloc thresholds")
def test_freed_memory_is_kept_inside_the_block_only() -> None:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}  # as Dask's nannies set it
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, check=True)
    plain, kept, after = map(int, done.stdout.split())
    assert plain > 40 * 100  # every 8 MB array page-faulted in afresh
    assert kept < plain / 10
    assert after > plain / 2  # the worker's setting is back


def test_nothing_changes_without_the_environment_setting() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, check=True)
    plain, kept, after = map(int, done.stdout.split())
    assert kept <= plain + 1000 and after <= plain + 1000  # glibc's own dynamic thresholds
