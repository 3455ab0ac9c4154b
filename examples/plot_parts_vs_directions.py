"""
==================================================
Parts versus directions: PCA against NMF
==================================================

:class:`~sklearn.decomposition.PCA` and :class:`~sklearn_nmfx.MUNMF` both
describe every sample as a weighted sum of a few components, but only NMF
keeps the components and the weights non-negative. This example puts the two
side by side on the magnitude spectrogram of a short recording and on the
handwritten digits, to show what that constraint changes: PCA finds signed
directions, NMF finds parts that look like the data.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# A spectrogram
# -------------
#
# :func:`~sklearn_nmfx.datasets.make_audio_mixture` makes three seconds of a
# melody of harmonic notes played over bursts of noise, at 16 kHz.
# :func:`~sklearn_nmfx.audio.stft` cuts it into 64 ms frames every 16 ms; the
# magnitudes of the frames, one row per frame and one column per frequency
# bin, are the data ``X``. Every entry is an amount of energy, so none is
# negative. Run as a script, the example also writes its figures to PNG files
# (``save`` below).
import os
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import MUNMF
from sklearn_nmfx.audio import bin_frequencies, frame_times, stft
from sklearn_nmfx.datasets import make_audio_mixture


def save(fig, name):
    """Write ``fig`` to a PNG file, unless NMFX_NO_SAVE=1 (the docs build)."""
    if os.environ.get("NMFX_NO_SAVE") != "1":
        folder = os.environ.get("NMFX_FIGURE_DIR", ".")
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, name), dpi=100)


N_FFT, HOP, RATE = 1024, 256, 16000
data = make_audio_mixture(n_sources=2, duration=3.0, random_state=0)
X = np.abs(stft(data.mixture, n_fft=N_FFT, hop_length=HOP))
freqs = bin_frequencies(sample_rate=RATE, n_fft=N_FFT)
times = frame_times(X.shape[0], sample_rate=RATE, n_fft=N_FFT, hop_length=HOP)
print(f"X: {X.shape[0]} frames x {X.shape[1]} frequency bins, min {X.min():.1f}")

# %%
# Six components each
# -------------------
#
# PCA takes the directions of largest variance around the mean frame; MUNMF
# (Kullback-Leibler loss, which suits magnitudes) takes six non-negative
# spectra whose non-negative mixtures rebuild the frames.
k = 6
pca = PCA(k, random_state=0).fit(X)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    nmf = MUNMF(k, beta_loss="kullback-leibler", max_iter=300, random_state=0)
    W = nmf.fit_transform(X)

# %%
# Each component is a spectrum, one value per frequency bin, drawn here up to
# 4 kHz and scaled to a largest magnitude of 1. Blue is positive, red
# negative.


def draw_spectra(ax, components, title):
    """Components as stacked spectra, each scaled to a peak magnitude of 1."""
    shown = freqs <= 4000
    for j, component in enumerate(components):
        curve = component[shown] / np.abs(component[shown]).max()
        base = -2.2 * j
        ax.fill_between(
            freqs[shown], base, base + curve, where=curve >= 0, color="tab:blue"
        )
        ax.fill_between(
            freqs[shown], base, base + curve, where=curve < 0, color="tab:red"
        )
        ax.axhline(base, color="0.6", linewidth=0.5)
    ax.set_yticks(-2.2 * np.arange(len(components)), np.arange(1, k + 1))
    ax.set(title=title, xlabel="Frequency (Hz)", ylabel="Component")


fig, (ax_pca, ax_nmf) = plt.subplots(1, 2, figsize=(11, 5), sharex=True)
draw_spectra(ax_pca, pca.components_, "PCA: signed directions")
draw_spectra(ax_nmf, nmf.components_, "MUNMF: non-negative parts")
fig.suptitle("Components of a spectrogram (each scaled to a peak of 1)")
fig.tight_layout()
save(fig, "parts_vs_directions_spectra.png")

negative = [np.abs(c[c < 0]).sum() / np.abs(c).sum() for c in pca.components_]
print("share of each PCA component's mass below zero:", np.round(negative, 2))

# %%
# The MUNMF parts read as sounds: combs of harmonics, most at a single pitch
# (the notes of the melody), and a flat spectrum (the noise bursts). Beyond the
# first, every PCA component is at least half negative: it adds energy at some
# frequencies and removes it at others, an "anti-sound" that no source
# emits. It has to be so: the components are orthogonal to each other, and
# two vectors that are positive everywhere cannot be orthogonal.
#
# When the components sound
# -------------------------
#
# The weights tell the same story over time. Those of PCA are coordinates
# around the mean frame, positive and negative alike; those of MUNMF are how
# loud each part is in each frame, and most are near zero: only the notes
# being played are switched on.
pca_codes = pca.transform(X)
fig, (ax_pca, ax_nmf) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained")
extent = (times[0], times[-1], k + 0.5, 0.5)
limit = np.abs(pca_codes).max()
image = ax_pca.imshow(
    pca_codes.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit,
    extent=extent, interpolation="nearest",
)  # fmt: skip
fig.colorbar(image, ax=ax_pca, label="Weight (signed)")
ax_pca.set(title="PCA weights", xlabel="Time (s)", ylabel="Component")
image = ax_nmf.imshow(
    W.T, aspect="auto", cmap="Blues", vmin=0, extent=extent, interpolation="nearest"
)
fig.colorbar(image, ax=ax_nmf, label="Activation (>= 0)")
ax_nmf.set(title="MUNMF activations", xlabel="Time (s)", ylabel="Component")
save(fig, "parts_vs_directions_weights.png")

# %%
# The handwritten digits
# ----------------------
#
# The same comparison on 1797 images of 8x8 pixels from
# :func:`~sklearn.datasets.load_digits`, with 16 components. Each component
# is an image; it is divided by its largest magnitude so that one colour bar
# serves them all.
from sklearn.datasets import load_digits

digits = load_digits().data
k_digits = 16
pca_digits = PCA(k_digits, random_state=0).fit(digits)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    nmf_digits = MUNMF(k_digits, max_iter=300, random_state=0).fit(digits)

fig = plt.figure(figsize=(11, 5.2), layout="constrained")
for subfig, (components, cmap, vmin, title) in zip(
    fig.subfigures(1, 2, wspace=0.05),
    [
        (pca_digits.components_, "RdBu_r", -1, "PCA: signed directions"),
        (nmf_digits.components_, "Greys", 0, "MUNMF: non-negative parts"),
    ],
):
    axes = subfig.subplots(4, 4)
    for ax, component in zip(axes.ravel(), components):
        image = ax.imshow(
            component.reshape(8, 8) / np.abs(component).max(),
            cmap=cmap, vmin=vmin, vmax=1, interpolation="nearest",
        )  # fmt: skip
        ax.set_xticks([])
        ax.set_yticks([])
    subfig.suptitle(title)
    subfig.colorbar(image, ax=axes, shrink=0.8, label="Pixel value / largest")
save(fig, "parts_vs_directions_digits.png")

# %%
# The parts of MUNMF are short pieces of stroke, each at its own place in the
# frame, and a digit is drawn by adding a few of them.
# Each PCA component mixes a positive digit-like shape with a negative one
# elsewhere in the frame, and a digit is drawn by adding and cancelling
# them. What the constraint costs in fit is small:
for name, model, codes in [
    ("PCA", pca_digits, pca_digits.transform(digits)),
    ("MUNMF", nmf_digits, nmf_digits.transform(digits)),
]:
    error = np.linalg.norm(digits - model.inverse_transform(codes))
    relative = error / np.linalg.norm(digits)
    print(f"{name:<6} ||X - rebuilt||_F = {error:7.1f} ({relative:.1%} of ||X||_F)")

# %%
# What to take away
# -----------------
#
# PCA is the best fit of a given rank in the least-squares sense (and it
# also subtracts the mean), so its error is the lower one. But its
# components are directions, meaningful only together and with their signs.
# NMF trades a little error for components that are ingredients: each is a
# spectrum a source could emit, or a piece of ink, and each sample is a sum
# of them with no cancellation. That is what lets NMF separate sources and
# find parts in data that are amounts.
plt.show()
