"""A built-in audio mixture with known sources, for separation examples and tests."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy.signal import chirp
from sklearn.utils import Bunch, check_random_state

# MIDI note numbers of the A minor pentatonic scale from A3 (220 Hz) to E5.
_SCALE = np.array([57, 60, 62, 64, 67, 69, 72, 74, 76])
_NOTE_SECONDS = (0.25, 0.5)
_N_HARMONICS = 5
# Grid of the drum pattern: sixteenth notes at 120 beats per minute.
_BEAT_SECONDS = 0.125
_SOURCE_NAMES = ("harmonic", "percussive", "chirp")
_PEAK = 0.8


def _ramp(n_samples, n_ramp):
    """Envelope that rises and falls linearly over ``n_ramp`` samples."""
    envelope = np.ones(n_samples)
    n_ramp = min(n_ramp, n_samples // 2)
    if n_ramp > 0:
        rise = np.arange(1, n_ramp + 1) / (n_ramp + 1)
        envelope[:n_ramp] = rise
        envelope[n_samples - n_ramp :] = rise[::-1]
    return envelope


def _harmonic_source(n_samples, sample_rate, rng):
    """Melody of pentatonic notes, each with decaying harmonics.

    Parameters
    ----------
    n_samples : int
        Length of the source in samples.
    sample_rate : int
        Sampling rate in Hz.
    rng : numpy.random.RandomState
        Generator for the melody and the phases.

    Returns
    -------
    source : ndarray of shape (n_samples,)
        The melody, not normalised.
    """
    source = np.zeros(n_samples)
    start = 0
    while start < n_samples:
        n_note = int(round(rng.choice(_NOTE_SECONDS) * sample_rate))
        stop = min(start + n_note, n_samples)
        t = np.arange(stop - start) / sample_rate
        f0 = 440.0 * 2.0 ** ((rng.choice(_SCALE) - 69) / 12)
        note = np.zeros(stop - start)
        for h in range(1, _N_HARMONICS + 1):
            # Partials at or above 0.45 * sample_rate would alias.
            if h * f0 < 0.45 * sample_rate:
                phase = rng.uniform(0, 2 * np.pi)
                note += 0.6 ** (h - 1) * np.sin(2 * np.pi * h * f0 * t + phase)
        # A 10 ms attack and release keep note boundaries free of clicks.
        note *= np.exp(-t / 0.3) * _ramp(stop - start, int(0.01 * sample_rate))
        source[start:stop] = note
        start = stop
    return source


def _percussive_source(n_samples, sample_rate, rng):
    """Short bursts of exponentially decaying white noise on a beat grid.

    Parameters
    ----------
    n_samples : int
        Length of the source in samples.
    sample_rate : int
        Sampling rate in Hz.
    rng : numpy.random.RandomState
        Generator for the onsets, levels and noise.

    Returns
    -------
    source : ndarray of shape (n_samples,)
        The bursts, not normalised.
    """
    source = np.zeros(n_samples)
    n_beat = max(1, int(round(_BEAT_SECONDS * sample_rate)))
    onsets = np.arange(0, n_samples, n_beat)
    hits = rng.uniform(size=onsets.size) < 0.4
    # A source without any burst would be silent; keep the first onset.
    hits[0] = True
    n_burst = int(round(0.15 * sample_rate))
    decay = np.exp(-np.arange(n_burst) / (0.03 * sample_rate))
    for onset in onsets[hits]:
        stop = min(onset + n_burst, n_samples)
        level = rng.uniform(0.5, 1.0)
        noise = rng.standard_normal(stop - onset)
        source[onset:stop] += level * noise * decay[: stop - onset]
    return source


def _chirp_source(n_samples, sample_rate):
    """Logarithmic sweep from 250 Hz up to 4 kHz (or 0.45 * sample_rate).

    Parameters
    ----------
    n_samples : int
        Length of the source in samples.
    sample_rate : int
        Sampling rate in Hz.

    Returns
    -------
    source : ndarray of shape (n_samples,)
        The sweep, not normalised.
    """
    t = np.arange(n_samples) / sample_rate
    f_end = min(4000.0, 0.45 * sample_rate)
    sweep = chirp(t, f0=250.0, t1=t[-1], f1=f_end, method="logarithmic")
    return sweep * _ramp(n_samples, int(0.02 * sample_rate))


def make_audio_mixture(*, duration=4.0, sample_rate=16000, n_sources=3, random_state=0):
    """Make a mixture of a melody, percussive noise bursts and a chirp.

    The sources are deterministic for a given ``random_state``:

    - ``'harmonic'``: a melody of pentatonic notes (220 Hz to 660 Hz), 250 ms
      or 500 ms each, with five harmonics and an exponential decay;
    - ``'percussive'``: bursts of white noise decaying in about 30 ms, on a
      125 ms grid;
    - ``'chirp'``: a logarithmic sweep from 250 Hz to 4 kHz over the whole
      duration (only when ``n_sources=3``).

    Every source has the same energy, and the mixture, their sum, peaks at
    0.8, so it can be written to a WAV file without clipping.

    Parameters
    ----------
    duration : float, default=4.0
        Length of the mixture in seconds, at least 0.1.
    sample_rate : int, default=16000
        Sampling rate in Hz, at least 8000.
    n_sources : {2, 3}, default=3
        Number of sources: the melody and the bursts, plus the chirp for 3.
    random_state : int, RandomState instance or None, default=0
        Seed or generator for the notes, the burst onsets and the noise.
        Pass an int for the same mixture from one call to the next.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes:

        mixture : ndarray of shape (n_samples,)
            The mixture, ``sources.sum(axis=0)`` exactly, where
            ``n_samples = round(duration * sample_rate)``.
        sources : ndarray of shape (n_sources, n_samples)
            The clean sources, one per row.
        sample_rate : int
            Sampling rate in Hz.
        source_names : list of str
            Name of each row of ``sources``.

    Raises
    ------
    ValueError
        If ``duration``, ``sample_rate`` or ``n_sources`` is out of range.

    See Also
    --------
    sklearn_nmfx.SpectrogramSeparator : Separate the sources of the mixture.
    sklearn_nmfx.metrics.separation_scores : Score estimates against ``sources``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_nmfx.datasets import make_audio_mixture
    >>> data = make_audio_mixture(duration=1.0)
    >>> data.sources.shape, data.sample_rate
    ((3, 16000), 16000)
    >>> data.source_names
    ['harmonic', 'percussive', 'chirp']
    >>> bool(np.array_equal(data.mixture, data.sources.sum(axis=0)))
    True
    """
    if not isinstance(duration, Real) or not 0.1 <= duration < np.inf:
        raise ValueError(
            f"duration must be a finite number of at least 0.1 seconds; got "
            f"{duration=}."
        )
    if (
        not isinstance(sample_rate, Integral)
        or isinstance(sample_rate, bool)
        or sample_rate < 8000
    ):
        raise ValueError(
            f"sample_rate must be an integer of at least 8000 Hz; got {sample_rate=}."
        )
    if n_sources not in (2, 3):
        raise ValueError(f"n_sources must be 2 or 3; got {n_sources=}.")
    rng = check_random_state(random_state)
    sample_rate = int(sample_rate)
    n_samples = int(round(duration * sample_rate))

    sources = [
        _harmonic_source(n_samples, sample_rate, rng),
        _percussive_source(n_samples, sample_rate, rng),
    ]
    if n_sources == 3:
        sources.append(_chirp_source(n_samples, sample_rate))
    sources = np.array(sources)

    # Equal energy per source, then one common gain: the sources still add
    # up to the mixture, and the mixture's peak is _PEAK.
    sources /= np.sqrt(np.mean(sources**2, axis=1, keepdims=True))
    sources *= _PEAK / np.max(np.abs(sources.sum(axis=0)))
    mixture = sources.sum(axis=0)

    return Bunch(
        mixture=mixture,
        sources=sources,
        sample_rate=sample_rate,
        source_names=list(_SOURCE_NAMES[:n_sources]),
    )
