"""scikit-learn's estimator checks, run on every public estimator."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import sklearn_nmfx


def _public_estimators():
    """Every estimator class that the package exports."""
    found = []
    for name in sklearn_nmfx.__all__:
        obj = getattr(sklearn_nmfx, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            found.append(obj())
    return found


def test_every_estimator_is_checked():
    """The discovery finds the estimators, so the checks below are not empty."""
    names = {type(est).__name__ for est in _public_estimators()}
    assert "MUNMF" in names


@parametrize_with_checks(_public_estimators())
def test_sklearn_compatible_estimator(estimator, check):
    """Each estimator passes every check with no expected failure."""
    check(estimator)


@pytest.mark.parametrize(
    "estimator", _public_estimators(), ids=lambda est: type(est).__name__
)
@pytest.mark.parametrize("name", ["n_components", "max_iter"])
def test_integer_parameters_refuse_booleans(estimator, name):
    """True is an Integral in Python, but never a number of parts or steps."""
    X = np.random.default_rng(0).uniform(size=(20, 6))
    with pytest.raises(ValueError, match=f"{name}=True"):
        clone(estimator).set_params(**{name: True}).fit(X)
