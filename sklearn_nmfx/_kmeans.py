"""k-means as non-negative matrix factorisation with one-hot coefficients."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
)
from sklearn.cluster import kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array, check_random_state
from sklearn.utils.extmath import row_norms
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import (
    check_is_fitted,
    check_non_negative,
    validate_data,
)

from sklearn_nmfx._base import (
    BASE_CONSTRAINTS,
    check_counts_not_bool,
    format_docstring,
    to_csr,
)
from sklearn_nmfx._compat import Interval, StrOptions, _fit_context
from sklearn_nmfx._mu import one_blas_thread
from sklearn_nmfx._munmf import MUNMF, _scaled, _unscale, scale_exponent

# Entries of one row block of the distance matrix when BLAS may thread the
# product itself: memory stays bounded whatever the number of samples.
_BLOCK_ENTRIES = 2**16

# Largest product, in multiply-adds, that OpenBLAS keeps on one thread: it
# gives a GEMM floor(m * n * k / 2**18) threads.  Blocks this small can run
# side by side in our own threads without oversubscribing the cores;
# scikit-learn's lloyd chunks its data in the same way (256 rows, with BLAS
# held to one thread).
_SINGLE_THREAD_GEMM = 2**19 - 1
# Multiply-adds of one assignment below which the threads are not used.
_MIN_THREAD_WORK = 1 << 22
# Multiply-adds of one block's product when our threads share the rows (BLAS
# then held to one thread each): enough work per call for two threads not
# to queue for Python's interpreter lock between the calls.
_THREADED_BLOCK_GEMM = 1 << 22

# Most centres of several runs stacked into one product with the data.
_MAX_STACKED_CENTRES = 256

# Fewest rows in a block that is worth a round trip through Python.
_MIN_BLOCK_ROWS = 64

# Seed of the fixed direction that orders the samples before seeding (see
# ``_canonical_order``); it is not the user's random_state on purpose.
_ORDER_SEED = 0


def _n_threads():
    """Threads for one fit: ``OMP_NUM_THREADS`` if set, else the usable CPUs.

    joblib sets ``OMP_NUM_THREADS`` in its worker processes, so a grid search
    that runs fits in parallel does not oversubscribe the machine.
    """
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _plan(X, n_clusters, n_threads):
    """Rows per block, and the ranges of rows that the threads share.

    Sparse products do not go through BLAS, so threads always share them.
    Dense blocks are kept small enough for BLAS to run each on one thread,
    and threads share them, unless ``n_features * n_clusters`` is so large
    that such blocks would be tiny: then one thread goes through large
    blocks and BLAS threads each product itself.  When the threads do share
    the rows, BLAS is held to one thread each and the blocks are made larger,
    so that each call is long enough for the threads not to wait on each
    other.
    """
    n_samples, n_features = X.shape
    block = _SINGLE_THREAD_GEMM // (n_features * n_clusters)
    if sp.issparse(X) or block < _MIN_BLOCK_ROWS:
        block = max(1, _BLOCK_ENTRIES // n_clusters)
        if not sp.issparse(X):
            n_threads = 1
    # A thread pays off only for enough work per call: below that, handing
    # out the ranges costs more than the products.
    work = (X.nnz if sp.issparse(X) else n_samples * n_features) * n_clusters
    n_parts = max(1, min(n_threads, n_samples // block, work // _MIN_THREAD_WORK))
    if n_parts > 1 and not sp.issparse(X):
        block = max(block, _THREADED_BLOCK_GEMM // (n_features * n_clusters))
    edges = np.linspace(0, n_samples, n_parts + 1).astype(np.intp)
    return block, list(zip(edges[:-1], edges[1:]))


def _row_blocks(n_samples, width):
    """Start and stop of blocks of rows with about ``_BLOCK_ENTRIES`` entries."""
    step = max(1, _BLOCK_ENTRIES // width)
    for start in range(0, n_samples, step):
        yield start, min(start + step, n_samples)


def _rows(X, start, stop):
    """Rows ``start:stop`` of dense or CSR ``X``, as a view that copies no data."""
    if not sp.issparse(X):
        return X[start:stop]
    lo, hi = X.indptr[start], X.indptr[stop]
    return sp.csr_array(
        (X.data[lo:hi], X.indices[lo:hi], X.indptr[start : stop + 1] - lo),
        shape=(stop - start, X.shape[1]),
        copy=False,
    )


def _one_hot_t(labels, values, n_clusters, entries_per_row=1):
    """The transposed coefficient matrix ``W^T``, sparse (CSC).

    Column ``i`` of ``W^T`` (sample ``i``) has ``entries_per_row`` entries, in
    the rows given by consecutive items of ``labels`` (one per run when runs
    are stacked), holding the matching items of ``values``.  Its row indices
    are the array ``labels`` itself, not a copy, so ``W^T`` follows every
    change made to ``labels`` in place.  It is built transposed because
    ``W^T X`` is the product needed, and transposing costs a conversion.
    """
    n_samples = labels.shape[0] // entries_per_row
    indptr = np.arange(0, labels.shape[0] + 1, entries_per_row, dtype=labels.dtype)
    one_hot_t = sp.csc_array(
        (values, labels, indptr), shape=(n_clusters, n_samples), copy=False
    )
    one_hot_t.indices = labels
    return one_hot_t


def _weighted_sums(X, one_hot_t):
    """Per-cluster weighted sums of the samples, ``W^T X``, and total weights."""
    if sp.issparse(X):
        # (X^T W)^T keeps X in CSR; only the small W changes format.
        sums = (X.T @ one_hot_t.T).T.toarray()
    else:
        sums = one_hot_t @ X
    weights = np.bincount(
        one_hot_t.indices, weights=one_hot_t.data, minlength=one_hot_t.shape[0]
    )
    return sums.astype(X.dtype, copy=False), weights.astype(X.dtype, copy=False)


class _Assignment:
    """Nearest-centre assignment of the rows of a fixed ``X``: the W step.

    Several runs of k-means can be assigned together: their centres are
    stacked into one matrix of ``n_runs * n_clusters`` rows, so that one
    product of each block of rows of ``X`` serves them all.  ``labels`` holds,
    for each sample and run, the row of its centre in that stacked matrix
    (run ``r``'s clusters are rows ``r * n_clusters`` to
    ``(r + 1) * n_clusters - 1``).

    The rows are cut into ranges, one per thread of ``pool``, and the ranges
    into blocks (see ``_plan``).  Given ``sample_weight``, ``W^T`` is also
    kept, as one sparse matrix per range whose row indices are ``labels``
    itself, so it is never rebuilt.
    """

    def __init__(
        self, X, n_clusters, sample_weight=None, pool=None, n_threads=1, n_runs=1
    ):
        self.X = X
        self.pool = pool
        self.n_threads = n_threads
        self.n_clusters = n_clusters
        self.n_runs = n_runs
        self.sample_weight = sample_weight
        self.block, self.ranges = _plan(
            X, n_clusters * n_runs, n_threads if pool is not None else 1
        )
        self.offsets = np.arange(n_runs, dtype=np.int32) * n_clusters
        self.labels = np.full((X.shape[0], n_runs), -1, dtype=np.int32)
        self.one_hots_t = None
        if sample_weight is not None:
            self.one_hots_t = [
                _one_hot_t(
                    self.labels[start:stop].reshape(-1),
                    np.repeat(sample_weight[start:stop], n_runs),
                    n_clusters * n_runs,
                    entries_per_row=n_runs,
                )
                for start, stop in self.ranges
            ]

    def run_labels(self, run):
        """Cluster index of each sample in run ``run``, in ``range(n_clusters)``."""
        return self.labels[:, run] - self.offsets[run]

    def keep(self, runs):
        """A new assignment of the runs ``runs`` only, their labels carried over."""
        kept = _Assignment(
            self.X,
            self.n_clusters,
            self.sample_weight,
            self.pool,
            self.n_threads,
            n_runs=len(runs),
        )
        kept.labels[:] = self.labels[:, runs] - self.offsets[runs] + kept.offsets
        return kept

    def __call__(self, centers, with_sums=False):
        """Assign each sample to its nearest centre, writing ``labels``.

        ``centers`` holds the runs' centres, stacked: shape
        ``(n_runs * n_clusters, n_features)``.  ``||x - c||^2 = ||x||^2 - 2 x.c
        + ||c||^2`` and the first term is the same for every centre, so the
        argmin needs one product of a block of rows with the centres: GEMM for
        dense ``X``, a sparse product for CSR.  With ``with_sums``, also
        return ``W^T X`` and the clusters' weights for the centres' update,
        added over the ranges in a fixed order.  The ranges run side by side
        in the pool's threads: every kernel used here releases the GIL.
        """
        X, block = self.X, self.block
        n_runs, n_clusters = self.n_runs, self.n_clusters
        # Scaling by -2 is exact in floating point, so it can go into the factor.
        # A new array: with one centre, centers.T is already contiguous and
        # scaling it in place would change the fitted centroid.
        minus_two_ct = np.ascontiguousarray(-2 * centers.T)
        centers_sq = row_norms(centers, squared=True)

        def run(part):
            start, stop = self.ranges[part]
            # One output buffer per range: allocating one per block costs
            # about as much as the product itself.
            buffer = np.empty((min(block, stop - start), centers.shape[0]), X.dtype)
            for lo in range(start, stop, block):
                hi = min(lo + block, stop)
                if sp.issparse(X):
                    partial = _rows(X, lo, hi) @ minus_two_ct
                else:
                    partial = np.matmul(X[lo:hi], minus_two_ct, out=buffer[: hi - lo])
                partial += centers_sq
                nearest = partial.reshape(hi - lo, n_runs, n_clusters).argmin(axis=2)
                self.labels[lo:hi] = nearest
                if n_runs > 1:
                    self.labels[lo:hi] += self.offsets
            if with_sums:
                return _weighted_sums(_rows(X, start, stop), self.one_hots_t[part])

        parts = range(len(self.ranges))
        if len(parts) == 1:
            results = [run(0)]
        else:
            with one_blas_thread():
                results = list(self.pool.map(run, parts))
        if not with_sums:
            return self.labels
        sums, weights = results[0]
        for more_sums, more_weights in results[1:]:
            sums += more_sums
            weights += more_weights
        return sums, weights


def _sq_distances(X, x_sq, centers, labels):
    """Squared distance of each sample to the centre it is assigned to."""
    out = np.empty(X.shape[0], dtype=centers.dtype)
    if not sp.issparse(X):
        # Direct differences: no cancellation, as in the inertia of KMeans.
        for start, stop in _row_blocks(X.shape[0], X.shape[1]):
            diff = X[start:stop] - centers[labels[start:stop]]
            out[start:stop] = np.einsum("ij,ij->i", diff, diff)
        return out

    # Sparse rows: ||x||^2 - 2 x.c + ||c||^2 over the stored entries only.
    centers_sq = row_norms(centers, squared=True)
    for start, stop in _row_blocks(X.shape[0], 1 + X.nnz // max(1, X.shape[0])):
        block = _rows(X, start, stop)
        row_of = np.repeat(np.arange(stop - start), np.diff(block.indptr))
        own = labels[start:stop]
        products = block.data * centers[own[row_of], block.indices]
        dots = np.bincount(row_of, weights=products, minlength=stop - start)
        out[start:stop] = x_sq[start:stop] - 2 * dots + centers_sq[own]
    return np.maximum(out, 0, out=out)


def _inertia(X, x_sq, sample_weight, centers, labels):
    """Weighted sum of squared distances of the samples to their centres."""
    return float(_sq_distances(X, x_sq, centers, labels) @ sample_weight)


def _relocate_empty(X, x_sq, sample_weight, centers_old, labels, sums, weights):
    """Move each empty cluster onto one of the samples farthest from its centre.

    The farthest sample (weight > 0) goes to the first empty cluster, the next
    farthest to the second, and so on; each one's weighted contribution moves
    from its cluster's sum to the empty one's, as in scikit-learn's KMeans.
    """
    empty = np.flatnonzero(weights == 0)
    if empty.size == 0:
        return
    dist = _sq_distances(X, x_sq, centers_old, labels)
    dist[sample_weight == 0] = -1
    n_far = min(empty.size, X.shape[0])
    far = np.argpartition(-dist, n_far - 1)[:n_far]
    far = far[np.argsort(-dist[far], kind="stable")]
    far = far[dist[far] > 0]
    for new, idx in zip(empty, far):
        row = X[[idx]].toarray()[0] if sp.issparse(X) else X[idx]
        old = labels[idx]
        sums[old] -= sample_weight[idx] * row
        sums[new] = sample_weight[idx] * row
        weights[old] -= sample_weight[idx]
        weights[new] = sample_weight[idx]


def _new_centers(sums, weights):
    """New centres from the clusters' sums and weights, in place of ``sums``.

    ``sums`` has shape (n_runs, n_clusters, n_features), ``weights`` shape
    (n_runs, n_clusters); empty clusters must have been relocated already.
    """
    filled = weights > 0
    sums[filled] /= weights[filled][:, None]
    # Only possible with fewer distinct samples than clusters: park the
    # cluster on the heaviest centre rather than at the origin.
    for run in np.flatnonzero(~filled.all(axis=1)):
        sums[run, ~filled[run]] = sums[run, np.argmax(weights[run])]
    return sums


def _print_stop(n_iter, max_iter, strict, converged, shift, tol):
    """The verbose line that says why a run stopped."""
    if not converged:
        print(f"Stopped at iteration {n_iter}: reached max_iter={max_iter}.")
        return
    if strict:
        reason = "labels unchanged"
    else:
        reason = f"centre shift {shift:.3g} within tolerance {tol:.3g}"
    print(f"Converged at iteration {n_iter}: {reason}.")


def _lloyd(X, x_sq, sample_weight, centers, max_iter, tol, verbose, pool, n_threads):
    """Runs of Lloyd's algorithm side by side, each stopping as KMeans's lloyd.

    ``centers`` holds the starting centres of the runs, of shape (n_runs,
    n_clusters, n_features).  The runs share each pass over ``X`` (see
    ``_Assignment``); a run that stops leaves the others, which go on.  Each
    run follows exactly the iterations it would follow alone.

    Returns
    -------
    results : list of tuples, one per run, in order
        ``(labels, inertia, centers, n_iter, converged)``: each sample's
        cluster, the weighted sum of squared distances to the centres, the
        centres, the iterations run, and whether the run stopped before
        ``max_iter``.
    """
    n_runs, n_clusters, n_features = centers.shape
    assign = _Assignment(X, n_clusters, sample_weight, pool, n_threads, n_runs)
    runs = np.arange(n_runs)  # which run each of assign's columns belongs to
    labels_old = assign.labels.copy()
    results = [None] * n_runs
    tic = time.perf_counter()
    for n_iter in range(1, max_iter + 1):
        sums, weights = assign(centers.reshape(-1, n_features), with_sums=True)
        sums = sums.reshape(centers.shape)
        weights = weights.reshape(centers.shape[:2])
        for col in np.flatnonzero(np.any(weights == 0, axis=1)):
            _relocate_empty(
                X,
                x_sq,
                sample_weight,
                centers[col],
                assign.run_labels(col),
                sums[col],
                weights[col],
            )
        centers_new = _new_centers(sums, weights)
        if verbose:
            for col in range(len(runs)):
                inertia = _inertia(
                    X, x_sq, sample_weight, centers[col], assign.run_labels(col)
                )
                elapsed = time.perf_counter() - tic
                print(f"Iteration {n_iter}: inertia {inertia:.6g}, {elapsed:.3f} s")

        shifts = ((centers_new - centers) ** 2).sum(axis=(1, 2))
        centers = centers_new
        unchanged = np.all(assign.labels == labels_old, axis=0)
        done = unchanged | (shifts <= tol) | (n_iter == max_iter)
        for col in np.flatnonzero(done):
            strict, converged = unchanged[col], unchanged[col] or shifts[col] <= tol
            if verbose:
                _print_stop(n_iter, max_iter, strict, converged, shifts[col], tol)
            if strict:
                labels = assign.run_labels(col)
            else:
                # Assign once more, so that labels and centres agree.
                labels = _Assignment(X, n_clusters, pool=pool, n_threads=n_threads)(
                    centers[col]
                )[:, 0].copy()
            inertia = _inertia(X, x_sq, sample_weight, centers[col], labels)
            results[runs[col]] = (labels, inertia, centers[col], n_iter, converged)
        if done.all():
            break
        if done.any():
            going = np.flatnonzero(~done)
            assign = assign.keep(going)
            centers, runs = centers[going], runs[going]
            labels_old = assign.labels.copy()
        else:
            labels_old[:] = assign.labels
    return results


def _tolerance(X, x_sq, tol):
    """``tol`` times the mean variance of the features (unweighted), as KMeans.

    Dense ``X`` is the centred copy, whose squared row norms ``x_sq`` already
    hold the variances: their mean is ``sum(x_sq) / X.size``.
    """
    if sp.issparse(X):
        mean_variance = np.mean(mean_variance_axis(X, axis=0)[1])
    else:
        mean_variance = np.sum(x_sq) / X.size
    return float(mean_variance * tol)


def _canonical_order(X):
    """An order of the rows fixed by their values, not by their positions.

    Samples are sorted along one fixed random direction, so equal rows are
    neighbours wherever they were in ``X``: seeding by a cumulative sum of
    weights then picks the same points from a shuffled ``X``, and from a
    sample repeated ``m`` times as from the sample with weight ``m``.
    """
    direction = np.random.default_rng(_ORDER_SEED).standard_normal(X.shape[1])
    key = X @ direction.astype(X.dtype)
    return np.argsort(key, kind="stable")


def _check_sample_weight(sample_weight, n_samples, dtype):
    """Validated weights: one finite, non-negative number per sample."""
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if isinstance(sample_weight, Real):
        sample_weight = np.full(n_samples, sample_weight, dtype=dtype)
    sample_weight = check_array(
        sample_weight, ensure_2d=False, dtype=dtype, input_name="sample_weight"
    )
    if sample_weight.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {sample_weight.shape}; expected "
            f"({n_samples},), one weight per sample of X."
        )
    if np.any(sample_weight < 0):
        raise ValueError(
            "sample_weight must be non-negative; got a minimum of "
            f"{sample_weight.min()}."
        )
    if not np.any(sample_weight > 0):
        raise ValueError(
            "sample_weight is all zero; at least one weight must be positive."
        )
    return sample_weight


def _same_clustering(labels1, labels2, n_clusters):
    """Whether two labellings are equal up to a renaming of the clusters."""
    pairs = np.unique(labels1.astype(np.int64) * n_clusters + labels2)
    return pairs.size == np.unique(labels1).size == np.unique(labels2).size


def _nmf_centers(X, sample_weight, n_clusters, munmf_init, random_state):
    """Harden an MUNMF solution into centres (``init='nmf'``).

    Every sample joins the part it holds most of (argmax of its row of W);
    the centres are the weighted means of these groups.  A part that no sample
    chose becomes the centre ``max_i W[i, j] * H[j]``: the part at the
    strength of the sample that holds most of it.
    """
    nmf = MUNMF(n_clusters, init=munmf_init, random_state=random_state)
    with warnings.catch_warnings():
        # Only a start is needed here, not a converged factorisation.
        warnings.simplefilter("ignore", ConvergenceWarning)
        W = nmf.fit_transform(X)
    groups = W.argmax(axis=1).astype(np.int32)
    sums, weights = _weighted_sums(X, _one_hot_t(groups, sample_weight, n_clusters))
    empty = weights == 0
    sums[~empty] /= weights[~empty, None]
    sums[empty] = W[:, empty].max(axis=0)[:, None] * nmf.components_[empty]
    return sums.astype(X.dtype, copy=False)


@format_docstring
class OneHotNMFKMeans(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator
):
    r"""k-means clustering, written as NMF whose coefficients are one-hot.

    Non-negative matrix factorisation approximates ``X`` by ``W @ H``.  Ask
    in addition that every row of ``W`` be one-hot, and the best ``H`` holds
    the means of the groups of samples that share a row of ``W``: this is
    k-means.  ``components_`` are the centroids, ``transform`` returns the
    one-hot ``W`` (the assignment), ``inverse_transform`` gives back each
    sample's centroid, and the objective is the inertia:

    .. math::

        \min_{{W, H}} \sum_{{i=1}}^{{n}} s_i \lVert x_i - w_i H \rVert_2^2
        \quad \text{{subject to}} \quad
        w_i \in \{{e_1, \dots, e_k\}},

    with :math:`s_i` the sample weights and :math:`e_j` the unit vectors of
    :math:`\mathbb{{R}}^k`.  With unit weights it is
    :math:`\lVert X - W H \rVert_F^2`.  It is solved by Lloyd's algorithm:
    assign each sample to its nearest centroid (W step), then move each
    centroid to the weighted mean of its samples (H step).

    For non-negative data (counts, tf-idf, pixel intensities, spectra) the
    centroids are means of non-negative rows, hence non-negative, and they
    read as parts, like the rows of ``components_`` of :class:`MUNMF`.  The
    estimator accepts real-valued data too: k-means is then semi-NMF with
    one-hot coefficients (Ding, Li & Jordan, 2010), and the centroids may
    have any sign.

    It is a drop-in for :class:`sklearn.cluster.KMeans` (``labels_``,
    ``cluster_centers_``, ``inertia_``, ``predict``, ``score``), except that
    ``transform`` returns the one-hot assignment, not the distances to the
    centroids.

    Parameters
    ----------
    n_components : int, default=8
        The number of clusters k, the rank of the factorisation.

    init : {{'k-means++', 'random', 'nmf'}} or array-like, default='k-means++'
        How the centroids start.

        - ``'k-means++'``: scikit-learn's :func:`sklearn.cluster.kmeans_plusplus`
          seeding, with the sample weights.
        - ``'random'``: ``n_components`` distinct samples drawn with
          probability proportional to their weight.
        - ``'nmf'``: fit :class:`MUNMF` with ``n_components`` parts, put each
          sample in the part it holds most of (argmax of its row of ``W``)
          and start from the weighted means of these groups; a part no sample
          chose starts at ``H[j]`` scaled by the largest ``W[:, j]``.  The
          first run starts MUNMF from its default initialisation (NNDSVDa
          where the rank allows it), further runs (``n_init > 1``) from
          random factors, all seeded from ``random_state``.  Needs
          non-negative ``X``.
        - an array of shape (n_components, n_features): the starting
          centroids, used as given (one run only).

    n_init : 'auto' or int, default='auto'
        Number of runs from different starts; the run with the lowest inertia
        is kept.  ``'auto'`` means 10 runs for ``init='random'`` and one run
        otherwise, as in :class:`sklearn.cluster.KMeans`.

    max_iter : int, default=300
        Maximum number of Lloyd iterations of one run.

    tol : float, default=1e-4
        Tolerance on the movement of the centroids, relative to the data's
        spread: a run stops when the sum over the centroids of their squared
        shift in one iteration is at most ``tol`` times the mean of the
        variances of the features (the same rule as
        :class:`sklearn.cluster.KMeans`).  A run also stops, whatever ``tol``,
        as soon as no label changes.

    {verbose}

    {random_state}

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The centroids: the factor ``H``, one cluster per row.

    cluster_centers_ : ndarray of shape (n_components, n_features)
        The same array as ``components_``, under the name KMeans uses.

    labels_ : ndarray of shape (n_samples,)
        Index of the cluster of each training sample (the column of the one
        in each row of ``W``).

    inertia_ : float
        Weighted sum of squared distances of the training samples to their
        centroids: the objective at the solution.

    n_iter_ : int
        Number of iterations of the run that was kept.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``, when ``X`` has feature
        names that are all strings.

    See Also
    --------
    sklearn.cluster.KMeans : k-means with Lloyd's or Elkan's algorithm.
    sklearn.cluster.kmeans_plusplus : the seeding used by ``init='k-means++'``.
    MUNMF : NMF with non-negative, not one-hot, coefficients.

    Notes
    -----
    Each iteration costs one matrix product of ``X`` against the centroids
    (``-2 X H^T + ||h||^2``, by row blocks so that memory stays bounded) and
    one product of the sparse one-hot ``W^T`` with ``X`` for the new means.
    Dense ``X`` goes through BLAS; sparse ``X`` (CSR, or CSC converted once)
    is never densified.  Ranges of rows are processed in parallel threads, as
    many as ``OMP_NUM_THREADS`` says or else as there are usable CPUs; dense
    blocks are kept small enough for BLAS to run each on one thread, unless
    ``n_features * n_components`` is large, when BLAS threads the products
    instead.  Dense data are centred internally, as KMeans does, for
    accurate distances; the centroids are shifted back at the end.

    The ``n_init`` runs go side by side rather than one after the other:
    their centroids are stacked into one matrix of up to 256 rows, so that
    each pass over ``X`` serves all of them with one wider product, and a run
    leaves the group as soon as it stops.  Each run still follows exactly the
    iterations it would follow alone.  With ``verbose``, runs go one at a
    time so that the log reads run by run.

    Started from the same centroids, the run follows
    :class:`sklearn.cluster.KMeans` with ``algorithm='lloyd'`` step for step:
    same assignment, same update, same relocation of empty clusters, same
    stopping rule.  A cluster that ends an assignment step empty is moved
    onto a sample with positive weight that is farthest from its centroid
    (the farthest to the first empty cluster, and so on).  When the run stops
    on ``tol`` rather than on stable labels, the samples are assigned once
    more so that ``labels_`` matches ``components_``.

    The samples are visited in an order fixed by their values, not by their
    position in ``X``, so for a given ``random_state`` the result does not
    depend on the order of the rows, and an integer weight ``m`` acts as
    ``m`` copies of the sample, seeding included.  ``tol`` is scaled by the
    unweighted variances, as in KMeans.

    Data whose squared distances would overflow or underflow (entries near
    1e150 or 1e-150 and beyond) are divided by a power of two first, which
    changes no digit; the clustering is that of the data, but ``inertia_``
    and ``score`` are in squared data units and saturate at ``inf`` (or
    underflow to 0) when out of the float range.

    References
    ----------
    .. [1] S. Lloyd, "Least squares quantization in PCM", IEEE Transactions on
       Information Theory, 28(2), 129-137, 1982. :doi:`10.1109/TIT.1982.1056489`
    .. [2] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of
       careful seeding", Proceedings of SODA, 1027-1035, 2007.
       :doi:`10.5555/1283383.1283494`
    .. [3] C. Ding, X. He and H. D. Simon, "On the equivalence of nonnegative
       matrix factorization and spectral clustering", Proceedings of the SIAM
       International Conference on Data Mining, 606-610, 2005.
       :doi:`10.1137/1.9781611972757.70`
    .. [4] C. Ding, T. Li and M. I. Jordan, "Convex and semi-nonnegative
       matrix factorizations", IEEE Transactions on Pattern Analysis and
       Machine Intelligence, 32(1), 45-55, 2010.
       :doi:`10.1109/TPAMI.2008.277`

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx import OneHotNMFKMeans
    >>> X = np.array([[1.0, 0.0], [1.2, 0.1], [0.0, 2.0], [0.1, 2.2]])
    >>> km = OneHotNMFKMeans(n_components=2, random_state=0).fit(X)
    >>> bool(km.labels_[0] == km.labels_[1] != km.labels_[2] == km.labels_[3])
    True
    >>> km.transform(X).sum(axis=1)
    array([1., 1., 1., 1.])
    >>> np.allclose(km.inverse_transform(km.transform(X)),
    ...             km.cluster_centers_[km.labels_])
    True
    >>> round(km.inertia_, 4)
    0.05
    """

    _parameter_constraints = {
        **BASE_CONSTRAINTS,
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "init": [StrOptions({"k-means++", "random", "nmf"}), "array-like"],
        "n_init": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        n_components=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        verbose=0,
        random_state=None,
    ):
        self.n_components = n_components
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state

    def _check_X(self, X, reset):
        """Validated ``X``: float64 or float32, dense or CSR."""
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=[np.float64, np.float32],
            reset=reset,
        )
        return to_csr(X)

    def _resolve_init(self, X):
        """The init (string or validated array) and the number of runs."""
        if isinstance(self.init, str):
            if self.n_init == "auto":
                return self.init, 10 if self.init == "random" else 1
            return self.init, self.n_init

        centers = check_array(self.init, dtype=X.dtype, copy=True, input_name="init")
        if centers.shape != (self.n_components, X.shape[1]):
            raise ValueError(
                f"init has shape {centers.shape}; expected (n_components, "
                f"n_features) = ({self.n_components}, {X.shape[1]})."
            )
        if self.n_init not in ("auto", 1):
            warnings.warn(
                f"init is an array of centres, so n_init={self.n_init} runs would "
                "all be the same; one run is done.",
                RuntimeWarning,
                stacklevel=2,
            )
        return centers, 1

    def _fit(self, X, sample_weight):
        """Fit on validated input; return the training labels."""
        check_counts_not_bool(self, "n_components", "n_init", "max_iter")
        X = self._check_X(X, reset=True)
        n_samples, k = X.shape[0], self.n_components
        if n_samples < k:
            raise ValueError(
                f"n_samples={n_samples} should be >= n_components={k}: k-means "
                "needs at least one sample per cluster."
            )
        sample_weight = _check_sample_weight(sample_weight, n_samples, X.dtype)
        init, n_init = self._resolve_init(X)
        if isinstance(init, str) and init == "nmf":
            check_non_negative(X, f"{type(self).__name__} (init='nmf')")
        random_state = check_random_state(self.random_state)

        # Work on the rows in their canonical order (see Notes): one copy of
        # X, which for dense data is also the centred copy.
        # Work on the data divided by a power of two if their magnitude
        # would overflow or underflow the distances (exact; undone at the end).
        exponent = scale_exponent(X)
        X = _scaled(X, exponent)
        order = _canonical_order(X)
        Xw = X[order]
        weights = sample_weight[order]
        if sp.issparse(Xw):
            mean = None
        else:
            mean = X.mean(axis=0)
            Xw -= mean
        x_sq = row_norms(Xw, squared=True)
        tol = _tolerance(Xw, x_sq, self.tol)

        # Runs go side by side in groups (see _lloyd), unless verbose, when
        # each run prints its own iterations.
        group = 1 if self.verbose else max(1, _MAX_STACKED_CENTRES // k)
        best = None
        n_threads = _n_threads()
        with ThreadPoolExecutor(n_threads) as pool:
            for first in range(0, n_init, group):
                starts = []
                for run in range(first, min(first + group, n_init)):
                    if isinstance(init, str):
                        centers = self._seed(
                            Xw, x_sq, weights, mean, init, run, random_state
                        )
                    else:
                        centers = _scaled(init, exponent)
                        if mean is not None:
                            centers = centers - mean
                    starts.append(centers)
                    if self.verbose:
                        print(f"Run {run + 1}/{n_init}: initialisation complete.")
                results = _lloyd(
                    Xw,
                    x_sq,
                    weights,
                    np.stack(starts).astype(Xw.dtype, copy=False),
                    self.max_iter,
                    tol,
                    self.verbose,
                    pool,
                    n_threads,
                )
                for result in results:
                    # A lower inertia with the same clustering is rounding noise.
                    if best is None or (
                        result[1] < best[1]
                        and not _same_clustering(result[0], best[0], k)
                    ):
                        best = result

        sorted_labels, inertia, centers, n_iter, converged = best
        if mean is not None:
            centers += mean
        if exponent:
            centers = np.ldexp(centers, exponent).astype(X.dtype, copy=False)
            inertia = _unscale(inertia, 2 * exponent)
        labels = np.empty_like(sorted_labels)
        labels[order] = sorted_labels

        if not converged and self.tol > 0:
            warnings.warn(
                f"k-means did not converge within max_iter={self.max_iter} "
                "iterations; raise max_iter or tol.",
                ConvergenceWarning,
                stacklevel=2,
            )
        n_distinct = np.unique(labels).size
        if n_distinct < k:
            warnings.warn(
                f"Only {n_distinct} distinct clusters were found, fewer than "
                f"n_components={k}; X may hold duplicate samples.",
                ConvergenceWarning,
                stacklevel=2,
            )

        self.components_ = centers
        self.cluster_centers_ = centers
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        return labels

    def _seed(self, Xw, x_sq, weights, mean, init, run, random_state):
        """Starting centres of one run, in the (centred) coordinates of ``Xw``."""
        k = self.n_components
        if init == "k-means++":
            centers, _ = kmeans_plusplus(
                Xw,
                k,
                sample_weight=weights,
                x_squared_norms=x_sq,
                random_state=random_state,
            )
            return centers
        if init == "random":
            seeds = random_state.choice(
                Xw.shape[0], size=k, replace=False, p=weights / weights.sum()
            )
            return Xw[seeds].toarray() if sp.issparse(Xw) else Xw[seeds]

        # MUNMF needs the data as given: non-negative, not centred.
        munmf_init = None if run == 0 else "random"
        seed = random_state.randint(np.iinfo(np.int32).max)
        if mean is None:
            return _nmf_centers(Xw, weights, k, munmf_init, seed)
        centers = _nmf_centers(Xw + mean, weights, k, munmf_init, seed)
        return centers - mean

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Cluster ``X`` by k-means.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples. Sparse input is used as CSR (CSC is converted
            once) and never densified.

        y : Ignored
            Not used, present for API consistency by convention.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample in the inertia and the means;
            ``None`` gives every sample weight one.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._fit(X, sample_weight)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None, sample_weight=None):
        """Cluster ``X`` and return its one-hot assignment ``W``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples.

        y : Ignored
            Not used, present for API consistency by convention.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; ``None`` gives weight one.

        Returns
        -------
        W : ndarray of shape (n_samples, n_components)
            One-hot rows: ``W[i, labels_[i]] = 1``, zeros elsewhere.
        """
        labels = self._fit(X, sample_weight)
        return self._one_hot_dense(labels, self.components_.dtype)

    def fit_predict(self, X, y=None, sample_weight=None):
        """Cluster ``X`` and return the label of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples.

        y : Ignored
            Not used, present for API consistency by convention.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; ``None`` gives weight one.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the cluster of each sample.
        """
        return self.fit(X, sample_weight=sample_weight).labels_

    def _one_hot_dense(self, labels, dtype):
        """Dense one-hot matrix of ``labels``."""
        W = np.zeros((labels.shape[0], self.n_components), dtype=dtype)
        W[np.arange(labels.shape[0]), labels] = 1
        return W

    def _predict(self, X):
        """Labels of already validated ``X``, and its inertia if asked."""
        return self._assign(X)[0]

    def _assign(self, X, sample_weight=None):
        """Labels of validated ``X`` and, given weights, its inertia.

        Data and centroids are divided by one power of two first when their
        magnitude would overflow or underflow the distances.
        """
        centers = self.components_.astype(X.dtype, copy=False)
        exponent = scale_exponent(X, centers)
        X, centers = _scaled(X, exponent), _scaled(centers, exponent)
        labels = _Assignment(X, self.n_components)(centers)[:, 0]
        if sample_weight is None:
            return labels, None
        x_sq = row_norms(X, squared=True)
        inertia = _inertia(X, x_sq, sample_weight, centers, labels)
        return labels, _unscale(inertia, 2 * exponent)

    def predict(self, X):
        """Index of the nearest centroid of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to assign.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the cluster of each sample.
        """
        check_is_fitted(self)
        return self._predict(self._check_X(X, reset=False))

    def transform(self, X):
        """One-hot assignment ``W`` of each sample to its nearest centroid.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to assign.

        Returns
        -------
        W : ndarray of shape (n_samples, n_components)
            One-hot rows, of the dtype of ``X`` (float64 or float32).
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        return self._one_hot_dense(self._predict(X), X.dtype)

    def inverse_transform(self, X):
        """Map coefficients back to data space: ``X @ components_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_components)
            Coefficients ``W``; for the one-hot output of :meth:`transform`
            each row of the result is that sample's centroid.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            The reconstruction ``W @ H``.
        """
        check_is_fitted(self)
        W = check_array(X, accept_sparse=("csr", "csc"), dtype=[np.float64, np.float32])
        if W.shape[1] != self.n_components:
            raise ValueError(
                f"X has {W.shape[1]} columns; expected n_components="
                f"{self.n_components}, one per cluster."
            )
        return np.asarray(W @ self.components_)

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the inertia of ``X`` on the fitted centroids.

        Like the inertia, this score only improves as ``n_components`` grows,
        so ``GridSearchCV`` with no ``scoring`` picks the largest k offered.
        Choose the number of clusters with a criterion outside ``score``, such
        as the silhouette (:func:`sklearn.metrics.silhouette_score`) or the
        elbow of ``inertia_`` against k.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples to score.

        y : Ignored
            Not used, present for API consistency by convention.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each sample; ``None`` gives weight one.

        Returns
        -------
        score : float
            Minus the weighted sum of squared distances of the samples to
            their nearest centroid (larger is better).
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        sample_weight = _check_sample_weight(sample_weight, X.shape[0], X.dtype)
        return -self._assign(X, sample_weight)[1]

    @property
    def _n_features_out(self):
        """Number of output features of ``transform``: one per cluster."""
        return self.components_.shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
