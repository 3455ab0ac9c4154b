"""Time MUNMF against scikit-learn's NMF on the same data and start.

Run ``python benchmarks/bench_munmf.py`` (add ``--quick`` for a smaller run).
Every ratio is ours / scikit-learn's: below 1 means we are faster.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import tracemalloc
import warnings

import numpy as np
import scipy.sparse as sp
from _timing import best_time
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF
from sklearn_nmfx._init import initialize

warnings.simplefilter("ignore", ConvergenceWarning)


def planted_dense(n, m, k, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, k)) @ rng.random((k, m)) + 0.1 * rng.random((n, m))
    return X.astype(dtype)


def planted_counts(n, m, k, density, dtype, seed=0):
    rng = np.random.default_rng(seed)
    nnz = int(n * m * density)
    rows = rng.integers(0, n, nnz)
    topics = rng.integers(0, k, n)
    # Each document draws its words mostly from its topic's block of columns.
    width = m // k
    cols = np.where(
        rng.random(nnz) < 0.8,
        topics[rows] * width + rng.integers(0, width, nnz),
        rng.integers(0, m, nnz),
    )
    X = sp.csr_matrix(
        (rng.poisson(2.0, nnz) + 1.0, (rows, cols)), shape=(n, m), dtype=dtype
    )
    X.sum_duplicates()
    return X


def ours(k, beta, max_iter, W0, H0, accelerate=True):
    return MUNMF(
        k,
        beta_loss=beta,
        init="custom",
        max_iter=max_iter,
        tol=0,
        accelerate=accelerate,
    ), {"W": W0, "H": H0}


def theirs(k, beta, max_iter, W0, H0, solver="mu"):
    return NMF(
        k,
        beta_loss=beta,
        init="custom",
        solver=solver,
        max_iter=max_iter,
        tol=0,
    ), {"W": W0.copy(), "H": H0.copy()}


def per_iteration(make, X, k, beta, W0, H0, n_iter, **kw):
    model, init = make(k, beta, n_iter, W0, H0, **kw)
    seconds, _ = best_time(lambda: model.fit(X, **init))
    return seconds / n_iter, model


def gemm_rate(X, k):
    """Seconds of one (n x m) @ (m x k) product, this machine's BLAS."""
    H = np.ones((k, X.shape[1]), dtype=X.dtype)
    seconds, _ = best_time(lambda: X @ H.T, repeat=5)
    return seconds


def time_to_loss(X, k, target, W0, H0, max_steps=400):
    """Least number of our iterations whose error is <= target, and its time."""
    grid = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 65, 80, 100]
    grid += list(range(125, max_steps + 1, 25))
    for n_iter in grid:
        model, init = ours(k, "frobenius", n_iter, W0, H0)
        seconds, _ = best_time(lambda: model.fit(X, **init), repeat=1)
        if model.reconstruction_err_ <= target:
            seconds, _ = best_time(lambda: model.fit(X, **init), repeat=3)
            return n_iter, seconds, model.reconstruction_err_
    return None, np.inf, model.reconstruction_err_


def dense_frobenius(n, m, k, rows):
    for dtype in (np.float64, np.float32):
        X = planted_dense(n, m, k, dtype)
        W0, H0 = initialize(X, k, "nndsvda", random_state=0)
        n_iter = 20
        ours_it, _ = per_iteration(ours, X, k, "frobenius", W0, H0, n_iter)
        plain_it, _ = per_iteration(
            ours, X, k, "frobenius", W0, H0, n_iter, accelerate=False
        )
        sk_it, _ = per_iteration(theirs, X, k, "frobenius", W0, H0, n_iter)
        gemm = gemm_rate(X, k)
        name = np.dtype(dtype).name
        rows.append(
            (
                f"dense Frobenius {n}x{m} k={k} {name}: s/iteration, plain MU",
                plain_it,
                sk_it,
            )
        )
        rows.append(
            (
                f"dense Frobenius {n}x{m} k={k} {name}: s/iteration, accelerated",
                ours_it,
                sk_it,
            )
        )
        # An iteration's two products with X hold ~4*n*m*k flops: twice those
        # of one GEMM of that size.
        print(
            f"  {name}: plain MU iteration runs at {2 * gemm / plain_it:.0%} of "
            "this machine's GEMM rate"
        )
        if dtype is np.float64:
            for solver in ("mu", "cd"):
                model, init = theirs(k, "frobenius", 200, W0, H0, solver=solver)
                sk_time, _ = best_time(lambda m=model, i=init: m.fit(X, **i), 1)
                target = model.reconstruction_err_
                steps, our_time, reached = time_to_loss(X, k, target, W0, H0)
                rows.append(
                    (
                        f"dense Frobenius {n}x{m} k={k}: time to sklearn {solver}'s "
                        f"error after 200 it. ({steps} of ours)",
                        our_time,
                        sk_time,
                    )
                )


def peak_memory(func):
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def sparse_kl(n, m, k, density, rows):
    for dtype in (np.float64, np.float32):
        X = planted_counts(n, m, k, density, dtype)
        W0, H0 = initialize(X, k, "nndsvda", random_state=0)
        n_iter = 10
        ours_it, model = per_iteration(ours, X, k, "kullback-leibler", W0, H0, n_iter)
        sk_it, sk = per_iteration(theirs, X, k, "kullback-leibler", W0, H0, n_iter)
        name = np.dtype(dtype).name
        rows.append(
            (
                f"sparse KL {n}x{m} {density:.1%} k={k} {name}: s/iteration",
                ours_it,
                sk_it,
            )
        )
        ours_model, init = ours(k, "kullback-leibler", 5, W0, H0)
        sk_model, sk_init = theirs(k, "kullback-leibler", 5, W0, H0)
        ours_peak = peak_memory(lambda: ours_model.fit(X, **init))
        sk_peak = peak_memory(lambda: sk_model.fit(X, **sk_init))
        rows.append(
            (
                f"sparse KL {n}x{m} k={k} {name}: peak MiB (traced)",
                ours_peak / 2**20,
                sk_peak / 2**20,
            )
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller problems")
    args = parser.parse_args()
    rows = []
    if args.quick:
        dense_frobenius(1000, 500, 16, rows)
        sparse_kl(5000, 2000, 20, 0.005, rows)
    else:
        dense_frobenius(4000, 2000, 32, rows)
        sparse_kl(20000, 5000, 20, 0.005, rows)
    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'ours':>10}  {'sklearn':>10}  {'ratio':>6}")
    for label, a, b in rows:
        print(f"{label:<{width}}  {a:>10.4g}  {b:>10.4g}  {a / b:>6.2f}")


if __name__ == "__main__":
    main()
