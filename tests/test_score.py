"""Tests of the held-out score and of choosing k with it."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_nmfx import MUNMF
from sklearn_nmfx._beta import DataMatrix, beta_divergence
from sklearn_nmfx.datasets import make_planted_nmf


def _fit(model, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X)


@pytest.mark.parametrize(
    "noise, beta_loss",
    [("gaussian", "frobenius"), ("poisson", "kullback-leibler")],
)
@pytest.mark.parametrize("rank", [3, 5, 8])
def test_munmf_gridsearch_finds_planted_rank(noise, beta_loss, rank):
    """With no scoring argument, GridSearchCV picks the planted rank 9 times in 10."""
    hits = []
    for seed in range(10):
        X, _, _ = make_planted_nmf(150, 40, rank, noise=noise, random_state=seed)
        search = GridSearchCV(
            MUNMF(random_state=0, beta_loss=beta_loss),
            {"n_components": range(1, 13)},
            cv=5,
            n_jobs=2,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X)
        hits.append(search.best_params_["n_components"] == rank)
    assert sum(hits) >= 9, f"picked the planted rank in {sum(hits)} of 10 seeds"


def test_munmf_score_is_minus_mean_divergence_of_hidden_half():
    """The score equals the closed form when the codes are known exactly."""
    rng = np.random.default_rng(0)
    W, H = rng.random((30, 2)) + 0.5, rng.random((2, 12)) + 0.5
    X = W @ H
    model = _fit(MUNMF(2, random_state=0, max_iter=3000, tol=1e-12), X)
    # Exact data: the held-out entries are predicted exactly.
    assert_allclose(model.score(X), 0.0, atol=1e-8 * np.mean(X**2))
    noisy = X + 0.1 * rng.random(X.shape)
    # Against a direct computation of the two halves.
    order = np.random.RandomState(0).permutation(12)
    halves = (np.sort(order[:6]), np.sort(order[6:]))
    total = 0.0
    for hidden, visible in (halves, halves[::-1]):
        codes = model._codes(
            noisy[:, visible], columns=visible, max_iter=1000, tol=1e-6
        )
        data = DataMatrix(noisy[:, hidden])
        total += beta_divergence(data, codes, model.components_[:, hidden], 2)
    assert_allclose(model.score(noisy), -total / noisy.size, rtol=1e-10)


def test_munmf_score_penalises_too_many_components(global_random_seed):
    """Unlike the training error, the held-out score drops past the planted rank."""
    X, _, _ = make_planted_nmf(200, 40, 4, random_state=global_random_seed)
    train, test = X[:150], X[150:]
    scores, errors = [], []
    for k in (4, 12):
        model = _fit(MUNMF(k, random_state=0), train)
        scores.append(model.score(test))
        errors.append(model.reconstruction_err_)
    assert errors[1] < errors[0]
    assert scores[0] > scores[1]


def test_munmf_score_is_deterministic_and_sparse_agrees():
    """Same model, same data: same score; CSR input scores like dense."""
    X, _, _ = make_planted_nmf(60, 20, 3, noise="poisson", random_state=0)
    model = _fit(MUNMF(3, beta_loss="kullback-leibler", random_state=0), X)
    assert model.score(X) == model.score(X)
    assert_allclose(model.score(sp.csr_matrix(X)), model.score(X), rtol=1e-10)
    assert model.score(X) < 0


def test_munmf_score_sparse_agrees_for_itakura_saito_with_zeros():
    """Stored and implicit zeros are read as the same floor when scoring."""
    X = np.random.RandomState(0).rand(50, 12)
    X[X < 0.6] = 0
    model = _fit(MUNMF(3, beta_loss="itakura-saito", random_state=0), X)
    assert_allclose(model.score(sp.csr_matrix(X)), model.score(X), rtol=1e-8)


def test_munmf_score_needs_two_features():
    """A single feature cannot be split into visible and hidden halves."""
    model = MUNMF(1, random_state=0).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="at least 2 features.*got 1"):
        model.score(np.ones((5, 1)))


def test_make_planted_nmf_shapes_and_errors():
    """The generator returns non-negative data of the asked rank and checks input."""
    X, W, H = make_planted_nmf(30, 10, 3, noise="poisson", random_state=0)
    assert X.shape == (30, 10) and W.shape == (30, 3) and H.shape == (3, 10)
    assert np.all(X >= 0) and np.all(X == np.round(X))
    assert np.linalg.matrix_rank(W @ H) == 3
    with pytest.raises(ValueError, match="noise must be"):
        make_planted_nmf(noise="laplace")
    with pytest.raises(ValueError, match="sparsity must be in"):
        make_planted_nmf(sparsity=1.0)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(n_samples=0), "n_samples must be a positive integer; got 0"),
        (dict(n_features=2.5), "n_features must be a positive integer"),
        (dict(n_components=0), "n_components must be a positive integer"),
        (dict(n_features=5, n_components=6), "n_components=6 must be at most"),
        (dict(noise_level=np.nan), "noise_level must be a finite number >= 0"),
        (dict(noise_level=-1), "noise_level must be a finite number >= 0"),
        (dict(noise="poisson", noise_level=0), "noise_level must be > 0"),
    ],
)
def test_make_planted_nmf_rejects_bad_arguments(params, match):
    """Sizes, rank and noise level that cannot plant a factorisation are refused."""
    with pytest.raises(ValueError, match=match):
        make_planted_nmf(**params)
