"""Loaded first by pytest (the repository root): pin BLAS and torch to one thread per process
before anything imports them. On 2 cores, torch's default of one thread per core made the
suite 7x slower whenever another process was busy; one thread costs little when idle."""

import os

for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# Exercise files are notebooks to run cell by cell (tests/test_exercises.py), not modules to import.
collect_ignore_glob = ["essl_testbed/course/notebooks/*", "course/*"]
