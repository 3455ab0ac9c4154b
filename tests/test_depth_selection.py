"""Tests of choosing DeepNMF's depth and ranks by GridSearchCV on planted data.

What the held-out score can and cannot tell, measured on 20 planted datasets
(``_planted_two_layer`` with seeds 0-19, ranks (8, 4), 200 x 60) with the grid
(2,), (4,), (6,), (8,), (8, 2), (8, 4), (8, 6), (12, 4), (6, 4), (12, 8, 4)
and 5 folds:

=========================================  ==================  =============
chosen                                      Gaussian/Frobenius  Poisson/KL
=========================================  ==================  =============
the planted tuple (8, 4)                   5 / 20              1 / 20
the planted deepest rank 4, any depth      18 / 20             20 / 20
(8, 4) scored above one layer of 8         20 / 20             20 / 20
(8, 4) scored above (8, 2)                 20 / 20             20 / 20
=========================================  ==================  =============

The score fits ``X ~ W @ components_`` and ``components_ = A_L ... A_1`` has
the deepest rank as its rank, so every tuple whose smallest rank is 4 spans
the same models as one layer of 4: depth is not identifiable from the fit,
and which of these wins is down to the optimiser. So the tests assert that
the planted depth beats clearly wrong ones and that the deepest rank is
found, not that the planted tuple is.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_nmfx import DeepNMF

PLANTED = (8, 4)
BETA_LOSS = {"gaussian": "frobenius", "poisson": "kullback-leibler"}
# Tuples whose deepest rank is the planted one, and tuples that are wrong:
# one layer of the first rank (too many parts), a second layer too narrow.
SAME_DEEPEST_RANK = [(4,), (8, 4), (6, 4), (12, 8, 4)]
WRONG = [(8,), (8, 2)]


def _planted_two_layer(seed, noise, n_samples=200, n_features=60, ranks=PLANTED):
    """``X = W @ A_2 @ A_1`` plus noise: 8 sparse parts grouped into 4.

    Like :func:`~sklearn_nmfx.datasets.make_planted_nmf`, one layer deeper:
    ``A_1`` holds 8 parts over the features, each row of ``A_2`` mixes a few
    of them, and the noise is Gaussian (10% of the mean, clipped at zero) or
    Poisson (mean count 10).
    """
    rng = np.random.RandomState(seed)
    k1, k2 = ranks
    A1 = rng.gamma(1.0, size=(k1, n_features))
    A1[rng.uniform(size=A1.shape) < 0.6] = 0
    A1[np.arange(k1), rng.permutation(n_features)[:k1]] += 1
    A2 = rng.gamma(1.0, size=(k2, k1))
    A2[rng.uniform(size=A2.shape) < 0.5] = 0
    A2[np.arange(k2), rng.permutation(k1)[:k2]] += 1
    clean = rng.gamma(1.0, size=(n_samples, k2)) @ A2 @ A1
    if noise == "gaussian":
        scale = 0.1 * clean.mean()
        return np.maximum(clean + scale * rng.standard_normal(clean.shape), 0)
    return rng.poisson(clean / (0.1 * clean.mean())).astype(float)


@functools.cache
def _search(seed, noise, grid, cv):
    """Mean held-out score of every tuple of ``grid``, and the chosen one."""
    X = _planted_two_layer(seed, noise)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = GridSearchCV(
            DeepNMF(beta_loss=BETA_LOSS[noise], random_state=0),
            {"n_components": list(grid)},
            cv=cv,
        ).fit(X)
    scores = dict(zip(grid, search.cv_results_["mean_test_score"]))
    return scores, search.best_params_["n_components"]


@pytest.mark.parametrize("noise", ["gaussian", "poisson"])
def test_deepnmf_grid_search_prefers_planted_depth_to_wrong_ones(
    noise, global_random_seed
):
    """Against one wide layer and a too-narrow second layer, (8, 4) wins."""
    scores, chosen = _search(global_random_seed, noise, (*WRONG, PLANTED), cv=5)

    assert chosen == PLANTED
    # Minus the score is a held-out loss; the wrong ones lose at least 0.5%
    # more (measured: 0.9% to 92% over 50 seeds).
    for wrong in WRONG:
        assert scores[wrong] < scores[PLANTED] * 1.005


@pytest.mark.parametrize("noise", ["gaussian", "poisson"])
def test_deepnmf_grid_search_finds_planted_deepest_rank(noise, global_random_seed):
    """On 5 planted datasets the chosen model ends in 4 components at least 3 times."""
    grid = (*SAME_DEEPEST_RANK, *WRONG)
    chosen = [
        _search(global_random_seed + i, noise, grid, cv=3)[1] for i in range(5)
    ]

    assert sum(ranks[-1] == PLANTED[-1] for ranks in chosen) >= 3


@pytest.mark.parametrize("noise", ["gaussian", "poisson"])
def test_deepnmf_score_does_not_tell_depths_of_one_deepest_rank_apart(
    noise, global_random_seed
):
    """Tuples of the same deepest rank score alike; a wrong one scores apart."""
    grid = (*SAME_DEEPEST_RANK, *WRONG)
    scores, _ = _search(global_random_seed, noise, grid, cv=3)
    alike = np.array([scores[ranks] for ranks in SAME_DEEPEST_RANK])

    # They span the same models; what differs is where the optimiser stops.
    assert_allclose(alike, alike.mean(), rtol=0.1)
    assert scores[(8, 2)] < alike.min()
