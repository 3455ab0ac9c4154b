"""
=============================================
Clustering documents: k-means as one-hot NMF
=============================================

:class:`~sklearn_nmfx.OneHotNMFKMeans` is k-means written as a non-negative
matrix factorisation whose coefficients are one-hot, so its centroids are
non-negative parts that read like the topics of :class:`~sklearn_nmfx.MUNMF`.
Here it clusters the docstrings of eight Python standard-library modules from
their tf-idf vectors and is scored against the module each docstring comes
from, beside :class:`~sklearn.cluster.KMeans` and MUNMF.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The corpus
# ----------
#
# :func:`~sklearn_nmfx.datasets.load_stdlib_docstrings` gathers one document
# per public function, class and method of each module, labelled by module.
# It is built from the running Python, so nothing is downloaded. Run as a
# script, the example also writes its figures to PNG files (``save``
# below).
import os

import numpy as np

from sklearn_nmfx.datasets import load_stdlib_docstrings


def save(fig, name):
    """Write ``fig`` to a PNG file, unless NMFX_NO_SAVE=1 (the docs build)."""
    if os.environ.get("NMFX_NO_SAVE") != "1":
        folder = os.environ.get("NMFX_FIGURE_DIR", ".")
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, name), dpi=100)


corpus = load_stdlib_docstrings()
n_modules = len(corpus.target_names)
print(f"{len(corpus.data)} docstrings from {n_modules} modules:")
for name, count in zip(corpus.target_names, np.bincount(corpus.target)):
    print(f"  {name:<12} {count:3d}")

# %%
# tf-idf vectors
# --------------
#
# Each docstring becomes a sparse, non-negative row of tf-idf weights. Words
# in more than half of the documents ("return", "object") say nothing about
# the module and are dropped, and so are words seen only once.
from sklearn.feature_extraction.text import TfidfVectorizer

vectorizer = TfidfVectorizer(
    stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True
)
X = vectorizer.fit_transform(corpus.data)
terms = vectorizer.get_feature_names_out()
print(f"X: {X.shape[0]} documents x {X.shape[1]} terms, {X.nnz} non-zeros")

# %%
# One cluster per module
# ----------------------
#
# The clusterer works on the sparse matrix as it is; it is never made dense.
# Its ``components_`` are the centroids: the mean tf-idf vector of each
# cluster, non-negative like the data, so the largest entries of a row are
# the terms that define the cluster.
from sklearn_nmfx import OneHotNMFKMeans

kmeans_nmf = OneHotNMFKMeans(n_modules, n_init=10, random_state=0)
labels = kmeans_nmf.fit_predict(X)

for j, centroid in enumerate(kmeans_nmf.components_):
    top = terms[np.argsort(centroid)[::-1][:6]]
    members = corpus.target[labels == j]
    majority = corpus.target_names[np.bincount(members).argmax()]
    print(f"cluster {j} ({len(members):3d} docs, mostly {majority}): {' '.join(top)}")

# %%
# The same model, read as a factorisation: ``transform`` gives the one-hot W,
# ``inverse_transform`` gives W H, each document's centroid, and the squared
# error of that reconstruction is the inertia that k-means minimises.
W = kmeans_nmf.transform(X)
residual = X - kmeans_nmf.inverse_transform(W)
print(f"||X - W H||^2 = {np.sum(np.asarray(residual) ** 2):.4f}")
print(f"inertia_      = {kmeans_nmf.inertia_:.4f}")

# %%
# Beside KMeans and MUNMF
# -----------------------
#
# The adjusted Rand index and the normalised mutual information compare each
# clustering with the modules (1 is a perfect match, 0 is chance). MUNMF
# gives soft weights; its clusters are the argmax of each row of W.
# ``init='nmf'`` starts k-means from the MUNMF solution, hardened.
import time
import warnings

from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from sklearn_nmfx import MUNMF


def munmf_labels(X):
    """Clusters of MUNMF: the part each document holds most of."""
    with warnings.catch_warnings():
        # A few hundred iterations are plenty for this comparison.
        warnings.simplefilter("ignore", ConvergenceWarning)
        W = MUNMF(n_modules, max_iter=500, random_state=0).fit_transform(X)
    return W.argmax(axis=1)


methods = {
    "OneHotNMFKMeans": lambda X: OneHotNMFKMeans(
        n_modules, n_init=10, random_state=0
    ).fit_predict(X),
    "OneHotNMFKMeans\n(init='nmf')": lambda X: OneHotNMFKMeans(
        n_modules, init="nmf", random_state=0
    ).fit_predict(X),
    "KMeans": lambda X: KMeans(n_modules, n_init=10, random_state=0).fit_predict(X),
    "MUNMF (argmax W)": munmf_labels,
}
scores = {}
for name, cluster in methods.items():
    tic = time.perf_counter()
    found = cluster(X)
    elapsed = time.perf_counter() - tic
    scores[name] = (
        adjusted_rand_score(corpus.target, found),
        normalized_mutual_info_score(corpus.target, found),
    )
    label = name.replace("\n", " ")
    print(
        f"{label:<30} ARI {scores[name][0]:.3f}  NMI {scores[name][1]:.3f}  "
        f"({elapsed:.2f} s)"
    )

# %%
# Plot the scores
# ---------------
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 3.5))
positions = np.arange(len(scores))
ari, nmi = np.array(list(scores.values())).T
ax.bar(positions - 0.2, ari, width=0.4, label="ARI")
ax.bar(positions + 0.2, nmi, width=0.4, label="NMI")
ax.set_xticks(positions, list(scores), fontsize=8)
ax.set_ylabel("agreement with the modules")
ax.set_ylim(0, 1)
ax.legend()
ax.set_title("Clustering stdlib docstrings by module")
fig.tight_layout()
save(fig, "text_clustering_scores.png")

# %%
# Which modules end up together
# -----------------------------
#
# Rows are modules, columns the clusters of ``OneHotNMFKMeans``, ordered by
# the module most of their documents come from. A clean diagonal would be a
# perfect clustering; off-diagonal counts show modules whose docstrings share
# a vocabulary.
from sklearn.metrics.cluster import contingency_matrix

table = contingency_matrix(corpus.target, labels)
table = table[:, np.argsort(table.argmax(axis=0), kind="stable")]
fig, ax = plt.subplots(figsize=(6, 4.5))
image = ax.imshow(table, cmap="Blues")
ax.set_yticks(np.arange(n_modules), corpus.target_names)
ax.set_xlabel("cluster")
for (i, j), count in np.ndenumerate(table):
    if count:
        ax.text(j, i, count, ha="center", va="center", fontsize=8)
fig.colorbar(image, ax=ax, label="documents")
ax.set_title("Modules against clusters")
fig.tight_layout()
save(fig, "text_clustering_contingency.png")

# %%
# What to take away
# -----------------
#
# k-means is the NMF whose weights are one-hot: OneHotNMFKMeans returns the
# same kind of answer as KMeans, and its centroids read as non-negative
# parts whose top terms name the clusters. Starting it from an MUNMF
# solution (``init='nmf'``) helps here. The modules overlap in vocabulary,
# so no method recovers them exactly: the contingency table shows which
# ones share their words.
plt.show()
