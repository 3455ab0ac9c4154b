"""Tests of DeepNMF, the hierarchy of parts."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_nmfx import MUNMF, DeepNMF
from sklearn_nmfx._beta import DataMatrix
from sklearn_nmfx._deep import (
    _DataCentric,
    _layer_codes,
    _LayerCentric,
    _log_lambertw_exp,
    _normalize_rows,
)


def _planted(rng, n_samples=40, n_features=15, ranks=(6, 3)):
    """Data with a planted hierarchy, strictly positive."""
    W = rng.uniform(0.1, 1, size=(n_samples, ranks[-1]))
    layers = [rng.uniform(0, 1, size=(ranks[0], n_features))]
    for k_prev, k in zip(ranks[:-1], ranks[1:]):
        layers.append(rng.uniform(0, 1, size=(k, k_prev)))
    X = W
    for A in layers[::-1]:
        X = X @ A
    return X + 0.01


def _random_chain(rng, shape, ranks, *, simplex=False):
    """Positive W and [A_1, ..., A_L], rows of A summing to one if asked."""
    sizes = (shape[1], *ranks[:-1])
    layers = [rng.uniform(0.1, 1, size=(k, size)) for k, size in zip(ranks, sizes)]
    W = rng.uniform(0.1, 1, size=(shape[0], ranks[-1]))
    if simplex:
        for i, A in enumerate(layers):
            _normalize_rows(A, layers[i + 1] if i + 1 < len(layers) else W)
    return W, layers


@pytest.mark.parametrize(
    "beta_loss", ["frobenius", "kullback-leibler", "itakura-saito", 0.5, 3.0]
)
@pytest.mark.parametrize("init", ["random", "nndsvda", "custom"])
@pytest.mark.parametrize("n_components", [4, (4,)])
def test_deepnmf_one_layer_equals_munmf(beta_loss, init, n_components):
    """One layer from the same start gives MUNMF's factors and loss curve."""
    rng = np.random.RandomState(0)
    X = _planted(rng)
    kwargs = dict(beta_loss=beta_loss, init=init, max_iter=30, random_state=0)
    fit_kw = {}
    if init == "custom":
        fit_kw = dict(W=rng.uniform(0.1, 1, (40, 4)), H=rng.uniform(0.1, 1, (4, 15)))
    deep = DeepNMF(n_components, **kwargs)
    shallow = MUNMF(4, **kwargs)
    with pytest.warns(ConvergenceWarning):
        W_deep = deep.fit_transform(X, **fit_kw)
    with pytest.warns(ConvergenceWarning):
        W_shallow = shallow.fit_transform(X, **fit_kw)
    assert_allclose(deep.components_, shallow.components_, rtol=1e-12, atol=0)
    assert_allclose(deep.layer_components_[0], shallow.components_, rtol=1e-12)
    assert_allclose(W_deep, W_shallow, rtol=1e-12, atol=0)
    assert_allclose(deep.loss_curve_, shallow.loss_curve_, rtol=1e-12)
    assert deep.n_iter_ == shallow.n_iter_
    assert deep.reconstruction_err_ == pytest.approx(shallow.reconstruction_err_)
    assert deep.pretrain_loss_curves_ == []


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    ranks=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    beta=st.sampled_from([2.0, 1.0, 0.0, 0.5, 1.5, 3.0]),
    penalised=st.booleans(),
)
def test_deepnmf_data_centric_sweeps_never_increase_loss(seed, ranks, beta, penalised):
    """Every fine-tuning sweep lowers or keeps the penalised global loss."""
    rng = np.random.RandomState(seed)
    n_samples, n_features = rng.randint(3, 12, size=2)
    X = rng.uniform(0, 1, size=(n_samples, n_features))
    if beta >= 1:
        X[rng.uniform(size=X.shape) < 0.3] = 0
    else:
        X += 0.05
    W, layers = _random_chain(rng, X.shape, ranks)
    penalties = [
        tuple(rng.uniform(0, 0.5, size=2) if penalised else (0.0, 0.0))
        for _ in range(len(ranks) + 1)
    ]
    model = _DataCentric(
        DataMatrix(X), W, layers, beta=beta, penalties=penalties, accelerate=True
    )
    previous = model.objective()
    for _ in range(12):
        error = model.sweep(True)
        value = model.objective()
        if error is not None:
            assert value == pytest.approx(model.objective(error), rel=1e-9, abs=1e-12)
        assert value <= previous * (1 + 1e-9) + 1e-12
        previous = value


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    ranks=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    beta=st.sampled_from([2.0, 1.0]),
)
def test_deepnmf_layer_centric_sweeps_never_increase_loss(seed, ranks, beta):
    """Every layer-centric sweep lowers or keeps the weighted sum of layer fits."""
    rng = np.random.RandomState(seed)
    n_samples, n_features = rng.randint(3, 12, size=2)
    X = rng.uniform(0, 1, size=(n_samples, n_features))
    X[rng.uniform(size=X.shape) < 0.3] = 0
    W, layers = _random_chain(rng, X.shape, ranks, simplex=True)
    codes = [
        code * rng.uniform(0.5, 2, size=code.shape) for code in _layer_codes(W, layers)
    ]
    weights = rng.uniform(0.2, 5, size=len(ranks))
    model = _LayerCentric(DataMatrix(X), codes, layers, beta=beta, weights=weights)
    previous = model.objective()
    for _ in range(12):
        model.sweep(True)
        value = model.objective()
        assert value <= previous * (1 + 1e-9) + 1e-12
        previous = value
        for A in layers:
            assert_allclose(A.sum(axis=1), 1, rtol=1e-12)


@pytest.mark.parametrize("loss", ["data-centric", "layer-centric"])
@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
def test_deepnmf_loss_curve_decreases(loss, beta_loss):
    """The fine-tuning loss curve never goes up, whatever the loss."""
    X = _planted(np.random.RandomState(1))
    # A tol no decrease meets: checked every 10 iterations, never stopped.
    model = DeepNMF(
        (6, 4, 2), loss=loss, beta_loss=beta_loss, max_iter=60, tol=1e-300,
        random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    assert model.loss_curve_.shape == (7,)
    assert np.all(np.diff(model.loss_curve_) <= 1e-10 * model.loss_curve_[0])
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert len(model.pretrain_loss_curves_) == 3

    # With tol=0 the same iterates, checked at the start and the end only.
    unchecked = DeepNMF(
        (6, 4, 2), loss=loss, beta_loss=beta_loss, max_iter=60, tol=0,
        random_state=0,
    ).fit(X)  # fmt: skip
    assert_allclose(unchecked.loss_curve_, model.loss_curve_[[0, -1]], rtol=1e-10)
    assert_allclose(unchecked.components_, model.components_, rtol=1e-10)


def test_deepnmf_fine_tuning_beats_pretraining_on_digits():
    """On the digits, fine-tuning lowers the global loss of the pretrained model."""
    X, _ = load_digits(return_X_y=True)
    model = DeepNMF(
        (32, 16, 8), pretrain_max_iter=50, max_iter=50, tol=0, random_state=0
    ).fit(X)
    pretrained, tuned = model.loss_curve_[0], model.loss_curve_[-1]
    # Measured: 28 % lower (27.6 to 28.8 % over seeds 0, 1 and 2).
    assert tuned < 0.9 * pretrained


def test_deepnmf_components_are_the_chain():
    """components_ is A_L ... A_1 and inverse_transform multiplies by it."""
    X = _planted(np.random.RandomState(2))
    model = DeepNMF((6, 4, 2), max_iter=20, random_state=0)
    with pytest.warns(ConvergenceWarning):
        W = model.fit_transform(X)
    A1, A2, A3 = model.layer_components_
    assert [A.shape for A in model.layer_components_] == [(6, 15), (4, 6), (2, 4)]
    assert_allclose(model.components_, A3 @ A2 @ A1, rtol=1e-12)
    assert_allclose(model.inverse_transform(W), W @ A3 @ A2 @ A1, rtol=1e-12)
    assert model.n_components_ == 2


def test_deepnmf_transform_layers():
    """Every layer's code times that layer's parts gives the same model."""
    X = _planted(np.random.RandomState(3))
    model = DeepNMF((6, 4, 2), max_iter=20, tol=0, random_state=0).fit(X)
    codes = model.transform_layers(X)
    assert [code.shape for code in codes] == [(40, 6), (40, 4), (40, 2)]
    assert_allclose(codes[-1], model.transform(X), rtol=1e-12)
    parts = model.layer_components_[0]
    reconstruction = model.inverse_transform(codes[-1])
    for code, A in zip(codes, [None, *model.layer_components_[1:]]):
        parts = parts if A is None else A @ parts
        assert_allclose(code @ parts, reconstruction, rtol=1e-10)


@pytest.mark.parametrize("loss", ["data-centric", "layer-centric"])
def test_deepnmf_fit_transform_equals_fit_then_transform(loss):
    """fit_transform(X) equals fit(X).transform(X)."""
    X = _planted(np.random.RandomState(4))
    kwargs = dict(loss=loss, max_iter=20, tol=0, random_state=0)
    W1 = DeepNMF((5, 3), **kwargs).fit_transform(X)
    W2 = DeepNMF((5, 3), **kwargs).fit(X).transform(X)
    assert_allclose(W1, W2, rtol=1e-12)


@pytest.mark.parametrize("loss", ["data-centric", "layer-centric"])
def test_deepnmf_float32_preserved(loss):
    """float32 data gives float32 factors and codes, close to float64's."""
    X = np.random.RandomState(5).uniform(size=(30, 20))
    kwargs = dict(loss=loss, max_iter=100, tol=0, random_state=0)
    m32 = DeepNMF((5, 3), **kwargs).fit(X.astype(np.float32))
    m64 = DeepNMF((5, 3), **kwargs).fit(X)
    assert m32.components_.dtype == np.float32
    assert all(A.dtype == np.float32 for A in m32.layer_components_)
    assert m32.transform(X.astype(np.float32)).dtype == np.float32
    assert all(
        c.dtype == np.float32 for c in m32.transform_layers(X.astype(np.float32))
    )
    # Rounding parts the two paths over hundreds of steps of a non-convex
    # descent; the fits they reach agree to within a percent.
    assert_allclose(m32.reconstruction_err_, m64.reconstruction_err_, rtol=1e-2)


@pytest.mark.parametrize("loss", ["data-centric", "layer-centric"])
@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
@pytest.mark.parametrize("sparse_format", ["csr", "csc"])
def test_deepnmf_sparse_equals_dense(loss, beta_loss, sparse_format):
    """Sparse input at the first layer gives the dense input's model."""
    rng = np.random.RandomState(6)
    X = _planted(rng)
    X[rng.uniform(size=X.shape) < 0.5] = 0
    # The accelerated inner loop sizes itself on the number of stored
    # entries, so the two would take different steps: compare plain steps.
    kwargs = dict(loss=loss, beta_loss=beta_loss, init="random", max_iter=30, tol=0)
    kwargs["accelerate"] = False
    dense = DeepNMF((5, 3), random_state=0, **kwargs).fit(X)
    sparse = DeepNMF((5, 3), random_state=0, **kwargs).fit(
        sp.csr_matrix(X).asformat(sparse_format)
    )
    assert_allclose(sparse.components_, dense.components_, rtol=1e-7, atol=1e-10)
    assert_allclose(sparse.loss_curve_, dense.loss_curve_, rtol=1e-7)


@pytest.mark.parametrize("loss", ["data-centric", "layer-centric"])
@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
def test_deepnmf_scaling_the_data(loss, beta_loss):
    """Data scaled by a huge power of two gives the same model, scaled."""
    X = _planted(np.random.RandomState(7))
    scale = 2.0**600
    # 'random' scales with the data; 'nndsvda' fills zeros with the data's
    # mean, which does not scale like the factors.
    kwargs = dict(loss=loss, beta_loss=beta_loss, init="random", max_iter=20, tol=0)
    kwargs["random_state"] = 0
    base = DeepNMF((5, 3), **kwargs).fit(X)
    big = DeepNMF((5, 3), **kwargs).fit(X * scale)
    # The split of the scale between codes and parts is a convention: compare
    # the parts up to the scale of each row, and the reconstructions.
    for A_big, A_base in zip(big.layer_components_, base.layer_components_):
        assert_allclose(
            A_big / A_big.sum(axis=1, keepdims=True),
            A_base / A_base.sum(axis=1, keepdims=True),
            rtol=1e-9,
        )
    assert_allclose(
        big.reconstruction_err_,
        base.reconstruction_err_ * scale ** (1 if beta_loss == "frobenius" else 0.5),
        rtol=1e-9,
    )
    assert_allclose(
        big.inverse_transform(big.transform(X * scale)),
        base.inverse_transform(base.transform(X)) * scale,
        rtol=1e-7,
    )


def test_deepnmf_layer_centric_parts_sum_to_one():
    """With the layer-centric loss, every row of every A_l sums to one."""
    X = _planted(np.random.RandomState(8))
    model = DeepNMF((6, 4, 2), loss="layer-centric", max_iter=20, tol=0).fit(X)
    for A in model.layer_components_:
        assert_allclose(A.sum(axis=1), 1, rtol=1e-12)
    assert_allclose(model.components_.sum(axis=1), 1, rtol=1e-12)


@pytest.mark.parametrize("beta_loss", ["frobenius", "kullback-leibler"])
def test_deepnmf_layer_weights_default_to_inverse_pretrained_errors(beta_loss):
    """Default weights are one over each layer's error after pretraining."""
    X = _planted(np.random.RandomState(9))
    model = DeepNMF(
        (6, 4, 2), loss="layer-centric", beta_loss=beta_loss, max_iter=10, tol=0
    ).fit(X)
    errors = [curve[-1] for curve in model.pretrain_loss_curves_]
    assert_allclose(model.layer_weights_, 1 / np.array(errors), rtol=1e-9)
    assert_allclose(model.loss_curve_[0], 3, rtol=1e-9)
    assert not hasattr(DeepNMF((6, 4, 2), max_iter=10, tol=0).fit(X), "layer_weights_")


def test_deepnmf_custom_init_skips_pretraining():
    """A custom start is fine-tuned as given, with no pretraining."""
    rng = np.random.RandomState(10)
    X = _planted(rng)
    W, layers = _random_chain(rng, X.shape, (5, 3))
    model = DeepNMF((5, 3), init="custom", max_iter=10, tol=0).fit(X, W=W, H=layers)
    assert model.pretrain_loss_curves_ == []
    assert model.pretrain_n_iter_.shape == (0,)
    start = 0.5 * np.sum((X - W @ layers[1] @ layers[0]) ** 2)
    assert_allclose(model.loss_curve_[0], start, rtol=1e-10)


def test_deepnmf_lambertw():
    """The log of Lambert's W of exp(s) solves exp(v) + v = s, overflow or not."""
    s = np.array([-800.0, -5.0, 0.0, 1.0, 3.0, 50.0, 1e3, 1e300])
    v = _log_lambertw_exp(s.copy())
    assert_allclose(np.exp(v[:-1]) + v[:-1], s[:-1], rtol=1e-13)
    assert_allclose(v[-1], np.log(1e300), rtol=1e-13)


@pytest.mark.parametrize("n_components", [(), (3, 0), (2.5,), (True, 2), ("a",)])
def test_deepnmf_rejects_bad_ranks(n_components):
    """Ranks other than positive ints are rejected, naming the value."""
    X = _planted(np.random.RandomState(11))
    with pytest.raises(ValueError, match="n_components must be a positive int or"):
        DeepNMF(n_components).fit(X)


@pytest.mark.parametrize(
    "params, fit_kw, message",
    [
        (dict(loss="layer-centric", beta_loss="itakura-saito"), {}, "takes beta_loss"),
        (dict(loss="layer-centric", alpha_W=0.1), {}, "takes no penalty"),
        (dict(loss="layer-centric", layer_weights=[1.0]), {}, "layer_weights must"),
        (dict(loss="layer-centric", layer_weights=[1.0, -1]), {}, "layer_weights must"),
        (dict(init="nndsvda", n_components=(3, 4)), {}, "at most the rank of"),
        (dict(init="random"), dict(W=np.ones((40, 3))), "only with init='custom'"),
        (dict(init="custom"), dict(W=np.ones((40, 3))), "needs both W and H"),
        (dict(init="custom"), dict(W=np.ones((40, 3)), H=[np.ones((5, 15))]), "one"),
    ],
)
def test_deepnmf_errors(params, fit_kw, message):
    """Wrong parameter combinations raise errors that say what is expected."""
    X = _planted(np.random.RandomState(12))
    params = {"n_components": (5, 3), **params}
    with pytest.raises(ValueError, match=message):
        DeepNMF(**params).fit(X, **fit_kw)


def test_deepnmf_convergence_warning():
    """Reaching max_iter with tol > 0 warns and names the parameter."""
    X = _planted(np.random.RandomState(13))
    with pytest.warns(ConvergenceWarning, match="DeepNMF reached max_iter=2 "):
        DeepNMF((5, 3), max_iter=2, tol=1e-12).fit(X)


def test_deepnmf_verbose(capsys):
    """verbose prints each check of the pretraining and of the fine-tuning."""
    X = _planted(np.random.RandomState(14))
    DeepNMF((5, 3), pretrain_max_iter=10, max_iter=10, tol=0, verbose=1).fit(X)
    out = capsys.readouterr().out
    assert "Pretraining layer 1 iteration    0: objective" in out
    assert "Pretraining layer 2 iteration   10: objective" in out
    assert "Fine-tuning stopped after 10 iterations" in out
    DeepNMF((5, 3), max_iter=10, tol=0).fit(X)
    assert capsys.readouterr().out == ""


def test_deepnmf_grid_search_over_depth():
    """GridSearchCV searches depth and ranks through one parameter."""
    X = _planted(np.random.RandomState(15), n_samples=60)

    def neg_error(estimator, X, y=None):
        return -np.linalg.norm(X - estimator.inverse_transform(estimator.transform(X)))

    grid = GridSearchCV(
        DeepNMF(max_iter=30, tol=0, random_state=0),
        {"n_components": [(3,), (6, 3), (8, 6, 3)]},
        scoring=neg_error,
        cv=2,
    ).fit(X)
    assert grid.best_params_["n_components"] in [(3,), (6, 3), (8, 6, 3)]
    assert grid.best_estimator_.n_components_ == 3


@parametrize_with_checks(
    [
        DeepNMF((4, 2), random_state=0),
        DeepNMF((3, 2), loss="layer-centric", beta_loss="kullback-leibler"),
    ]
)
def test_deepnmf_deep_models_pass_estimator_checks(estimator, check):
    """Deep configurations pass scikit-learn's checks, not only the default."""
    check(estimator)


def test_deepnmf_tour_step_prints_errors_and_saves_the_parts(tmp_path, capsys):
    """The tour's step fits the digits, prints the errors and saves a figure."""
    from sklearn_nmfx._tour_deep import tour_step

    tour_step(str(tmp_path))
    out = capsys.readouterr().out
    assert "DeepNMF (40, 20, 10)  reconstruction error" in out
    assert "lower than after pretraining" in out
    assert (tmp_path / "deep_nmf_digits_layers.png").stat().st_size > 0


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 1e300])
def test_deepnmf_extreme_magnitudes_give_finite_factors(scale):
    """Data near the ends of the float range gives finite, non-negative factors."""
    X = np.random.default_rng(0).random((30, 6)) * scale
    model = DeepNMF((3, 2), random_state=0)
    W = model.fit_transform(X)
    for array in (W, model.components_, *model.layer_components_):
        assert np.all(np.isfinite(array)) and np.all(array >= 0)
    assert np.isfinite(model.reconstruction_err_)
