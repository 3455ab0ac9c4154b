"""Tests of the standard-library docstring corpus."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklearn_nmfx.datasets import load_stdlib_docstrings


def test_load_stdlib_docstrings_default_corpus():
    """The default corpus has eight modules, each with tens of documents."""
    corpus = load_stdlib_docstrings()
    assert corpus.target_names == [
        "collections",
        "datetime",
        "itertools",
        "json",
        "math",
        "random",
        "re",
        "threading",
    ]
    counts = np.bincount(corpus.target, minlength=8)
    assert counts.min() >= 10
    assert len(corpus.data) == len(corpus.names) == counts.sum()
    assert all(isinstance(doc, str) and len(doc) >= 60 for doc in corpus.data)
    assert str(len(corpus.data)) in corpus.DESCR


def test_load_stdlib_docstrings_is_deterministic():
    """Two calls give the same documents, in the same order."""
    first = load_stdlib_docstrings(["re", "math"])
    second = load_stdlib_docstrings(["re", "math"])
    assert first.data == second.data
    assert first.names == second.names
    assert_array_equal(first.target, second.target)


def test_load_stdlib_docstrings_labels_follow_modules():
    """Labels index the modules in the order given; names carry the module."""
    corpus = load_stdlib_docstrings(["re", "math"])
    assert corpus.target_names == ["re", "math"]
    assert_array_equal(np.unique(corpus.target), [0, 1])
    for name, label in zip(corpus.names, corpus.target):
        assert name.startswith(corpus.target_names[label] + ".")
    assert "re.sub" in corpus.names
    assert "math.isclose" in corpus.names
    # Documents are grouped by module, then sorted by name.
    assert_array_equal(corpus.target, np.sort(corpus.target))
    math_names = [n for n, t in zip(corpus.names, corpus.target) if t == 1]
    assert math_names == sorted(math_names)


def test_load_stdlib_docstrings_reads_exported_names():
    """A module's __all__ is followed: os exports functions written in posix."""
    corpus = load_stdlib_docstrings(["os"])
    assert "os.listdir" in corpus.names


def test_load_stdlib_docstrings_min_length_filters():
    """min_length drops short docstrings, and 0 keeps every documented one."""
    short = load_stdlib_docstrings(["math"], min_length=0)
    long = load_stdlib_docstrings(["math"], min_length=200)
    assert len(long.data) < len(short.data)
    assert all(len(doc) >= 200 for doc in long.data)


@pytest.mark.parametrize(
    "modules, min_length, error, match",
    [
        ([], 60, ValueError, "modules is empty"),
        (["re", "re"], 60, ValueError, "names a module twice"),
        (["no_such_module_xyz"], 60, ValueError, "'no_such_module_xyz'.*imported"),
        (["math"], 10**6, ValueError, "no docstring of at least min_length"),
        (["math"], -1, ValueError, "min_length must be >= 0; got min_length=-1"),
        (["math"], 2.5, TypeError, "min_length must be an int; got 2.5"),
    ],
)
def test_load_stdlib_docstrings_errors(modules, min_length, error, match):
    """Bad arguments raise errors that name the problem."""
    with pytest.raises(error, match=match):
        load_stdlib_docstrings(modules, min_length=min_length)
