"""Tests of MUNMF, the engine it runs on and its initialisations."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF
from sklearn_nmfx._beta import DataMatrix, beta_divergence
from sklearn_nmfx._init import initialize
from sklearn_nmfx._mu import factor_floor, max_inner_steps, update_factor
from sklearn_nmfx.datasets import make_planted_nmf

BETAS = [0, 0.5, 1, 1.5, 2, 3]


def _planted(rng, n=40, m=30, k=4, noise=0.05, zeros=False):
    X = rng.random((n, k)) @ rng.random((k, m)) + noise * rng.random((n, m))
    if zeros:
        X[rng.random((n, m)) < 0.3] = 0
    return X


def _quiet_fit(model, X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, **kw)


@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
@pytest.mark.parametrize("sparse", [False, True])
def test_munmf_plain_updates_match_sklearn(beta_loss, sparse, global_random_seed):
    """With the same start, 50 plain updates give scikit-learn's mu error."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng) + 0.01
    W0, H0 = initialize(X, 5, "random", random_state=global_random_seed)
    if sparse:
        X = sp.csr_matrix(X)
    ours = MUNMF(
        5, beta_loss=beta_loss, init="custom", max_iter=50, tol=0, accelerate=False
    ).fit(X, W=W0, H=H0)
    theirs = NMF(
        5, beta_loss=beta_loss, solver="mu", init="custom", max_iter=50, tol=0
    ).fit(X, W=W0.copy(), H=H0.copy())
    assert_allclose(ours.reconstruction_err_, theirs.reconstruction_err_, rtol=1e-6)
    assert_allclose(ours.components_, theirs.components_, rtol=1e-5, atol=1e-9)


def test_munmf_penalties_match_sklearn(global_random_seed):
    """The L1/L2 penalties are scaled and applied as scikit-learn's mu does."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng) + 0.01
    W0, H0 = initialize(X, 4, "random", random_state=0)
    params = dict(init="custom", max_iter=30, tol=0, alpha_W=0.01, l1_ratio=0.3)
    ours = MUNMF(4, accelerate=False, **params).fit(X, W=W0, H=H0)
    theirs = NMF(4, solver="mu", **params).fit(X, W=W0.copy(), H=H0.copy())
    assert_allclose(ours.components_, theirs.components_, rtol=1e-5, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    shape=st.tuples(st.integers(2, 12), st.integers(2, 12)),
    k=st.integers(1, 4),
    beta=st.sampled_from(BETAS),
    zero_share=st.sampled_from([0.0, 0.3, 0.8]),
    accelerate=st.booleans(),
)
def test_munmf_objective_never_increases(seed, shape, k, beta, zero_share, accelerate):
    """Every single update of W or of H leaves the divergence no larger."""
    rng = np.random.default_rng(seed)
    X = rng.gamma(0.7, size=shape)
    X[rng.random(shape) < zero_share] = 0
    x_floor = np.finfo(float).eps * max(X.max(), 1.0) if beta <= 0 else 0.0
    data = DataMatrix(X, x_floor=x_floor)
    W, H = initialize(X, k, "random", random_state=seed)
    W += 0.1
    H += 0.1
    floor_W, floor_H = factor_floor(W), factor_floor(H)
    value = beta_divergence(data, W, H, beta)
    for _ in range(8):
        for F, L, R, floor in ((W, None, H, floor_W), (H, W, None, floor_H)):
            inner = max_inner_steps(data, F, L, R) if accelerate else 1
            update_factor(data, F, L, R, beta=beta, floor=floor, max_inner=inner)
            new = beta_divergence(data, W, H, beta)
            assert new <= value * (1 + 1e-9) + 1e-12
            value = new


@pytest.mark.parametrize("beta_loss", BETAS)
def test_munmf_loss_curve_decreases(beta_loss, global_random_seed):
    """The recorded objective, penalties included, never goes up."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng, zeros=True)
    model = _quiet_fit(
        MUNMF(3, beta_loss=beta_loss, alpha_W=1e-3, random_state=0, max_iter=60), X
    )
    curve = model.loss_curve_
    assert curve.shape == (7,)
    assert np.all(np.diff(curve) <= 1e-9 * curve[0])
    assert np.all(np.isfinite(curve))


@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
def test_munmf_tol_zero_checks_only_at_the_end(beta_loss, global_random_seed):
    """With tol=0 the same iterates, checked at the start and the end only."""
    X = _planted(np.random.default_rng(global_random_seed), zeros=True)
    params = dict(beta_loss=beta_loss, random_state=0, max_iter=30)
    checked = _quiet_fit(MUNMF(3, tol=1e-30, **params), X)
    unchecked = MUNMF(3, tol=0, **params).fit(X)
    assert checked.loss_curve_.shape == (4,) and unchecked.loss_curve_.shape == (2,)
    assert_allclose(unchecked.loss_curve_, checked.loss_curve_[[0, -1]], rtol=1e-12)
    assert_allclose(unchecked.components_, checked.components_, rtol=1e-12)
    assert_allclose(unchecked.reconstruction_err_, checked.reconstruction_err_)


def test_munmf_accelerated_beats_plain_at_equal_iterations(global_random_seed):
    """Reusing each product for several inner steps lowers the error faster."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng, n=200, m=100, k=8)
    W0, H0 = initialize(X, 8, "nndsvda", random_state=0)
    errors = []
    for accelerate in (False, True):
        model = MUNMF(8, init="custom", max_iter=20, tol=0, accelerate=accelerate)
        errors.append(model.fit(X, W=W0, H=H0).reconstruction_err_)
    assert errors[1] < 0.9 * errors[0]


def test_munmf_zero_entries_can_recover(global_random_seed):
    """An initial factor with a whole zero column still learns that column."""
    rng = np.random.default_rng(global_random_seed)
    W_true, H_true = rng.random((30, 3)) + 0.1, rng.random((3, 20)) + 0.1
    X = W_true @ H_true
    W0, H0 = rng.random((30, 3)), rng.random((3, 20))
    W0[:, 0] = 0
    H0[1] = 0
    model = MUNMF(3, init="custom", max_iter=2000, tol=1e-10)
    W = _quiet_fit(model, X, W=W0, H=H0).transform(X)
    H = model.components_
    # Only the products W[:, j] H[j] matter: each must carry a real share of X.
    shares = np.linalg.norm(W, axis=0) * np.linalg.norm(H, axis=1)
    assert shares.min() > 0.05 * np.linalg.norm(X)
    assert model.reconstruction_err_ < 1e-2 * np.linalg.norm(X)


@pytest.mark.parametrize("beta_loss", BETAS)
def test_munmf_sparse_equals_dense(beta_loss, global_random_seed):
    """CSR, CSC and dense input give the same factors."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng, zeros=beta_loss > 0)
    # The accelerated inner loop budgets by the number of stored entries, so
    # the plain rule is the one whose iterates agree to the last digits.
    params = dict(
        beta_loss=beta_loss,
        init="nndsvda",
        random_state=0,
        max_iter=30,
        accelerate=False,
    )
    dense = _quiet_fit(MUNMF(3, **params), X)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = _quiet_fit(MUNMF(3, **params), fmt(X))
        assert_allclose(sparse.components_, dense.components_, rtol=1e-7, atol=1e-10)
        assert_allclose(sparse.reconstruction_err_, dense.reconstruction_err_)


def test_munmf_accepts_64bit_sparse_indices():
    """A CSR matrix with int64 indices fits like one with int32 indices."""
    X = sp.random(50, 40, density=0.2, format="csr", random_state=0)
    X64 = X.copy()
    X64.indices = X64.indices.astype(np.int64)
    X64.indptr = X64.indptr.astype(np.int64)
    params = dict(beta_loss="kullback-leibler", random_state=0, max_iter=20)
    a = _quiet_fit(MUNMF(4, **params), X).components_
    b = _quiet_fit(MUNMF(4, **params), X64).components_
    assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler", 1.5])
def test_munmf_float32_stays_float32(beta_loss):
    """float32 data gives float32 factors, codes and reconstruction."""
    X = np.random.default_rng(0).random((30, 20)).astype(np.float32)
    model = _quiet_fit(MUNMF(4, beta_loss=beta_loss, random_state=0), X)
    W = model.transform(X)
    assert model.components_.dtype == np.float32
    assert W.dtype == np.float32
    assert model.inverse_transform(W).dtype == np.float32
    X64 = X.astype(np.float64)
    model64 = _quiet_fit(MUNMF(4, beta_loss=beta_loss, random_state=0), X64)
    assert_allclose(model.reconstruction_err_, model64.reconstruction_err_, rtol=1e-3)


def test_munmf_transform_follows_input_dtype():
    """A float32 model codes float64 data in float64, and the reverse."""
    X = np.random.default_rng(0).random((30, 20))
    m32 = _quiet_fit(MUNMF(4, random_state=0), X.astype(np.float32))
    m64 = _quiet_fit(MUNMF(4, random_state=0), X)
    assert m32.transform(X).dtype == np.float64
    assert m64.transform(X.astype(np.float32)).dtype == np.float32
    assert_allclose(m32.transform(X), m32.transform(X.astype(np.float32)), rtol=1e-3)


@pytest.mark.parametrize(
    "beta_loss", ["frobenius", "kullback-leibler", "itakura-saito"]
)
def test_munmf_fit_transform_equals_fit_then_transform(beta_loss, global_random_seed):
    """At default settings the two routes give the same codes."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng) + 0.01
    a = MUNMF(4, beta_loss=beta_loss, random_state=0)
    b = MUNMF(4, beta_loss=beta_loss, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        W_a = a.fit_transform(X)
        W_b = b.fit(X).transform(X)
    assert_allclose(W_a, W_b, rtol=1e-6)


def test_munmf_transform_is_row_by_row(global_random_seed):
    """The codes of a sample do not depend on the other samples passed."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng, zeros=True)
    model = _quiet_fit(MUNMF(4, beta_loss="kullback-leibler", random_state=0), X)
    whole = model.transform(X)
    parts = np.vstack([model.transform(X[i : i + 7]) for i in range(0, 40, 7)])
    assert_allclose(parts, whole, rtol=1e-10, atol=1e-12)


def test_munmf_itakura_saito_accepts_zeros():
    """Exact zeros, as in silent spectrogram frames, are floored, not refused."""
    X = np.abs(np.random.default_rng(0).standard_normal((40, 30))) ** 2
    X[:5] = 0
    X[:, 3] = 0
    model = _quiet_fit(MUNMF(3, beta_loss="itakura-saito", random_state=0), X)
    W = model.transform(X)
    assert np.all(np.isfinite(W)) and np.all(W >= 0)
    assert np.isfinite(model.reconstruction_err_)
    with pytest.raises(ValueError, match="X contains zeros"):
        NMF(3, beta_loss="itakura-saito", solver="mu").fit(X)


def test_munmf_nndsvd_recovers_rank_one_data():
    """On exact rank-one data the SVD start is already the answer."""
    rng = np.random.default_rng(0)
    X = np.outer(rng.random(20) + 0.1, rng.random(15) + 0.1)
    for init in ("nndsvd", "nndsvda", "nndsvdar"):
        W, H = initialize(X, 1, init, random_state=0)
        assert_allclose(W @ H, X, rtol=1e-10)


@pytest.mark.parametrize("init", ["random", "nndsvd", "nndsvda", "nndsvdar"])
def test_munmf_every_init_fits(init, global_random_seed):
    """Every initialisation reaches a good fit of planted rank-4 data."""
    rng = np.random.default_rng(global_random_seed)
    X = _planted(rng, noise=0.0)
    model = _quiet_fit(MUNMF(4, init=init, random_state=0, max_iter=500), X)
    assert model.reconstruction_err_ < 0.05 * np.linalg.norm(X)


@pytest.mark.parametrize(
    "X, match",
    [
        (-np.ones((4, 3)), "Negative values in data passed to MUNMF"),
        (np.full((4, 3), np.nan), "NaN"),
        (np.full((4, 3), np.inf), "infinity"),
        (np.ones(5), "Expected 2D array"),
        (np.ones((0, 3)), "0 sample"),
    ],
)
def test_munmf_rejects_bad_input(X, match):
    """Negative, non-finite, one-dimensional and empty data are refused."""
    with pytest.raises(ValueError, match=match):
        MUNMF(2).fit(X)


def test_munmf_rejects_impossible_settings():
    """Errors name the parameter and the value when the settings cannot work."""
    X = np.ones((5, 4))
    with pytest.raises(ValueError, match="n_components <= min.*= 4; got n_compo"):
        MUNMF(6, init="nndsvd").fit(X)
    with pytest.raises(ValueError, match="initial W must have shape"):
        MUNMF(2, init="custom").fit(X, W=np.ones((5, 3)), H=np.ones((2, 4)))
    with pytest.raises(ValueError, match="Negative values in data passed to the "):
        MUNMF(2, init="custom").fit(X, W=-np.ones((5, 2)), H=np.ones((2, 4)))
    # An all-zero start would stay zero (or turn to NaN) under the updates.
    with pytest.raises(ValueError, match="initial W is all zero"):
        MUNMF(2, init="custom").fit(X, W=np.zeros((5, 2)), H=np.ones((2, 4)))
    with pytest.raises(ValueError, match="initial H is all zero"):
        MUNMF(2, init="custom").fit(X, W=np.ones((5, 2)), H=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="only with init='custom'"):
        MUNMF(2, init="random").fit(X, W=np.ones((5, 2)), H=np.ones((2, 4)))
    with pytest.raises(ValueError, match="'beta_loss' parameter of MUNMF"):
        MUNMF(2, beta_loss="euclid").fit(X)
    with pytest.raises(ValueError, match="2 columns but the model has 3"):
        MUNMF(3, random_state=0).fit(X).inverse_transform(np.ones((2, 2)))


@pytest.mark.parametrize("beta_loss", BETAS)
def test_munmf_degenerate_data_gives_finite_output(beta_loss):
    """All-zero data, zero rows and columns: finite, non-negative results."""
    rng = np.random.default_rng(0)
    X = rng.random((20, 10))
    X[3] = 0
    X[:, 4] = 0
    for data in (X, np.zeros((6, 5))):
        model = _quiet_fit(MUNMF(2, beta_loss=beta_loss, random_state=0), data)
        W = model.transform(data)
        for array in (W, model.components_, model.loss_curve_):
            assert np.all(np.isfinite(array)) and np.all(array >= 0)


@pytest.mark.parametrize("exponent", [-1000, -600, 600, 1000])
def test_munmf_extreme_magnitudes_scale_exactly(exponent):
    """Data times 2**e gives the same fit, its factors times 2**(e/2)."""
    X = np.random.default_rng(0).random((20, 10)) + 0.1
    params = dict(random_state=0, max_iter=50, tol=0)
    base = MUNMF(3, **params).fit(X)
    scaled = MUNMF(3, **params).fit(np.ldexp(X, exponent))
    W = scaled.transform(np.ldexp(X, exponent))
    assert np.all(np.isfinite(W)) and np.all(np.isfinite(scaled.components_))
    assert_allclose(scaled.components_, np.ldexp(base.components_, exponent // 2))
    assert_allclose(W, np.ldexp(base.transform(X), exponent // 2))


def test_munmf_subnormal_data():
    """Data so small its entries are subnormal still fit, as the data near 1."""
    X = np.random.default_rng(0).random((20, 10)) + 0.1
    params = dict(random_state=0, max_iter=50, tol=0)
    base = MUNMF(3, **params).fit(X)
    # 2**-1040 is below the smallest normal float: 2**1040 overflows.
    tiny = MUNMF(3, **params).fit(np.ldexp(X, -1040))
    assert_allclose(
        np.ldexp(tiny.components_, 520), base.components_, rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
def test_munmf_transform_of_tiny_rows_scales(beta_loss):
    """Rows 1e-20 times smaller than the training data get their codes too."""
    X, _, _ = make_planted_nmf(50, 20, n_components=3, noise_level=0, random_state=0)
    model = MUNMF(3, beta_loss=beta_loss, random_state=0, max_iter=500, tol=1e-8)
    W = _quiet_fit(model, X).transform(X)
    # A floor set on the training codes' scale would hold these at ~1e-16.
    assert_allclose(model.transform(X * 1e-20) * 1e20, W, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize(
    "beta_loss", ["frobenius", "kullback-leibler", "itakura-saito"]
)
@pytest.mark.parametrize("exponent", [-700, -200, 200, 700])
def test_munmf_transform_of_far_smaller_or_larger_data_scales(beta_loss, exponent):
    """Data 2**e times the training data's scale get the codes times 2**e."""
    X, _, _ = make_planted_nmf(50, 20, n_components=3, random_state=0)
    X += 0.01
    model = _quiet_fit(MUNMF(3, beta_loss=beta_loss, random_state=0), X)
    W = model.transform(np.ldexp(X, exponent))
    assert_allclose(np.ldexp(W, -exponent), model.transform(X), rtol=1e-12)


def test_munmf_does_not_modify_input():
    """Fitting and transforming leave the caller's arrays as they were."""
    rng = np.random.default_rng(0)
    X = rng.random((20, 10))
    X[0] = 0
    Xs = sp.csr_matrix(X)
    before, before_data = X.copy(), Xs.data.copy()
    W0, H0 = initialize(X, 3, "random", random_state=0)
    W0_before = W0.copy()
    for beta_loss in ("frobenius", "itakura-saito"):
        _quiet_fit(MUNMF(3, beta_loss=beta_loss, max_iter=5), X, W=W0, H=H0)
        _quiet_fit(MUNMF(3, beta_loss=beta_loss, max_iter=5), Xs).transform(Xs)
    assert_array_equal(X, before)
    assert_array_equal(Xs.data, before_data)
    assert_array_equal(W0, W0_before)


def test_munmf_warns_at_max_iter():
    """Stopping at the iteration cap warns and names max_iter."""
    X = np.random.default_rng(0).random((20, 10))
    with pytest.warns(ConvergenceWarning, match="max_iter=3 iterations"):
        MUNMF(3, max_iter=3, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = MUNMF(3, max_iter=3, tol=0, random_state=0).fit(X)
    assert model.n_iter_ == 3


def test_munmf_verbose_prints_checks(capsys):
    """verbose=1 prints a line per check and says why it stopped."""
    X = np.random.default_rng(0).random((20, 10))
    MUNMF(3, max_iter=20, tol=0, verbose=1, random_state=0).fit(X)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("Iteration    0: objective")
    assert lines[1].startswith("Iteration   10: objective")
    assert lines[-1] == "Stopped after 20 iterations: the iteration limit was reached."
    MUNMF(3, max_iter=20, tol=0, random_state=0).fit(X)
    assert capsys.readouterr().out == ""


def test_munmf_feature_names_out():
    """Output features are named after the estimator, one per component."""
    X = np.random.default_rng(0).random((10, 6))
    model = MUNMF(3, random_state=0).fit(X)
    assert list(model.get_feature_names_out()) == ["munmf0", "munmf1", "munmf2"]
