"""Time blind source separation against the same pipeline on scikit-learn's NMF.

Run ``python benchmarks/bench_separator.py`` (add ``--quick`` for 10 s of
audio instead of 60 s). Both pipelines separate the same 16 kHz mixture of
:func:`sklearn_nmfx.datasets.make_audio_mixture` into two sources: STFT
(1024-sample frames, hop 256), 20 parts learnt with the Kullback-Leibler
divergence by exactly 200 multiplicative updates (``tol=0``) from the same
NNDSVDa start, parts grouped by k-means, Wiener masks, inverse STFT. Only
the factorisation and the grouping differ. The ratio is ours / scikit-learn's
(below 1: we are faster); the real-time factor is seconds of audio separated
per second of compute. ``--threads N`` holds both pipelines to N threads.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import warnings

import numpy as np
from _timing import best_time, hold_threads
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import SpectrogramSeparator
from sklearn_nmfx._init import initialize
from sklearn_nmfx._separator import wiener_masks
from sklearn_nmfx.audio import istft, stft
from sklearn_nmfx.datasets import make_audio_mixture

warnings.simplefilter("ignore", ConvergenceWarning)

N_FFT, HOP = 1024, 256
N_PARTS, N_ITER, SEED = 20, 200, 0


def ours(signal):
    """Separate with SpectrogramSeparator; return the source signals."""
    frames = stft(signal, n_fft=N_FFT, hop_length=HOP)
    separator = SpectrogramSeparator(
        2,
        n_components=N_PARTS,
        beta_loss="kullback-leibler",
        init="nndsvda",
        max_iter=N_ITER,
        tol=0,
        random_state=SEED,
    )
    sources = separator.fit_separate(frames)
    assert separator.n_iter_ == N_ITER
    return [istft(s, n_fft=N_FFT, hop_length=HOP, length=signal.size) for s in sources]


def sklearn_pipeline(signal):
    """The same pipeline on scikit-learn's NMF (KL, 'mu') and KMeans."""
    frames = stft(signal, n_fft=N_FFT, hop_length=HOP)
    X = np.abs(frames)
    # The start SpectrogramSeparator computes from random_state=SEED.
    W, H = initialize(X, N_PARTS, "nndsvda", random_state=np.random.RandomState(SEED))
    nmf = NMF(
        N_PARTS,
        beta_loss="kullback-leibler",
        solver="mu",
        init="custom",
        max_iter=N_ITER,
        tol=0,
    )
    W = nmf.fit_transform(X, W=W, H=H)
    assert nmf.n_iter_ == N_ITER
    H = nmf.components_
    parts = H / np.linalg.norm(H, axis=1, keepdims=True)
    labels = KMeans(2, n_init=100, random_state=SEED).fit_predict(parts)
    models = np.stack([W[:, labels == s] @ H[labels == s] for s in range(2)])
    sources = wiener_masks(models) * frames
    return [istft(s, n_fft=N_FFT, hop_length=HOP, length=signal.size) for s in sources]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s of audio")
    parser.add_argument("--repeat", type=int, default=2, help="runs; best kept")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for both pipelines (default: all CPUs); 1 gives steadier "
        "ratios on a busy machine",
    )
    args = parser.parse_args(argv)
    if args.threads is not None:
        hold_threads(args.threads)

    duration = 10.0 if args.quick else 60.0
    data = make_audio_mixture(duration=duration, n_sources=2, random_state=SEED)
    signal = data.mixture
    n_frames = stft(signal, n_fft=N_FFT, hop_length=HOP).shape[0]
    print(
        f"Separating {duration:g} s of {data.sample_rate} Hz audio into 2 sources: "
        f"n_fft={N_FFT}, hop={HOP} ({n_frames} frames x {N_FFT // 2 + 1} bins), "
        f"{N_PARTS} parts, Kullback-Leibler, {N_ITER} iterations; best of "
        f"{args.repeat}."
    )
    # One untimed run each, so that imports and caches are warm for both.
    short = signal[: 2 * data.sample_rate]
    ours(short)
    sklearn_pipeline(short)

    t_ours, _ = best_time(lambda: ours(signal), args.repeat)
    t_sklearn, _ = best_time(lambda: sklearn_pipeline(signal), args.repeat)
    print(f"{'pipeline':<34} {'seconds':>8} {'real-time factor':>17}")
    for name, seconds in [
        ("sklearn_nmfx SpectrogramSeparator", t_ours),
        ("scikit-learn NMF + KMeans", t_sklearn),
    ]:
        print(f"{name:<34} {seconds:8.2f} {duration / seconds:16.1f}x")
    print(f"ratio ours / scikit-learn: {t_ours / t_sklearn:.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()
