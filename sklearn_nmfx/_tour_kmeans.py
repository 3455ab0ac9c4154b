"""The k-means step of the command-line tour: the digits, beside KMeans."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import time
from pathlib import Path

from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from sklearn_nmfx._kmeans import OneHotNMFKMeans
from sklearn_nmfx._tour import new_figure, save_figure


def tour_step(out_dir):
    """Cluster the digits with OneHotNMFKMeans and KMeans; print the scores.

    Both cluster the 1797 8x8 digits into 10 groups (k-means++, ten runs,
    ``random_state=0``). One line per method gives the adjusted Rand index
    and the normalised mutual information against the true digits, the
    inertia and the time. The centroids of OneHotNMFKMeans, drawn as 8x8
    images, are saved to ``out_dir/kmeans_digits_centroids.png`` when
    matplotlib is installed.

    Parameters
    ----------
    out_dir : str or path-like
        Folder for the figure; created if missing.

    Returns
    -------
    None
    """
    digits = load_digits()
    X, y = digits.data, digits.target
    print("k-means as one-hot NMF: the digits (1797 x 64), 10 clusters")

    methods = {
        "OneHotNMFKMeans": OneHotNMFKMeans(10, n_init=10, random_state=0),
        "KMeans": KMeans(10, n_init=10, random_state=0),
    }
    print(f"  {'method':<16} {'ARI':>6} {'NMI':>6} {'inertia':>11} {'time':>8}")
    for name, model in methods.items():
        tic = time.perf_counter()
        labels = model.fit_predict(X)
        elapsed = time.perf_counter() - tic
        ari = adjusted_rand_score(y, labels)
        nmi = normalized_mutual_info_score(y, labels)
        print(
            f"  {name:<16} {ari:6.3f} {nmi:6.3f} {model.inertia_:11.4g} {elapsed:7.3f}s"
        )

    fig = new_figure("the centroids", figsize=(6, 2.8))
    if fig is None:
        return
    axes = fig.subplots(2, 5)
    for ax, centroid in zip(axes.ravel(), methods["OneHotNMFKMeans"].components_):
        ax.imshow(centroid.reshape(8, 8), cmap="gray_r")
        ax.set_axis_off()
    fig.suptitle("Centroids: the rows of H")
    path = Path(out_dir) / "kmeans_digits_centroids.png"
    save_figure(fig, str(path), dpi=100)
    print(f"  centroids saved to {path}")
