"""Tests of OneHotNMFKMeans, k-means written as NMF with one-hot coefficients."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from sklearn_nmfx import MUNMF, OneHotNMFKMeans
from sklearn_nmfx._kmeans import _nmf_centers
from sklearn_nmfx._tour_kmeans import tour_step


def _digits():
    """The digits, 1797 x 64, as float64."""
    return load_digits().data


def _tfidf(seed=0, n_samples=500, n_features=300):
    """A sparse tf-idf matrix of random counts, with 32-bit indices for KMeans."""
    rng = np.random.default_rng(seed)
    counts = sp.random_array(
        (n_samples, n_features),
        density=0.05,
        format="csr",
        rng=rng,
        data_sampler=lambda size: rng.integers(1, 5, size),
    )
    X = TfidfTransformer().fit_transform(counts).tocsr()
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)
    return X


def _centres(X, k, seed):
    """Starting centres: the means of k disjoint random triples of samples.

    Not samples themselves: a tf-idf row shares no term with most others, so
    it would be at distance exactly 2 from every unit-norm centre it shares no
    term with, and round-off alone would break the tie.
    """
    rows = np.random.default_rng(seed).permutation(X.shape[0])[: 3 * k]
    triples = X[rows].toarray() if sp.issparse(X) else X[rows]
    return triples.reshape(k, 3, X.shape[1]).mean(axis=1)


@pytest.mark.parametrize("data", ["digits", "tfidf"])
@pytest.mark.parametrize("weighted", [False, True])
def test_onehotnmfkmeans_matches_sklearn_lloyd(data, weighted, global_random_seed):
    """From the same centres, labels, centres and inertia equal KMeans's."""
    X = _digits() if data == "digits" else _tfidf(global_random_seed)
    rng = np.random.default_rng(global_random_seed)
    sample_weight = rng.uniform(0.5, 2.0, X.shape[0]) if weighted else None
    init = _centres(X, 10, global_random_seed)

    ref = KMeans(10, algorithm="lloyd", n_init=1, init=init)
    ref.fit(X, sample_weight=sample_weight)
    est = OneHotNMFKMeans(10, init=init).fit(X, sample_weight=sample_weight)

    assert_array_equal(est.labels_, ref.labels_)
    # Relative to the centres' scale: features that are zero in every digit
    # carry centring round-off of 1e-16 in both.
    scale = np.abs(ref.cluster_centers_).max()
    assert_allclose(
        est.cluster_centers_, ref.cluster_centers_, rtol=1e-10, atol=1e-10 * scale
    )
    assert_allclose(est.inertia_, ref.inertia_, rtol=1e-10, atol=0)
    assert est.n_iter_ == ref.n_iter_


def test_onehotnmfkmeans_kmeanspp_inertia_close_to_sklearn(global_random_seed):
    """With k-means++ and ten runs, the inertia is within 0.5 % of KMeans's."""
    X = _digits()
    ref = KMeans(10, n_init=10, random_state=global_random_seed).fit(X)
    est = OneHotNMFKMeans(10, n_init=10, random_state=global_random_seed).fit(X)
    assert est.inertia_ <= ref.inertia_ * 1.005


@pytest.mark.parametrize("sparse", [False, True])
def test_onehotnmfkmeans_inertia_is_nmf_reconstruction_error(sparse):
    """||X - inverse_transform(transform(X))||_F^2 is the inertia (unit weights)."""
    X = _tfidf() if sparse else _digits()
    est = OneHotNMFKMeans(10, random_state=0).fit(X)
    W = est.transform(X)
    residual = X - est.inverse_transform(W)
    assert_allclose(np.sum(np.asarray(residual) ** 2), est.inertia_, rtol=1e-10)
    assert_allclose(W @ est.components_, est.components_[est.labels_], rtol=0)
    assert_allclose(-est.score(X), est.inertia_, rtol=1e-10)


def test_onehotnmfkmeans_transform_is_one_hot(global_random_seed):
    """transform gives one-hot rows at the predicted labels; fit_* agree."""
    X, _ = make_blobs(200, centers=4, random_state=global_random_seed)
    est = OneHotNMFKMeans(4, random_state=global_random_seed)
    W_fit = est.fit_transform(X)
    W = est.transform(X)
    assert_array_equal(W_fit, W)
    assert_array_equal(W.sum(axis=1), np.ones(200))
    assert_array_equal(W.argmax(axis=1), est.labels_)
    assert_array_equal(est.predict(X), est.labels_)
    assert_array_equal(est.fit_predict(X), est.labels_)
    assert est.cluster_centers_ is est.components_


@pytest.mark.parametrize("sparse", [False, True])
def test_onehotnmfkmeans_float32_preserved(sparse, global_random_seed):
    """float32 in gives float32 centres and W, and the float64 clustering."""
    X, _ = make_blobs(
        300, n_features=5, centers=4, cluster_std=0.5, random_state=global_random_seed
    )
    X -= X.min()
    X = sp.csr_matrix(X) if sparse else X
    init = _centres(X, 4, global_random_seed)
    est64 = OneHotNMFKMeans(4, init=init).fit(X)
    X32 = X.astype(np.float32)
    est32 = OneHotNMFKMeans(4, init=init.astype(np.float32)).fit(X32)
    assert est32.components_.dtype == np.float32
    assert est32.transform(X32).dtype == np.float32
    assert est32.fit_transform(X32).dtype == np.float32
    assert_array_equal(est32.labels_, est64.labels_)
    assert_allclose(est32.components_, est64.components_, rtol=1e-5, atol=1e-5)
    assert_allclose(est32.inertia_, est64.inertia_, rtol=1e-4)


def test_onehotnmfkmeans_sparse_equals_dense(global_random_seed):
    """CSR, CSC and dense input give the same clustering."""
    X = _tfidf(global_random_seed)
    init = _centres(X, 10, global_random_seed)
    dense = OneHotNMFKMeans(10, init=init).fit(X.toarray())
    for container in (sp.csr_array, sp.csc_matrix):
        sparse = OneHotNMFKMeans(10, init=init).fit(container(X))
        assert_array_equal(sparse.labels_, dense.labels_)
        assert_allclose(sparse.components_, dense.components_, rtol=1e-10, atol=1e-14)
        assert_allclose(sparse.inertia_, dense.inertia_, rtol=1e-10)
        assert_array_equal(sparse.predict(container(X)), dense.labels_)


@pytest.mark.parametrize("sparse", [False, True])
def test_onehotnmfkmeans_empty_cluster_reseeded(sparse):
    """A centre that wins no sample moves onto the sample farthest from its own."""
    X = np.array([[0, 0], [0, 1], [0, 3], [10, 0], [10, 1], [10, 2]], dtype=float)
    init = np.array([[0, 0], [10, 0], [100, 100]], dtype=float)
    Xin = sp.csr_matrix(X) if sparse else X
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        est = OneHotNMFKMeans(3, init=init, max_iter=1).fit(Xin)
    # [0, 3] is 3 from its centre, the farthest: it becomes the third centre.
    assert_allclose(est.components_, [[0, 0.5], [10, 1], [0, 3]], rtol=0, atol=1e-12)
    assert_array_equal(est.labels_, [0, 0, 2, 1, 1, 1])
    assert np.all(np.isfinite(est.components_))

    ref = KMeans(3, algorithm="lloyd", n_init=1, init=init, max_iter=1).fit(X)
    assert_allclose(est.components_, ref.cluster_centers_, rtol=0, atol=1e-12)


def test_onehotnmfkmeans_fewer_distinct_samples_than_clusters():
    """Duplicate samples leave clusters unfilled: a warning, and no NaN."""
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    with pytest.warns(ConvergenceWarning, match="Only 2 distinct clusters"):
        est = OneHotNMFKMeans(3, random_state=0).fit(X)
    assert np.all(np.isfinite(est.components_))
    assert_allclose(est.inertia_, 0.0, atol=1e-12)


def test_onehotnmfkmeans_row_order_and_repetition_invariance(global_random_seed):
    """Shuffling rows, or repeating a sample for its integer weight, changes nothing."""
    rng = np.random.default_rng(global_random_seed)
    X, _ = make_blobs(60, centers=5, random_state=global_random_seed)
    weights = rng.integers(1, 4, size=60)
    est = OneHotNMFKMeans(5, random_state=global_random_seed)

    weighted = est.fit(X, sample_weight=weights).components_.copy()
    perm = rng.permutation(60)
    shuffled = est.fit(X[perm], sample_weight=weights[perm]).components_.copy()
    repeated = est.fit(np.repeat(X, weights, axis=0)).components_.copy()
    assert_allclose(shuffled, weighted, rtol=1e-10, atol=1e-12)
    assert_allclose(repeated, weighted, rtol=1e-10, atol=1e-12)


def test_onehotnmfkmeans_sample_weight_scales_inertia(global_random_seed):
    """A constant weight multiplies the inertia and leaves the clustering alone."""
    X = _digits()[:400]
    init = _centres(X, 6, global_random_seed)
    plain = OneHotNMFKMeans(6, init=init).fit(X)
    heavy = OneHotNMFKMeans(6, init=init).fit(X, sample_weight=np.full(400, 3.0))
    assert_array_equal(heavy.labels_, plain.labels_)
    assert_allclose(heavy.inertia_, 3 * plain.inertia_, rtol=1e-10)


def test_onehotnmfkmeans_real_valued_and_nonnegative_data(global_random_seed):
    """Signed data are clustered; non-negative data give non-negative centres."""
    X, y = make_blobs(300, centers=3, cluster_std=0.5, random_state=global_random_seed)
    est = OneHotNMFKMeans(3, random_state=global_random_seed).fit(X - X.mean(axis=0))
    assert len(np.unique(est.labels_)) == 3

    nonneg = OneHotNMFKMeans(3, random_state=global_random_seed).fit(np.abs(X))
    assert nonneg.components_.min() >= 0


@pytest.mark.parametrize("init", ["k-means++", "random", "nmf"])
@pytest.mark.parametrize("sparse", [False, True])
def test_onehotnmfkmeans_inits_find_planted_clusters(init, sparse, global_random_seed):
    """Every init recovers well-separated non-negative clusters."""
    X, y = make_blobs(
        300, n_features=6, centers=4, cluster_std=0.3, random_state=global_random_seed
    )
    X -= X.min()
    Xin = sp.csr_matrix(X) if sparse else X
    est = OneHotNMFKMeans(4, init=init, n_init=10, random_state=global_random_seed)
    labels = est.fit_predict(Xin)
    # A perfect clustering: each true cluster maps to exactly one label.
    assert len(np.unique(labels * 4 + y)) == 4


def test_onehotnmfkmeans_nmf_init_hardens_munmf():
    """init='nmf' starts from the weighted means of MUNMF's argmax groups."""
    X = np.abs(_digits()[:300])
    weights = np.linspace(0.5, 1.5, 300)
    centers = _nmf_centers(X, weights, 5, "nndsvda", 3)
    with warnings.catch_warnings():
        # As in the init itself: a start, not a converged factorisation.
        warnings.simplefilter("ignore", ConvergenceWarning)
        W = MUNMF(5, init="nndsvda", random_state=3).fit_transform(X)
    groups = W.argmax(axis=1)
    for j in np.unique(groups):
        members = groups == j
        expected = np.average(X[members], axis=0, weights=weights[members])
        assert_allclose(centers[j], expected, rtol=1e-10)


def test_onehotnmfkmeans_nmf_init_more_clusters_than_features():
    """init='nmf' works with more clusters than features (no NNDSVDa then)."""
    X = np.abs(np.random.default_rng(0).standard_normal((60, 3)))
    est = OneHotNMFKMeans(5, init="nmf", n_init=2, random_state=0).fit(X)
    assert len(np.unique(est.labels_)) == 5
    assert np.all(np.isfinite(est.components_))


def test_onehotnmfkmeans_nmf_init_rejects_negative_data():
    """init='nmf' needs non-negative X and says so."""
    X = np.random.default_rng(0).standard_normal((20, 3))
    with pytest.raises(ValueError, match="Negative values in data.*init='nmf'"):
        OneHotNMFKMeans(2, init="nmf").fit(X)


@pytest.mark.parametrize("data", ["digits", "tfidf"])
def test_onehotnmfkmeans_runs_side_by_side_equal_runs_alone(data, capsys):
    """Runs stacked into one pass over X follow the iterations of lone runs."""
    X = _digits()[:600] if data == "digits" else _tfidf(0)
    weights = np.random.default_rng(0).uniform(0.5, 2, X.shape[0])
    for init in ("k-means++", "random"):
        params = dict(init=init, n_init=7, max_iter=40, random_state=0)
        together = OneHotNMFKMeans(12, **params).fit(X, sample_weight=weights)
        # verbose runs one run at a time, so that its log reads run by run.
        alone = OneHotNMFKMeans(12, verbose=1, **params).fit(X, sample_weight=weights)
        assert capsys.readouterr().out.count("initialisation complete") == 7
        assert_array_equal(together.labels_, alone.labels_)
        assert_allclose(together.components_, alone.components_, rtol=1e-10)
        assert_allclose(together.inertia_, alone.inertia_, rtol=1e-10)
        assert together.n_iter_ == alone.n_iter_


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("exponent", [600, -600, -1040])
def test_onehotnmfkmeans_extreme_magnitudes(sparse, exponent):
    """Data near 1e180 or 1e-180 (or subnormal) cluster as the data near 1."""
    X, _ = make_blobs(200, centers=4, random_state=0)
    X = np.abs(X) if sparse else X
    container = sp.csr_matrix if sparse else np.asarray
    base = OneHotNMFKMeans(4, random_state=0).fit(container(X))
    # Squared distances of this data overflow, or underflow, in float64.
    X_extreme = container(np.ldexp(X, exponent))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = OneHotNMFKMeans(4, random_state=0).fit(X_extreme)
        assert_array_equal(est.predict(X_extreme), base.labels_)
    assert_array_equal(est.labels_, base.labels_)
    rtol = 1e-12 if exponent > -1000 else 1e-3
    assert_allclose(
        np.ldexp(est.cluster_centers_, -exponent), base.cluster_centers_, rtol=rtol
    )
    # The inertia itself is out of range: it saturates at inf, or underflows.
    assert est.inertia_ == (np.inf if exponent > 0 else 0.0)


def test_onehotnmfkmeans_n_init_auto(capsys):
    """n_init='auto' runs ten times for 'random', once for 'k-means++'."""
    X, _ = make_blobs(100, centers=3, random_state=0)
    OneHotNMFKMeans(3, init="random", random_state=0, verbose=1).fit(X)
    assert "Run 10/10" in capsys.readouterr().out
    OneHotNMFKMeans(3, random_state=0, verbose=1).fit(X)
    out = capsys.readouterr().out
    assert "Run 1/1" in out and "Run 2/" not in out


def test_onehotnmfkmeans_array_init_runs_once():
    """An array of centres with n_init > 1 warns and does one run."""
    X, _ = make_blobs(100, centers=3, random_state=0)
    with pytest.warns(RuntimeWarning, match="n_init=4 runs would all be the same"):
        OneHotNMFKMeans(3, init=X[:3], n_init=4).fit(X)


def test_onehotnmfkmeans_convergence_warning():
    """Hitting max_iter with tol > 0 warns and names max_iter; tol=0 is silent."""
    X = _digits()[:500]
    with pytest.warns(ConvergenceWarning, match="within max_iter=2 iterations"):
        est = OneHotNMFKMeans(10, max_iter=2, random_state=0).fit(X)
    assert est.n_iter_ == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        OneHotNMFKMeans(10, max_iter=2, tol=0, random_state=0).fit(X)


def test_onehotnmfkmeans_verbose(capsys):
    """verbose prints one line per iteration and says why it stopped."""
    X = _digits()[:500]
    est = OneHotNMFKMeans(10, random_state=0, verbose=1).fit(X)
    lines = capsys.readouterr().out.splitlines()
    iterations = [line for line in lines if line.startswith("Iteration ")]
    assert len(iterations) == est.n_iter_
    assert "inertia" in iterations[0] and iterations[0].endswith(" s")
    assert lines[-1].startswith(f"Converged at iteration {est.n_iter_}:")

    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        OneHotNMFKMeans(10, max_iter=3, random_state=0, verbose=1).fit(X)
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Stopped at iteration 3: reached max_iter=3."
    )

    OneHotNMFKMeans(10, random_state=0).fit(X)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("sparse", [False, True])
def test_onehotnmfkmeans_inputs_not_modified(sparse):
    """X, sample_weight and an init array are left as they were."""
    X = _tfidf() if sparse else _digits()[:300]
    X_before = X.copy()
    weights = np.linspace(1, 2, X.shape[0])
    weights_before = weights.copy()
    init = _centres(X, 5, 0)
    init_before = init.copy()
    OneHotNMFKMeans(5, init=init).fit(X, sample_weight=weights)
    OneHotNMFKMeans(5, init="nmf").fit(X, sample_weight=weights)
    if sparse:
        assert_array_equal(X.toarray(), X_before.toarray())
    else:
        assert_array_equal(X, X_before)
    assert_array_equal(weights, weights_before)
    assert_array_equal(init, init_before)


def test_onehotnmfkmeans_feature_names_and_set_output():
    """Output columns are named onehotnmfkmeans0, ... and pandas output works."""
    pd = pytest.importorskip("pandas")
    X, _ = make_blobs(50, centers=3, random_state=0)
    est = OneHotNMFKMeans(3, random_state=0).fit(X)
    assert_array_equal(
        est.get_feature_names_out(),
        ["onehotnmfkmeans0", "onehotnmfkmeans1", "onehotnmfkmeans2"],
    )
    out = est.set_output(transform="pandas").transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [
        "onehotnmfkmeans0",
        "onehotnmfkmeans1",
        "onehotnmfkmeans2",
    ]


@pytest.mark.parametrize(
    "X, match",
    [
        ([[0.0, np.nan], [1.0, 2.0], [3.0, 4.0]], "Input X contains NaN"),
        ([[0.0, np.inf], [1.0, 2.0], [3.0, 4.0]], "Input X contains infinity"),
        (np.empty((0, 3)), "0 sample"),
        ([1.0, 2.0, 3.0], "Expected 2D array, got 1D array"),
        ([[0.0, 1.0]], "n_samples=1 should be >= n_components=2"),
    ],
)
def test_onehotnmfkmeans_bad_X(X, match):
    """Bad data raise errors that name the problem."""
    with pytest.raises(ValueError, match=match):
        OneHotNMFKMeans(2).fit(X)


@pytest.mark.parametrize(
    "sample_weight, match",
    [
        (np.ones(5), r"sample_weight has shape \(5,\); expected \(4,\)"),
        (np.ones((4, 2)), r"sample_weight has shape \(4, 2\)"),
        ([1.0, -1.0, 1.0, 1.0], "sample_weight must be non-negative; got a minimum"),
        (np.zeros(4), "sample_weight is all zero"),
        ([1.0, np.nan, 1.0, 1.0], "Input sample_weight contains NaN"),
    ],
)
def test_onehotnmfkmeans_bad_sample_weight(sample_weight, match):
    """Bad sample weights raise errors that name the problem."""
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=match):
        OneHotNMFKMeans(2).fit(X, sample_weight=sample_weight)


def test_onehotnmfkmeans_bad_init_and_inverse_transform_shapes():
    """A centre array or a W of the wrong shape is rejected with the shapes."""
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(
        ValueError, match=r"init has shape \(2, 2\); expected .*\(3, 2\)"
    ):
        OneHotNMFKMeans(3, init=X[:2]).fit(X)
    est = OneHotNMFKMeans(3, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 2 columns; expected n_components=3"):
        est.inverse_transform(np.ones((4, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but OneHotNMFKMeans"):
        est.predict(np.ones((4, 3)))


def test_tour_step_prints_scores_and_saves_figure(tmp_path, capsys):
    """The tour's k-means step prints both methods' scores and saves a figure."""
    pytest.importorskip("matplotlib")
    tour_step(tmp_path / "tour")
    out = capsys.readouterr().out
    assert "ARI" in out and "NMI" in out
    assert "OneHotNMFKMeans" in out and "KMeans" in out
    assert (tmp_path / "tour" / "kmeans_digits_centroids.png").stat().st_size > 0


def test_onehotnmfkmeans_one_cluster_keeps_its_centroid():
    """With k=1, predict, score and transform leave the centroid unchanged."""
    X = np.random.default_rng(0).random((30, 4)) + 1.0
    model = OneHotNMFKMeans(1, random_state=0).fit(X)
    centre = model.cluster_centers_.copy()
    model.predict(X)
    model.score(X)
    model.transform(X)
    assert_allclose(model.cluster_centers_, centre, rtol=0)
    assert_allclose(centre[0], X.mean(axis=0), rtol=1e-12)
