"""Initial factors for the factorisations."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.extmath import randomized_svd

INIT_OPTIONS = {"random", "nndsvd", "nndsvda", "nndsvdar", "custom"}


def default_init(n_components, shape):
    """'nndsvda' when the SVD has that many components, 'random' otherwise."""
    return "nndsvda" if n_components <= min(shape) else "random"


def _data_mean(X):
    """Mean of all entries of X, zeros included, dense or sparse."""
    return float(X.sum()) / (X.shape[0] * X.shape[1])


def _random(X, n_components, rng, dtype):
    # Scaled so that W @ H has the data's mean on average.
    scale = np.sqrt(_data_mean(X) / n_components)
    H = np.abs(scale * rng.standard_normal((n_components, X.shape[1])))
    W = np.abs(scale * rng.standard_normal((X.shape[0], n_components)))
    return W.astype(dtype, copy=False), H.astype(dtype, copy=False)


def _positive_part_pair(u, v):
    """The sign pattern of (u, v) with the larger non-negative mass."""
    up, vp = np.maximum(u, 0), np.maximum(v, 0)
    un, vn = np.maximum(-u, 0), np.maximum(-v, 0)
    up_norm, vp_norm = np.linalg.norm(up), np.linalg.norm(vp)
    un_norm, vn_norm = np.linalg.norm(un), np.linalg.norm(vn)
    if up_norm * vp_norm >= un_norm * vn_norm:
        u, v, u_norm, v_norm = up, vp, up_norm, vp_norm
    else:
        u, v, u_norm, v_norm = un, vn, un_norm, vn_norm
    if u_norm == 0 or v_norm == 0:
        return np.zeros_like(u), np.zeros_like(v), 0.0
    return u / u_norm, v / v_norm, u_norm * v_norm


def _nndsvd(X, n_components, variant, rng, dtype):
    """Non-negative double SVD (Boutsidis & Gallopoulos, 2008)."""
    U, S, Vt = randomized_svd(X, n_components, random_state=rng)
    W = np.zeros((X.shape[0], n_components))
    H = np.zeros((n_components, X.shape[1]))
    for j in range(n_components):
        u, v = U[:, j], Vt[j]
        if j == 0:
            # The leading singular pair of non-negative data is one-signed.
            u, v, mass = np.abs(u), np.abs(v), 1.0
        else:
            u, v, mass = _positive_part_pair(u, v)
        weight = np.sqrt(S[j] * mass)
        W[:, j] = weight * u
        H[j] = weight * v
    eps = np.finfo(dtype).eps
    W[W < eps] = 0
    H[H < eps] = 0
    if variant == "nndsvda":
        mean = _data_mean(X)
        W[W == 0] = mean
        H[H == 0] = mean
    elif variant == "nndsvdar":
        mean = _data_mean(X)
        W[W == 0] = mean * rng.uniform(size=int((W == 0).sum())) / 100
        H[H == 0] = mean * rng.uniform(size=int((H == 0).sum())) / 100
    return W.astype(dtype, copy=False), H.astype(dtype, copy=False)


def check_custom_factor(F, shape, name, dtype):
    """Validate a user-given initial factor: shape, finiteness, sign."""
    F = np.asarray(F)
    if F.shape != shape:
        raise ValueError(f"The initial {name} must have shape {shape}; got {F.shape}.")
    if not np.all(np.isfinite(F)):
        raise ValueError(f"The initial {name} contains NaN or infinity.")
    if np.any(F < 0):
        raise ValueError(f"Negative values in data passed to the initial {name}.")
    if not np.any(F):
        raise ValueError(
            f"The initial {name} is all zero: multiplicative updates cannot move "
            "a factor away from zero; give it some positive entries."
        )
    return np.array(F, dtype=dtype, order="C", copy=True)


def initialize(X, n_components, init, *, random_state=None, W=None, H=None):
    """Initial factors W, H of ``X ~ W @ H``.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Non-negative data.
    n_components : int
        Rank k of the factorisation.
    init : {'random', 'nndsvd', 'nndsvda', 'nndsvdar', 'custom'}
        The method. 'custom' uses the given W and H.
    random_state : int, RandomState instance or None, default=None
        Seed of the random parts of the methods.
    W : array-like of shape (n_samples, n_components), default=None
        Initial W for ``init='custom'``.
    H : array-like of shape (n_components, n_features), default=None
        Initial H for ``init='custom'``.

    Returns
    -------
    W : ndarray of shape (n_samples, n_components)
    H : ndarray of shape (n_components, n_features)
        Copies in the data's dtype, safe to update in place.
    """
    n_samples, n_features = X.shape
    dtype = X.dtype
    if init == "custom":
        if W is None or H is None:
            raise ValueError("init='custom' needs both W and H to be given.")
        W = check_custom_factor(W, (n_samples, n_components), "W", dtype)
        H = check_custom_factor(H, (n_components, n_features), "H", dtype)
        return W, H
    rng = check_random_state(random_state)
    if init == "random":
        return _random(X, n_components, rng, dtype)
    if n_components > min(n_samples, n_features):
        raise ValueError(
            f"init={init!r} needs n_components <= min(n_samples, n_features) = "
            f"{min(n_samples, n_features)}; got n_components={n_components}. "
            "Use init='random' or fewer components."
        )
    return _nndsvd(X, n_components, init, rng, dtype)
