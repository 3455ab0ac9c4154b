"""
=========================================
Choosing the number of components
=========================================

:meth:`MUNMF.score <sklearn_nmfx.MUNMF.score>` is a held-out fit, so
:class:`~sklearn.model_selection.GridSearchCV` with no ``scoring`` chooses the
``n_components`` of :class:`~sklearn_nmfx.MUNMF` without labels. The score of
:class:`~sklearn_nmfx.OneHotNMFKMeans` is minus the inertia, as for KMeans,
which only improves with more clusters, so its k is chosen with a criterion
outside ``score``: here the silhouette, beside the elbow of the inertia.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data with a known number of parts
# ---------------------------------
#
# :func:`~sklearn_nmfx.datasets.make_planted_nmf` draws ``X = W @ H`` with
# five parts and adds Gaussian noise, so the right answer is known: 5. Run
# as a script, the example also writes its figures to PNG files (``save``
# below).
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_nmfx import MUNMF
from sklearn_nmfx.datasets import make_planted_nmf


def save(fig, name):
    """Write ``fig`` to a PNG file, unless NMFX_NO_SAVE=1 (the docs build)."""
    if os.environ.get("NMFX_NO_SAVE") != "1":
        folder = os.environ.get("NMFX_FIGURE_DIR", ".")
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, name), dpi=100)


planted_k = 5
X, _, _ = make_planted_nmf(200, 60, planted_k, noise_level=0.1, random_state=0)
print(f"X: {X.shape[0]} samples x {X.shape[1]} features, {planted_k} parts planted")

# %%
# A grid search with no scoring
# -----------------------------
#
# Without ``scoring``, GridSearchCV ranks the candidates by the estimator's
# own ``score`` on each held-out fold. ``MUNMF.score`` splits the features
# of the held-out samples in two halves, fits the samples' codes to one half
# with the components fixed, and predicts the other half from them (then the
# halves swap). A model with too few parts misses structure; one with too
# many fits the noise of the visible half and predicts the hidden half
# worse. So the score peaks near the planted k, where the training error
# would only keep falling.
ks = list(range(1, 11))
with warnings.catch_warnings():
    # The default 200 iterations are plenty to compare the candidates.
    warnings.simplefilter("ignore", ConvergenceWarning)
    search = GridSearchCV(MUNMF(random_state=0), {"n_components": ks}, cv=5)
    search.fit(X)
    training_error = [MUNMF(k, random_state=0).fit(X).reconstruction_err_ for k in ks]
chosen_k = search.best_params_["n_components"]
mean = search.cv_results_["mean_test_score"]
std = search.cv_results_["std_test_score"]
print(f"GridSearchCV chose n_components={chosen_k} (planted: {planted_k})")
for k, m, s in zip(ks, mean, std):
    print(f"  k={k:2d}  held-out score {m:9.5f} +/- {s:.5f}")

# %%
# Minus the score, a held-out loss, falls steeply up to the planted k and then
# rises slowly (a log scale shows both); the reconstruction error of the fit
# on all of X keeps falling, so it cannot choose k.
fig, (ax_score, ax_error) = plt.subplots(1, 2, figsize=(9, 3.5))
ax_score.errorbar(ks, -mean, yerr=std, marker="o", capsize=3)
ax_score.axvline(planted_k, color="tab:green", linestyle="--", label="planted k")
ax_score.plot(chosen_k, -mean[ks.index(chosen_k)], "r*", ms=14, label="chosen k")
ax_score.set_yscale("log")
ax_score.set_xlabel("n_components")
ax_score.set_ylabel("held-out loss (minus mean score)")
ax_score.set_title("MUNMF.score in GridSearchCV")
ax_score.legend()
ax_error.plot(ks, training_error, marker="o", color="tab:gray")
ax_error.axvline(planted_k, color="tab:green", linestyle="--")
ax_error.set_xlabel("n_components")
ax_error.set_ylabel("reconstruction_err_")
ax_error.set_title("Training error: always falls")
fig.tight_layout()
save(fig, "choosing_k_munmf.png")

# %%
# Clusters: the score is not the criterion
# ----------------------------------------
#
# :class:`~sklearn_nmfx.OneHotNMFKMeans` is k-means, and its ``score`` is
# minus the inertia, as for :class:`~sklearn.cluster.KMeans`: the squared
# distance of each sample to its nearest centroid. More centroids are always
# nearer, so a grid search on ``score`` takes the largest k it is offered.
# Four blobs in five dimensions, with non-negative features like the data NMF
# is made for:
from sklearn.datasets import make_blobs

from sklearn_nmfx import OneHotNMFKMeans

planted_clusters = 4
blobs, _ = make_blobs(
    600, n_features=5, centers=planted_clusters, center_box=(2, 20), random_state=0
)
blobs = np.maximum(blobs, 0)
cluster_ks = list(range(2, 11))
by_score = GridSearchCV(
    OneHotNMFKMeans(random_state=0), {"n_components": cluster_ks}, cv=5
).fit(blobs)
print(
    f"GridSearchCV on score chose n_components="
    f"{by_score.best_params_['n_components']} (planted: {planted_clusters})"
)

# %%
# The silhouette of a sample compares its mean distance to the other samples
# of its cluster with that to the nearest other cluster; its mean over the
# samples is highest when the clusters are compact and well apart, whatever
# their number. It needs no labels either, so it makes a scorer for
# GridSearchCV: cluster the held-out fold with the fitted centroids and
# score that clustering.
from sklearn.metrics import silhouette_score


def silhouette_scorer(estimator, X, y=None):
    """Mean silhouette of the held-out samples, clustered by ``predict``."""
    return silhouette_score(X, estimator.predict(X))


by_silhouette = GridSearchCV(
    OneHotNMFKMeans(random_state=0),
    {"n_components": cluster_ks},
    cv=5,
    scoring=silhouette_scorer,
).fit(blobs)
silhouette_k = by_silhouette.best_params_["n_components"]
print(
    f"GridSearchCV on the silhouette chose n_components={silhouette_k} "
    f"(planted: {planted_clusters})"
)

# %%
# The elbow of the inertia is the other usual criterion: the inertia falls
# fast while each new centroid splits a real cluster and slowly after. Here
# the elbow is read as the k after which one more cluster removes less than
# a tenth of the inertia that is left.
#
# Both criteria are heuristics, and they can disagree. On blobs that touch,
# the silhouette tends to merge neighbours and choose fewer clusters than
# were planted (with ``center_box=(2, 12)`` it chose 2 or 3 for three of the
# six seeds we tried, where the elbow found 4 for all six), so it is worth
# plotting both.
inertia = np.array(
    [OneHotNMFKMeans(k, random_state=0).fit(blobs).inertia_ for k in cluster_ks]
)
gain = 1 - inertia[1:] / inertia[:-1]
elbow_k = cluster_ks[int(np.argmax(gain < 0.1))]
print(f"Elbow of the inertia at n_components={elbow_k}")

fig, (ax_sil, ax_inertia) = plt.subplots(1, 2, figsize=(9, 3.5))
sil_mean = by_silhouette.cv_results_["mean_test_score"]
ax_sil.errorbar(
    cluster_ks,
    sil_mean,
    yerr=by_silhouette.cv_results_["std_test_score"],
    marker="o",
    capsize=3,
)
ax_sil.axvline(planted_clusters, color="tab:green", linestyle="--", label="planted")
ax_sil.plot(
    silhouette_k, sil_mean[cluster_ks.index(silhouette_k)], "r*", ms=14, label="chosen"
)
ax_sil.set_xlabel("n_components")
ax_sil.set_ylabel("mean held-out silhouette")
ax_sil.set_title("Silhouette: peaks at the clusters")
ax_sil.legend()
ax_inertia.plot(cluster_ks, inertia, marker="o", color="tab:gray")
ax_inertia.axvline(planted_clusters, color="tab:green", linestyle="--")
ax_inertia.plot(elbow_k, inertia[cluster_ks.index(elbow_k)], "r*", ms=14)
ax_inertia.set_xlabel("n_components")
ax_inertia.set_ylabel("inertia_ (= -score on the training set)")
ax_inertia.set_title("Inertia: always falls, bends at the clusters")
fig.tight_layout()
save(fig, "choosing_k_kmeans.png")

# %%
# What to take away
# -----------------
#
# A model selection criterion must get worse when k is too large, and a
# training error never does. For MUNMF, the held-out ``score`` is such a
# criterion, so a plain :class:`~sklearn.model_selection.GridSearchCV`
# finds the planted rank without any labels. For OneHotNMFKMeans, as for
# KMeans, ``score`` is minus the inertia, which keeps improving with k: pass
# a criterion such as the silhouette as ``scoring``, and look at the elbow of
# the inertia too, since each heuristic can fail where the other holds.
plt.show()
