"""Tests of SpectrogramSeparator and its masks."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import ConvergenceWarning

from sklearn_nmfx import SpectrogramSeparator
from sklearn_nmfx._separator import group_parts, wiener_masks
from sklearn_nmfx.audio import istft, stft
from sklearn_nmfx.datasets import make_audio_mixture

N_FFT, HOP = 256, 64

# Short fits on small planted data stop at max_iter; that is not under test
# here, except where the warning itself is.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _planted(rng, n_frames=60, n_bins=40):
    """Two sources of three parts each, on disjoint bands, and their mixture."""
    half = n_bins // 2
    parts = np.full((6, n_bins), 1e-3)
    parts[:3, :half] += rng.uniform(size=(3, half)) ** 2
    parts[3:, half:] += rng.uniform(size=(3, n_bins - half)) ** 2
    codes = rng.uniform(size=(n_frames, 6)) * (rng.uniform(size=(n_frames, 6)) < 0.6)
    sources = np.stack([codes[:, :3] @ parts[:3], codes[:, 3:] @ parts[3:]])
    return sources, sources.sum(axis=0)


def _supervised_fit(rng, **params):
    """A separator trained on separate recordings of the two planted sources."""
    train, _ = _planted(rng)
    X = np.vstack(train)
    y = np.repeat(["low", "high"], train.shape[1])
    return SpectrogramSeparator(n_components=3, random_state=0, **params).fit(X, y)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("supervised", [False, True])
def test_separator_inverse_transform_recovers_mixture(
    supervised, dtype, rtol, global_random_seed
):
    """The sources add back up to the mixture: the masks sum to one."""
    rng = np.random.RandomState(global_random_seed)
    _, X = _planted(rng)
    X = X.astype(dtype)
    if supervised:
        separator = _supervised_fit(rng)
    else:
        separator = SpectrogramSeparator(2, n_components=6, random_state=0).fit(X)
    X_sources = separator.transform(X)
    assert X_sources.shape == (X.shape[0], 2 * X.shape[1])
    assert X_sources.dtype == dtype
    assert_allclose(separator.inverse_transform(X_sources), X, rtol=rtol, atol=0)


@pytest.mark.parametrize(
    "beta_loss", ["kullback-leibler", "frobenius", "itakura-saito", 0.5]
)
def test_separator_sources_add_up_for_any_beta(beta_loss, global_random_seed):
    """Whatever divergence learns the parts, the separation adds up."""
    rng = np.random.RandomState(global_random_seed)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(
        3, n_components=6, beta_loss=beta_loss, max_iter=50, tol=0, random_state=0
    )
    sources = separator.fit_separate(X)
    assert sources.shape == (3, *X.shape)
    assert np.all(sources >= 0)
    assert_allclose(sources.sum(axis=0), X, rtol=1e-12, atol=0)


def test_separator_supervised_recovers_planted_sources(global_random_seed):
    """Parts learnt from each source alone separate a new mixture of them."""
    rng = np.random.RandomState(global_random_seed)
    separator = _supervised_fit(rng, max_iter=500)
    sources, X = _planted(rng)
    estimates = separator.separate(X)
    assert_array_equal(separator.classes_, ["high", "low"])
    # classes_ is sorted: source 0 is "high", planted as sources[1].
    for estimate, truth in zip(estimates, sources[::-1]):
        error = np.linalg.norm(estimate - truth) / np.linalg.norm(truth)
        assert error < 0.05


def test_separator_supervised_parts_per_source():
    """Supervised fits learn n_components parts for every source, in order."""
    rng = np.random.RandomState(0)
    separator = _supervised_fit(rng)
    assert separator.components_.shape == (6, 40)
    assert_array_equal(separator.component_sources_, [0, 0, 0, 1, 1, 1])
    assert separator.n_sources_ == 2
    assert separator.n_components_ == 6
    # Each source's parts live in its own band.
    high = separator.components_[:3]
    assert np.all(high[:, 22:].sum(axis=1) > 10 * high[:, :20].sum(axis=1))


def test_separator_blind_textbook_one_part_per_source():
    """With n_components == n_sources every part is its own source."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(2, random_state=0).fit(X)
    assert separator.components_.shape == (2, X.shape[1])
    assert_array_equal(np.sort(separator.component_sources_), [0, 1])
    assert_array_equal(separator.classes_, [0, 1])


@pytest.mark.parametrize("grouping", ["timbre", "spectra", "activations"])
def test_separator_blind_groups_every_source(grouping, global_random_seed):
    """Blind grouping gives every source a part, loudest source first."""
    rng = np.random.RandomState(global_random_seed)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(
        3, n_components=6, grouping=grouping, random_state=0
    ).fit(X)
    labels = separator.component_sources_
    assert_array_equal(np.unique(labels), [0, 1, 2])
    assert_array_equal(labels, np.sort(labels))
    energy = separator.separate(X).sum(axis=(1, 2))
    assert np.all(np.diff(energy) <= 0)


def test_separator_blind_spectra_grouping_finds_planted_bands():
    """Parts on two disjoint bands are grouped by band."""
    rng = np.random.RandomState(0)
    sources, X = _planted(rng, n_frames=200)
    separator = SpectrogramSeparator(
        2, n_components=6, grouping="spectra", max_iter=500, random_state=0
    ).fit(X)
    estimates = separator.separate(X)
    errors = [
        min(np.linalg.norm(e - s) for s in sources) / np.linalg.norm(X)
        for e in estimates
    ]
    assert max(errors) < 0.05


def test_group_parts_timbre_tells_notes_from_noise():
    """Harmonic notes at five pitches and three noise spectra form two groups."""
    rng = np.random.RandomState(0)
    bins = np.arange(257)
    notes = []
    for spacing in (6, 7, 8, 9, 10):
        comb = np.exp(-0.5 * ((bins[:, None] - spacing * np.arange(1, 20)) / 0.7) ** 2)
        notes.append(comb @ 0.7 ** np.arange(19))
    noises = [
        np.exp(-bins / 257 * slope) * rng.uniform(0.8, 1.2, 257) for slope in (1, 2, 3)
    ]
    H = np.vstack([*notes, *noises]) + 1e-6
    W = rng.uniform(size=(50, 8))
    labels = group_parts(W, H, 2, method="timbre", random_state=0)
    assert len(set(labels[:5])) == 1
    assert len(set(labels[5:])) == 1
    assert labels[0] != labels[5]


def test_separator_fit_transform_matches_transform():
    """Reusing the fitted activations agrees with solving for them again."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(2, n_components=4, max_iter=1000, tol=1e-8)
    X_fit = separator.set_params(random_state=0).fit_transform(X)
    assert_allclose(separator.transform(X), X_fit, rtol=1e-3, atol=1e-3 * X.max())


def test_separator_separate_matches_transform():
    """separate returns the blocks of transform, stacked on a first axis."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = _supervised_fit(rng)
    sources = separator.separate(X)
    blocks = separator.transform(X).reshape(X.shape[0], 2, X.shape[1])
    assert_allclose(sources, blocks.transpose(1, 0, 2), rtol=1e-14, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_separator_complex_frames_give_signals_that_add_up(dtype):
    """Masks act on complex STFT frames; the inverse STFTs sum to the mixture."""
    mixture = make_audio_mixture(duration=1.0, n_sources=2, random_state=0)
    signal = mixture.mixture.astype(dtype)
    frames = stft(signal, n_fft=N_FFT, hop_length=HOP)
    separator = SpectrogramSeparator(2, n_components=8, random_state=0)
    sources = separator.fit(np.abs(frames)).separate(frames)
    assert sources.dtype == frames.dtype
    signals = [
        istft(s, n_fft=N_FFT, hop_length=HOP, length=signal.size) for s in sources
    ]
    rtol = 1e-5 if dtype == np.float32 else 1e-10
    assert_allclose(np.sum(signals, axis=0), signal, atol=rtol * np.abs(signal).max())


def test_separator_complex_masks_keep_the_phase():
    """A complex source is the magnitude source with the mixture's phase."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    phase = np.exp(2j * np.pi * rng.uniform(size=X.shape))
    separator = _supervised_fit(rng)
    complex_sources = separator.separate(X * phase)
    assert_allclose(complex_sources, separator.separate(X) * phase, rtol=1e-10)


def test_separator_fit_separate_on_complex_frames():
    """fit_separate learns from the magnitudes and masks the complex frames."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    phase = np.exp(2j * np.pi * rng.uniform(size=X.shape))
    separator = SpectrogramSeparator(2, n_components=4, random_state=0)
    sources = separator.fit_separate(X * phase)
    assert np.iscomplexobj(sources)
    assert_allclose(np.abs(sources).sum(axis=0), X, rtol=1e-12)
    assert separator.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("floor", [0.0, 0.05, 0.5])
@pytest.mark.parametrize("power", [1.0, 2.0, 3.5])
def test_wiener_masks_bounds_and_sum(power, floor, global_random_seed):
    """Masks lie in [floor, 1 - (S - 1) floor] and add up to one."""
    rng = np.random.RandomState(global_random_seed)
    models = rng.uniform(size=(2, 5, 7)) ** 3
    masks = wiener_masks(models, power=power, floor=floor)
    assert_allclose(masks.sum(axis=0), 1.0, rtol=1e-14)
    assert masks.min() >= floor - 1e-15
    assert masks.max() <= 1 - floor + 1e-15
    expected = models**power / np.sum(models**power, axis=0)
    assert_allclose(masks, floor + (1 - 2 * floor) * expected, rtol=1e-12)


def test_wiener_masks_extreme_scales_and_silence():
    """Huge, tiny and all-zero models give finite masks; silence is shared."""
    models = np.array([[[1e300, 1e-300, 0.0]], [[1e300, 0.0, 0.0]]])
    masks = wiener_masks(models, power=2.0)
    assert_allclose(masks[:, 0, :], [[0.5, 1.0, 0.5], [0.5, 0.0, 0.5]])


def test_separator_mask_floor_shares_equally_at_the_limit():
    """mask_floor = 1 / n_sources splits every point equally."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(2, n_components=4, mask_floor=0.5)
    sources = separator.set_params(random_state=0).fit_separate(X)
    assert_allclose(sources, np.stack([X / 2, X / 2]), rtol=1e-14)


def test_separator_mask_power_hardens_masks():
    """A larger mask exponent moves masks towards zero and one."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = _supervised_fit(rng)
    soft = separator.set_params(mask_power=1.0).separate(X)[0] / X
    hard = separator.set_params(mask_power=4.0).separate(X)[0] / X
    assert np.mean(np.abs(hard - 0.5)) > np.mean(np.abs(soft - 0.5))


def test_separator_mask_floor_above_limit_raises():
    """A floor above 1 / n_sources is rejected at fit."""
    X = np.random.RandomState(0).uniform(size=(10, 5))
    separator = SpectrogramSeparator(3, n_components=3, mask_floor=0.4)
    with pytest.raises(ValueError, match=r"mask_floor=0.4 is above 1 / n_sources"):
        separator.fit(X)


def test_separator_n_sources_must_match_labels():
    """A supervised fit with labels of another number of sources is rejected."""
    X = np.random.RandomState(0).uniform(size=(10, 5))
    y = np.repeat([0, 1, 2], [4, 3, 3])
    with pytest.raises(ValueError, match="y holds 3 distinct sources but n_sources=2"):
        SpectrogramSeparator(2).fit(X, y)


def test_separator_supervised_rejects_a_silent_source():
    """A source whose training frames are all zero has nothing to learn from."""
    X = np.random.RandomState(0).uniform(size=(10, 5))
    y = np.repeat(["voice", "drums"], 5)
    X[y == "drums"] = 0
    with pytest.raises(ValueError, match="frames of source 'drums' are all zero"):
        SpectrogramSeparator(n_components=2).fit(X, y)


def test_separator_blind_needs_a_part_per_source():
    """Fewer parts than sources cannot be grouped."""
    X = np.random.RandomState(0).uniform(size=(10, 5))
    with pytest.raises(ValueError, match="n_components=2 is smaller than n_sources=3"):
        SpectrogramSeparator(3, n_components=2).fit(X)


def test_separator_rejects_continuous_labels():
    """y must hold source labels, not continuous values."""
    X = np.random.RandomState(0).uniform(size=(10, 5))
    with pytest.raises(ValueError, match="Unknown label type"):
        SpectrogramSeparator().fit(X, np.linspace(0, 1, 10))


def test_separator_inverse_transform_checks_width():
    """inverse_transform needs n_sources * n_bins columns."""
    rng = np.random.RandomState(0)
    separator = _supervised_fit(rng)
    with pytest.raises(ValueError, match=r"n_sources_ \* n_bins = 80 columns"):
        separator.inverse_transform(np.ones((3, 40)))


def test_separator_feature_names_out():
    """Output names pair every source with every input bin."""
    rng = np.random.RandomState(0)
    separator = _supervised_fit(rng)
    names = separator.get_feature_names_out()
    assert names.shape == (80,)
    assert names[0] == "source0_bin0"
    assert names[-1] == "source1_bin39"
    custom = separator.get_feature_names_out([f"f{i}" for i in range(40)])
    assert custom[41] == "source1_f1"


def test_separator_convergence_warning_names_the_separator():
    """Running out of iterations warns, naming the separator and max_iter."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = SpectrogramSeparator(2, n_components=4, max_iter=3, tol=1e-12)
    with pytest.warns(
        ConvergenceWarning, match="SpectrogramSeparator reached max_iter=3"
    ):
        separator.fit(X)


def test_separator_verbose_reports_each_source(capsys):
    """verbose=1 says which source is learnt, then the solver's lines."""
    rng = np.random.RandomState(0)
    train, _ = _planted(rng)
    y = np.repeat([0, 1], train.shape[1])
    separator = SpectrogramSeparator(n_components=2, verbose=1, random_state=0)
    separator.fit(np.vstack(train), y)
    out = capsys.readouterr().out
    assert "Source 0: 2 parts from 60 frames" in out
    assert "Source 1: 2 parts from 60 frames" in out
    assert "Stopped after" in out


def test_separator_silent_by_default(capsys):
    """verbose=0 prints nothing."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    SpectrogramSeparator(2, n_components=4, random_state=0).fit(X)
    assert capsys.readouterr().out == ""


def test_group_parts_gives_every_source_a_part():
    """Identical parts still give every source at least one part."""
    H = np.ones((5, 16))
    W = np.ones((8, 5))
    labels = group_parts(W, H, 3, method="timbre", random_state=0)
    assert_array_equal(np.unique(labels), [0, 1, 2])


def test_separator_librosa_orientation_is_the_transpose():
    """A (bins, frames) spectrogram is separated after transposing it once."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    S = X.T
    separator = _supervised_fit(rng)
    sources = separator.separate(S.T)
    assert sources.shape == (2, S.shape[1], S.shape[0])


def test_separator_activations_of_complex_frames():
    """activations solves for the codes of the magnitudes, parts fixed."""
    rng = np.random.RandomState(0)
    _, X = _planted(rng)
    separator = _supervised_fit(rng)
    W = separator.activations(X * np.exp(1j * rng.uniform(size=X.shape)))
    assert W.shape == (X.shape[0], separator.n_components_)
    assert_allclose(W, separator.activations(X), rtol=1e-12)
    assert np.all(W > 0)
