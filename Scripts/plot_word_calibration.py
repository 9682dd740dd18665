#!/usr/bin/env python3
"""Draws Docs/word-calibration.svg: the share of words Earshot flags masked against SNR, for
each masker and talker of WordCalibrationTests, beside the published human data.

The curves come from Docs/word-calibration.csv, which the test writes:

    EARSHOT_CALIBRATION_CSV=$PWD/Docs/word-calibration.csv \
        swift test --filter WordCalibrationTests.testFlaggedShareRisesAsTheSNRFalls
    python3 Scripts/plot_word_calibration.py

Published points (normal-hearing listeners, stationary speech-shaped noise unless stated):
- OLSA word-scored psychometric function, SRT -7.1 dB SNR, slope 17.1 %/dB (Wagener, Brand &
  Kollmeier 1999): drawn as the share of words lost, 1 - 1/(1 + exp(4*0.171*(-7.1 - SNR))).
- HINT sentence SRT -2.92 dB SNR (Nilsson, Soli & Sullivan 1994): half the sentences lost.
- 10 Hz interrupted noise: release from masking about 8 dB (Bacon, Opie & Montoya 1998),
  drawn at the OLSA SRT minus 8 dB.
Standard library only; the product does not depend on Python.
"""
import csv
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "Docs")
W, H = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 200, 30, 60
SNR_MIN, SNR_MAX = -30.0, 9.0
COLOURS = {"stationary": "#1f5fa8", "interrupted": "#c0392b", "babble-envelope": "#2e8b57"}
DASH = {"natural speech": "", "synthetic talker": "6,4"}


def x(snr):
    return LEFT + (snr - SNR_MIN) / (SNR_MAX - SNR_MIN) * (W - LEFT - RIGHT)


def y(fraction):
    return TOP + (1 - fraction) * (H - TOP - BOTTOM)


def main():
    rows = list(csv.DictReader(open(os.path.join(DOCS, "word-calibration.csv"))))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for snr in range(-30, 10, 3):
        out.append(f'<line x1="{x(snr):.1f}" y1="{TOP}" x2="{x(snr):.1f}" y2="{H - BOTTOM}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{x(snr):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{snr}</text>')
    for k in range(0, 11, 2):
        f = k / 10
        out.append(f'<line x1="{LEFT}" y1="{y(f):.1f}" x2="{W - RIGHT}" y2="{y(f):.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y(f) + 4:.1f}" text-anchor="end">{k * 10} %</text>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 18}" text-anchor="middle">SNR, dB (speech level over the masker\'s long-term level)</text>')
    out.append(f'<text transform="translate(18 {(TOP + H - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">words flagged masked</text>')
    # Published: the OLSA psychometric function as words lost.
    pts = []
    snr = SNR_MIN
    while snr <= SNR_MAX + 1e-9:
        lost = 1 - 1 / (1 + math.exp(4 * 0.171 * (-7.1 - snr)))
        pts.append(f"{x(snr):.1f},{y(lost):.1f}")
        snr += 0.25
    out.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="#888" stroke-width="5" stroke-opacity="0.45"/>')
    for label, snr_point, colour in [("HINT SRT (sentences)", -2.92, "#555"), ("OLSA SRT (words)", -7.1, "#1f5fa8"),
                                     ("interrupted: OLSA - 8 dB", -15.1, "#c0392b")]:
        out.append(f'<circle cx="{x(snr_point):.1f}" cy="{y(0.5):.1f}" r="6" fill="none" stroke="{colour}" stroke-width="2"/>')
    # Earshot's curves.
    series = {}
    for r in rows:
        series.setdefault((r["talker"], r["masker"]), []).append((float(r["snrDB"]), float(r["flaggedFraction"])))
    for (talker, masker), points in sorted(series.items()):
        pts = " ".join(f"{x(s):.1f},{y(f):.1f}" for s, f in sorted(points))
        dash = f' stroke-dasharray="{DASH[talker]}"' if DASH[talker] else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{COLOURS[masker]}" stroke-width="2"{dash}/>')
    # Legend.
    lx, ly = W - RIGHT + 16, TOP + 6
    entries = [(COLOURS[m], DASH[t], f"{m}, {t}") for m in COLOURS for t in DASH]
    for i, (colour, dash, text) in enumerate(entries):
        yy = ly + i * 18
        d = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" y1="{yy}" x2="{lx + 24}" y2="{yy}" stroke="{colour}" stroke-width="2"{d}/>')
        out.append(f'<text x="{lx + 30}" y="{yy + 4}" font-size="10">{text}</text>')
    yy = ly + len(entries) * 18 + 8
    out.append(f'<line x1="{lx}" y1="{yy}" x2="{lx + 24}" y2="{yy}" stroke="#888" stroke-width="5" stroke-opacity="0.45"/>')
    out.append(f'<text x="{lx + 30}" y="{yy + 4}" font-size="10">OLSA words lost</text>')
    for i, (text, colour) in enumerate([("HINT SRT, sentences", "#555"), ("OLSA SRT, words", "#1f5fa8"),
                                        ("interrupted, published", "#c0392b")]):
        yy2 = yy + 18 * (i + 1)
        out.append(f'<circle cx="{lx + 12}" cy="{yy2}" r="5" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 30}" y="{yy2 + 4}" font-size="10">{text}</text>')
    out.append("</svg>")
    with open(os.path.join(DOCS, "word-calibration.svg"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
