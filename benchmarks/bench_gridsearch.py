"""Time a grid search over the number of components, ours against scikit-learn's.

Run ``python benchmarks/bench_gridsearch.py`` (add ``--quick`` for a smaller
run). Both sides search ``n_components`` in ``range(1, 13)`` with 5-fold
cross-validation on data from :func:`~sklearn_nmfx.datasets.make_planted_nmf`
(5 planted components), once with Gaussian noise and the Frobenius loss and
once with Poisson counts and the Kullback-Leibler loss:

- ours: ``GridSearchCV(MUNMF(random_state=0), ...)`` with no ``scoring``, so
  that it ranks the candidates by ``MUNMF.score``, the held-out
  (bi-cross-validated) fit;
- scikit-learn's: ``GridSearchCV(NMF(random_state=0), ...)`` (coordinate
  descent for Frobenius, multiplicative updates for Kullback-Leibler, the only
  solver scikit-learn has for it) scored by minus the reconstruction error of
  the test fold, the scorer one would write by hand. On this data that error
  keeps falling as k grows, so it chooses the largest k offered: its time is
  the price of the search, not of a useful answer.

Times are the best of ``--repeat`` runs (3 by default, 1 with ``--quick``),
with ``n_jobs=1`` and BLAS held to ``--blas-threads`` threads (1 by default:
on a busy machine, threaded BLAS on these small products is slower and far
noisier). The ratio is ours / scikit-learn's, below 1 when we are faster. The
target is a ratio of at most 0.5.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import warnings

import numpy as np
from _timing import best_time
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold
from threadpoolctl import threadpool_limits

from sklearn_nmfx import MUNMF
from sklearn_nmfx.datasets import make_planted_nmf

# Both sides stop at max_iter on some folds; the warnings would bury the table.
warnings.simplefilter("ignore", ConvergenceWarning)

PLANTED_K = 5
CASES = (
    ("gaussian", "frobenius"),
    ("poisson", "kullback-leibler"),
)


def divergence(X, Y, beta_loss):
    """Frobenius norm of ``X - Y``, or ``sqrt(2 KL(X | Y))``, as NMF reports."""
    if beta_loss == "frobenius":
        return float(np.linalg.norm(X - Y))
    Y = np.maximum(Y, np.finfo(float).tiny)
    positive = X > 0
    value = np.sum(X[positive] * np.log(X[positive] / Y[positive])) - X.sum()
    return float(np.sqrt(2 * max(value + Y.sum(), 0.0)))


def reconstruction_scorer(beta_loss):
    """Minus the reconstruction error of the test fold: higher is better."""

    def scorer(estimator, X, y=None):
        return -divergence(
            X, estimator.inverse_transform(estimator.transform(X)), beta_loss
        )

    return scorer


def searches(X, beta_loss, ks, cv):
    """The two grid searches, unfitted: ours, then scikit-learn's."""
    folds = KFold(cv, shuffle=True, random_state=0)
    ours = GridSearchCV(
        MUNMF(beta_loss=beta_loss, random_state=0), {"n_components": ks}, cv=folds
    )
    # scikit-learn's coordinate descent handles the Frobenius loss only.
    solver = "cd" if beta_loss == "frobenius" else "mu"
    theirs = GridSearchCV(
        NMF(beta_loss=beta_loss, solver=solver, random_state=0),
        {"n_components": ks},
        cv=folds,
        scoring=reconstruction_scorer(beta_loss),
    )
    return ours, theirs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="k in 1..8, 3 folds, one run"
    )
    parser.add_argument(
        "--repeat", type=int, default=None, help="runs per timing (best is kept)"
    )
    parser.add_argument(
        "--blas-threads", type=int, default=1, help="BLAS threads (default 1)"
    )
    args = parser.parse_args()
    ks = list(range(1, 9) if args.quick else range(1, 13))
    cv = 3 if args.quick else 5
    repeat = args.repeat or (1 if args.quick else 3)

    print(
        f"GridSearchCV over n_components in {ks[0]}..{ks[-1]}, {cv} folds, "
        f"planted k = {PLANTED_K}, best of {repeat} run(s), n_jobs=1, "
        f"{args.blas_threads} BLAS thread(s)"
    )
    header = (
        f"{'data / loss':<28} {'ours s':>8} {'sklearn s':>10} {'ratio':>6} "
        f"{'k ours':>7} {'k sklearn':>10} {'planted':>8}"
    )
    print(header)
    print("-" * len(header))
    for noise, beta_loss in CASES:
        X, _, _ = make_planted_nmf(n_components=PLANTED_K, noise=noise, random_state=0)
        ours, theirs = searches(X, beta_loss, ks, cv)
        with threadpool_limits(limits=args.blas_threads, user_api="blas"):
            t_ours, _ = best_time(lambda: ours.fit(X), repeat)
            t_theirs, _ = best_time(lambda: theirs.fit(X), repeat)
        print(
            f"{noise + ' / ' + beta_loss:<28} {t_ours:8.2f} {t_theirs:10.2f} "
            f"{t_ours / t_theirs:6.2f} {ours.best_params_['n_components']:7d} "
            f"{theirs.best_params_['n_components']:10d} {PLANTED_K:8d}"
        )


if __name__ == "__main__":
    main()
