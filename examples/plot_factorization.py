"""
=========================================
The factorisation X ≈ W H, cell by cell
=========================================

:class:`~sklearn_nmfx.MUNMF` approximates a non-negative matrix by the
product of two smaller non-negative ones. On a matrix small enough to see
every entry, this example draws the data, the two factors and their product
as heatmaps, takes one row apart into the parts it is made of, and shows how
the approximation improves as the number of parts k grows.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# A small matrix with three planted parts
# ---------------------------------------
#
# :func:`~sklearn_nmfx.datasets.make_planted_nmf` multiplies random
# non-negative codes (10 x 3) by three random non-negative parts (3 x 8) and
# adds a little noise. Rows are samples and columns features, as everywhere
# in scikit-learn. (The lesson writes the transpose, ``V = X.T``: its
# columns of W are our rows of H.) Run as a script, the example also writes
# its figures to PNG files (``save`` below).
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF
from sklearn_nmfx.datasets import make_planted_nmf


def save(fig, name):
    """Write ``fig`` to a PNG file, unless NMFX_NO_SAVE=1 (the docs build)."""
    if os.environ.get("NMFX_NO_SAVE") != "1":
        folder = os.environ.get("NMFX_FIGURE_DIR", ".")
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, name), dpi=100)


X, W_true, H_true = make_planted_nmf(10, 8, 3, noise_level=0.05, random_state=1)
print(f"X: {X.shape[0]} samples x {X.shape[1]} features, 3 planted parts")

# %%
# Fit with k = 3
# --------------
#
# ``fit_transform`` returns W, one row per sample; ``components_`` is H, one
# part per row. The factorisation does not fix the scale of a part (W H is
# unchanged if a column of W is doubled and the matching row of H halved),
# so we scale every column of W to a largest value of 1 and give H the
# scale: a row of H is then its part at full strength, in the units of X.


def fit(k):
    """W and H of a k-part MUNMF, each column of W scaled to a peak of 1."""
    with warnings.catch_warnings():
        # Run long and tight: this matrix is tiny.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = MUNMF(k, max_iter=2000, tol=1e-8, random_state=0)
        W = model.fit_transform(X)
    peak = np.maximum(W.max(axis=0), np.finfo(float).tiny)
    return W / peak, model.components_ * peak[:, None]


W, H = fit(3)
WH = W @ H

# %%
# X ≈ W · H as heatmaps: one cell per entry, on one colour scale for X, H
# and their product, and on a scale of 0 to 1 for the weights W.
data_norm = Normalize(0, X.max())
fig, axes = plt.subplots(
    1, 7, figsize=(12, 4), layout="constrained",
    gridspec_kw={"width_ratios": [8, 1.2, 3, 1.2, 8, 1.2, 8]},
)  # fmt: skip
panels = [
    (axes[0], X, "X (data)", data_norm, "Features"),
    (axes[2], W, "W (weights)", Normalize(0, 1), "Part"),
    (axes[4], H, "H (parts)", data_norm, "Features"),
    (axes[6], WH, "W · H", data_norm, "Features"),
]
for ax, matrix, title, norm, xlabel in panels:
    image = ax.imshow(matrix, cmap="viridis", norm=norm)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_xticks(range(matrix.shape[1]))
    ax.set_yticks(range(matrix.shape[0]))
for ax in (axes[0], axes[2]):
    ax.set_ylabel("Sample")
axes[4].set_ylabel("Part")
for ax, sign in zip(axes[1::2], ["≈", "×", "="]):
    ax.text(0.5, 0.5, sign, fontsize=28, ha="center", va="center")
    ax.set_axis_off()
fig.colorbar(
    plt.cm.ScalarMappable(data_norm, "viridis"), ax=axes[6], label="Value (X units)"
)
fig.colorbar(
    plt.cm.ScalarMappable(Normalize(0, 1), "viridis"),
    ax=axes[2],
    label="Weight (peak 1)",
    location="bottom",
)
save(fig, "factorization_heatmaps.png")

error = np.linalg.norm(X - WH)
print(f"||X - W H||_F = {error:.3f}, {error / np.linalg.norm(X):.1%} of ||X||_F")

# %%
# The parts found are the planted ones, up to their order and scale: the
# cosine similarity of each learnt part with its closest planted part is
# close to 1.
unit = H / np.linalg.norm(H, axis=1, keepdims=True)
unit_true = H_true / np.linalg.norm(H_true, axis=1, keepdims=True)
print("best cosine with a planted part:", np.round((unit @ unit_true.T).max(1), 3))

# %%
# One row at a time
# -----------------
#
# Row i of W H is ``sum_j W[i, j] * H[j]``: the parts, each scaled by the
# sample's weight for it, stacked. Because every weight and every part is
# non-negative, the stack can only add: no part can cancel another.
share = W * H.sum(axis=1) / WH.sum(axis=1, keepdims=True)
mixed = np.argmin(np.abs(share - 1 / 3).sum(axis=1))
rows = [np.argmax(share[:, 0]), np.argmax(share[:, 1]), mixed]
colors = ["tab:blue", "tab:orange", "tab:green"]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True, layout="constrained")
for ax, i in zip(axes, rows):
    bottom = np.zeros(X.shape[1])
    for j, color in enumerate(colors):
        contribution = W[i, j] * H[j]
        ax.bar(
            range(X.shape[1]), contribution, bottom=bottom, color=color,
            width=0.7, label=f"W[i, {j}] · H[{j}]",
        )  # fmt: skip
        bottom += contribution
    ax.plot(range(X.shape[1]), X[i], "k_", markersize=18, mew=2, label="X[i]")
    weights = ", ".join(f"{w:.2f}" for w in W[i])
    ax.set(title=f"Sample i = {i}, W[i] = ({weights})", xlabel="Feature")
    ax.set_xticks(range(X.shape[1]))
axes[0].set_ylabel("Value (X units)")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right center")
save(fig, "factorization_rows.png")

# %%
# How many parts?
# ---------------
#
# With k = 1 every sample is a multiple of one part; each new part lets the
# rows vary in one more way. The residual ``X - W H`` shrinks quickly up to
# the planted k = 3 and then only fits the noise. (The planted rank is known
# here; the example "Choosing the number of components" finds it from the
# data alone.)
ks = [1, 2, 3, 4, 5]
rebuilt = {k: np.matmul(*fit(k)) for k in ks}
limit = max(np.abs(X - R).max() for R in rebuilt.values())

fig = plt.figure(figsize=(12, 5.6), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=[2.2, 1])
axes = top.subplots(2, len(ks) + 1)
axes[0, 0].imshow(X, cmap="viridis", norm=data_norm)
axes[0, 0].set_title("X (data)")
axes[1, 0].set_axis_off()
for col, k in enumerate(ks, start=1):
    image = axes[0, col].imshow(rebuilt[k], cmap="viridis", norm=data_norm)
    axes[0, col].set_title(f"W · H, k = {k}")
    residual = axes[1, col].imshow(
        X - rebuilt[k], cmap="RdBu_r", vmin=-limit, vmax=limit
    )
    axes[1, col].set_title(f"X - W · H, k = {k}")
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
top.colorbar(image, ax=axes[0], label="Value (X units)")
top.colorbar(residual, ax=axes[1], label="Residual (X units)")
ax = bottom.subplots()
errors = [np.linalg.norm(X - rebuilt[k]) for k in ks]
ax.plot(ks, errors, "o-")
ax.axvline(3, color="tab:green", linestyle="--", label="planted k")
ax.set(xlabel="Number of parts k", ylabel="||X - W H||_F", xticks=ks)
ax.legend()
save(fig, "factorization_k.png")

# %%
# What to take away
# -----------------
#
# NMF writes every sample as a non-negative blend of k parts: W says how
# much of each part a sample holds, H what each part looks like. Nothing
# can be subtracted, so each part must be a piece of the data itself, which
# is why the planted parts come back. More parts always fit better, but
# past the number of real parts they only fit the noise.
plt.show()
