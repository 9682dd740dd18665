#!/usr/bin/env python3
"""Generate Earshot's bundled example scene, Examples/demo-scene/.

A 30-second micro-drama confrontation made entirely by this script, so it can be rebuilt,
changed and redistributed freely:

  dialogue.flac  the dialogue stem: espeak-ng speech (voice en-us and its f3 variant),
                 synthesized word by word, centred (identical in both channels)
  me.flac        music and effects: a synth pad with a bass line (real 40-65 Hz content),
                 a crash landing on a line, a 45 Hz sub-bass hit under the cliffhanger word,
                 and an "audio spotlight" dip before the cliffhanger line
  mix.flac       dialogue + me, sample for sample (the sum of the two quantized stems)
  words.json     exact word timings, WhisperX style ({"segments":[{"start","end","text",
                 "speaker","words":[{"word","start","end"}]}]})
  words.srt      the same words, one cue per word
  scene.json     the lines and the events (crash, sub-bass hit, sibilant line, spotlight)
                 with their times, for tests and demos
  README.md      what is in the scene, its sources and licence

All files: 48 kHz, 16-bit FLAC, stereo (24-bit stems came to about 4.5 MB). Deterministic: fixed seeds, no clock or host data;
running it twice gives identical files (with the same espeak-ng, numpy and libsndfile).

Needs:  apt-get install espeak-ng
        pip install numpy soundfile        (tested with espeak-ng 1.51, numpy 2.4, soundfile 0.14)
Run:    python3 Scripts/make_example_scene.py [--out Examples/demo-scene]
"""

import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import soundfile as sf

RATE = 48000
BITS = 16  # 24-bit stems of this scene come to about 4.5 MB; 16-bit keeps it near 2 MB
SEED = 7341  # every random draw comes from generators seeded from this

# Gains were set once by measuring the output (mix about -24 LUFS integrated, true peak
# below -2 dBTP, the music bed about 6 LU under the dialogue); they are constants so the output
# is fixed.
DIALOGUE_PEAK = 0.22          # each word's peak before the sibilance boost
MUSIC_GAIN = 0.018
BASS_GAIN = 0.040
CRASH_GAIN = 0.20
BOOM_GAIN = 0.36

SPEAKERS = {
    "MAYA": {"voice": "en-us+f3", "pitch": 55},
    "DANIEL": {"voice": "en-us", "pitch": 38},
}

# (speaker, text, pause before the line in seconds, role)
LINES = [
    ("MAYA", "Where were you last night?", 0.9, None),
    ("DANIEL", "At the office.", 0.45, None),
    ("MAYA", "Don't lie. I called.", 0.4, None),
    ("DANIEL", "I was working late.", 0.45, None),
    ("MAYA", "She saw your car on Sixth Street. Stop these stories.", 0.4, "sibilant"),
    ("DANIEL", "Fine. I was with your sister.", 0.6, "crash"),
    ("MAYA", "Get out.", 0.6, None),
    ("DANIEL", "Wait. You need to know.", 0.5, None),
    ("MAYA", "What?", 0.35, None),
    ("DANIEL", "Your father is alive.", 1.0, "cliffhanger"),
]
TAIL_SECONDS = 1.4

WORD_GAP = 0.06          # between words of a phrase
PHRASE_GAP = 0.25         # after a comma, full stop or question mark inside a line
TRIM_THRESHOLD_DB = -40   # a word starts/ends where it first/last reaches this level re its peak
EDGE_FADE = 0.003         # raised-cosine fade inside each trimmed word, against clicks


# ---------------------------------------------------------------- speech

def espeak_word(word, speaker, workdir):
    """One word from espeak-ng at its own rate (22.05 kHz), as float64 mono."""
    path = os.path.join(workdir, "word.wav")
    s = SPEAKERS[speaker]
    subprocess.run(["espeak-ng", "-v", s["voice"], "-s", "150", "-p", str(s["pitch"]), "-w", path, word],
                   check=True, capture_output=True)
    x, rate = sf.read(path, dtype="float64")
    return x, rate


def resample_fft(x, rate_in, rate_out):
    """Band-limited resampling by zero-padding the spectrum. The word gets 50 ms of silence on
    both sides first, so the periodic wrap of the FFT does not touch the speech."""
    pad = int(0.05 * rate_in)
    x = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    n_out = int(round(len(x) * rate_out / rate_in))
    spectrum = np.fft.rfft(x)
    out = np.zeros(n_out // 2 + 1, dtype=complex)
    k = min(len(spectrum), len(out))
    out[:k] = spectrum[:k]
    return np.fft.irfft(out, n_out) * (n_out / len(x))


def trim(x):
    """The word between the first and last sample within TRIM_THRESHOLD_DB of its peak."""
    threshold = np.max(np.abs(x)) * 10 ** (TRIM_THRESHOLD_DB / 20)
    loud = np.nonzero(np.abs(x) >= threshold)[0]
    y = x[loud[0]:loud[-1] + 1].copy()
    n = int(EDGE_FADE * RATE)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)
    y[:n] *= ramp
    y[-n:] *= ramp[::-1]
    return y


def sibilance_boost(x):
    """+8 dB bell between about 6 and 10 kHz (centre 7.75 kHz, smooth in log frequency),
    zero phase, applied by FFT over the zero-padded line."""
    n = 1 << int(np.ceil(np.log2(len(x) + RATE)))
    spectrum = np.fft.rfft(x, n)
    f = np.fft.rfftfreq(n, 1 / RATE)
    octaves = np.log2(np.maximum(f, 1) / 7750)
    gain_db = 8 * np.exp(-0.5 * (octaves / 0.30) ** 2)
    return np.fft.irfft(spectrum * 10 ** (gain_db / 20), n)[:len(x)]


def build_dialogue(workdir):
    """Places every word; returns the mono dialogue track (float64) and the timed lines."""
    pieces = []   # (start sample, samples)
    lines = []
    t = 0
    for index, (speaker, text, pause, role) in enumerate(LINES):
        t += int(round(pause * RATE))
        words = []
        line_start = t
        tokens = text.split()
        line_audio = []
        for i, token in enumerate(tokens):
            raw, rate = espeak_word(token.strip(".,?!"), speaker, workdir)
            y = trim(resample_fft(raw, rate, RATE))
            y *= DIALOGUE_PEAK / np.max(np.abs(y))
            line_audio.append((t, y))
            words.append({"word": token, "startSample": t, "endSample": t + len(y)})
            t += len(y)
            if i < len(tokens) - 1:
                gap = PHRASE_GAP if token[-1] in ".,?!" else WORD_GAP
                t += int(round(gap * RATE))
        if role == "sibilant":
            start = line_audio[0][0]
            buf = np.zeros(t - start)
            for s, y in line_audio:
                buf[s - start:s - start + len(y)] += y
            buf = sibilance_boost(buf)
            line_audio = [(start, buf)]
        pieces += line_audio
        lines.append({"index": index, "speaker": speaker, "text": text, "role": role,
                      "startSample": line_start, "endSample": t, "words": words})
    total = t + int(round(TAIL_SECONDS * RATE))
    track = np.zeros(total)
    for s, y in pieces:
        track[s:s + len(y)] += y
    return track, lines


# ---------------------------------------------------------------- music and effects

def note_hz(midi):
    return 440.0 * 2 ** ((midi - 69) / 12)


def envelope(n, attack, release):
    e = np.ones(n)
    a, r = int(attack * RATE), int(release * RATE)
    e[:a] = np.linspace(0, 1, a, endpoint=False)
    e[n - r:] = np.linspace(1, 0, r)
    return e


def build_music(total, spotlight):
    """Am - F - C - G pad (soft tones: fundamental and a weak octave) and a bass line on the roots
    (A1 55 Hz, F1 43.7 Hz, C2 65.4 Hz, G1 49 Hz), with the spotlight dip applied."""
    rng = np.random.default_rng(SEED + 1)
    chords = [  # (bass midi, pad midi notes)
        (33, [57, 60, 64]),   # Am: A1 / A3 C4 E4
        (29, [57, 60, 65]),   # F:  F1 / A3 C4 F4
        (36, [55, 60, 64]),   # C:  C2 / G3 C4 E4
        (31, [55, 59, 62]),   # G:  G1 / G3 B3 D4
    ]
    bar = int(2.4 * RATE)
    left = np.zeros(total)
    right = np.zeros(total)
    t = np.arange(bar) / RATE
    for b, start in enumerate(range(0, total, bar)):
        n = min(bar, total - start)
        bass_midi, pad = chords[b % len(chords)]
        env = envelope(bar, 0.35, 0.6)[:n]
        for v, midi in enumerate(pad):
            f = note_hz(midi)
            phase = rng.uniform(0, 2 * np.pi)
            tone = np.sin(2 * np.pi * f * t[:n] + phase) + 0.2 * np.sin(2 * np.pi * 2 * f * t[:n] + 2 * phase)
            left[start:start + n] += MUSIC_GAIN * env * tone
            right[start:start + n] += MUSIC_GAIN * env * tone
        # Bass: two notes per bar on the root, sine plus a little 2nd harmonic.
        f = note_hz(bass_midi)
        half = bar // 2
        for k in range(2):
            s = start + k * half
            m = min(half, total - s)
            if m <= 0:
                continue
            tb = np.arange(m) / RATE
            env_b = np.minimum(1, tb / 0.02) * np.exp(-tb / 0.9)
            tone = np.sin(2 * np.pi * f * tb) + 0.25 * np.sin(2 * np.pi * 2 * f * tb)
            left[s:s + m] += BASS_GAIN * env_b * tone
            right[s:s + m] += BASS_GAIN * env_b * tone
    # Fade in at the top and out at the end.
    fade_in = int(1.0 * RATE)
    fade_out = int(2.0 * RATE)
    g = np.ones(total)
    g[:fade_in] = np.linspace(0, 1, fade_in)
    g[total - fade_out:] = np.linspace(1, 0, fade_out)
    # Spotlight: down 5 dB over the 3 s before the cliffhanger line, near silence (-30 dB) for
    # its last half second, back up under the line.
    dip_start, silence_start, line_start = spotlight
    ramp = int(0.4 * RATE)
    dip = 10 ** (-5 / 20)
    hush = 10 ** (-30 / 20)
    g[dip_start:dip_start + ramp] *= np.linspace(1, dip, ramp)
    g[dip_start + ramp:silence_start] *= dip
    fall = int(0.15 * RATE)
    g[silence_start:silence_start + fall] *= np.linspace(dip, hush, fall)
    g[silence_start + fall:line_start] *= hush
    g[line_start:line_start + ramp] *= np.linspace(hush, dip, ramp)
    g[line_start + ramp:] *= dip
    return left * g, right * g


def crash(n):
    """A smash: broadband noise with a fast decay, a low thud and a few inharmonic glassy
    partials. Seeded."""
    rng = np.random.default_rng(SEED + 2)
    t = np.arange(n) / RATE
    noise_l = rng.standard_normal(n)
    noise_r = 0.6 * noise_l + 0.8 * rng.standard_normal(n)
    decay = np.exp(-t / 0.28) * np.minimum(1, t / 0.004)
    thud = np.sin(2 * np.pi * 85 * t) * np.exp(-t / 0.12) * 1.5
    glass = np.zeros(n)
    for _ in range(7):
        f = rng.uniform(2200, 7500)
        glass += np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t / rng.uniform(0.15, 0.5)) * 0.12
    tail = np.exp(-t / 0.6) * 0.15 * rng.standard_normal(n)  # debris settling
    left = CRASH_GAIN * (0.45 * noise_l * decay + thud * 0.4 + glass + tail)
    right = CRASH_GAIN * (0.45 * noise_r * decay + thud * 0.4 + glass + tail)
    fade = int(0.05 * RATE)
    left[-fade:] *= np.linspace(1, 0, fade)
    right[-fade:] *= np.linspace(1, 0, fade)
    return left, right


def boom(n):
    """Sub-bass hit: a sine gliding from 55 Hz down to 42 Hz with a 10 ms attack and a 0.6 s
    decay, centred."""
    t = np.arange(n) / RATE
    freq = 42 + 13 * np.exp(-t / 0.25)
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    env = np.minimum(1, t / 0.010) * np.exp(-t / 0.6)
    fade = int(0.1 * RATE)
    env[-fade:] *= np.linspace(1, 0, fade)
    y = BOOM_GAIN * env * np.sin(phase)
    return y, y.copy()


# ---------------------------------------------------------------- writing

FULL_SCALE = 2 ** (BITS - 1)


def quantize(x):
    """Float full scale to BITS-bit integers (no dither: the stems are noise-free synthesis)."""
    q = np.round(x * FULL_SCALE)
    if np.max(np.abs(q)) >= FULL_SCALE - 1:
        raise SystemExit("a stem would clip; lower its gain")
    return q.astype(np.int64)


def write_flac(path, q_channels):
    """Writes the integers exactly (libsndfile takes int32 with the sample bits at the top)."""
    data = np.stack(q_channels, axis=1).astype(np.int32) << (32 - BITS)
    sf.write(path, data, RATE, subtype=f"PCM_{BITS}", format="FLAC", compression_level=1.0)


def seconds(samples):
    return round(samples / RATE, 3)


def timestamp_srt(s):
    ms = int(round(s * 1000))
    h, ms = divmod(ms, 3600_000)
    m, ms = divmod(ms, 60_000)
    sec, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{sec:02d},{ms:03d}"


# Loudness of the written files as `earshot metrics loudness` reports it (integrated LUFS, LRA LU,
# true peak dBTP, max momentary LUFS, max short-term LUFS). The script cannot measure them
# itself (it has no loudness meter); measure again and update after changing the scene.
# DemoSceneTests checks that the mix stays at -24 +/-0.5 LUFS and under -2 dBTP.
MEASURED = {
    "mix.flac": (-23.8, 3.4, -7.1, -16.0, -22.1),
    "dialogue.flac": (-25.0, 3.6, -12.6, -20.6, -23.1),
    "me.flac": (-28.5, 7.8, -7.0, -16.6, -23.8),
}
BED_NOTE = ("The M&E's integrated figure is lifted by the crash and the boom: from 1.5 s to 18.5 s (before\n"
            "the crash) the bed alone measures \u221230.8 LUFS against \u221224.8 LUFS of dialogue, 6 LU under it.")


def write_readme(out, scene):
    def t(x):
        return f"{x:.3f}"

    def lu(x, unit):
        return "not measured" if x is None else f"{x:.1f} {unit}".replace("-", "\u2212")

    line_rows = "\n".join(f"| {l['index']} | {l['speaker']} | {l['text']} | {t(l['start'])}\u2013{t(l['end'])} |"
                           for l in scene["lines"])
    ev = {e["type"]: e for e in scene["events"]}
    sib, crash_ev, spot, hit = ev["sibilant-line"], ev["effects-burst"], ev["spotlight"], ev["sub-bass-hit"]
    masked = " ".join(w["word"] for w in crash_ev["overlapsWords"])
    sizes = {name: os.path.getsize(os.path.join(out, name)) for name in ("dialogue.flac", "me.flac", "mix.flac")}
    size_rows = "\n".join(f"| {name} | {size / 1e6:.2f} MB |" for name, size in sizes.items())
    measured_rows = "\n".join(
        f"| {name} | {lu(m[0], 'LUFS')} | {lu(m[1], 'LU')} | {lu(m[2], 'dBTP')} | {lu(m[3], 'LUFS')} | {lu(m[4], 'LUFS')} |"
        for name, m in MEASURED.items())
    text = f"""# Example scene: "Your father is alive"

A {scene['durationSeconds']:.1f}-second micro-drama confrontation between MAYA and DANIEL, built to exercise the
checks Earshot makes: a dialogue stem, a music-and-effects stem, their mix, and exact word timings.
Tests read it, and it is the scene to demonstrate Earshot with.

Everything here is written by `Scripts/make_example_scene.py`, this README included (fixed seeds;
running it again gives the same bytes with the same espeak-ng, numpy and libsndfile). Do not
edit the files by hand: change the script and run it.

## Files

| File | What |
|---|---|
| `dialogue.flac` | Dialogue stem, centred (the same signal in both channels). |
| `me.flac` | Music and effects stem, stereo. |
| `mix.flac` | `dialogue + me`, sample for sample: the sum of the two stored stems, no clipping. |
| `words.json` | Word timings, WhisperX style: `{{"segments":[{{"start","end","text","speaker","words":[{{"word","start","end"}}]}}]}}`, seconds. |
| `words.srt` | The same words, one SRT cue per word. |
| `scene.json` | The lines and the events below, machine-readable (seconds; word indices count from 0 over the whole scene). |

All audio: {RATE} Hz, {BITS}-bit FLAC, stereo, {scene['frames']} samples ({t(scene['durationSeconds'])} s).
{BITS}-bit rather than 24-bit keeps the folder near 2 MB (24-bit stems came to about 4.5 MB):

| File | Size |
|---|---|
{size_rows}

## The lines

| # | Speaker | Line | Start\u2013end (s) |
|---|---|---|---|
{line_rows}

## Events (also in `scene.json`)

| Event | Time (s) | What it tests |
|---|---|---|
| Music bed | 0\u2013{t(scene['durationSeconds'])} | Am\u2013F\u2013C\u2013G synth pad with a bass line on A1 55 Hz, F1 43.7 Hz, C2 65.4 Hz, G1 49 Hz: real 40\u201365 Hz energy that a phone speaker cannot play. |
| Sibilant line (line {sib['line']}) | {t(sib['start'])}\u2013{t(sib['end'])} | "{scene['lines'][sib['line']]['text']}" boosted +8 dB around 6\u201310 kHz (bell at 7.75 kHz) in the dialogue stem: sibilance harshness. |
| Effects burst (line {crash_ev['line']}) | {t(crash_ev['start'])}\u2013{t(crash_ev['end'])} | A crash (noise burst, 85 Hz thud, glassy partials) landing on "{masked}": the words to lose on a phone on a bus. |
| Spotlight (before line {spot['line']}) | {t(spot['start'])}\u2013{t(spot['end'])} | The music dips 5 dB over the 3 s before the cliffhanger line and falls to \u221230 dB from {t(spot['nearSilenceStart'])} s; it stays 5 dB down under the line. |
| Sub-bass hit (line {hit['line']}) | {t(hit['start'])}\u2013{t(hit['end'])} | A boom gliding 55 \u2192 42 Hz on the cliffhanger word "{hit['overlapsWords'][-1]['word']}": speaker excursion and limiter ducking. |

## Loudness (`earshot metrics loudness`)

| File | Integrated | LRA | True peak | Max momentary | Max short-term |
|---|---|---|---|---|---|
{measured_rows}

{BED_NOTE}

## Sources and licence

- Speech: eSpeak NG, voice `en-us` (DANIEL, pitch 38) and its `f3` variant (MAYA, pitch 55),
  speed 150, synthesized one word at a time (`espeak-ng -v VOICE -s 150 -p PITCH -w out.wav WORD`),
  resampled 22.05 \u2192 48 kHz, trimmed to where each word comes within 40 dB of its peak, and placed
  with 60 ms gaps between words and 250 ms after punctuation; that is why the word timings are
  exact. eSpeak NG is a GPL-3 program; the audio it outputs is not covered by its licence.
- Music and effects: synthesized by the script with numpy from fixed seeds; no recordings or
  samples are used.
- Licence of the scene's audio and data files: CC0 1.0 (public domain dedication). The generator
  script is part of Earshot and under the project's licence.
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "Examples", "demo-scene"))
    out = os.path.normpath(parser.parse_args().out)
    os.makedirs(out, exist_ok=True)

    with tempfile.TemporaryDirectory() as workdir:
        dialogue, lines = build_dialogue(workdir)
    total = len(dialogue)

    by_role = {line["role"]: line for line in lines if line["role"]}
    cliff = by_role["cliffhanger"]
    crash_line = by_role["crash"]
    sibilant = by_role["sibilant"]

    # Crash: lands 0.12 s before "with" in "Fine. I was with your sister." and lasts 1.2 s.
    crash_word = next(w for w in crash_line["words"] if w["word"] == "with")
    crash_start = crash_word["startSample"] - int(0.12 * RATE)
    crash_len = int(1.2 * RATE)
    # Sub-bass hit: on the cliffhanger word "alive.", 1.6 s long.
    boom_word = next(w for w in cliff["words"] if w["word"] == "alive.")
    boom_start = boom_word["startSample"] - int(0.02 * RATE)
    boom_len = int(1.6 * RATE)
    # Spotlight before the cliffhanger line.
    spotlight = (cliff["startSample"] - 3 * RATE, cliff["startSample"] - RATE // 2, cliff["startSample"])

    me_l, me_r = build_music(total, spotlight)
    cl, cr = crash(crash_len)
    me_l[crash_start:crash_start + crash_len] += cl
    me_r[crash_start:crash_start + crash_len] += cr
    bl, br = boom(boom_len)
    me_l[boom_start:boom_start + boom_len] += bl
    me_r[boom_start:boom_start + boom_len] += br

    dq = quantize(dialogue)
    ml, mr = quantize(me_l), quantize(me_r)
    mix_l, mix_r = dq + ml, dq + mr
    if max(np.max(np.abs(mix_l)), np.max(np.abs(mix_r))) >= FULL_SCALE - 1:
        raise SystemExit("the mix would clip; lower the gains")
    write_flac(os.path.join(out, "dialogue.flac"), [dq, dq])
    write_flac(os.path.join(out, "me.flac"), [ml, mr])
    write_flac(os.path.join(out, "mix.flac"), [mix_l, mix_r])

    # Words, WhisperX style.
    segments = []
    srt = []
    for line in lines:
        words = [{"word": w["word"], "start": seconds(w["startSample"]), "end": seconds(w["endSample"])}
                 for w in line["words"]]
        segments.append({"start": words[0]["start"], "end": words[-1]["end"], "text": line["text"],
                         "speaker": line["speaker"], "words": words})
        for w in words:
            srt.append(f"{len(srt) + 1}\n{timestamp_srt(w['start'])} --> {timestamp_srt(w['end'])}\n{w['word']}\n")
    with open(os.path.join(out, "words.json"), "w") as f:
        json.dump({"segments": segments}, f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "words.srt"), "w") as f:
        f.write("\n".join(srt))

    def word_refs(line, first, last):
        """Words of `line` that overlap [first, last) samples: global index and text."""
        offset = sum(len(l["words"]) for l in lines[:line["index"]])
        return [{"index": offset + i, "word": w["word"]} for i, w in enumerate(line["words"])
                if w["startSample"] < last and w["endSample"] > first]

    events = [
        {"type": "music-bed", "stem": "me", "start": 0.0, "end": seconds(total),
         "description": "Am-F-C-G synth pad with a bass line on A1 55 Hz, F1 43.7 Hz, C2 65.4 Hz, G1 49 Hz "
                        "(2.4 s per chord); fades in over 1 s and out over the last 2 s."},
        {"type": "sibilant-line", "stem": "dialogue", "line": sibilant["index"],
         "start": seconds(sibilant["words"][0]["startSample"]), "end": seconds(sibilant["endSample"]),
         "boostDB": 8, "boostHz": [6000, 10000],
         "description": "Line full of s/sh/st sounds, boosted +8 dB around 6-10 kHz (bell at 7.75 kHz): "
                        "harsh on phone tweeters and cheap earbuds.",
         "words": word_refs(sibilant, sibilant["startSample"], sibilant["endSample"])},
        {"type": "effects-burst", "stem": "me", "line": crash_line["index"],
         "start": seconds(crash_start), "end": seconds(crash_start + crash_len),
         "description": "A crash (noise burst, 85 Hz thud, glassy partials) landing on the line; "
                        "the words under it are the ones to lose on a phone on a bus.",
         "overlapsWords": word_refs(crash_line, crash_start, crash_start + crash_len)},
        {"type": "spotlight", "stem": "me", "line": cliff["index"],
         "start": seconds(spotlight[0]), "end": seconds(spotlight[2]),
         "nearSilenceStart": seconds(spotlight[1]),
         "description": "Audio spotlight: music dips 5 dB over the 3 s before the cliffhanger line "
                        "and drops to -30 dB for its last 0.5 s; it stays 5 dB down under the line."},
        {"type": "sub-bass-hit", "stem": "me", "line": cliff["index"],
         "start": seconds(boom_start), "end": seconds(boom_start + boom_len), "frequencyHz": [55, 42],
         "description": "Sub-bass boom gliding 55 to 42 Hz on the cliffhanger word: a phone speaker "
                        "cannot play it and its limiter may duck the word.",
         "overlapsWords": word_refs(cliff, boom_start, boom_start + boom_len)},
    ]
    scene = {
        "name": "demo-scene",
        "sampleRate": RATE,
        "durationSeconds": seconds(total),
        "frames": total,
        "files": {"dialogue": "dialogue.flac", "me": "me.flac", "mix": "mix.flac",
                  "words": "words.json", "wordsSRT": "words.srt"},
        "lines": [{"index": l["index"], "speaker": l["speaker"], "text": l["text"],
                   "start": seconds(l["words"][0]["startSample"]), "end": seconds(l["endSample"])}
                  for l in lines],
        "events": events,
        "generator": "Scripts/make_example_scene.py",
        "seed": SEED,
    }
    with open(os.path.join(out, "scene.json"), "w") as f:
        json.dump(scene, f, indent=1)
        f.write("\n")
    write_readme(out, scene)
    print(f"wrote {out}: {seconds(total)} s, {sum(len(l['words']) for l in lines)} words")


if __name__ == "__main__":
    main()
