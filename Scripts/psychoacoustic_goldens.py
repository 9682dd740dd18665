#!/usr/bin/env python3
"""Golden values for Zwicker loudness (ISO 532-1) and DIN 45692 sharpness from MoSQITo.

Requirements (tested with mosqito 1.2.1, numpy 2.4, scipy 1.17, soundfile 0.14, matplotlib 3.11):
    pip install mosqito matplotlib numpy scipy soundfile

Writes short deterministic test signals as 16-bit WAV files into
Tests/EarshotKitTests/Fixtures/psychoacoustics/ and, beside them, goldens.json with
MoSQITo's results on exactly the samples in those files (read back from disk, times the
calibration `pascalsPerUnit` stored per signal).

    python3 Scripts/psychoacoustic_goldens.py              # fixtures + goldens.json
    python3 Scripts/psychoacoustic_goldens.py --speed OUT  # also a 20 s signal OUT.wav and
                                                           # MoSQITo's sharpness_din_tv time on it

Time-varying statistics skip the first SKIP_SECONDS (the filter and smoothing transient),
taking frames from the one nearest that time on, as MoSQITo's `skip` argument does.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import soundfile as sf

FS = 48000
P_REF = 2e-5
SKIP_SECONDS = 0.2
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "Tests", "EarshotKitTests", "Fixtures", "psychoacoustics")


def at_spl(x, db_spl):
    """Scales x (any units) so that its RMS is db_spl dB re 20 uPa; returns pascals."""
    rms = np.sqrt(np.mean(x ** 2))
    return x * (P_REF * 10 ** (db_spl / 20) / rms)


def band_noise(rng, seconds, lo_hz, hi_hz):
    """Gaussian noise with a flat spectrum between lo_hz and hi_hz (FFT brick wall)."""
    n = int(round(seconds * FS))
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / FS)
    spec[(f < lo_hz) | (f > hi_hz)] = 0
    return np.fft.irfft(spec, n)


def pink_noise(rng, seconds):
    n = int(round(seconds * FS))
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / FS)
    shape = np.zeros_like(f)
    keep = (f >= 20) & (f <= 20000)
    shape[keep] = 1 / np.sqrt(f[keep])
    return np.fft.irfft(spec * shape, n)


def fade(x, seconds=0.005):
    """Raised-cosine fade-in/out so that bursts do not click."""
    n = int(seconds * FS)
    w = 0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)
    x = x.copy()
    x[:n] *= w
    x[-n:] *= w[::-1]
    return x


def sibilant_bursts(rng, seconds):
    """Speech-like sequence: voiced harmonic complexes (f0 glides, vowel-like formant peaks),
    4-9 kHz sibilant noise bursts and short pauses. Levels in pascals."""
    out = []
    t_total = 0.0
    pattern = [("voiced", 0.22, 66), ("gap", 0.06, 0), ("sibilant", 0.12, 62), ("voiced", 0.18, 64),
               ("gap", 0.10, 0), ("sibilant", 0.16, 65), ("voiced", 0.25, 67), ("gap", 0.05, 0),
               ("sibilant", 0.10, 60), ("voiced", 0.26, 65)]
    for kind, dur, db in pattern:
        n = int(round(dur * FS))
        if kind == "gap":
            seg = np.zeros(n)
        elif kind == "sibilant":
            seg = fade(at_spl(band_noise(rng, dur, 4000, 9000), db))
        else:
            t = np.arange(n) / FS
            f0 = 120 + 25 * np.sin(2 * np.pi * 2.5 * t)
            phase = 2 * np.pi * np.cumsum(f0) / FS
            seg = np.zeros(n)
            for k in range(1, 40):
                fk = k * 120.0
                # two formant peaks (~500 Hz and ~1500 Hz) over a -6 dB/octave tilt
                env = (1 / k) * (1 + 3 * np.exp(-((fk - 500) / 150) ** 2) + 2 * np.exp(-((fk - 1500) / 250) ** 2))
                seg += env * np.sin(k * phase)
            seg = fade(at_spl(seg, db))
        out.append(seg)
        t_total += dur
    x = np.concatenate(out)
    n_total = int(round(seconds * FS))
    return np.pad(x, (0, max(0, n_total - len(x))))[:n_total]


def log_sweep(seconds, f1, f2, db):
    t = np.arange(int(round(seconds * FS))) / FS
    k = np.log(f2 / f1) / seconds
    phase = 2 * np.pi * f1 * (np.exp(k * t) - 1) / k
    return fade(at_spl(np.sin(phase), db), 0.01)


def tone(seconds, f, db):
    t = np.arange(int(round(seconds * FS))) / FS
    return at_spl(np.sin(2 * np.pi * f * t), db)


def signals():
    """The fixture signals; noises fade in and out over 10 ms, since an abrupt start is a click
    that adds broadband loudness to the stationary (whole-signal) values."""
    rng = np.random.default_rng(53201)
    return [
        ("tone_1k_60dB", "1 kHz sine, 60 dB SPL", tone(1.0, 1000, 60)),
        ("nbn_1k_60dB", "Narrow-band noise 920-1080 Hz (one critical band at 1 kHz), 60 dB SPL",
         fade(band_noise(rng, 1.5, 920, 1080), 0.01)),
        ("pink_60dB", "Pink noise 20 Hz-20 kHz, 60 dB SPL", fade(pink_noise(rng, 1.0), 0.01)),
        ("white_60dB", "White noise, 60 dB SPL", fade(rng.standard_normal(FS), 0.01)),
        ("tone_4k_70dB", "4 kHz sine, 70 dB SPL", tone(1.0, 4000, 70)),
        ("sibilant_bursts", "Voiced harmonic complexes, 4-9 kHz sibilant bursts and pauses, 60-67 dB SPL",
         sibilant_bursts(rng, 1.5)),
        ("sweep_100_10k", "Logarithmic sweep 100 Hz-10 kHz in 1.5 s, 65 dB SPL", log_sweep(1.5, 100, 10000, 65)),
        ("band_6k_10k_60dB", "Band noise 6-10 kHz, 60 dB SPL", fade(band_noise(rng, 1.0, 6000, 10000), 0.01)),
    ]


LEVELS = {"nbn_1k_60dB": 60, "pink_60dB": 60, "white_60dB": 60, "band_6k_10k_60dB": 60}


def write_fixture(name, x_pa):
    """Writes x (pascals) as 16-bit PCM with peak 0.5 full scale; returns the calibration
    (pascals per full-scale unit) and the samples as read back, in pascals."""
    scale = np.max(np.abs(x_pa)) / 0.5
    path = os.path.join(OUT_DIR, name + ".wav")
    sf.write(path, x_pa / scale, FS, subtype="PCM_16")
    back, fs = sf.read(path, dtype="float64")
    assert fs == FS
    return scale, back * scale


def mosqito_values(x_pa):
    from mosqito.sq_metrics import loudness_zwst, loudness_zwtv, sharpness_din_st, sharpness_din_tv
    n_st, _, _ = loudness_zwst(x_pa, FS, field_type="free")
    n_tv, _, _, t = loudness_zwtv(x_pa, FS, field_type="free")
    s_st = sharpness_din_st(x_pa, FS, weighting="din", field_type="free")
    s_tv, _ = sharpness_din_tv(x_pa, FS, weighting="din", field_type="free", skip=SKIP_SECONDS)
    cut = int(np.argmin(np.abs(t - SKIP_SECONDS)))
    n_tv = n_tv[cut:]
    n_st_diffuse, _, _ = loudness_zwst(x_pa, FS, field_type="diffuse")
    return {
        "stationaryLoudnessSone": float(n_st),
        "stationaryLoudnessDiffuseSone": float(n_st_diffuse),
        "timeVaryingLoudnessMeanSone": float(np.mean(n_tv)),
        "timeVaryingLoudnessMaxSone": float(np.max(n_tv)),
        "timeVaryingLoudnessN5Sone": float(np.percentile(n_tv, 95)),
        "stationarySharpnessAcum": float(s_st),
        "timeVaryingSharpnessMeanAcum": float(np.mean(s_tv)),
        "timeVaryingSharpnessMaxAcum": float(np.max(s_tv)),
        "timeVaryingFrames": int(len(s_tv)),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--speed", metavar="OUT", help="write a 20 s signal OUT.wav and time MoSQITo on it")
    args = parser.parse_args()
    import mosqito
    os.makedirs(OUT_DIR, exist_ok=True)
    entries = []
    for name, description, x in signals():
        if name in LEVELS:
            x = at_spl(x, LEVELS[name])
        scale, x_pa = write_fixture(name, x)
        values = mosqito_values(x_pa)
        print(f"{name:18s} " + " ".join(f"{k}={v:.4f}" for k, v in values.items()), file=sys.stderr)
        entries.append({"name": name, "file": name + ".wav", "description": description,
                        "pascalsPerUnit": float(scale), "sampleRate": FS, **values})
    golden = {
        "generator": "Scripts/psychoacoustic_goldens.py",
        "reference": f"mosqito {mosqito.__version__ if hasattr(mosqito, '__version__') else '1.2.1'}: "
                     "loudness_zwst, loudness_zwtv, sharpness_din_st, sharpness_din_tv (weighting='din', field 'free')",
        "skipSeconds": SKIP_SECONDS,
        "notes": "Time-varying statistics over frames from the one nearest skipSeconds on (2 ms frames). "
                 "N5 = numpy.percentile(N, 95) (linear interpolation). Sharpness frames with N < 0.1 sone are 0 "
                 "and count in the mean.",
        "signals": entries,
    }
    with open(os.path.join(OUT_DIR, "goldens.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")

    if args.speed:
        from mosqito.sq_metrics import sharpness_din_tv
        rng = np.random.default_rng(7)
        parts = [sibilant_bursts(rng, 1.5) for _ in range(10)] + [at_spl(pink_noise(rng, 5.0), 60)]
        x = np.concatenate(parts)[: 20 * FS]
        scale = np.max(np.abs(x)) / 0.5
        sf.write(args.speed + ".wav", x / scale, FS, subtype="FLOAT")
        x_pa = sf.read(args.speed + ".wav", dtype="float64")[0] * scale
        t0 = time.perf_counter()
        s, _ = sharpness_din_tv(x_pa, FS, weighting="din", field_type="free", skip=SKIP_SECONDS)
        elapsed = time.perf_counter() - t0
        print(json.dumps({"file": args.speed + ".wav", "pascalsPerUnit": float(scale),
                          "seconds": len(x) / FS, "mosqitoSharpnessDinTvSeconds": elapsed,
                          "meanAcum": float(np.mean(s)), "maxAcum": float(np.max(s))}))


if __name__ == "__main__":
    main()
