"""The guided tour that ``python -m sklearn_nmfx`` runs on built-in data."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib
import os
import tempfile
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import NMF, PCA
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx._munmf import MUNMF


def save_figure(fig, path, dpi=110):
    """Save a matplotlib figure whole: to a temporary name, then renamed.

    The file gets the permissions a plain ``open`` would give it.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        suffix=os.path.splitext(path)[1], dir=directory
    )
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(temporary, 0o666 & ~umask)
        fig.savefig(temporary, dpi=dpi)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def new_figure(what, **kwargs):
    """A matplotlib Figure that draws to files only, or None without matplotlib.

    A bare Figure needs neither pyplot nor a window, so it works headless.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print(f"  (matplotlib is not installed: no figure of {what})")
        return None
    return Figure(**kwargs)


def _timed_fit(model, X):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    return time.perf_counter() - start


def tour_munmf(out_dir):
    """Fit MUNMF to the digits beside scikit-learn's NMF; save the parts."""
    X = load_digits().data
    k = 16
    print(f"MUNMF on the handwritten digits ({X.shape[0]} x {X.shape[1]}), k={k}")
    rows = []
    ours = MUNMF(k, random_state=0, max_iter=200)
    for name, model in [
        ("sklearn_nmfx MUNMF", ours),
        ("sklearn NMF (cd)", NMF(k, random_state=0, max_iter=200)),
        ("sklearn NMF (mu)", NMF(k, solver="mu", random_state=0, max_iter=200)),
    ]:
        seconds = _timed_fit(model, X)
        rows.append((name, model.reconstruction_err_, model.n_iter_, seconds))
    print(f"  {'model':<20} {'error':>9} {'iter.':>6} {'seconds':>8}")
    for name, error, n_iter, seconds in rows:
        print(f"  {name:<20} {error:>9.2f} {n_iter:>6d} {seconds:>8.3f}")

    fig = new_figure("the parts", figsize=(9, 5))
    if fig is None:
        return
    pca = PCA(k, random_state=0).fit(X)
    axes = fig.subplots(4, 8)
    for j in range(k):
        for col, (parts, cmap) in enumerate(
            [(ours.components_, "Greys"), (pca.components_, "RdBu_r")]
        ):
            ax = axes[j // 4, (j % 4) + 4 * col]
            part = parts[j].reshape(8, 8)
            limit = np.abs(part).max() or 1.0
            vmin = 0 if col == 0 else -limit
            ax.imshow(part, cmap=cmap, vmin=vmin, vmax=limit)
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_title("MUNMF parts (>= 0)", loc="left", fontsize=10)
    axes[0, 4].set_title("PCA directions (signed)", loc="left", fontsize=10)
    fig.suptitle("Parts versus directions: 16 components of the digits")
    path = save_figure(fig, os.path.join(out_dir, "digits_parts.png"))
    print(f"  figure of the parts: {path}")


def run_tour(out_dir, steps):
    """Run the named steps of the tour, saving figures under ``out_dir``."""
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    for step in steps:
        print()
        if step == "munmf":
            tour_munmf(out_dir)
        else:
            module = importlib.import_module(f"sklearn_nmfx._tour_{step}")
            module.tour_step(out_dir)
    print(f"\nTour finished in {time.perf_counter() - start:.1f} s.")
