"""Tests that the public docstrings follow numpydoc, as numpydoc validates them."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
import os
import pydoc

import pytest

import sklearn_nmfx
from sklearn_nmfx import audio, datasets, metrics

# Checks for every public docstring (numpydoc.validate's error codes).
COMMON_CHECKS = {
    "GL06",  # a section numpydoc does not know (a misspelt header)
    "GL07",  # sections in the wrong order
    "GL08",  # no docstring
    "SS01",  # no summary
    "PR01",  # a parameter of the signature is not documented
    "PR02",  # a documented parameter is not in the signature
    "PR03",  # parameters documented in another order than the signature's
    "PR04",  # a parameter without a type
    "PR07",  # a parameter without a description
}
# Classes and functions: they also point elsewhere and show their use.
OBJECT_CHECKS = COMMON_CHECKS | {
    "SA01",  # no See Also section
    "SA04",  # a See Also entry without a description
    "EX01",  # no Examples section
}
# Functions and methods say what they return.
RETURN_CHECKS = {
    "RT01",  # no Returns section
    "RT03",  # a return value without a description
}


def _public_objects():
    """Import paths of the public classes and functions."""
    names = [f"sklearn_nmfx.{name}" for name in sklearn_nmfx.__all__]
    for module in (audio, metrics, datasets):
        names += [f"{module.__name__}.{name}" for name in module.__all__]
    return names


def _public_methods():
    """Import paths of the estimators' public methods written in this package.

    Methods inherited from scikit-learn (``get_params``, ``set_output``, ...)
    are scikit-learn's to document.
    """
    paths = []
    for name in sklearn_nmfx.__all__:
        for attr, member in inspect.getmembers(getattr(sklearn_nmfx, name)):
            if attr.startswith("_") or not inspect.isfunction(member):
                continue
            if member.__module__.startswith("sklearn_nmfx"):
                paths.append(f"sklearn_nmfx.{name}.{attr}")
    return paths


def _errors(path, checks):
    """numpydoc's errors for the docstring at ``path`` among ``checks``."""
    errors = _numpydoc_validate()(path)["errors"]
    return [f"{code}: {message}" for code, message in errors if code in checks]


def _numpydoc_validate():
    """``numpydoc.validate.validate``; a failure under CI, a skip elsewhere."""
    try:
        from numpydoc.validate import validate
    except ImportError:
        message = 'numpydoc is needed: python -m pip install -e ".[docs]"'
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return validate


@pytest.mark.parametrize("path", _public_objects())
def test_docstring_public_object_is_complete(path):
    """Public classes and functions have every section numpydoc expects."""
    checks = OBJECT_CHECKS
    if not inspect.isclass(pydoc.locate(path)):
        checks = checks | RETURN_CHECKS
    assert _errors(path, checks) == []


@pytest.mark.parametrize("path", _public_methods())
def test_docstring_public_method_is_complete(path):
    """Estimator methods document their parameters and what they return."""
    assert _errors(path, COMMON_CHECKS | RETURN_CHECKS) == []


def test_docstring_checks_catch_a_bad_docstring(monkeypatch):
    """The checks fail on a function whose docstring misses what they ask."""

    def undocumented(x, y):
        """Do something."""
        return x + y

    monkeypatch.setattr(audio, "undocumented", undocumented, raising=False)
    codes = {
        error.split(":")[0]
        for error in _errors(
            "sklearn_nmfx.audio.undocumented", OBJECT_CHECKS | RETURN_CHECKS
        )
    }
    assert {"PR01", "SA01", "EX01", "RT01"} <= codes
