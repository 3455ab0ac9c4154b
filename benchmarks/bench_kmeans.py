"""Time OneHotNMFKMeans against scikit-learn's KMeans (lloyd) in one process.

Run ``python benchmarks/bench_kmeans.py`` (about a minute).  Three data sets:
the digits, a dense 50000 x 100 Gaussian mixture and a sparse 20000 x 5000
tf-idf-like matrix.  On each, two comparisons:

- ``same init``: both estimators start from the same k-means++ centres
  (``n_init=1``), so they run the same iterations and the times compare
  like for like;
- ``k-means++``: each estimator seeds itself ``n_init`` times from the same
  ``random_state``, as a user would run it.  Our seeding visits the samples in
  a canonical order, so the seeds, and the number of iterations, differ.

Each time is the best of ``--repeat`` fits, the two estimators taking turns
(the machine may be shared: ``uptime`` before a run tells how busy it is).
``--threads N`` holds both estimators to N threads.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time
import warnings

import numpy as np
import scipy.sparse as sp
from _timing import hold_threads
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from sklearn_nmfx import OneHotNMFKMeans


def make_dense(n_samples=50_000, n_features=100, n_clusters=20, seed=0):
    """Overlapping Gaussian clusters: Lloyd needs some tens of iterations."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((n_clusters, n_features)) * 0.4
    labels = rng.integers(n_clusters, size=n_samples)
    return centres[labels] + rng.standard_normal((n_samples, n_features))


def make_tfidf(n_samples=20_000, n_features=5_000, n_topics=20, seed=0):
    """tf-idf of documents drawn from topics over a Zipf-like vocabulary."""
    rng = np.random.default_rng(seed)
    base = 1.0 / np.arange(1, n_features + 1)
    topics = rng.dirichlet(np.full(n_features, 0.05), size=n_topics) + base / 50
    topics /= topics.sum(axis=1, keepdims=True)
    doc_topic = rng.integers(n_topics, size=n_samples)
    lengths = rng.integers(50, 200, size=n_samples)
    rows = np.repeat(np.arange(n_samples), lengths)
    words = np.concatenate(
        [
            rng.choice(n_features, size=m, p=topics[t])
            for t, m in zip(doc_topic, lengths)
        ]
    )
    counts = sp.csr_array(
        (np.ones_like(words, dtype=float), (rows, words)),
        shape=(n_samples, n_features),
    )
    counts.sum_duplicates()
    X = TfidfTransformer().fit_transform(counts).tocsr()
    # KMeans takes 32-bit sparse indices only.
    X.indices, X.indptr = X.indices.astype(np.int32), X.indptr.astype(np.int32)
    return X


def best_times(make_estimators, X, repeat):
    """The fastest of ``repeat`` fits of each estimator, and the fitted ones.

    The estimators take turns, so that a change in the machine's load hits
    both alike.
    """
    times = [[] for _ in make_estimators]
    for _ in range(repeat):
        fitted = []
        for make, record in zip(make_estimators, times):
            est = make()
            tic = time.perf_counter()
            est.fit(X)
            record.append(time.perf_counter() - tic)
            fitted.append(est)
    return [min(record) for record in times], fitted


def compare(name, X, k, n_init, repeat):
    """Rows of the table for one data set."""
    rows = []
    init, _ = kmeans_plusplus(X, k, random_state=0)
    setups = [
        ("same init", dict(init=init, n_init=1)),
        (f"k-means++ x{n_init}", dict(init="k-means++", n_init=n_init)),
    ]
    for setup, params in setups:
        (t_sk, t_us), (sk, us) = best_times(
            [
                lambda: KMeans(k, algorithm="lloyd", random_state=0, **params),
                lambda: OneHotNMFKMeans(k, random_state=0, **params),
            ],
            X,
            repeat,
        )
        rows.append(
            (name, setup, t_sk, t_us, sk.n_iter_, us.n_iter_, sk.inertia_, us.inertia_)
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fits per timing")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for both estimators (default: all CPUs); 1 gives steadier "
        "ratios on a busy machine, where KMeans's OpenMP threads stall",
    )
    args = parser.parse_args()
    if args.threads is not None:
        hold_threads(args.threads)

    data = [
        ("digits", load_digits().data, 10, 10),
        ("dense 50000x100", make_dense(), 20, 3),
        ("tf-idf 20000x5000", make_tfidf(), 20, 1),
    ]
    header = (
        f"{'data':<18} {'setup':<14} {'KMeans s':>9} {'ours s':>8} {'ratio':>6} "
        f"{'iter sk':>7} {'iter us':>7} {'inertia sk':>12} {'inertia us':>12}"
    )
    print(header)
    print("-" * len(header))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, X, k, n_init in data:
            for row in compare(name, X, k, n_init, args.repeat):
                name_, setup, t_sk, t_us, it_sk, it_us, in_sk, in_us = row
                print(
                    f"{name_:<18} {setup:<14} {t_sk:9.3f} {t_us:8.3f} "
                    f"{t_us / t_sk:6.2f} {it_sk:7d} {it_us:7d} "
                    f"{in_sk:12.6g} {in_us:12.6g}"
                )


if __name__ == "__main__":
    main()
