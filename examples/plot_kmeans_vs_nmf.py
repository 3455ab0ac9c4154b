"""
=================================================
Hard and soft clusters: k-means as NMF, and NMF
=================================================

:class:`~sklearn_nmfx.OneHotNMFKMeans` is k-means written as a factorisation
``X ≈ W H`` whose rows of W are one-hot: each sample belongs to exactly one
centroid. :class:`~sklearn_nmfx.MUNMF` drops that constraint and keeps only
``W ≥ 0``, so a sample may hold a little of every part. This example colours
the same points by their membership weights under both models, first in the
plane and then for samples that really are mixtures.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Membership weights
# ------------------
#
# The one-hot W of ``OneHotNMFKMeans.transform`` is already a membership:
# 1 for the sample's cluster, 0 elsewhere. For MUNMF, ``W[i, j] * H[j]`` is
# the piece of sample i that part j contributes; the sum of its entries,
# divided by the same sum over all parts, is the weight of part j in sample
# i. The weights of a sample are non-negative and add up to 1, like the
# one-hot rows. Run as a script, the example also writes its figures to PNG
# files (``save`` below).
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF, OneHotNMFKMeans


def save(fig, name):
    """Write ``fig`` to a PNG file, unless NMFX_NO_SAVE=1 (the docs build)."""
    if os.environ.get("NMFX_NO_SAVE") != "1":
        folder = os.environ.get("NMFX_FIGURE_DIR", ".")
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, name), dpi=100)


def memberships(X, k):
    """Hard weights of OneHotNMFKMeans and soft ones of MUNMF, with both H."""
    kmeans = OneHotNMFKMeans(k, n_init=10, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        nmf = MUNMF(k, max_iter=1000, random_state=0)
        W = nmf.fit_transform(X)
    share = W * nmf.components_.sum(axis=1)
    soft = share / np.maximum(share.sum(axis=1, keepdims=True), 1e-300)
    return kmeans.transform(X), kmeans.components_, soft, nmf.components_


def match(reference, weights):
    """Reorder the columns of ``weights`` to agree best with ``reference``."""
    _, order = linear_sum_assignment(reference.T @ weights, maximize=True)
    return order


# %%
# Points in the plane
# -------------------
#
# Three blobs of non-negative points: a quiet and a loud version of one
# direction (the same mixture of the two features, at two strengths), and a
# third blob in another direction. Both models get k = 2.
rng = np.random.RandomState(0)
centres = {"quiet": (1.0, 3.0), "loud": (3.0, 9.0), "other": (6.0, 2.0)}
X = np.vstack([rng.normal(c, 0.5, size=(80, 2)) for c in centres.values()])
X = np.maximum(X, 0)
hard, centroids, soft, parts = memberships(X, 2)
order = match(hard, soft)
soft, parts = soft[:, order], parts[order]

# %%
# Each point is coloured by its weight for cluster (or part) 1, from 0 to 1.
# The crosses are the k-means centroids, the rows of its H; the arrows are
# the MUNMF parts, the rows of its H, drawn from the origin and scaled to
# reach the edge of the data. With two features, two non-negative parts can
# rebuild every point exactly: MUNMF's parts are the two edges of a wedge
# that holds all the points, and a point's weights say where it sits
# between those edges. Every point on a ray from the origin holds the same
# mix of the two parts, so the weights are constant along rays.
fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), layout="constrained")
for ax, weights, title in [
    (axes[0], hard, "OneHotNMFKMeans: one-hot W (hard)"),
    (axes[1], soft, "MUNMF: non-negative W (soft)"),
]:
    points = ax.scatter(
        X[:, 0], X[:, 1], c=weights[:, 1], cmap="coolwarm", vmin=0, vmax=1,
        s=18, edgecolor="k", linewidth=0.3,
    )  # fmt: skip
    ax.set(title=title, xlabel="Feature 0", ylabel="Feature 1", aspect="equal")
    ax.set_xlim(0, 10.5)
    ax.set_ylim(0, 11)
axes[0].plot(*centroids.T, "kX", markersize=12, label="centroids (H)")
reach = np.max(np.linalg.norm(X, axis=1))
for j, part in enumerate(parts):
    tip = part / np.linalg.norm(part) * reach
    axes[1].annotate(
        "", xy=tip, xytext=(0, 0),
        arrowprops=dict(arrowstyle="->", color="k", linewidth=1.5),
    )  # fmt: skip
    axes[1].text(*(tip * 1.02), f"part {j}", fontsize=9)
axes[0].legend(loc="upper right")
fig.colorbar(points, ax=axes, label="Weight of cluster / part 1")
save(fig, "kmeans_vs_nmf_plane.png")

# %%
# k-means measures distances, so the quiet blob joins the nearer "other"
# blob and the loud one is a cluster of its own. MUNMF measures mixtures: the
# quiet and loud blobs are the same mix at two strengths, so both lean to
# part 1, and the "other" blob leans to part 0. Points between the two
# directions get weights in between. Which answer is right depends on the data: if the
# overall scale of a sample (a louder sound, a longer document) says nothing
# about its kind, the mixture view is the useful one.
#
# Samples that are mixtures
# -------------------------
#
# Now each sample is a distribution over 40 features (say, a spectrum or the
# word frequencies of a document) drawn as a mixture of three bumps, with
# proportions from a Dirichlet distribution: most samples are close to one
# bump, some are true mixtures. Rows are scaled to sum to 1, so scale plays
# no part here. Both models get k = 3; the points are shown in the plane of
# the first two principal components, where they fill a triangle whose
# corners are the pure profiles.
from sklearn.decomposition import PCA

features = np.arange(40)
profiles = np.exp(-0.5 * ((features - np.array([[8], [20], [32]])) / 4) ** 2)
proportions = rng.dirichlet([0.25, 0.25, 0.25], size=300)
mixed = proportions @ profiles
mixed = np.maximum(mixed + 0.003 * rng.standard_normal(mixed.shape), 0)
mixed /= mixed.sum(axis=1, keepdims=True)

hard, _, soft, _ = memberships(mixed, 3)
hard = hard[:, match(proportions, hard)]
soft = soft[:, match(proportions, soft)]
plane = PCA(2, random_state=0).fit_transform(mixed)

fig = plt.figure(figsize=(11, 7.4), layout="constrained")
for subfig, weights, title, what in zip(
    fig.subfigures(2, 1, hspace=0.04),
    [hard, soft],
    ["OneHotNMFKMeans: hard weights", "MUNMF: soft weights"],
    ["cluster", "part"],
):
    axes = subfig.subplots(1, 3, sharex=True, sharey=True)
    for j, ax in enumerate(axes):
        points = ax.scatter(
            *plane.T, c=weights[:, j], cmap="viridis", vmin=0, vmax=1, s=12
        )
        ax.set(title=f"Weight of {what} {j}", xlabel="First principal component")
    axes[0].set_ylabel("Second principal component")
    subfig.suptitle(title)
    subfig.colorbar(points, ax=axes, label="Membership weight")
save(fig, "kmeans_vs_nmf_mixtures.png")

# %%
# k-means cuts the triangle into three regions, and a sample halfway between
# two corners is forced into one of them. MUNMF's weights fade from each
# corner to the opposite side. They are more than a softened clustering: they
# estimate the proportions the samples were drawn with.
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True, layout="constrained")
for j, ax in enumerate(axes):
    ax.plot([0, 1], [0, 1], color="0.7", linewidth=1)
    ax.scatter(proportions[:, j], hard[:, j], s=10, label="OneHotNMFKMeans")
    ax.scatter(proportions[:, j], soft[:, j], s=10, label="MUNMF")
    ax.set(
        title=f"Cluster {j}",
        xlabel="True proportion of profile",
        xlim=(-0.02, 1.02),
        ylim=(-0.05, 1.05),
    )
axes[0].set_ylabel("Membership weight")
axes[0].legend(loc="upper left")
save(fig, "kmeans_vs_nmf_proportions.png")

for name, weights in [("OneHotNMFKMeans", hard), ("MUNMF", soft)]:
    error = np.abs(weights - proportions).sum(axis=1).mean() / 2
    print(f"{name:<16} mean distance to the true proportions: {error:.3f}")

# %%
# What to take away
# -----------------
#
# k-means and NMF fit the same model ``X ≈ W H``; k-means only asks more of
# W. The one-hot constraint makes a hard clustering by distance, with
# centroids that are averages of the data. Relaxing it to ``W ≥ 0`` turns
# each sample into a blend of parts: a soft clustering by mixture, which
# ignores overall scale and tells how much of each part a sample holds.
# Use the first when every sample is of one kind; use the second when
# samples mix their ingredients, as sounds, documents and spectra do.
plt.show()
