"""Tests of the STFT pair and of WAV reading and writing."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import stat

import _recordings
import numpy as np
import pytest
import scipy.io.wavfile
from _recordings import (
    instrument,
    raw_wav,
    require_espeak,
    require_fluidsynth,
    speech,
)
from numpy.testing import assert_allclose, assert_array_equal
from scipy.signal import get_window

from sklearn_nmfx.audio import (
    bin_frequencies,
    frame_times,
    istft,
    read_wav,
    stft,
    write_wav,
)


def _signal(n_samples, seed):
    """White noise with a fixed seed."""
    return np.random.default_rng(seed).standard_normal(n_samples)


@pytest.mark.parametrize(
    "n_fft, hop_length, window",
    [
        (1024, 256, "hann"),
        (1024, 512, "hann"),
        (1000, 300, "hann"),
        (513, 100, "hamming"),
        (256, 64, ("kaiser", 8.0)),
        (64, 64, "boxcar"),
        (2, 1, "hann"),
    ],
)
@pytest.mark.parametrize("n_samples", [4000, 4001, 3333])
def test_stft_istft_perfect_reconstruction(
    n_fft, hop_length, window, n_samples, global_random_seed
):
    """istft(stft(x)) gives x back, edges included, for any valid setting."""
    x = _signal(n_samples, global_random_seed)
    frames = stft(x, n_fft=n_fft, hop_length=hop_length, window=window)
    y = istft(
        frames, n_fft=n_fft, hop_length=hop_length, window=window, length=n_samples
    )
    assert y.shape == x.shape
    assert_allclose(y, x, rtol=0, atol=1e-10)


def test_stft_istft_shortest_signal(global_random_seed):
    """A signal of half a frame, the shortest allowed, is rebuilt too."""
    x = _signal(512, global_random_seed)
    assert_allclose(istft(stft(x), length=512), x, rtol=0, atol=1e-10)


def test_stft_frame_is_rfft_of_windowed_segment(global_random_seed):
    """Each row is rfft(window * segment) around the time frame_times gives."""
    n_fft, hop_length = 400, 160
    x = _signal(8000, global_random_seed)
    frames = stft(x, n_fft=n_fft, hop_length=hop_length, window="hamming")
    centres = frame_times(
        len(frames), sample_rate=1, n_fft=n_fft, hop_length=hop_length
    )
    window = get_window("hamming", n_fft)
    for t in (5, 20, 40):
        start = int(centres[t]) - n_fft // 2
        expected = np.fft.rfft(window * x[start : start + n_fft])
        assert_allclose(frames[t], expected, rtol=1e-12, atol=1e-10)


def test_stft_shape_and_orientation():
    """Frames are rows and frequency bins columns; a tone peaks at its bin."""
    sample_rate, n_fft = 16000, 1024
    frequency = 40 * sample_rate / n_fft  # exactly bin 40
    x = np.sin(2 * np.pi * frequency * np.arange(sample_rate) / sample_rate)
    frames = stft(x, n_fft=n_fft)
    assert frames.shape == (len(frame_times(len(frames), sample_rate=1)), 513)
    assert frames.shape[1] == len(bin_frequencies(sample_rate=sample_rate))
    assert frames.dtype == np.complex128

    peak_bins = np.argmax(np.abs(frames[5:-5]), axis=1)
    assert_array_equal(peak_bins, 40)
    assert_allclose(bin_frequencies(sample_rate=sample_rate)[40], frequency, rtol=0)


def test_stft_frames_cover_the_signal():
    """The frames reach past both ends, so the first time is negative."""
    x = np.ones(16000)
    frames = stft(x, n_fft=1024, hop_length=256)
    times = frame_times(len(frames), sample_rate=16000, n_fft=1024, hop_length=256)
    assert times[0] < 0
    assert times[-1] * 16000 + 512 >= len(x)
    assert_allclose(np.diff(times), 256 / 16000, rtol=1e-12)


def test_istft_length_none_returns_signal_and_zero_tail(global_random_seed):
    """Without length, the original comes first, then reconstructed padding."""
    x = _signal(5000, global_random_seed)
    y = istft(stft(x))
    assert len(y) >= len(x)
    assert_allclose(y[: len(x)], x, rtol=0, atol=1e-10)
    assert_allclose(y[len(x) :], 0, rtol=0, atol=1e-10)


def test_stft_keeps_float32(global_random_seed):
    """float32 input gives complex64 frames and a float32 inverse."""
    x = _signal(3000, global_random_seed).astype(np.float32)
    frames = stft(x)
    assert frames.dtype == np.complex64
    y = istft(frames, length=len(x))
    assert y.dtype == np.float32
    assert_allclose(y, x, rtol=0, atol=1e-5)


def test_stft_accepts_integer_input():
    """Integer samples are converted to float64 before the transform."""
    x = np.arange(-1000, 1000, dtype=np.int16)
    frames = stft(x)
    assert frames.dtype == np.complex128
    assert_allclose(istft(frames, length=len(x)), x, rtol=0, atol=1e-9)


def test_stft_does_not_modify_input(global_random_seed):
    """The signal is left as it was."""
    x = _signal(2000, global_random_seed)
    before = x.copy()
    stft(x)
    assert_array_equal(x, before)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_fft": 1}, ValueError, r"n_fft must be >= 2; got n_fft=1\."),
        ({"n_fft": 1024.0}, TypeError, r"n_fft must be an int; got 1024\.0\."),
        ({"hop_length": 0}, ValueError, r"hop_length must be in \[1, 1024\]"),
        (
            {"hop_length": 2000},
            ValueError,
            r"hop_length must be in \[1, 1024\]; got hop_length=2000\.",
        ),
        ({"hop_length": 1024}, ValueError, r"hop_length=1024 cannot be inverted"),
        (
            {"window": np.ones(10)},
            ValueError,
            r"window must have shape \(n_fft,\) = \(1024,\); got an array of "
            r"shape \(10,\)\.",
        ),
        (
            {"window": "no-such-window"},
            ValueError,
            r"window='no-such-window' is not a window that scipy\.signal\.get_window",
        ),
        (
            {"window": np.full(1024, np.nan)},
            ValueError,
            "window must hold finite values only",
        ),
        (
            {"window": np.zeros(1024)},
            ValueError,
            "window is zero everywhere, so the STFT cannot be inverted",
        ),
        (
            {"window": np.full(1024, 1e-300)},
            ValueError,
            r"window=an array, n_fft=1024 and hop_length=256 cannot be inverted",
        ),
    ],
)
def test_stft_invalid_parameters(kwargs, error, match):
    """Each invalid STFT parameter is reported with its name and value."""
    x = np.zeros(4000)
    with pytest.raises(error, match=match):
        stft(x, **kwargs)
    with pytest.raises(error, match=match):
        istft(np.zeros((20, 513)), **kwargs)


@pytest.mark.parametrize(
    "x, match",
    [
        (np.zeros((2, 4000)), r"x must be a one-dimensional signal; .*\(2, 4000\)"),
        (np.zeros(4000, dtype=complex), "x must be real-valued; got dtype complex"),
        (np.array(["a"] * 4000), "x must be real-valued"),
        (np.zeros(511), r"x has 511 samples; .* at least n_fft - n_fft // 2 = 512"),
        (np.r_[np.zeros(3000), np.nan], r"x must hold finite values only"),
        (np.r_[np.zeros(3000), np.inf], r"x must hold finite values only"),
    ],
)
def test_stft_invalid_signal(x, match):
    """Signals that are not 1-D, real, finite and long enough are rejected."""
    with pytest.raises(ValueError, match=match):
        stft(x)


@pytest.mark.parametrize(
    "frames, kwargs, error, match",
    [
        (
            np.zeros((20, 512)),
            {},
            ValueError,
            r"frames must have shape \(n_frames, n_fft // 2 \+ 1\) = \(n_frames, "
            r"513\) for n_fft=1024; got shape \(20, 512\)\.",
        ),
        (np.zeros(513), {}, ValueError, r"got shape \(513,\)"),
        (np.zeros((2, 513)), {}, ValueError, r"frames holds 2 frames; .* at least 5"),
        (
            np.full((20, 513), np.nan),
            {},
            ValueError,
            "frames must hold finite values only",
        ),
        (
            np.zeros((20, 513)),
            {"length": 100_000},
            ValueError,
            r"length=100000 is longer than the 5120 samples that 20 frames cover",
        ),
        (np.zeros((20, 513)), {"length": 10}, ValueError, r"length must be >= 512"),
        (np.zeros((20, 513)), {"length": 10.5}, TypeError, r"length must be an int"),
    ],
)
def test_istft_invalid_input(frames, kwargs, error, match):
    """Frames of the wrong shape and impossible lengths are rejected."""
    with pytest.raises(error, match=match):
        istft(frames, **kwargs)


def test_istft_of_modified_frames_has_requested_length(global_random_seed):
    """A masked spectrogram inverts to a real signal of the requested length."""
    x = _signal(4000, global_random_seed)
    frames = stft(x)
    y = istft(0.5 * frames, length=4000)
    assert y.dtype == np.float64
    assert_allclose(y, 0.5 * x, rtol=0, atol=1e-10)


def test_frame_times_and_bin_frequencies_values():
    """Frame centres step by hop_length; bins step by sample_rate / n_fft."""
    assert_allclose(
        frame_times(3, sample_rate=8000, n_fft=512, hop_length=128),
        [-0.016, 0.0, 0.016],
        rtol=0,
        atol=1e-15,
    )
    assert_allclose(
        bin_frequencies(sample_rate=8000, n_fft=5), [0.0, 1600.0, 3200.0], rtol=0
    )


@pytest.mark.parametrize(
    "func, kwargs, match",
    [
        (frame_times, {"n_frames": -1, "sample_rate": 1}, "n_frames must be >= 0"),
        (frame_times, {"n_frames": 3, "sample_rate": 0}, r"sample_rate=0"),
        (bin_frequencies, {"sample_rate": -5}, r"sample_rate=-5"),
        (bin_frequencies, {"sample_rate": 16000, "n_fft": 1}, "n_fft must be >= 2"),
    ],
)
def test_frame_times_bin_frequencies_invalid(func, kwargs, match):
    """Negative counts and non-positive rates are rejected."""
    with pytest.raises(ValueError, match=match):
        func(**kwargs)


@pytest.mark.parametrize(
    "dtype, atol",
    [("int16", 1 / 32768), ("int32", 1e-9), ("float32", 1e-7)],
)
@pytest.mark.parametrize("n_channels", [None, 1, 2])
def test_wav_round_trip(tmp_path, dtype, atol, n_channels, global_random_seed):
    """Written samples are read back up to the format's quantisation step."""
    rng = np.random.default_rng(global_random_seed)
    shape = (1000,) if n_channels is None else (1000, n_channels)
    samples = rng.uniform(-0.99, 0.99, size=shape)
    path = tmp_path / "round.wav"
    write_wav(path, samples, 22050, dtype=dtype)

    read, sample_rate = read_wav(path, mono=False)
    assert sample_rate == 22050
    assert isinstance(sample_rate, int)
    assert read.dtype == np.float64
    assert_allclose(read, samples.reshape(1000, -1), rtol=0, atol=atol)
    stored_dtype = scipy.io.wavfile.read(path)[1].dtype
    assert stored_dtype == np.dtype(dtype)


def test_read_wav_scales_integer_formats(tmp_path):
    """Integer PCM written by scipy is divided by 2 ** (bits - 1)."""
    cases = {
        "int16": (np.array([-32768, 0, 16384, 32767], np.int16), 32768.0, 0),
        "int32": (np.array([-(2**31), 0, 2**30, 2**31 - 1], np.int32), 2.0**31, 0),
        "uint8": (np.array([0, 128, 192, 255], np.uint8), 128.0, 128),
    }
    for name, (data, scale, offset) in cases.items():
        path = tmp_path / f"{name}.wav"
        scipy.io.wavfile.write(path, 8000, data)
        samples, sample_rate = read_wav(path)
        assert sample_rate == 8000
        expected = (data.astype(np.float64) - offset) / scale
        assert_allclose(samples, expected, rtol=0, atol=1e-15)
        assert samples[0] == -1.0


def test_read_wav_float_is_not_clipped(tmp_path):
    """float32 files are returned as stored, values beyond 1 included."""
    data = np.array([-2.0, 0.25, 1.5], np.float32)
    path = tmp_path / "float.wav"
    scipy.io.wavfile.write(path, 8000, data)
    assert_allclose(read_wav(path)[0], data, rtol=0, atol=0)


def test_read_wav_mixes_stereo_down(tmp_path):
    """mono=True averages the channels; mono=False keeps them as columns."""
    left = np.array([1000, -2000, 3000, 0], np.int16)
    right = np.array([3000, 2000, -1000, 0], np.int16)
    path = tmp_path / "stereo.wav"
    scipy.io.wavfile.write(path, 16000, np.column_stack([left, right]))

    mono, _ = read_wav(path)
    assert mono.shape == (4,)
    assert_allclose(mono, (left + right.astype(float)) / 2 / 32768, rtol=0, atol=0)
    both, _ = read_wav(path, mono=False)
    assert both.shape == (4, 2)
    assert_allclose(both[:, 1], right / 32768, rtol=0, atol=0)


def test_read_wav_mono_file_with_mono_false(tmp_path):
    """A mono file read with mono=False has one column."""
    path = tmp_path / "mono.wav"
    scipy.io.wavfile.write(path, 16000, np.array([1, 2, 3], np.int16))
    samples, _ = read_wav(path, mono=False)
    assert samples.shape == (3, 1)
    assert_allclose(samples[:, 0], np.array([1, 2, 3]) / 32768, rtol=0, atol=0)


def test_read_wav_errors(tmp_path):
    """Missing, empty, foreign and sample-less files raise naming the path."""
    missing = tmp_path / "missing.wav"
    with pytest.raises(FileNotFoundError, match="No WAV file at path=.*missing.wav"):
        read_wav(missing)

    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="'.*empty.wav' is not a readable WAV file"):
        read_wav(empty)

    text = tmp_path / "notes.wav"
    text.write_text("these are not samples\n" * 10)
    with pytest.raises(ValueError, match="'.*notes.wav' is not a readable WAV file"):
        read_wav(text)

    silent = tmp_path / "nothing.wav"
    scipy.io.wavfile.write(silent, 16000, np.zeros(0, np.int16))
    with pytest.raises(ValueError, match="The WAV file .*nothing.wav.* holds no"):
        read_wav(silent)


@pytest.mark.parametrize(
    "n_channels, block_align",
    [(0, 2), (0, 0), (1, 0)],
    ids=["channels", "both", "block"],
)
def test_read_wav_zero_channels_or_block_is_value_error(
    tmp_path, n_channels, block_align
):
    """A header with 0 channels or 0-byte blocks raises ValueError, not ZeroDivision."""
    path = tmp_path / "zero.wav"
    path.write_bytes(raw_wav(n_channels, 16000, block_align))
    match = (
        r"^'.*zero\.wav' is not a readable WAV file: its header gives 0 channels "
        r"or a block size of 0 bytes\.$"
    )
    with pytest.raises(ValueError, match=match):
        read_wav(path)


def test_read_wav_any_parser_failure_is_one_value_error(tmp_path, monkeypatch):
    """Whatever scipy's reader raises becomes one ValueError naming the file once."""
    path = tmp_path / "odd.wav"
    path.write_bytes(raw_wav(1, 16000))

    def fail(handle, mmap=False):
        raise RuntimeError("unexpected\nchunk")

    monkeypatch.setattr(scipy.io.wavfile, "read", fail)
    match = r"^'.*odd\.wav' is not a readable WAV file: unexpected chunk$"
    with pytest.raises(ValueError, match=match):
        read_wav(path)


def test_read_wav_foreign_file_message_says_it_once(tmp_path):
    """The message for a non-WAV file says 'not a readable WAV file' only once."""
    path = tmp_path / "notes.wav"
    path.write_text("these are not samples\n" * 10)
    with pytest.raises(ValueError) as info:
        read_wav(path)
    message = str(info.value)
    assert message.startswith(f"{str(path)!r} is not a readable WAV file: ")
    assert "WAV file" not in message.split(": ", 1)[1]


def test_read_wav_refuses_zero_sample_rate(tmp_path):
    """A header giving a sample rate of 0 Hz is refused, naming the file."""
    path = tmp_path / "rate0.wav"
    path.write_bytes(raw_wav(1, 0))
    match = r"'.*rate0\.wav' is not a readable WAV file: .* sample rate of 0 Hz\."
    with pytest.raises(ValueError, match=match):
        read_wav(path)


def test_read_wav_directory_is_not_missing(tmp_path):
    """A directory is reported as a directory, not as a missing file."""
    with pytest.raises(IsADirectoryError, match=r"'.*' is a directory, not a WAV"):
        read_wav(tmp_path)


def test_write_wav_to_a_directory_names_the_path(tmp_path):
    """Writing to a directory names that path, not a temporary file, and leaves none."""
    folder = tmp_path / "folder.wav"
    folder.mkdir()
    match = r"^Cannot write a WAV file at path='.*folder\.wav': it is a directory\.$"
    with pytest.raises(IsADirectoryError, match=match):
        write_wav(folder, np.zeros(3), 8000)
    assert os.listdir(tmp_path) == ["folder.wav"]
    assert os.listdir(folder) == []


def test_write_wav_clips_integer_formats(tmp_path):
    """Integer formats clip to [-1, 1]; +1 becomes the largest code."""
    path = tmp_path / "clip.wav"
    write_wav(path, np.array([-3.0, -1.0, 0.5, 1.0, 7.0]), 8000)
    _, data = scipy.io.wavfile.read(path)
    assert_array_equal(data, [-32768, -32768, 16384, 32767, 32767])


def test_write_wav_float32_keeps_values(tmp_path):
    """float32 stores values as they are, without clipping."""
    path = tmp_path / "loud.wav"
    write_wav(path, np.array([-3.0, 0.5, 7.0]), 8000, dtype="float32")
    _, data = scipy.io.wavfile.read(path)
    assert data.dtype == np.float32
    assert_allclose(data, [-3.0, 0.5, 7.0], rtol=0, atol=0)


def test_write_wav_does_not_modify_input(tmp_path, global_random_seed):
    """The samples, even read-only ones out of range, are left as they were."""
    samples = np.random.default_rng(global_random_seed).uniform(-2, 2, size=500)
    before = samples.copy()
    samples.setflags(write=False)
    write_wav(tmp_path / "x.wav", samples, 8000)
    assert_array_equal(samples, before)


def test_write_wav_replaces_existing_file_keeping_mode(tmp_path):
    """Overwriting replaces the content and keeps the file's permissions."""
    path = tmp_path / "kept.wav"
    write_wav(path, np.zeros(10), 8000)
    os.chmod(path, 0o640)
    write_wav(path, np.full(20, 0.5), 8000)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert_allclose(read_wav(path)[0], 0.5, rtol=0, atol=0)
    assert sorted(os.listdir(tmp_path)) == ["kept.wav"]


def test_write_wav_new_file_follows_umask(tmp_path):
    """A new file gets the permissions open() would give, not 0o600."""
    umask = os.umask(0o022)
    try:
        write_wav(tmp_path / "new.wav", np.zeros(10), 8000)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.wav").st_mode) == 0o644


def test_write_wav_failure_leaves_target_untouched(tmp_path, monkeypatch):
    """An error while writing leaves the old file and no temporary file."""
    path = tmp_path / "target.wav"
    write_wav(path, np.full(10, 0.25), 8000)
    original = path.read_bytes()

    def write_half_then_fail(handle, rate, data):
        handle.write(b"RIFF\x00\x00")
        raise OSError("disk full")

    monkeypatch.setattr(scipy.io.wavfile, "write", write_half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_wav(path, np.zeros(100), 8000)
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["target.wav"]


def test_write_wav_failed_replace_leaves_no_temporary(tmp_path, monkeypatch):
    """If the final rename fails, the temporary file is removed."""
    path = tmp_path / "target.wav"

    def refuse(src, dst):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError, match="read-only folder"):
        write_wav(path, np.zeros(100), 8000)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "samples, kwargs, error, match",
    [
        (np.zeros(0), {}, ValueError, r"non-empty array .* got shape \(0,\)"),
        (np.zeros((2, 2, 2)), {}, ValueError, r"got shape \(2, 2, 2\)"),
        (np.array([0.0, np.nan]), {}, ValueError, "finite values only"),
        (np.zeros(3, complex), {}, ValueError, "samples must be real-valued"),
        (np.zeros(3), {"dtype": "int8"}, ValueError, r"dtype must be one of"),
        (np.zeros(3), {"sample_rate": 0}, ValueError, r"sample_rate=0"),
        (np.zeros(3), {"sample_rate": 8000.0}, TypeError, "sample_rate must be an"),
    ],
)
def test_write_wav_invalid_input(tmp_path, samples, kwargs, error, match):
    """Invalid samples, rates and formats are rejected before any file exists."""
    arguments = {"sample_rate": 8000, **kwargs}
    with pytest.raises(error, match=match):
        write_wav(tmp_path / "bad.wav", samples, **arguments)
    assert os.listdir(tmp_path) == []


def test_write_wav_missing_folder(tmp_path):
    """Writing into a folder that does not exist names the folder."""
    with pytest.raises(FileNotFoundError, match="The folder .*nowhere.* does not"):
        write_wav(tmp_path / "nowhere" / "x.wav", np.zeros(3), 8000)


def test_speech_recording_round_trip(tmp_path):
    """A sentence by espeak-ng survives the STFT pair and a WAV round trip."""
    require_espeak()
    x = speech("en-us", "Non-negative parts add up to the whole.")
    duration = len(x) / 16000
    assert 1.0 < duration < 6.0
    assert np.sqrt(np.mean(x**2)) > 0.02
    assert np.max(np.abs(x)) <= 1.0

    assert_allclose(istft(stft(x), length=len(x)), x, rtol=0, atol=1e-10)
    path = tmp_path / "speech.wav"
    write_wav(path, x, 16000)
    read, sample_rate = read_wav(path)
    assert sample_rate == 16000
    assert_allclose(read, x, rtol=0, atol=1 / 32768)


def test_speech_recordings_of_two_voices_differ():
    """Two voices saying two sentences give two different recordings."""
    require_espeak()
    first = speech("en-us", "The cat sat on the mat.")
    second = speech("en+f3", "A bird sings in the tree.")
    n = min(len(first), len(second))
    correlation = np.corrcoef(first[:n], second[:n])[0, 1]
    assert abs(correlation) < 0.2


def test_instrument_note_pitch_and_round_trip(tmp_path):
    """An A4 rendered by fluidsynth peaks near 440 Hz and round-trips."""
    require_fluidsynth()
    x = instrument(73, [(69, 0.0, 0.5)])  # a flute
    assert len(x) == 16000  # the note plus half a second of tail
    assert np.sqrt(np.mean(x[:8000] ** 2)) > 1e-3

    frames = stft(x)
    spectrum = np.abs(frames).sum(axis=0)
    peak = bin_frequencies(sample_rate=16000)[np.argmax(spectrum)]
    assert abs(peak - 440.0) <= 16000 / 1024

    assert_allclose(istft(frames, length=len(x)), x, rtol=0, atol=1e-10)
    path = tmp_path / "flute.wav"
    write_wav(path, x, 16000, dtype="float32")
    assert_allclose(read_wav(path)[0], x, rtol=1e-6, atol=1e-9)


def test_recordings_missing_tool_fails_on_ci_and_skips_locally(monkeypatch):
    """Without the tools, CI fails the test while a local run skips it."""
    monkeypatch.setattr(_recordings.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="espeak-ng is not installed"):
        require_espeak()
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require_fluidsynth()

    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="fluidsynth with a General"):
        require_fluidsynth()


@pytest.mark.parametrize(
    "value, encoded",
    [
        (0, b"\x00"),
        (0x40, b"\x40"),
        (0x7F, b"\x7f"),
        (0x80, b"\x81\x00"),
        (0x2000, b"\xc0\x00"),
        (0x3FFF, b"\xff\x7f"),
        (0x4000, b"\x81\x80\x00"),
        (0x0FFFFFFF, b"\xff\xff\xff\x7f"),
    ],
)
def test_recordings_midi_variable_length(value, encoded):
    """Delta times are encoded as in the Standard MIDI File specification."""
    assert _recordings._variable_length(value) == encoded


def test_recordings_midi_file_layout():
    """The MIDI file has the format 0 header and one track of known length."""
    data = _recordings.midi_file(40, [(60, 0.0, 0.5), (64, 0.5, 0.5, 90)])
    assert data[:14] == b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0"
    assert data[14:18] == b"MTrk"
    assert int.from_bytes(data[18:22], "big") == len(data) - 22
    assert b"\xc0\x28" in data  # program change to the violin
    assert b"\x90\x40\x5a" in data  # E4 struck with velocity 90
    assert data.endswith(b"\xff\x2f\x00")


def test_write_wav_refuses_values_beyond_float32(tmp_path):
    """A value float32 cannot hold is an error, not an infinity in the file."""
    path = tmp_path / "big.wav"
    with pytest.raises(ValueError, match="exceed the range of dtype='float32'"):
        write_wav(path, np.array([0.5, 1e300]), 8000, dtype="float32")
    assert not path.exists()
