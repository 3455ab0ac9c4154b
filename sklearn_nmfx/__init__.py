"""Non-negative matrix factorisation estimators for scikit-learn."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_nmfx._munmf import MUNMF

__version__ = "0.1.0.dev0"

__all__ = [
    "MUNMF",
]
