#!/usr/bin/env python3
"""Integrated loudness of the example scene's files by pyloudnorm, an independent BS.1770-4
implementation, as goldens for LoudnessMeterTests.

Needs:  pip install pyloudnorm==0.2.0 soundfile numpy     (tested with numpy 2.4, soundfile 0.14)
Run:    python3 Scripts/loudness_goldens_pyloudnorm.py
Writes: Tests/EarshotKitTests/Fixtures/loudness/pyloudnorm_demo_scene.json
"""
import json
import os
from importlib.metadata import version

import pyloudnorm
import soundfile as sf

here = os.path.dirname(os.path.abspath(__file__))
scene = os.path.join(here, "..", "Examples", "demo-scene")
out = os.path.join(here, "..", "Tests", "EarshotKitTests", "Fixtures", "loudness", "pyloudnorm_demo_scene.json")

goldens = {}
for name in ("mix.flac", "dialogue.flac", "me.flac"):
    x, rate = sf.read(os.path.join(scene, name))
    goldens[name] = round(float(pyloudnorm.Meter(rate).integrated_loudness(x)), 3)

os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"source": "pyloudnorm " + version("pyloudnorm")
                         + " Meter(rate).integrated_loudness (ITU-R BS.1770-4, K-weighting, gated)",
               "integratedLUFS": goldens}, f, indent=1)
    f.write("\n")
print(goldens)
