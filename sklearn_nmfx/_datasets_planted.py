"""Data with a known non-negative factorisation planted in it."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state


def make_planted_nmf(
    n_samples=200,
    n_features=60,
    n_components=5,
    *,
    noise="gaussian",
    noise_level=0.1,
    sparsity=0.5,
    random_state=None,
):
    """Non-negative data ``X = W @ H`` plus noise, with a known rank.

    Use it to rehearse choosing ``n_components``: the right answer is
    ``n_components``.

    Parameters
    ----------
    n_samples : int, default=200
        Number of rows of X.
    n_features : int, default=60
        Number of columns of X.
    n_components : int, default=5
        The planted rank: number of rows of H.
    noise : {'gaussian', 'poisson'}, default='gaussian'
        'gaussian' adds normal noise of standard deviation ``noise_level``
        times the mean of ``W @ H`` and clips at zero (the Frobenius case).
        'poisson' draws counts with mean ``W @ H`` scaled so that the average
        count is ``1 / noise_level`` (the Kullback-Leibler case).
    noise_level : float, default=0.1
        Strength of the noise; see ``noise``.
    sparsity : float, default=0.5
        Share of the entries of H set to zero, so that the parts differ.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The noisy data, non-negative.
    W : ndarray of shape (n_samples, n_components)
        The planted codes.
    H : ndarray of shape (n_components, n_features)
        The planted parts.

    See Also
    --------
    sklearn_nmfx.MUNMF.score : The held-out fit that finds the planted rank.
    sklearn_nmfx.DeepNMF : Fits data whose parts are themselves grouped.

    Examples
    --------
    >>> from sklearn_nmfx.datasets import make_planted_nmf
    >>> X, W, H = make_planted_nmf(50, 20, 3, random_state=0)
    >>> X.shape, W.shape, H.shape
    ((50, 20), (50, 3), (3, 20))
    >>> bool((X >= 0).all())
    True
    """
    for name, value in (
        ("n_samples", n_samples),
        ("n_features", n_features),
        ("n_components", n_components),
    ):
        if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    if n_components > n_features:
        raise ValueError(
            f"n_components={n_components} must be at most n_features="
            f"{n_features}: every planted part keeps a feature of its own."
        )
    if noise not in ("gaussian", "poisson"):
        raise ValueError(f"noise must be 'gaussian' or 'poisson'; got {noise!r}.")
    if not (isinstance(noise_level, Real) and 0 <= noise_level < np.inf):
        raise ValueError(
            f"noise_level must be a finite number >= 0; got {noise_level!r}."
        )
    if noise == "poisson" and noise_level == 0:
        raise ValueError(
            "noise_level must be > 0 with noise='poisson': the average count "
            "is 1 / noise_level."
        )
    if not 0 <= sparsity < 1:
        raise ValueError(f"sparsity must be in [0, 1); got {sparsity!r}.")
    rng = check_random_state(random_state)
    W = rng.gamma(1.0, size=(n_samples, n_components))
    H = rng.gamma(1.0, size=(n_components, n_features))
    H[rng.uniform(size=H.shape) < sparsity] = 0
    # Every part keeps at least one feature of its own, so the rank is real.
    H[np.arange(n_components), rng.permutation(n_features)[:n_components]] += 1.0
    clean = W @ H
    if noise == "gaussian":
        scale = noise_level * clean.mean()
        X = np.maximum(clean + scale * rng.standard_normal(clean.shape), 0)
    else:
        factor = 1.0 / (noise_level * clean.mean())
        W = W * factor
        X = rng.poisson(W @ H).astype(float)
    return X, W, H
