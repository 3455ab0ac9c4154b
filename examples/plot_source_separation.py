"""
=========================================
Audio source separation with NMF parts
=========================================

:class:`~sklearn_nmfx.SpectrogramSeparator` factorises the magnitude
spectrogram of a mixture into spectral parts with :class:`~sklearn_nmfx.MUNMF`,
gives each part to a source, and cuts every source out of the mixture with a
Wiener mask. Here it separates the built-in mixture of
:func:`~sklearn_nmfx.datasets.make_audio_mixture`, blind and supervised, and
scores each separation against the true sources beside the unprocessed
mixture, the ideal ratio mask and the same pipeline on scikit-learn's
:class:`~sklearn.decomposition.NMF`.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# The mixture
# -----------
#
# A melody of decaying harmonic notes and bursts of percussive noise, 4 s at
# 16 kHz, with equal energy. :func:`~sklearn_nmfx.audio.stft` turns the
# signal into complex frames, one row per time frame and one column per
# frequency bin: the orientation of scikit-learn's ``X``. (A librosa-style
# ``(bins, frames)`` array is the transpose.) The separator works on the
# magnitudes ``abs(frames)``.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_nmfx.audio import bin_frequencies, frame_times, istft, stft
from sklearn_nmfx.datasets import make_audio_mixture

N_FFT, HOP = 1024, 256  # 64 ms frames every 16 ms at 16 kHz
data = make_audio_mixture(n_sources=2, random_state=0)
rate, mixture, references = data.sample_rate, data.mixture, data.sources
frames = stft(mixture, n_fft=N_FFT, hop_length=HOP)
X = np.abs(frames)
times = frame_times(X.shape[0], sample_rate=rate, n_fft=N_FFT, hop_length=HOP)
freqs = bin_frequencies(sample_rate=rate, n_fft=N_FFT)
extent = (times[0], times[-1], freqs[0], freqs[-1])
print(f"{data.source_names}: {X.shape[0]} frames x {X.shape[1]} bins")


def db(values):
    """Level in dB below the peak, cut at -80 dB."""
    return 20 * np.log10(np.maximum(values / values.max(), 1e-4))


fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), layout="constrained")
for ax, title, signal in zip(
    axes, ["Mixture", *data.source_names], [mixture, *references]
):
    image = ax.imshow(
        db(np.abs(stft(signal, n_fft=N_FFT, hop_length=HOP))).T,
        origin="lower", aspect="auto", cmap="magma", extent=extent,
    )  # fmt: skip
    ax.set(title=title, xlabel="Time (s)", ylabel="Frequency (Hz)")
fig.colorbar(image, ax=axes, label="Level (dB below peak)")

# %%
# Blind separation
# ----------------
#
# Twenty parts are learnt from the mixture alone (Kullback-Leibler
# divergence, up to 1000 iterations: multiplicative updates converge
# slowly), then grouped into two sources by their timbre: spectral envelope,
# pitch and noisiness. ``fit_separate`` accepts the complex frames:
# the masks come from the magnitudes and are applied to the complex values,
# so each source keeps the mixture's phase and the sources add up to it.
from sklearn_nmfx import SpectrogramSeparator

blind = SpectrogramSeparator(2, n_components=20, max_iter=1000, random_state=0)
blind_sources = blind.fit_separate(frames)
print("part -> source:", blind.component_sources_)
print("sources add up to the mixture:", np.allclose(blind_sources.sum(0), frames))

# %%
# The parts, sorted by source, and their activations over time. Harmonic
# parts are combs of lines; noise parts spread over every frequency.
W = blind.activations(X)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5), layout="constrained")
image = axes[0].imshow(
    db(blind.components_).T, origin="lower", aspect="auto", cmap="magma",
    extent=(-0.5, 19.5, freqs[0], freqs[-1]),
)  # fmt: skip
axes[0].set(title="Parts", xlabel="Part (sorted by source)", ylabel="Frequency (Hz)")
fig.colorbar(image, ax=axes[0], label="Level (dB below peak)")
image = axes[1].imshow(
    db(W).T, origin="lower", aspect="auto", cmap="viridis",
    extent=(times[0], times[-1], -0.5, 19.5),
)  # fmt: skip
axes[1].set(title="Activations", xlabel="Time (s)", ylabel="Part")
fig.colorbar(image, ax=axes[1], label="Activation (dB below peak)")

# %%
# Supervised separation
# ---------------------
#
# With recordings of each source alone, one dictionary of parts is learnt per
# source and a mixture is explained by all of them at once; only the
# activations are solved for. Here the training recordings are the clean
# sources of *another* built-in mixture (other notes, other bursts).
other = make_audio_mixture(n_sources=2, random_state=1).sources
train = [np.abs(stft(s, n_fft=N_FFT, hop_length=HOP)) for s in other]
y = np.repeat(data.source_names, [t.shape[0] for t in train])
supervised = SpectrogramSeparator(n_components=10, max_iter=1000, random_state=0)
supervised.fit(np.vstack(train), y)
supervised_sources = supervised.separate(frames)
print("sources:", supervised.classes_)

# %%
# The Wiener masks of the supervised separation: values near 1 keep the
# mixture, values near 0 remove it. ``mask_power=2`` (the default) gives
# power masks; ``mask_power=1`` would give softer amplitude masks.
masks = np.abs(supervised_sources) / np.maximum(X, 1e-12)
fig, axes = plt.subplots(1, 2, figsize=(12, 3.2), layout="constrained")
for ax, name, mask in zip(axes, supervised.classes_, masks):
    image = ax.imshow(
        mask.T, origin="lower", aspect="auto", cmap="gray_r", vmin=0, vmax=1,
        extent=extent,
    )  # fmt: skip
    ax.set(
        title=f"Mask of the {name} source", xlabel="Time (s)", ylabel="Frequency (Hz)"
    )
fig.colorbar(image, ax=axes, label="Mask value")

# %%
# Scores
# ------
#
# Every separation is turned back into signals with
# :func:`~sklearn_nmfx.audio.istft` and scored by its signal-to-distortion
# ratio (SDR, in dB) with :func:`~sklearn_nmfx.metrics.separation_scores`.
# Two references bound the table: the unprocessed mixture, and the ideal
# ratio mask, built from the true sources (the best that any mask can do).
# The baseline is the same blind pipeline on scikit-learn's NMF, with its
# parts grouped by k-means on their spectra.
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF

from sklearn_nmfx.metrics import separation_scores


def power_masks(models):
    """Wiener masks: each model's power over the sum of all models' powers."""
    power = models**2
    return power / np.maximum(power.sum(axis=0), np.finfo(float).tiny)


nmf = NMF(20, beta_loss="kullback-leibler", solver="mu", max_iter=1000, random_state=0)
W_sk = nmf.fit_transform(X)
H_sk = nmf.components_
labels = KMeans(2, n_init=100, random_state=0).fit_predict(
    H_sk / np.linalg.norm(H_sk, axis=1, keepdims=True)
)
sklearn_models = np.stack([W_sk[:, labels == s] @ H_sk[labels == s] for s in range(2)])
true_magnitudes = np.stack(
    [np.abs(stft(r, n_fft=N_FFT, hop_length=HOP)) for r in references]
)

separations = {
    "unprocessed mixture": np.stack([frames, frames]),
    "ideal ratio mask": power_masks(true_magnitudes) * frames,
    "supervised (other recordings)": supervised_sources,
    "blind, SpectrogramSeparator": blind_sources,
    "blind, sklearn NMF + k-means": power_masks(sklearn_models) * frames,
}
print(f"{'method':<32} {'SDR (dB)':>9} {'SIR (dB)':>9}")
for name, sources in separations.items():
    signals = [
        istft(s, n_fft=N_FFT, hop_length=HOP, length=mixture.size) for s in sources
    ]
    scores = separation_scores(references, signals)
    print(f"{name:<32} {scores.sdr.mean():9.2f} {scores.sir.mean():9.2f}")

plt.show()
