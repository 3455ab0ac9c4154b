"""Tests of the ``separate`` command line."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.io.wavfile
from numpy.testing import assert_allclose

from sklearn_nmfx.__main__ import main
from sklearn_nmfx._cli_separate import add_parser, run
from sklearn_nmfx.audio import read_wav, write_wav
from sklearn_nmfx.datasets import make_audio_mixture

# Small frames, few parts and iterations keep every run well under a second.
FAST = ["--n-fft", "512", "--hop-length", "128", "--components", "6"]
FAST += ["--max-iter", "30"]
RATE = 16000


def _args(argv):
    """Parse ``separate`` arguments as ``python -m sklearn_nmfx`` does."""
    parser = argparse.ArgumentParser(prog="python -m sklearn_nmfx")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["separate", *argv])


@pytest.fixture
def recordings(tmp_path):
    """A 1 s built-in mixture and its two sources, as WAV files."""
    data = make_audio_mixture(duration=1.0, n_sources=2, random_state=0)
    paths = {}
    for name, signal in [("mix", data.mixture), *zip(("a", "b"), data.sources)]:
        paths[name] = tmp_path / f"{name}.wav"
        write_wav(paths[name], signal, RATE, dtype="float32")
    return paths


def _error(capsys, argv):
    """Run the command expecting a usage error; return its message."""
    with pytest.raises(SystemExit) as info:
        run(_args(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_cli_separate_writes_one_wav_per_source(recordings, tmp_path):
    """Blind separation writes source_1.wav, source_2.wav adding up to MIX."""
    out = tmp_path / "out"
    assert (
        run(_args([str(recordings["mix"]), "--sources", "2", "--out", str(out)])) == 0
    )
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]
    mixture, rate = read_wav(recordings["mix"])
    signals = [read_wav(out / f"source_{i}.wav") for i in (1, 2)]
    assert all(r == rate for _, r in signals)
    total = signals[0][0] + signals[1][0]
    # int16 files: each source is off by at most half a step.
    assert_allclose(total, mixture, atol=2 / 32768)


def test_cli_separate_three_sources(recordings, tmp_path):
    """--sources 3 writes three files."""
    out = tmp_path / "out"
    run(_args([str(recordings["mix"]), "--sources", "3", "--out", str(out), *FAST]))
    assert sorted(os.listdir(out)) == [f"source_{i}.wav" for i in (1, 2, 3)]


def test_cli_separate_supervised_with_train_files(recordings, tmp_path, capsys):
    """--train learns one dictionary per clean recording."""
    out = tmp_path / "out"
    argv = [str(recordings["mix"]), "--out", str(out), *FAST]
    argv += ["--train", str(recordings["a"]), str(recordings["b"])]
    run(_args(argv))
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]
    mixture, _ = read_wav(recordings["mix"])
    first, _ = read_wav(out / "source_1.wav")
    truth, _ = read_wav(recordings["a"])
    # Trained on the sources themselves, source 1 is close to the first one.
    assert np.linalg.norm(first - truth) < 0.5 * np.linalg.norm(mixture - truth)


def test_cli_separate_builtin_mixture_says_so(tmp_path, capsys):
    """Without MIX.wav the built-in mixture is separated and scored."""
    out = tmp_path / "out"
    run(_args(["--out", str(out), *FAST]))
    printed = capsys.readouterr().out
    assert "No input file: separating the built-in mixture" in printed
    assert "make_audio_mixture (harmonic, percussive" in printed
    assert "improvement (dB)" in printed
    assert sorted(os.listdir(out)) == ["source_1.wav", "source_2.wav"]


def test_cli_separate_figure(recordings, tmp_path):
    """--figure saves a PNG of the spectrogram, parts, activations and masks."""
    out, figure = tmp_path / "out", tmp_path / "separation.png"
    argv = [str(recordings["mix"]), "--out", str(out), "--figure", str(figure)]
    run(_args([*argv, *FAST]))
    with open(figure, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []


def test_cli_separate_creates_the_out_folder(recordings, tmp_path):
    """--out may name a folder that does not exist yet, several levels deep."""
    out = tmp_path / "a" / "b"
    run(_args([str(recordings["mix"]), "--out", str(out), *FAST]))
    assert (out / "source_2.wav").is_file()


def test_cli_separate_missing_file(tmp_path, capsys):
    """A missing MIX.wav is one line of error and status 2."""
    missing = str(tmp_path / "nothing.wav")
    err = _error(capsys, [missing, "--out", str(tmp_path / "out")])
    assert "nothing.wav': no such file" in err


def test_cli_separate_not_a_wav_file(tmp_path, capsys):
    """A file that is not WAV is refused."""
    text = tmp_path / "notes.wav"
    text.write_text("these are not samples\n")
    err = _error(capsys, [str(text), "--out", str(tmp_path / "out")])
    assert "is not a readable WAV file" in err


def test_cli_separate_empty_wav_file(tmp_path, capsys):
    """A WAV file without samples is refused."""
    empty = tmp_path / "empty.wav"
    scipy.io.wavfile.write(empty, RATE, np.zeros(0, dtype=np.int16))
    err = _error(capsys, [str(empty), "--out", str(tmp_path / "out")])
    assert "holds no samples" in err


def test_cli_separate_out_is_a_file(recordings, tmp_path, capsys):
    """--out must be a folder."""
    err = _error(capsys, [str(recordings["mix"]), "--out", str(recordings["a"])])
    assert "is a file, not a folder" in err


def test_cli_separate_too_short_for_a_frame(tmp_path, capsys):
    """A signal shorter than half a frame cannot be separated."""
    short = tmp_path / "short.wav"
    write_wav(short, np.zeros(100), RATE)
    err = _error(capsys, [str(short), "--out", str(tmp_path / "out")])
    assert "MIX.wav: x has 100 samples" in err


def test_cli_separate_train_rate_mismatch(recordings, tmp_path, capsys):
    """Training files must have the mixture's sample rate."""
    other = tmp_path / "other.wav"
    write_wav(other, np.zeros(8000), 8000)
    argv = [str(recordings["mix"]), "--out", str(tmp_path / "out")]
    err = _error(capsys, [*argv, "--train", str(recordings["a"]), str(other)])
    assert "is sampled at 8000 Hz but the mixture at 16000 Hz" in err


def test_cli_separate_sources_must_match_train_files(recordings, tmp_path, capsys):
    """--sources, when given with --train, is the number of files."""
    argv = [str(recordings["mix"]), "--out", str(tmp_path), "--sources", "3"]
    err = _error(capsys, [*argv, "--train", str(recordings["a"]), str(recordings["b"])])
    assert "--sources 3 but 2 --train files" in err


def test_cli_separate_builtin_has_two_or_three_sources(tmp_path, capsys):
    """The built-in mixture cannot be split into four sources."""
    err = _error(capsys, ["--out", str(tmp_path), "--sources", "4"])
    assert "the built-in mixture has 2 or 3 sources; got --sources 4" in err


def test_cli_separate_fewer_parts_than_sources(recordings, tmp_path, capsys):
    """Blind separation needs a part per source."""
    argv = [str(recordings["mix"]), "--out", str(tmp_path), "--sources", "3"]
    err = _error(capsys, [*argv, "--components", "2"])
    assert "--components 2 is fewer than the 3 sources" in err


def test_cli_separate_figure_needs_a_known_type(recordings, tmp_path, capsys):
    """--figure must end in .png, .pdf or .svg and its folder must exist."""
    argv = [str(recordings["mix"]), "--out", str(tmp_path)]
    err = _error(capsys, [*argv, "--figure", str(tmp_path / "figure.txt")])
    assert "expected a .png, .pdf or .svg file name" in err
    err = _error(capsys, [*argv, "--figure", str(tmp_path / "no" / "f.png")])
    assert "does not exist" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--sources", "0"], "expected an integer >= 1; got 0"),
        (["--beta", "kl"], "expected one of kullback-leibler"),
        (["--mask-power", "-1"], "expected a number > 0"),
        ([], "the following arguments are required: --out"),
    ],
)
def test_cli_separate_bad_options(argv, message, capsys):
    """argparse rejects malformed options with status 2."""
    with pytest.raises(SystemExit) as info:
        _args(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_separate_accepts_any_beta(recordings, tmp_path):
    """--beta takes a number as well as a name."""
    out = tmp_path / "out"
    run(_args([str(recordings["mix"]), "--out", str(out), "--beta", "0.5", *FAST]))
    assert (out / "source_1.wav").is_file()


def test_cli_separate_runs_as_a_module(recordings, tmp_path):
    """``python -m sklearn_nmfx separate`` runs, and errors exit with status 2."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sklearn_nmfx", "separate"]
    done = subprocess.run(
        [*command, str(recordings["mix"]), "--out", str(out), *FAST],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "source_2.wav").is_file()
    failed = subprocess.run(
        [*command, str(tmp_path / "missing.wav"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    assert "no such file" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_tour_separate_step_prints_scores_and_saves(tmp_path, capsys):
    """The tour's step separates the built-in mixture and saves its outputs."""
    from sklearn_nmfx._tour_separate import tour_step

    tour_step(str(tmp_path))
    printed = capsys.readouterr().out
    for method in ["SpectrogramSeparator, blind", "sklearn NMF + k-means, blind"]:
        assert method in printed
    assert "ideal ratio mask (ceiling)" in printed
    for name in ["separation_mixture.wav", "separation_source_1.wav"]:
        assert (tmp_path / name).is_file()
    assert (tmp_path / "separation.png").is_file()


def test_cli_separate_train_needs_two_sounding_recordings(tmp_path, capsys):
    """One --train file, or a silent one, is refused with a one-line error."""
    rate = 16000
    t = np.arange(rate) / rate
    tone = 0.3 * np.sin(2 * np.pi * 440 * t)
    write_wav(tmp_path / "mix.wav", tone, rate)
    write_wav(tmp_path / "a.wav", tone, rate)
    write_wav(tmp_path / "silent.wav", np.zeros(rate), rate)
    out = tmp_path / "out"
    cases = [
        (["a.wav"], "at least 2; got 1"),
        (["a.wav", "silent.wav"], "silent.wav' is silent"),
    ]
    for train, message in cases:
        argv = ["separate", str(tmp_path / "mix.wav"), "--out", str(out), "--train"]
        with pytest.raises(SystemExit) as stop:
            main(argv + [str(tmp_path / name) for name in train])
        assert stop.value.code == 2
        assert message in capsys.readouterr().err
    assert not out.exists()
