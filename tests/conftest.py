"""Shared fixtures for the test suite."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import matplotlib
import pytest

# Figures are saved, never shown, during tests.
matplotlib.use("Agg")


@pytest.fixture
def global_random_seed():
    """Seed for tests that should hold for any seed.

    Set ``SKLEARN_NMFX_SEED`` to run the suite with another seed.
    """
    return int(os.environ.get("SKLEARN_NMFX_SEED", "42"))
