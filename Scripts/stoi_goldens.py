#!/usr/bin/env python3
"""Golden STOI/ESTOI values for the Swift port, computed with the reference Python port pystoi.

Requires:  pip install pystoi==0.4.1 numpy scipy soundfile
(the values committed were made with pystoi 0.4.1, numpy 2.4.6, scipy 1.17.1, soundfile 0.14.0)

Usage:     python3 Scripts/stoi_goldens.py [--speech-dir /work/shared/reference-data/speech]

Writes Tests/EarshotKitTests/Fixtures/stoi/:
  - byte copies of the real speech WAVs used (pystoi samples, MIT; torchmetrics examples, Apache-2.0);
  - speech-10k.wav, babble-0dB-10k.wav: the torchmetrics pair resampled 16 kHz -> 10 kHz with
    pystoi's own resampler (float32), so that pystoi analyses them without resampling;
  - speech-48k.wav: the torchmetrics speech resampled 16 kHz -> 48 kHz with the same resampler,
    quantized to 16-bit PCM;
  - goldens.json: for every pair, STOI and ESTOI from pystoi, and how to rebuild the pair.

Noisy pairs are not stored as audio: the degraded signal is the clean file plus seeded noise that
the Swift tests regenerate bit for bit. The generator uses only integer and IEEE double
arithmetic, so both languages produce the same numbers:
  - uniform u = (splitmix64 output >> 11) * 2^-53; the state starts at `seed` and the first output
    uses state seed + gamma;
  - white noise sample i = (u[12i] + u[12i+1] + ... + u[12i+11]) - 6, summed left to right
    (an Irwin-Hall approximation of a unit Gaussian);
  - speech-shaped noise = white noise through two one-pole low-pass sections,
    y[n] = (1 - a) * x[n] + a * y[n-1] with y[-1] = 0, first at 500 Hz and then at 2 kHz
    (a = exp(-2 pi f / fs)), i.e. flat to 500 Hz, -6 dB/octave to 2 kHz, -12 dB/octave above;
  - degraded[n] = float32(double(clean[n]) + gain * noise[n]), where gain (stored) sets the
    full-signal SNR to the stated value.
One pair ("zeroRange") sets a stretch of the degraded signal to zero; pystoi's ESTOI is random
there (it adds machine-epsilon noise to all-zero rows), so its golden is the mean over 20 seeds.
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import sys

import numpy as np
import soundfile as sf
from scipy.io import wavfile

import pystoi
from pystoi import stoi
from pystoi import utils as pystoi_utils

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "EarshotKitTests", "Fixtures", "stoi")

SPEECH_FILES = {
    "pystoi-clean.wav": "MIT (Manuel Pariente), pystoi samples/clean.wav at commit 87dd5cbd1896c94d6d5a781c29afeca56fde578d",
    "pystoi-mixture.wav": "MIT (Manuel Pariente), pystoi samples/mixture.wav at the same commit",
    "pystoi-denoised.wav": "MIT (Manuel Pariente), pystoi samples/denoised.wav at the same commit",
    "torchmetrics-audio_speech.wav": "Apache-2.0 (torchmetrics), tests/audio/examples/audio_speech.wav at commit eab3a6203603b641507255d9e048b33bd34ab30a",
    "torchmetrics-audio_speech_bab_0dB.wav": "Apache-2.0 (torchmetrics), tests/audio/examples/audio_speech_bab_0dB.wav at the same commit",
}

MASK64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def splitmix64_uniforms(seed, count):
    """`count` uniforms in [0, 1) from splitmix64 (vectorized; uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        k = np.arange(1, count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * np.uint64(GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def white_noise(seed, count):
    u = splitmix64_uniforms(seed, 12 * count).reshape(count, 12)
    acc = u[:, 0].copy()
    for j in range(1, 12):
        acc = acc + u[:, j]
    return acc - 6.0


def one_pole_lowpass(x, a):
    out = [0.0] * len(x)
    prev = 0.0
    b = 1.0 - a
    for n, v in enumerate(x.tolist()):
        prev = b * v + a * prev
        out[n] = prev
    return np.array(out, dtype=np.float64)


def pole(frequency_hz, rate):
    return math.exp(-2.0 * math.pi * frequency_hz / rate)


def make_noise(kind, seed, count, rate):
    w = white_noise(seed, count)
    if kind == "white":
        return w, []
    poles = [pole(500.0, rate), pole(2000.0, rate)]
    for a in poles:
        w = one_pole_lowpass(w, a)
    return w, poles


def read(path):
    data, rate = sf.read(path, dtype="float64", always_2d=False)
    return data, rate


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def scores(x, y, rate):
    np.random.seed(0)  # pystoi's ESTOI adds machine-epsilon noise; make the script repeatable
    return float(stoi(x, y, rate, extended=False)), float(stoi(x, y, rate, extended=True))


def kept_frames_at_10k(x, y, rate):
    if rate != 10000:
        x = pystoi_utils.resample_oct(x, 10000, rate)
        y = pystoi_utils.resample_oct(y, 10000, rate)
    w = np.hanning(256 + 2)[1:-1]
    frames = np.array([w * x[i:i + 256] for i in range(0, len(x) - 256, 128)])
    energies = 20 * np.log10(np.linalg.norm(frames, axis=1) + pystoi_utils.EPS)
    return int(np.sum((np.max(energies) - 40 - energies) < 0)), int(len(frames))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speech-dir", default="/work/shared/reference-data/speech")
    args = parser.parse_args()
    if pystoi.__version__ != "0.4.1":
        sys.exit(f"pystoi {pystoi.__version__} found; the goldens are defined for pystoi 0.4.1")
    os.makedirs(OUT, exist_ok=True)

    for name in SPEECH_FILES:
        shutil.copyfile(os.path.join(args.speech_dir, name), os.path.join(OUT, name))

    speech16, r16 = read(os.path.join(OUT, "torchmetrics-audio_speech.wav"))
    babble16, _ = read(os.path.join(OUT, "torchmetrics-audio_speech_bab_0dB.wav"))
    assert r16 == 16000

    # Derived signals.
    # scipy writes float WAVs without libsndfile's time-stamped PEAK chunk, so reruns are byte-identical.
    wavfile.write(os.path.join(OUT, "speech-10k.wav"), 10000,
                  pystoi_utils.resample_oct(speech16, 10000, 16000).astype(np.float32))
    wavfile.write(os.path.join(OUT, "babble-0dB-10k.wav"), 10000,
                  pystoi_utils.resample_oct(babble16, 10000, 16000).astype(np.float32))
    up = pystoi_utils.resample_oct(speech16, 48000, 16000)
    quantized = np.clip(np.round(up * 32768.0), -32768, 32767).astype(np.int16)
    sf.write(os.path.join(OUT, "speech-48k.wav"), quantized, 48000, subtype="PCM_16")

    pairs = []

    def add(pair_id, ref_name, deg_name, note, truncate=None, noise=None, zero_range=None):
        x, rate = read(os.path.join(OUT, ref_name))
        if noise is None:
            y, rate_y = read(os.path.join(OUT, deg_name))
            assert rate_y == rate
        if truncate is not None:
            x = x[:truncate]
            if noise is None:
                y = y[:truncate]
        entry = {"id": pair_id, "reference": ref_name, "degraded": deg_name, "sampleRate": rate,
                 "truncateTo": truncate, "zeroRange": zero_range, "note": note}
        if noise is not None:
            kind, snr_db, seed = noise
            n, poles = make_noise(kind, seed, len(x), rate)
            gain = math.sqrt(float(np.sum(x * x)) / float(np.sum(n * n))) * 10.0 ** (-snr_db / 20.0)
            y = (x + gain * n).astype(np.float32).astype(np.float64)
            entry["noise"] = {"kind": kind, "snrDB": snr_db, "seed": seed, "gain": gain, "poleCoefficients": poles,
                              "firstSamples": [float(v) for v in n[:4]],
                              "degradedSumOfSquares": float(np.sum(y * y))}
        else:
            entry["noise"] = None
        if zero_range is not None:
            y = y.copy()
            y[zero_range[0]:zero_range[1]] = 0.0
        s, e = scores(x, y, rate)
        if zero_range is not None:
            # All-zero envelope rows: pystoi's ESTOI then depends on its random noise. Record the
            # mean and spread over seeds instead of one draw.
            draws = []
            for k in range(20):
                np.random.seed(k)
                draws.append(float(stoi(x, y, rate, extended=True)))
            e = float(np.mean(draws))
            entry["estoiSeedStd"] = float(np.std(draws))
        kept, total = kept_frames_at_10k(x, y, rate)
        entry.update({"samples": int(len(x)), "stoi": s, "estoi": e,
                      "speechActiveFrames10k": kept, "analysedFrames10k": total})
        pairs.append(entry)
        print(f"{pair_id:40s} {rate:6d} Hz  STOI {s:.6f}  ESTOI {e:.6f}  frames {kept}/{total}")

    add("identity-pystoi-clean", "pystoi-clean.wav", "pystoi-clean.wav", "identity, 16 kHz")
    add("torchmetrics-babble-0dB", "torchmetrics-audio_speech.wav", "torchmetrics-audio_speech_bab_0dB.wav",
        "torchmetrics test_on_real_audio pair, published STOI 0.6739177895331303")
    add("pystoi-mixture", "pystoi-clean.wav", "pystoi-mixture.wav", "pystoi sample noisy mixture, 16 kHz")
    add("pystoi-denoised", "pystoi-clean.wav", "pystoi-denoised.wav",
        "pystoi sample enhancer output; clean truncated to the denoised length (64000 samples), as in reference_metrics.json",
        truncate=64000)
    add("babble-0dB-10k", "speech-10k.wav", "babble-0dB-10k.wav", "torchmetrics pair resampled to 10 kHz by pystoi's resampler")

    add("babble-0dB-dropout-10k", "speech-10k.wav", "babble-0dB-10k.wav",
        "babble pair at 10 kHz with degraded samples 12000..<20000 set to zero (0.8 s dropout); "
        "ESTOI is pystoi's mean over 20 seeds, see estoiSeedStd", zero_range=[12000, 20000])

    clean_for_rate = {10000: "speech-10k.wav", 16000: "torchmetrics-audio_speech.wav", 48000: "speech-48k.wav"}
    seed = 1
    for rate, clean in clean_for_rate.items():
        for kind in ("white", "speech-shaped"):
            for snr in (-5, 0, 5, 10):
                add(f"{kind}-{snr}dB-{rate // 1000}k", clean, None,
                    f"torchmetrics speech at {rate} Hz plus seeded {kind} noise at {snr} dB SNR",
                    noise=(kind, float(snr), seed))
                seed += 1

    obm, cf = pystoi_utils.thirdoct(10000, 512, 15, 150)
    band_bins = [[int(np.argmax(row)), int(np.argmax(row) + np.sum(row))] for row in obm]
    assert all(np.all(row[a:b] == 1) and np.sum(row) == b - a for row, (a, b) in zip(obm, band_bins))

    goldens = {
        "generator": "Scripts/stoi_goldens.py",
        "versions": {"pystoi": pystoi.__version__, "numpy": np.__version__,
                     "scipy": __import__("scipy").__version__, "soundfile": sf.__version__},
        "bandBins": band_bins,
        "bandCentresHz": [float(c) for c in cf],
        "sha256": {name: sha256(os.path.join(OUT, name)) for name in sorted(os.listdir(OUT)) if name.endswith(".wav")},
        "pairs": pairs,
    }
    with open(os.path.join(OUT, "goldens.json"), "w") as f:
        json.dump(goldens, f, indent=1)
        f.write("\n")
    print(f"wrote {len(pairs)} pairs to {os.path.relpath(os.path.join(OUT, 'goldens.json'), ROOT)}")


if __name__ == "__main__":
    main()
