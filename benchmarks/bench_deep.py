"""Time DeepNMF against nn-fac's deep KL-NMF, and against MUNMF per iteration.

Run ``python benchmarks/bench_deep.py`` (add ``--quick`` for a smaller run).
nn-fac (``pip install nn-fac``) is needed for the first part only; it is not
a dependency of sklearn_nmfx. Every ratio is ours / theirs: below 1 means
that we reach a lower loss, or take less time.

Part 1 runs, in this process and on the same data and ranks, nn-fac's
``deep_KL_NMF`` (Leplat et al.'s layer-centric Kullback-Leibler deep NMF,
the only packaged deep NMF on PyPI) and DeepNMF, with the same start
('nndsvd' at every layer) and budgets (100 pretraining iterations per
layer, 100 joint iterations, no early stop). Both models are scored by this
package's divergence:

* the layer-centric loss, with nn-fac's own weights (one over each layer's
  error after its pretraining) given to DeepNMF as ``layer_weights``, also
  after five times the joint iterations;
* the data-centric loss ``KL(X | W A_L ... A_1)`` of the whole hierarchy,
  reached by nn-fac and by DeepNMF's default, data-centric loss.

Times are best read on an idle machine; on a busy one, ``--threads 1``
keeps the BLAS threads from fighting over the cores.

Part 2 times one fine-tuning iteration of a (64, 32, 16) model on a dense
10000 x 1000 matrix against one MUNMF iteration at k = 64 (target: <= 1.5).
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits, load_sample_images
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.image import extract_patches_2d
from threadpoolctl import threadpool_limits

from sklearn_nmfx import MUNMF, DeepNMF
from sklearn_nmfx._beta import DataMatrix, beta_divergence

warnings.simplefilter("ignore", ConvergenceWarning)

try:
    from nn_fac.deep_nmf import deep_KL_NMF
except ImportError:
    deep_KL_NMF = None

PRETRAIN, JOINT = 100, 100


def image_patches(n_patches, size=8, seed=0):
    """Grey 8x8 patches of scikit-learn's two sample photographs."""
    rng = np.random.RandomState(seed)
    patches = []
    for image in load_sample_images().images:
        grey = image.mean(axis=2) / 255.0
        patches.append(
            extract_patches_2d(grey, (size, size), max_patches=n_patches // 2,
                               random_state=rng)
        )  # fmt: skip
    return np.concatenate(patches).reshape(-1, size * size)


def layer_errors(X, codes, layers):
    """KL(W_(l-1) | W_l A_l) of every layer, W_0 being X."""
    sources = [X, *codes[:-1]]
    return np.array(
        [
            beta_divergence(DataMatrix(source), W, A, 1.0)
            for source, W, A in zip(sources, codes, layers)
        ]
    )


def global_error(X, W, layers):
    """KL(X | W A_L ... A_1) of a hierarchy."""
    product = layers[0]
    for A in layers[1:]:
        product = A @ product
    return beta_divergence(DataMatrix(X), W, product, 1.0)


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def versus_nnfac(name, X, ranks):
    """One data set: nn-fac's deep KL-NMF and DeepNMF; print the ratios."""
    print(f"\n{name}: X {X.shape[0]} x {X.shape[1]}, ranks {ranks}")
    t_theirs, (Ws, Hs, errors, _) = timed(
        lambda: deep_KL_NMF(
            X.copy(), list(ranks), n_iter_max_each_nmf=PRETRAIN,
            n_iter_max_deep_loop=JOINT, tol=0, return_errors=True,
            deterministic=True, seed=0,
        )
    )  # fmt: skip
    # nn-fac's weights: one over each layer's error after its pretraining.
    weights = 1.0 / errors[:, 0]
    theirs_layer = float(weights @ layer_errors(X, Ws, Hs))
    theirs_global = global_error(X, Ws[-1], Hs)

    # nn-fac starts every layer from 'nndsvd': so does DeepNMF here.
    kwargs = dict(beta_loss="kullback-leibler", init="nndsvd",
                  pretrain_max_iter=PRETRAIN, max_iter=JOINT, tol=0,
                  random_state=0)  # fmt: skip
    layer_model = DeepNMF(ranks, loss="layer-centric", layer_weights=weights, **kwargs)
    t_layer, _ = timed(lambda: layer_model.fit(X))
    # The same, with five times the joint iterations: the loss reached in
    # about the time nn-fac takes for its hundred, or less.
    longer = DeepNMF(ranks, loss="layer-centric", layer_weights=weights, **kwargs)
    t_longer, _ = timed(lambda: longer.set_params(max_iter=5 * JOINT).fit(X))
    data_model = DeepNMF(ranks, **kwargs)
    t_data, _ = timed(lambda: data_model.fit(X))
    ours_layer = layer_model.loss_curve_[-1]
    ours_global = data_model.loss_curve_[-1]
    ours_global_of_layer = 0.5 * layer_model.reconstruction_err_**2

    width = 44
    print(f"{'measure':<{width}} {'DeepNMF':>10} {'nn-fac':>10} {'ratio':>6}")
    rows = [
        ("layer-centric loss (nn-fac's weights)", ours_layer, theirs_layer),
        ("  time (s)", t_layer, t_theirs),
        (f"  same, {5 * JOINT} joint iterations", longer.loss_curve_[-1], theirs_layer),
        ("  time (s)", t_longer, t_theirs),
        ("data-centric KL(X | W A_L...A_1)", ours_global, theirs_global),
        ("  time (s)", t_data, t_theirs),
        ("data-centric KL of the layer-centric fit", ours_global_of_layer,
         theirs_global),
    ]  # fmt: skip
    for label, a, b in rows:
        print(f"{label:<{width}} {a:>10.4g} {b:>10.4g} {a / b:>6.2f}")


def dense_matrix(n, m, k, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, k)) @ rng.random((k, m)) + 0.1 * rng.random((n, m))


def per_iteration(make, X, n_iter, repeat):
    """Median time of one iteration: fits of 1 and 1 + n_iter iterations."""
    samples = []
    for _ in range(repeat):
        short, _ = timed(lambda: make(1).fit(X))
        long, _ = timed(lambda: make(1 + n_iter).fit(X))
        samples.append((long - short) / n_iter)
    return float(np.median(samples))


def iteration_cost(n, m, n_iter, repeat):
    """One (64, 32, 16) fine-tuning iteration against one MUNMF iteration."""
    X = dense_matrix(n, m, 40)
    print(f"\nOne iteration, dense X {n} x {m}, Frobenius, random start")
    common = dict(init="random", tol=0, random_state=0)
    deep = per_iteration(
        lambda it: DeepNMF((64, 32, 16), pretrain_max_iter=0, max_iter=it, **common),
        X, n_iter, repeat,
    )  # fmt: skip
    shallow = per_iteration(
        lambda it: MUNMF(64, max_iter=it, **common), X, n_iter, repeat
    )
    print(f"DeepNMF (64, 32, 16) fine-tuning: {deep:.4f} s per iteration")
    print(f"MUNMF k=64:                       {shallow:.4f} s per iteration")
    print(f"ratio: {deep / shallow:.2f} (target <= 1.5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data")
    parser.add_argument(
        "--threads", type=int, default=None, help="limit the BLAS threads"
    )
    args = parser.parse_args()
    if args.threads:
        # On a machine that other jobs keep busy, many BLAS threads fighting
        # over few cores slow small products by an order of magnitude.
        threadpool_limits(args.threads)

    if deep_KL_NMF is None:
        print("nn-fac is not installed (pip install nn-fac): part 1 skipped.")
    else:
        X, _ = load_digits(return_X_y=True)
        versus_nnfac("digits", X, (32, 16, 8))
        if not args.quick:
            versus_nnfac("image patches", image_patches(6000), (32, 16, 8))
    if args.quick:
        iteration_cost(2000, 500, n_iter=5, repeat=1)
    else:
        iteration_cost(10000, 1000, n_iter=10, repeat=3)


if __name__ == "__main__":
    main()
