"""Shared fixtures for the test suite."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import matplotlib
import pytest
from threadpoolctl import threadpool_limits

# Figures are saved, never shown, during tests.
matplotlib.use("Agg")


@pytest.fixture
def global_random_seed():
    """Seed for tests that should hold for any seed.

    Set ``SKLEARN_NMFX_SEED`` to run the suite with another seed.
    """
    return int(os.environ.get("SKLEARN_NMFX_SEED", "42"))


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    """Run BLAS on one thread: test matrices are small, and threads that
    outnumber the cores (parallel grid searches, other jobs) slow tests
    down many times over."""
    with threadpool_limits(limits=1):
        yield
