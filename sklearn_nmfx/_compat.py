"""The one place where private scikit-learn machinery is imported."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# scikit-learn's parameter validation lives in private modules.  Every module of
# ours imports it from here, so that a change in scikit-learn is one edit.
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = ["Interval", "StrOptions", "_fit_context"]
