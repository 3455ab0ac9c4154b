"""Non-negative matrix factorisation estimators for scikit-learn."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn_nmfx._deep import DeepNMF
from sklearn_nmfx._kmeans import OneHotNMFKMeans
from sklearn_nmfx._munmf import MUNMF
from sklearn_nmfx._separator import SpectrogramSeparator

__version__ = "0.1.0.dev0"

__all__ = [
    "DeepNMF",
    "MUNMF",
    "OneHotNMFKMeans",
    "SpectrogramSeparator",
]
