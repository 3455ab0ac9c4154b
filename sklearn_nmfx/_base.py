"""Shared parameter text, constraints and input checks of every estimator."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import re
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_non_negative

from sklearn_nmfx._compat import Interval, StrOptions

# Parameter descriptions that several estimators share, written once.  A
# docstring includes one with ``{random_state}`` and ``format_docstring``.
_SHARED_DOCS = {
    "random_state": """random_state : int, RandomState instance or None, default=None
        Seed or generator for the initialisation. Pass an int for results that
        are the same from one call to the next.""",
    "verbose": """verbose : int, default=0
        Level of progress output. ``0`` prints nothing; ``1`` or more prints
        one line each time convergence is checked (iteration, objective,
        elapsed seconds) and a last line saying why the solver stopped.""",
    "tol": """tol : float, default=1e-4
        Tolerance of the stopping rule: the solver stops when the objective
        decreased by less than ``tol`` (relative) since the previous check.
        ``tol=0`` runs exactly ``max_iter`` iterations.""",
}


def format_docstring(obj):
    """Fill the shared parameter descriptions into ``obj``'s docstring.

    Also joins a line ended by a backslash to the next, as a plain string
    literal would: docstrings that hold LaTeX are raw strings, where a long
    parameter type continued that way would otherwise keep the backslash.
    """
    if obj.__doc__:
        doc = re.sub(r"(?<!\\)\\\n\s*", "", obj.__doc__)
        obj.__doc__ = doc.format(**_SHARED_DOCS)
    return obj


# Constraints that every estimator of the package declares.
BASE_CONSTRAINTS = {
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

BETA_LOSS_CONSTRAINT = [
    StrOptions({"frobenius", "kullback-leibler", "itakura-saito"}),
    Real,
]


def check_counts_not_bool(estimator, *names):
    """Refuse True or False for integer parameters.

    ``bool`` is an ``Integral`` in Python, so the parameter constraints let
    ``n_components=True`` through; it is almost certainly a mistake.
    """
    for name in names:
        value = getattr(estimator, name)
        if isinstance(value, bool):
            raise ValueError(
                f"The {name!r} parameter of {type(estimator).__name__} must be "
                f"an integer, not a boolean; got {name}={value!r}."
            )


def beta_from_loss(beta_loss):
    """Turn a ``beta_loss`` parameter into the real number beta."""
    names = {"frobenius": 2.0, "kullback-leibler": 1.0, "itakura-saito": 0.0}
    if isinstance(beta_loss, str):
        return names[beta_loss]
    beta = float(beta_loss)
    if not np.isfinite(beta):
        raise ValueError(f"beta_loss must be a finite number; got {beta_loss!r}.")
    return beta


def check_nonnegative_input(X, whom):
    """Reject negative entries with scikit-learn's wording and empty data."""
    check_non_negative(X, whom)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{whom} got an empty array of shape {X.shape}.")


def to_csr(X):
    """CSR view of sparse input (CSC is converted once); dense stays dense."""
    if sp.issparse(X) and X.format != "csr":
        return X.tocsr()
    return X
