"""Tests of the built-in audio mixture."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.utils import Bunch

from sklearn_nmfx import datasets
from sklearn_nmfx.audio import bin_frequencies, stft
from sklearn_nmfx.datasets import make_audio_mixture

# Fundamentals of the A minor pentatonic notes the melody draws from.
_SCALE_HZ = 440.0 * 2.0 ** ((np.array([57, 60, 62, 64, 67, 69, 72, 74, 76]) - 69) / 12)


def test_make_audio_mixture_is_exported():
    """The generator is public in sklearn_nmfx.datasets."""
    assert "make_audio_mixture" in datasets.__all__


def test_make_audio_mixture_layout(global_random_seed):
    """A Bunch with the mixture, the sources, the rate and the names."""
    data = make_audio_mixture(duration=1.5, random_state=global_random_seed)
    assert isinstance(data, Bunch)
    assert data.mixture.shape == (24000,)
    assert data.sources.shape == (3, 24000)
    assert data.sample_rate == 16000
    assert isinstance(data.sample_rate, int)
    assert data.source_names == ["harmonic", "percussive", "chirp"]
    assert data.mixture.dtype == np.float64


@pytest.mark.parametrize("n_sources", [2, 3])
def test_make_audio_mixture_sources_sum_to_mixture(n_sources, global_random_seed):
    """The mixture is exactly the sum of the sources."""
    data = make_audio_mixture(
        duration=1.0, n_sources=n_sources, random_state=global_random_seed
    )
    assert data.sources.shape[0] == n_sources
    assert len(data.source_names) == n_sources
    assert_array_equal(data.mixture, data.sources.sum(axis=0))


def test_make_audio_mixture_levels(global_random_seed):
    """Sources have equal energy and the mixture peaks at 0.8."""
    data = make_audio_mixture(duration=2.0, random_state=global_random_seed)
    energies = np.mean(data.sources**2, axis=1)
    assert_allclose(energies, energies[0], rtol=1e-12)
    assert_allclose(np.max(np.abs(data.mixture)), 0.8, rtol=1e-12)


def test_make_audio_mixture_is_deterministic(global_random_seed):
    """The same seed gives the same mixture; another seed another one."""
    first = make_audio_mixture(duration=1.0, random_state=global_random_seed)
    again = make_audio_mixture(duration=1.0, random_state=global_random_seed)
    other = make_audio_mixture(duration=1.0, random_state=global_random_seed + 1)
    assert_array_equal(first.sources, again.sources)
    assert not np.allclose(first.sources[:2], other.sources[:2])
    # The chirp does not depend on the seed, only its level (the common gain).
    chirps = [
        data.sources[2] / np.linalg.norm(data.sources[2]) for data in (first, other)
    ]
    assert_allclose(chirps[0], chirps[1], rtol=0, atol=1e-12)


def test_make_audio_mixture_default_seed_is_fixed():
    """Without random_state the mixture is the same from call to call."""
    first = make_audio_mixture(duration=0.5)
    second = make_audio_mixture(duration=0.5)
    assert_array_equal(first.mixture, second.mixture)


@pytest.mark.parametrize(
    "duration, sample_rate, n_samples",
    [(0.1, 8000, 800), (1.25, 22050, 27562), (0.5, 44100, 22050)],
)
def test_make_audio_mixture_length(duration, sample_rate, n_samples):
    """The mixture has round(duration * sample_rate) samples."""
    data = make_audio_mixture(duration=duration, sample_rate=sample_rate)
    assert data.mixture.shape == (n_samples,)
    assert data.sample_rate == sample_rate
    assert np.all(np.any(data.sources, axis=1))


def test_make_audio_mixture_melody_follows_the_scale(global_random_seed):
    """The loudest frequency of the melody is always one of the scale's notes."""
    data = make_audio_mixture(duration=3.0, random_state=global_random_seed)
    magnitudes = np.abs(stft(data.sources[0], n_fft=4096, hop_length=1024))
    frequencies = bin_frequencies(sample_rate=16000, n_fft=4096)
    peaks = frequencies[np.argmax(magnitudes[4:-4], axis=1)]
    distance = np.min(np.abs(peaks[:, np.newaxis] - _SCALE_HZ), axis=1)
    # Two bins of slack for frames that straddle two notes; the closest notes
    # of the scale are ten bins apart.
    assert np.all(distance <= 2 * 16000 / 4096)


def test_make_audio_mixture_chirp_rises(global_random_seed):
    """The chirp's frequency rises from about 250 Hz to about 4 kHz."""
    data = make_audio_mixture(duration=2.0, random_state=global_random_seed)
    magnitudes = np.abs(stft(data.sources[2]))
    frequencies = bin_frequencies(sample_rate=16000)
    peaks = frequencies[np.argmax(magnitudes[4:-4], axis=1)]
    assert np.all(np.diff(peaks) >= 0)
    assert_allclose(peaks[0], 250, atol=40)
    assert_allclose(peaks[-1], 4000, rtol=0.1)


def test_make_audio_mixture_percussion_is_broadband(global_random_seed):
    """Percussive bursts are flat in frequency; the melody and chirp are not."""
    data = make_audio_mixture(duration=2.0, random_state=global_random_seed)
    flatness = []
    for source in data.sources:
        power = np.mean(np.abs(stft(source)) ** 2, axis=0) + 1e-12
        flatness.append(np.exp(np.mean(np.log(power))) / np.mean(power))
    harmonic, percussive, chirp = flatness
    assert percussive > 0.3
    assert harmonic < 0.01
    assert chirp < 0.1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"duration": 0.05}, r"duration must be a finite number of at least 0\.1"),
        ({"duration": np.inf}, r"duration=inf"),
        ({"duration": np.nan}, r"duration=nan"),
        ({"duration": "2"}, r"duration='2'"),
        ({"sample_rate": 4000}, r"at least 8000 Hz; got sample_rate=4000\."),
        ({"sample_rate": 16000.0}, r"must be an integer .* sample_rate=16000\.0"),
        ({"n_sources": 4}, r"n_sources must be 2 or 3; got n_sources=4\."),
    ],
)
def test_make_audio_mixture_invalid_parameters(kwargs, match):
    """Out-of-range parameters are reported with their name and value."""
    with pytest.raises(ValueError, match=match):
        make_audio_mixture(**kwargs)
