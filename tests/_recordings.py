"""Audio for the tests: real recordings made by espeak-ng and fluidsynth.

CI installs the tools with::

    apt-get install -y --no-install-recommends espeak-ng fluidsynth \\
        timgm6mb-soundfont

A test that needs a tool calls :func:`require_espeak` or
:func:`require_fluidsynth` first. Without the tool the test is skipped on a
developer's machine, but fails when the environment variable ``CI`` is set,
so that a broken CI image cannot turn these tests into silent skips.
:func:`raw_wav` writes WAV headers by hand, for the malformed ones.
"""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import math
import os
import shutil
import struct
import subprocess
import tempfile

import numpy as np
import pytest
import scipy.io.wavfile
from scipy.signal import resample_poly

# Sound fonts tried in order; SKLEARN_NMFX_SOUNDFONT overrides them all.
_SOUNDFONTS = (
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
)
_FLUIDSYNTH_RATE = 44100
# Standard MIDI File timing: 480 ticks per quarter note at 120 beats per
# minute (the default tempo, also written explicitly) is 960 ticks a second.
_TICKS_PER_QUARTER = 480
_MICROSECONDS_PER_QUARTER = 500_000
_TICKS_PER_SECOND = _TICKS_PER_QUARTER * 1_000_000 // _MICROSECONDS_PER_QUARTER
_TIMEOUT_SECONDS = 60
# Seconds of silence kept after the last note, for its release.
_TAIL_SECONDS = 0.5


def on_ci():
    """Whether the tests run on CI (the environment variable ``CI`` is set)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def soundfont():
    """Path of the General MIDI sound font, or None if none is installed."""
    candidates = [os.environ.get("SKLEARN_NMFX_SOUNDFONT"), *_SOUNDFONTS]
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    return None


def have_espeak():
    """Whether the ``espeak-ng`` program is on the PATH."""
    return shutil.which("espeak-ng") is not None


def have_fluidsynth():
    """Whether ``fluidsynth`` is on the PATH and a sound font is installed."""
    return shutil.which("fluidsynth") is not None and soundfont() is not None


def _require(available, what):
    """Skip the calling test without ``what``; fail instead when on CI."""
    if available:
        return
    message = f"{what} is not installed (see tests/_recordings.py)."
    if on_ci():
        pytest.fail(f"{message} CI is set, so this is an error, not a skip.")
    pytest.skip(message)


def require_espeak():
    """Skip (or on CI, fail) the calling test unless espeak-ng is installed."""
    _require(have_espeak(), "espeak-ng")


def require_fluidsynth():
    """Skip (or on CI, fail) the calling test unless fluidsynth can render."""
    _require(have_fluidsynth(), "fluidsynth with a General MIDI sound font")


def _run(command):
    """Run ``command``; raise RuntimeError with its output if it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=_TIMEOUT_SECONDS
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{command[0]} exited with status {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )


def _read_mono(path, sample_rate):
    """Read a WAV file written by a tool as mono float64 at ``sample_rate``.

    This reads with :mod:`scipy.io.wavfile` directly, not with
    :func:`sklearn_nmfx.audio.read_wav`, so that the recordings stay an
    independent check of the package's own WAV reader.
    """
    rate, data = scipy.io.wavfile.read(path)
    if data.dtype != np.int16:
        raise RuntimeError(f"Expected 16-bit PCM from the tool; got {data.dtype}.")
    samples = data.astype(np.float64) / 32768.0
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    divisor = math.gcd(sample_rate, rate)
    return resample_poly(samples, sample_rate // divisor, rate // divisor)


@functools.lru_cache(maxsize=32)
def _speech(voice, text, sample_rate):
    """Cached rendering behind :func:`speech`."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "speech.wav")
        _run(["espeak-ng", "-v", voice, "-w", path, "--", text])
        return _read_mono(path, sample_rate)


def speech(voice, text, sample_rate=16000):
    """Speak ``text`` with the espeak-ng ``voice``, as a mono signal.

    Parameters
    ----------
    voice : str
        espeak-ng voice, with an optional variant: ``'en-us'``, ``'en+f3'``
        (a female variant), ``'en-gb+m3'``...
    text : str
        What to say.
    sample_rate : int, default=16000
        Sampling rate of the result in Hz (espeak-ng speaks at 22050 Hz).

    Returns
    -------
    samples : ndarray of shape (n_samples,)
        float64 samples in [-1, 1], a fresh copy on every call.
    """
    return _speech(voice, text, int(sample_rate)).copy()


def _variable_length(value):
    """Encode a non-negative int as a MIDI variable-length quantity."""
    chunk = [value & 0x7F]
    value >>= 7
    while value:
        chunk.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(chunk))


def midi_file(program, notes, *, tail=_TAIL_SECONDS):
    """Bytes of a one-track Standard MIDI File playing ``notes`` on channel 0.

    Parameters
    ----------
    program : int
        General MIDI program (instrument) in [0, 127], such as 0 for the
        acoustic grand piano, 40 for the violin, 73 for the flute.
    notes : sequence of tuple
        ``(pitch, start, duration)`` or ``(pitch, start, duration, velocity)``:
        MIDI note number in [0, 127] (69 is A4 at 440 Hz), start and duration
        in seconds, velocity in [1, 127] (default 100).
    tail : float, default=0.5
        Seconds of silence after the last note, so that its release is heard.

    Returns
    -------
    data : bytes
        A format 0 Standard MIDI File at 120 beats per minute.
    """
    if not 0 <= program <= 127:
        raise ValueError(f"program must be in [0, 127]; got {program=}.")
    # (tick, order, message): at one tick, note-offs (order 0) come before
    # note-ons (order 1), so that a repeated pitch is struck again.
    events = []
    for note in notes:
        pitch, start, duration, velocity = (*note, 100)[:4]
        if not (0 <= pitch <= 127 and 1 <= velocity <= 127):
            raise ValueError(f"Invalid note {note!r}: pitch or velocity out of range.")
        if start < 0 or duration <= 0:
            raise ValueError(f"Invalid note {note!r}: negative start or duration.")
        on = round(start * _TICKS_PER_SECOND)
        off = max(on + 1, round((start + duration) * _TICKS_PER_SECOND))
        events.append((on, 1, bytes([0x90, pitch, velocity])))
        events.append((off, 0, bytes([0x80, pitch, 0])))
    events.sort(key=lambda event: event[:2])
    end = (events[-1][0] if events else 0) + round(tail * _TICKS_PER_SECOND)

    tempo = _MICROSECONDS_PER_QUARTER.to_bytes(3, "big")
    track = bytearray(b"\x00\xff\x51\x03" + tempo)
    track += b"\x00" + bytes([0xC0, program])
    tick = 0
    for event_tick, _, message in events:
        track += _variable_length(event_tick - tick) + message
        tick = event_tick
    track += _variable_length(end - tick) + b"\xff\x2f\x00"

    header = b"MThd" + (6).to_bytes(4, "big")
    header += (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
    header += _TICKS_PER_QUARTER.to_bytes(2, "big")
    return header + b"MTrk" + len(track).to_bytes(4, "big") + bytes(track)


@functools.lru_cache(maxsize=32)
def _instrument(program, notes, sample_rate):
    """Cached rendering behind :func:`instrument`."""
    with tempfile.TemporaryDirectory() as folder:
        midi_path = os.path.join(folder, "notes.mid")
        wav_path = os.path.join(folder, "notes.wav")
        with open(midi_path, "wb") as handle:
            handle.write(midi_file(program, notes))
        # No reverb and no chorus: the notes should be dry, as a source is.
        # Gain 1 instead of fluidsynth's 0.2 gives levels like speech's.
        _run(
            [
                "fluidsynth",
                "-n",
                "-i",
                "-q",
                "-R",
                "0",
                "-C",
                "0",
                "-g",
                "1.0",
                "-r",
                str(_FLUIDSYNTH_RATE),
                "-T",
                "wav",
                "-O",
                "s16",
                "-F",
                wav_path,
                soundfont(),
                midi_path,
            ]
        )
        samples = _read_mono(wav_path, sample_rate)

    # fluidsynth keeps rendering for a while after the file ends; cut (or
    # pad) the recording to the last note's end plus the tail.
    end = max((note[1] + note[2] for note in notes), default=0.0) + _TAIL_SECONDS
    n_samples = round(end * sample_rate)
    samples = samples[:n_samples]
    return np.pad(samples, (0, n_samples - samples.size))


def instrument(program, notes, sample_rate=16000):
    """Play ``notes`` on a General MIDI instrument, as a mono signal.

    Parameters
    ----------
    program : int
        General MIDI program in [0, 127] (0 piano, 40 violin, 73 flute...).
    notes : sequence of tuple
        ``(pitch, start, duration)`` or ``(pitch, start, duration, velocity)``
        with times in seconds; see :func:`midi_file`.
    sample_rate : int, default=16000
        Sampling rate of the result in Hz (fluidsynth renders at 44.1 kHz).

    Returns
    -------
    samples : ndarray of shape (n_samples,)
        float64 samples, stereo mixed down to mono, a fresh copy on every
        call. The recording lasts until half a second after the last note
        ends: ``round((max(start + duration) + 0.5) * sample_rate)`` samples.
    """
    notes = tuple(tuple(note) for note in notes)
    return _instrument(int(program), notes, int(sample_rate)).copy()


def raw_wav(n_channels, sample_rate, block_align=2):
    """The bytes of a 16-bit PCM WAV file of 4 zero frames, header as given."""
    data = bytes(8)
    fmt = struct.pack(
        "<HHIIHH", 1, n_channels, sample_rate, sample_rate * block_align,
        block_align, 16,
    )  # fmt: skip
    chunks = b"WAVEfmt " + struct.pack("<I", 16) + fmt
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(chunks)) + chunks
