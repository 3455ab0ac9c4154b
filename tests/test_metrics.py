"""Tests of the separation scores."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import itertools
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.signal import lfilter

from sklearn_nmfx.datasets import make_audio_mixture
from sklearn_nmfx.metrics import bss_eval, separation_scores, si_sdr

# Short signals and filters keep the BSS Eval tests fast.
_N_SAMPLES = 3000
_FILTER = 64


def _db(ratio):
    return 10 * np.log10(ratio)


def _orthogonal_noise(reference, rng):
    """Noise with no component along ``reference``."""
    noise = rng.standard_normal(reference.shape)
    return noise - (noise @ reference) / (reference @ reference) * reference


def _disjoint_sources(rng):
    """Two references and a noise, each on its own stretch of time.

    The stretches are further apart than any filter of _FILTER taps can
    reach, so that every delayed copy of one is orthogonal to the others.
    """
    signals = np.zeros((3, _N_SAMPLES))
    for row, start in enumerate((0, 1000, 2000)):
        signals[row, start : start + 800] = rng.standard_normal(800)
    return signals


def test_si_sdr_closed_form(global_random_seed):
    """a * s + b * n with n orthogonal to s scores 10 log10(a²|s|² / b²|n|²)."""
    rng = np.random.default_rng(global_random_seed)
    reference = rng.standard_normal(1000)
    noise = _orthogonal_noise(reference, rng)
    estimate = 0.7 * reference + 0.05 * noise
    expected = _db(0.7**2 * (reference @ reference) / (0.05**2 * (noise @ noise)))
    assert_allclose(si_sdr(reference, estimate), expected, rtol=1e-10)


def test_si_sdr_is_scale_invariant(global_random_seed):
    """Multiplying the estimate by any non-zero number leaves the score."""
    rng = np.random.default_rng(global_random_seed)
    reference, estimate = rng.standard_normal((2, 500))
    score = si_sdr(reference, estimate)
    for gain in (1e-3, -2.0, 1e4):
        assert_allclose(si_sdr(reference, gain * estimate), score, rtol=1e-10)


@pytest.mark.parametrize("exponent", [-1000, -560, 560, 1000])
def test_scores_hold_at_extreme_magnitudes(exponent, global_random_seed):
    """Signals near 1e300 or 1e-300 score as the same signals near 1."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((2, 2000))
    estimates = references + 0.1 * references[::-1]
    big = np.ldexp(references, exponent), np.ldexp(estimates, exponent)
    assert_allclose(si_sdr(*big), si_sdr(references, estimates), rtol=1e-12)
    assert_allclose(
        bss_eval(*big, filter_length=32),
        bss_eval(references, estimates, filter_length=32),
        rtol=1e-9,
    )


def test_si_sdr_batched_matches_rows(global_random_seed):
    """A 2-D input scores each row against the same row."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((4, 300))
    estimates = references + rng.standard_normal((4, 300))
    scores = si_sdr(references, estimates)
    assert scores.shape == (4,)
    expected = [si_sdr(r, e) for r, e in zip(references, estimates)]
    assert_allclose(scores, expected, rtol=1e-12)
    assert isinstance(expected[0], float)


def test_si_sdr_perfect_and_silent_estimates():
    """A scaled copy scores +inf, an all-zero estimate -inf, without warnings."""
    reference = np.array([1.0, 2.0, -1.0, 0.5])
    assert si_sdr(reference, 3 * reference) == np.inf
    assert si_sdr(reference, np.zeros(4)) == -np.inf
    assert si_sdr(reference, np.array([2.0, -1.0, 0.0, 0.0])) == -np.inf


@pytest.mark.parametrize(
    "reference, estimate, match",
    [
        (np.ones(5), np.ones(6), r"same shape; got \(5,\) and \(6,\)"),
        (np.ones((2, 2, 2)), np.ones((2, 2, 2)), r"references must be a non-empty"),
        (np.ones(0), np.ones(0), r"got shape \(0,\)"),
        (np.ones(3), np.array([1.0, np.nan, 1.0]), "estimates must hold finite"),
        (np.ones(3) * 1j, np.ones(3), "references must be real-valued"),
        (np.zeros((2, 3)), np.ones((2, 3)), "Reference source 0 is silent"),
    ],
)
def test_si_sdr_invalid_input(reference, estimate, match):
    """Mismatched, empty, non-finite, complex and silent input is rejected."""
    with pytest.raises(ValueError, match=match):
        si_sdr(reference, estimate)


def test_bss_eval_closed_form(global_random_seed):
    """With disjoint supports every ratio has a closed form."""
    rng = np.random.default_rng(global_random_seed)
    target, other, noise = _disjoint_sources(rng)
    # A short filter on the target is forgiven: it stays all "signal".
    filtered = lfilter([1.0, -0.6, 0.3], [1.0], target)
    estimate = filtered + 0.3 * other + 0.1 * noise

    sdr, sir, sar = bss_eval(
        np.array([target, other]),
        np.array([estimate, other]),
        filter_length=_FILTER,
    )
    signal, interference = filtered @ filtered, 0.09 * (other @ other)
    artefact = 0.01 * (noise @ noise)
    assert_allclose(sdr[0], _db(signal / (interference + artefact)), rtol=1e-9)
    assert_allclose(sir[0], _db(signal / interference), rtol=1e-9)
    assert_allclose(sar[0], _db((signal + interference) / artefact), rtol=1e-9)


def test_bss_eval_one_tap_single_source_is_si_sdr(global_random_seed):
    """With a one-tap filter and one source, SDR is SI-SDR and SAR equals it."""
    rng = np.random.default_rng(global_random_seed)
    reference = rng.standard_normal(2000)
    estimate = 0.5 * reference + rng.standard_normal(2000)
    sdr, sir, sar = bss_eval(reference, estimate, filter_length=1)
    assert isinstance(sdr, float)
    assert_allclose(sdr, si_sdr(reference, estimate), rtol=1e-10)
    assert_allclose(sar, sdr, rtol=1e-10)
    assert sir == np.inf


def test_bss_eval_forgives_short_filters_but_not_long_ones(global_random_seed):
    """An echo inside the filter span costs nothing; one beyond it does."""
    rng = np.random.default_rng(global_random_seed)
    # The reference ends in silence, so that no echo is cut off at the end.
    reference = np.r_[rng.standard_normal(_N_SAMPLES - 300), np.zeros(300)]
    short = reference + 0.5 * np.r_[np.zeros(10), reference[:-10]]
    long = reference + 0.5 * np.r_[np.zeros(200), reference[:-200]]
    sdr_short, _, _ = bss_eval(reference, short, filter_length=_FILTER)
    sdr_long, _, _ = bss_eval(reference, long, filter_length=_FILTER)
    assert sdr_short > 100
    # About a quarter of the echo's energy, 0.25 |s|², is left unexplained.
    assert_allclose(sdr_long, _db(1 / 0.25), atol=0.5)


def test_bss_eval_silent_estimate_scores_minus_inf(global_random_seed):
    """An all-zero estimate scores -inf on every ratio, without warnings."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((2, 1000))
    estimates = np.array([references[0], np.zeros(1000)])
    sdr, sir, sar = bss_eval(references, estimates, filter_length=_FILTER)
    assert sdr[0] > 100
    assert_array_equal([sdr[1], sir[1], sar[1]], -np.inf)


@pytest.mark.parametrize("filter_length", [0, -3, 2.5, True])
def test_bss_eval_invalid_filter_length(filter_length):
    """A filter needs at least one tap, given as an integer."""
    with pytest.raises(ValueError, match="filter_length must be an integer of at"):
        bss_eval(np.ones(10), np.ones(10), filter_length=filter_length)


def test_bss_eval_invalid_input():
    """A silent reference makes the scores undefined."""
    with pytest.raises(ValueError, match="Reference source 1 is silent"):
        bss_eval(np.array([[1.0, 2.0], [0.0, 0.0]]), np.ones((2, 2)))


def _realistic_pair(seed):
    """Synthetic sources and imperfect estimates: filtered, leaky, noisy."""
    rng = np.random.default_rng(seed)
    references = make_audio_mixture(duration=0.5, random_state=seed).sources
    leak = np.eye(3) * 0.8 + rng.uniform(0.02, 0.2, size=(3, 3))
    estimates = lfilter([1.0, 0.3], [1.0], leak @ references, axis=1)
    estimates += 0.01 * rng.standard_normal(estimates.shape)
    return references, estimates


def test_bss_eval_matches_mir_eval(global_random_seed):
    """The ratios agree with mir_eval's bss_eval_sources."""
    separation = pytest.importorskip("mir_eval.separation")
    references, estimates = _realistic_pair(global_random_seed)
    with warnings.catch_warnings():
        # mir_eval 0.8 deprecates bss_eval_sources (to be removed in 0.9).
        warnings.simplefilter("ignore", FutureWarning)
        expected = separation.bss_eval_sources(
            references, estimates, compute_permutation=False
        )
    assert_allclose(bss_eval(references, estimates), expected[:3], atol=1e-5)


def test_bss_eval_matches_fast_bss_eval(global_random_seed):
    """The ratios agree with fast_bss_eval's bss_eval_sources."""
    fast_bss_eval = pytest.importorskip("fast_bss_eval")
    references, estimates = _realistic_pair(global_random_seed)
    # fast_bss_eval 0.1.4 fails on NumPy 2 with compute_permutation=False (its
    # np.linalg.solve call predates NumPy 2's batched semantics); the pairwise
    # path works, and the estimates here are clearly in order.
    sdr, sir, sar, permutation = fast_bss_eval.bss_eval_sources(references, estimates)
    assert_array_equal(permutation, [0, 1, 2])
    assert_allclose(bss_eval(references, estimates), [sdr, sir, sar], atol=1e-5)


def test_separation_scores_finds_best_permutation(global_random_seed):
    """The matching maximises the mean SDR over every permutation."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((3, 1500))
    mixing = rng.uniform(0, 1, size=(3, 3))
    estimates = mixing @ references + 0.3 * rng.standard_normal((3, 1500))

    scores = separation_scores(references, estimates, filter_length=_FILTER)
    best = max(
        itertools.permutations(range(3)),
        key=lambda p: np.mean(
            bss_eval(references, estimates[list(p)], filter_length=_FILTER)[0]
        ),
    )
    assert_array_equal(scores.permutation, best)
    sdr, sir, sar = bss_eval(references, estimates[list(best)], filter_length=_FILTER)
    assert_allclose(scores.sdr, sdr, rtol=1e-10)
    assert_allclose(scores.sir, sir, rtol=1e-10)
    assert_allclose(scores.sar, sar, rtol=1e-10)
    assert_allclose(scores.si_sdr, si_sdr(references, estimates[list(best)]))


def test_separation_scores_undoes_a_shuffle(global_random_seed):
    """Shuffled good estimates are matched back to their references."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((3, 1000))
    order = np.array([2, 0, 1])
    estimates = references[order] + 0.05 * rng.standard_normal((3, 1000))
    scores = separation_scores(references, estimates, filter_length=_FILTER)
    assert_array_equal(order[scores.permutation], [0, 1, 2])
    assert np.all(scores.si_sdr > 20)
    assert sorted(scores) == ["permutation", "sar", "sdr", "si_sdr", "sir"]


def test_separation_scores_without_permutation(global_random_seed):
    """permute=False scores the pairs as given, like bss_eval."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((2, 1000))
    estimates = references[::-1] + 0.1 * rng.standard_normal((2, 1000))
    scores = separation_scores(
        references, estimates, permute=False, filter_length=_FILTER
    )
    assert_array_equal(scores.permutation, [0, 1])
    sdr, _, _ = bss_eval(references, estimates, filter_length=_FILTER)
    assert_allclose(scores.sdr, sdr, rtol=1e-12)
    assert np.all(scores.sdr < 0)


def test_separation_scores_silent_estimate_does_not_hide_others(
    global_random_seed,
):
    """With one estimate silent, the others are still matched correctly."""
    rng = np.random.default_rng(global_random_seed)
    references = rng.standard_normal((3, 1000))
    estimates = np.array([np.zeros(1000), references[0], references[2]])
    estimates[1:] += 0.01 * rng.standard_normal((2, 1000))
    scores = separation_scores(references, estimates, filter_length=_FILTER)
    assert_array_equal(scores.permutation, [1, 0, 2])
    assert scores.sdr[1] == -np.inf
    assert np.all(scores.sdr[[0, 2]] > 30)


def test_bss_eval_refuses_signals_shorter_than_the_filter():
    """A filter as long as the signal would fit any estimate: an error says so."""
    rng = np.random.default_rng(0)
    references, noise = rng.standard_normal((2, 2, 10))
    with pytest.raises(ValueError, match="10 samples, too few .* filter_length=512"):
        bss_eval(references, noise)
