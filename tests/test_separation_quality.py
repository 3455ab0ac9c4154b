"""Separation quality of SpectrogramSeparator on real recordings.

Two voices of espeak-ng speaking different sentences, and two instruments of
the TimGM6mb sound font playing different melodies, are mixed in pairs at
0 dB. Every separation is scored by its SDR (BSS Eval, in dB) against two
references computed here as well: the unprocessed mixture (the floor) and
the ideal ratio mask built from the true sources (the ceiling).
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import warnings

import numpy as np
import pytest
from _recordings import instrument, require_espeak, require_fluidsynth, speech
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from sklearn_nmfx import SpectrogramSeparator
from sklearn_nmfx._separator import wiener_masks
from sklearn_nmfx.audio import istft, stft
from sklearn_nmfx.metrics import separation_scores

SAMPLE_RATE = 16000
N_FFT, HOP = 1024, 256
# Blind: parts in all. Supervised: parts per source.
BLIND_PARTS = 20
SUPERVISED_PARTS = 32
SEED = 0

# Each voice says one sentence in the mixture and another for "other" training.
SPEECH = {
    "speech: man + woman (en-us, en+f3)": (
        ("en-us", "The quick brown fox jumps over the lazy dog."),
        ("en+f3", "Bright stars shine above the quiet village."),
        ("en-us", "She sells sea shells by the sea shore."),
        ("en+f3", "A cold wind blew across the open field."),
    ),
    "speech: two accents (en-gb+m3, en-us+f2)": (
        ("en-gb+m3", "Please call Stella and ask her to bring these things."),
        ("en-us+f2", "We will meet at the old station at noon."),
        ("en-gb+m3", "The birch canoe slid on the smooth planks."),
        ("en-us+f2", "Glue the sheet to the dark blue background."),
    ),
}


def _melody(pitches, seconds, start=0.0):
    """Notes played one after the other, each ``seconds`` long."""
    return [(p, start + i * seconds, 0.95 * seconds) for i, p in enumerate(pitches)]


# General MIDI programs: 0 piano, 73 flute, 42 cello, 56 trumpet. The two
# instruments of a pair play in different rhythms, as two parts of a piece do.
INSTRUMENTS = {
    "instruments: piano + flute": (
        (0, _melody([60, 64, 67, 72, 67, 64], 0.5)),
        (73, _melody([79, 76, 74, 77], 0.75, 0.25)),
        (0, _melody([62, 65, 69, 65, 62, 59], 0.5)),
        (73, _melody([81, 78, 76, 74], 0.75, 0.25)),
    ),
    "instruments: cello + trumpet": (
        (42, _melody([48, 50, 52, 55], 0.75)),
        (56, _melody([67, 69, 72, 71, 69, 67], 0.5, 0.125)),
        (42, _melody([53, 52, 50, 48], 0.75)),
        (56, _melody([72, 74, 76, 74, 72, 71], 0.5, 0.125)),
    ),
}

METHODS = (
    "mixture",
    "ideal ratio mask",
    "supervised, self",
    "supervised, other",
    "blind",
    "blind, sklearn NMF",
)


def _frames(signal):
    return stft(signal, n_fft=N_FFT, hop_length=HOP)


def _at_0_db(first, second):
    """The two sources cut to one length, the second scaled to equal energy."""
    n_samples = min(first.size, second.size)
    first, second = first[:n_samples], second[:n_samples]
    second = second * np.sqrt(np.sum(first**2) / np.sum(second**2))
    return np.stack([first, second])


def _supervised(train, frames):
    """Separate with one dictionary learnt from each training signal."""
    magnitudes = [np.abs(_frames(signal)) for signal in train]
    X = np.vstack(magnitudes)
    y = np.repeat([0, 1], [m.shape[0] for m in magnitudes])
    separator = SpectrogramSeparator(n_components=SUPERVISED_PARTS, random_state=SEED)
    return separator.fit(X, y).separate(frames)


def _sklearn_baseline(frames):
    """The same pipeline on scikit-learn's NMF, its parts grouped by k-means.

    NMF with the Kullback-Leibler divergence and multiplicative updates, the
    same parts, initialisation and iterations as the blind separator; its
    parts, scaled to unit norm, are grouped into two sources by k-means with
    100 restarts, as the separator's own grouping is.
    """
    X = np.abs(frames)
    nmf = NMF(
        BLIND_PARTS,
        beta_loss="kullback-leibler",
        solver="mu",
        init="nndsvda",
        max_iter=200,
        random_state=SEED,
    )
    W = nmf.fit_transform(X)
    H = nmf.components_
    parts = H / np.linalg.norm(H, axis=1, keepdims=True)
    labels = KMeans(2, n_init=100, random_state=SEED).fit_predict(parts)
    models = np.stack([W[:, labels == s] @ H[labels == s] for s in range(2)])
    return wiener_masks(models) * frames


def _scores(references, other):
    """Mean SDR of every method on one mixture of two references."""
    mixture = references.sum(axis=0)
    frames = _frames(mixture)
    n_samples = mixture.size

    def sdr(sources, permute=True):
        signals = [
            istft(s, n_fft=N_FFT, hop_length=HOP, length=n_samples) for s in sources
        ]
        return float(
            np.mean(separation_scores(references, signals, permute=permute).sdr)
        )

    true_magnitudes = np.stack([np.abs(_frames(r)) for r in references])
    blind = SpectrogramSeparator(2, n_components=BLIND_PARTS, random_state=SEED)
    mixed = np.stack([mixture, mixture])
    return {
        "mixture": float(np.mean(separation_scores(references, mixed).sdr)),
        "ideal ratio mask": sdr(wiener_masks(true_magnitudes) * frames, False),
        "supervised, self": sdr(_supervised(references, frames), False),
        "supervised, other": sdr(_supervised(other, frames), False),
        "blind": sdr(blind.fit_separate(frames)),
        "blind, sklearn NMF": sdr(_sklearn_baseline(frames)),
    }


def _speech_case(spec):
    signals = [speech(voice, text, SAMPLE_RATE) for voice, text in spec]
    return _at_0_db(*signals[:2]), signals[2:]


def _instrument_case(spec):
    signals = [instrument(program, notes, SAMPLE_RATE) for program, notes in spec]
    return _at_0_db(*signals[:2]), signals[2:]


@functools.cache
def _table():
    """SDR of every method on every case, computed once for all tests."""
    cases = {name: _speech_case(spec) for name, spec in SPEECH.items()}
    cases.update({name: _instrument_case(spec) for name, spec in INSTRUMENTS.items()})
    # The matrices are small: one BLAS thread is faster for them, and keeps
    # the test's time steady on a machine busy with other work.
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        # Fits that stop at max_iter are part of the measured pipelines.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return {name: _scores(*case) for name, case in cases.items()}


def format_table(table):
    """The SDR table as text, one row per case, then the averages."""
    width = max(len(name) for name in table) + 2
    lines = [" " * width + "".join(f"{m:>20s}" for m in METHODS)]
    for name, row in table.items():
        lines.append(f"{name:<{width}s}" + "".join(f"{row[m]:20.2f}" for m in METHODS))
    means = {m: np.mean([row[m] for row in table.values()]) for m in METHODS}
    lines.append(
        f"{'average':<{width}s}" + "".join(f"{means[m]:20.2f}" for m in METHODS)
    )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def table():
    """SDR (dB) of each method on each case; needs espeak-ng and fluidsynth."""
    require_espeak()
    require_fluidsynth()
    result = _table()
    print("\nMean SDR over the two sources (dB)\n" + format_table(result))
    return result


def _mean_gain(table, method, reference="mixture"):
    return np.mean([row[method] - row[reference] for row in table.values()])


def test_separator_quality_supervised_on_the_sources_gains_12_db(table):
    """Trained on the clean sources themselves: >= 12 dB over the mixture."""
    assert _mean_gain(table, "supervised, self") >= 12


def test_separator_quality_supervised_on_other_recordings_gains_4_db(table):
    """Trained on other recordings of the same sources: >= 4 dB."""
    assert _mean_gain(table, "supervised, other") >= 4


def test_separator_quality_blind_beats_sklearn_pipeline_by_1_5_db(table):
    """Blind: >= 1.5 dB above scikit-learn's NMF with k-means grouping."""
    assert _mean_gain(table, "blind", "blind, sklearn NMF") >= 1.5


def test_separator_quality_stays_below_the_ideal_ratio_mask(table):
    """The ideal ratio mask is the ceiling of every masking method."""
    for row in table.values():
        for method in METHODS[2:]:
            assert row[method] <= row["ideal ratio mask"] + 0.5
