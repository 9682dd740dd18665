import Foundation

/// Who measured what, with what, and how the device was set: everything a measured profile's
/// provenance must say besides the measurement itself.
public struct MeasuredDeviceDescription: Sendable {
    public var id: String
    public var name: String
    public var category: DeviceProfile.Category = .phone
    public var channelMode: DeviceProfile.ChannelMode = .mono
    public var measuredBy: String
    /// YYYY-MM-DD.
    public var date: String
    public var microphone: String
    /// Microphone distance from the device, cm (the listening distance for loudspeakers).
    public var distanceCm: Double?
    /// The device's volume setting as the user reads it (e.g. "media volume 12 of 15").
    public var volumeStep: String
    /// The same setting as a percentage of the volume control (maps onto the volume curve).
    public var volumePercent: Double = 100
    public var volumeCurve: [VolumePoint] = ProfileWriter.androidMediaVolumeCurve
    /// Where the volume curve comes from (it is not measured).
    public var volumeCurveSource = "Android's default media volume curve (AOSP DEFAULT_MEDIA_VOLUME_CURVE), assumed, not measured"
    public var sinkName: String?
    public var sourceName: String
    /// The stimulus was played from a file on the device itself (not through a sink).
    public var playedFromFile: String?
    /// `--through`: the profile whose render chain stood in for a device.
    public var throughProfile: DeviceProfile?
    /// Used when there is no level calibration, dB SPL (and said so in the provenance).
    public var sensitivityDBSPL: Double?
    public var maxSPLDB: Double?
    /// Used when there is no stepped-level series, dBFS.
    public var excursionLimitDBFS: Double?
    public var licence = "the measurer's own data; no licence stated"

    public init(id: String, name: String, measuredBy: String, date: String, microphone: String, volumeStep: String, sourceName: String) {
        self.id = id
        self.name = name
        self.measuredBy = measuredBy
        self.date = date
        self.microphone = microphone
        self.volumeStep = volumeStep
        self.sourceName = sourceName
    }
}

/// Turns a `DeviceMeasurement` into a device profile folder (`earshot measure device`):
///
/// - `ir.wav` — the averaged, windowed linear impulse response (48 kHz, float);
/// - `profile.json` — sensitivity from the calibrated tone; excursion model: resonance and Q
///   fitted to the measured response (`ClosedBoxFit`), the usable low cut read from it, and the
///   limit from the stepped-level series' distortion onset, as a drive level after the volume
///   gain, referred below resonance through the fitted excursion filter; `selfNoiseDBA` from the
///   silence recorded before the sweeps; `responseChecks` holding the measured third-octave
///   figures (±1 dB); provenance `measured` (or `derived` when the stimulus went through another
///   profile's render chain: then no real device was measured);
/// - `distortion.csv`, `level-series.csv`, `measurement.json` and `PROVENANCE.md` — the
///   harmonic distortion, the stepped series, every setting and figure, in words.
public enum MeasuredDeviceProfile {
    /// The excitation frequency the distortion band stands for when the onset is referred below
    /// resonance: the band's geometric centre.
    static func bandCentreHz(_ band: ClosedRange<Double>) -> Double { (band.lowerBound * band.upperBound).squareRoot() }

    /// The device profile the measurement describes (folder left empty), and the notes that
    /// go into its provenance.
    public static func profile(_ m: DeviceMeasurement, _ d: MeasuredDeviceDescription) throws -> DeviceProfile {
        let sweep = m.plan.sweep
        let volumeGain = DeviceProfile.gain(percent: d.volumePercent, curve: d.volumeCurve)
        // Sensitivity: the tone's SPL for a full-scale sine at 100 % volume.
        let sensitivity: Double
        if let toneSPL = m.toneDBSPL {
            sensitivity = toneSPL - m.plan.levelDBFS - volumeGain
        } else if let given = d.sensitivityDBSPL {
            sensitivity = given
        } else {
            throw EarshotError.usage("no level calibration: give --tone-spl (the SPL meter's reading of the 1 kHz tone at the microphone), --calibrator FILE (a recording of an acoustic calibrator), or --sensitivity-db-spl")
        }
        guard (20...140).contains(sensitivity) else {
            throw EarshotError.badInput(String(format: "the measured sensitivity %.1f dB SPL (full-scale 1 kHz sine at 100 %% volume) is outside 20…140 dB SPL: check the calibration (--tone-spl, --calibrator) and --volume-percent", sensitivity))
        }
        let fit = ClosedBoxFit.fit(impulseResponse: m.impulseResponse, sampleRate: m.sampleRate,
                                   lowestHz: sweep.startHz * pow(2, sweep.fadeInOctaves))
        let resonance = min(max(fit.resonanceHz, 5), 5000), q = min(max(fit.q, 0.1), 20)
        let limit: Double
        if let onset = m.onset {
            let centre = bandCentreHz(m.settings.lowFrequencyBandHz)
            limit = onset.levelDBFS + volumeGain + ClosedBoxFit.excursionDB(frequencyHz: centre, resonanceHz: resonance, q: q)
        } else if let given = d.excursionLimitDBFS {
            limit = given
        } else {
            throw EarshotError.usage("no stepped-level series (--steps), so no distortion onset: give --excursion-limit-dbfs")
        }
        // The measured third-octave figures, kept as checks on the data file.
        let response = FrequencyResponse(impulseResponse: m.impulseResponse, sampleRate: m.sampleRate)
        func band(_ f: Double) -> Double {
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: f)
            return response.bandLevelDB(lowHz: lo, highHz: hi)
        }
        let lowest = sweep.startHz * pow(2, sweep.fadeInOctaves) * 2
        let checks = [100.0, 200, 400, 2000, 4000, 8000].filter { $0 >= lowest && $0 <= sweep.endHz / 1.2 }.map { f -> DeviceProfile.ResponseCheck in
            let v = band(f) - band(1000)
            return DeviceProfile.ResponseCheck(frequencyHz: f, relativeToHz: 1000, minDB: ProfileWriter.rounded(v - 1), maxDB: ProfileWriter.rounded(v + 1),
                                               source: String(format: "measured by earshot measure device on %@ (third-octave band re 1 kHz: %+.1f dB)", d.date, v))
        }
        return DeviceProfile(
            id: d.id, name: d.name, category: d.category, channelMode: d.channelMode,
            response: .init(impulseResponse: "ir.wav", frequencyResponse: nil, adjustment: nil),
            level: .init(sensitivityDBSPL: ProfileWriter.rounded(sensitivity),
                         listeningDistanceMeters: d.category == .earbuds ? nil : d.distanceCm.map { $0 / 100 },
                         maxSPLDB: ProfileWriter.rounded(d.maxSPLDB ?? sensitivity)),
            volumeCurve: d.volumeCurve,
            excursion: .init(resonanceHz: ProfileWriter.rounded(resonance), q: ProfileWriter.rounded(q, 2),
                             limitDBFS: ProfileWriter.rounded(min(max(limit, -80), 40)),
                             usableLowCutHz: ProfileWriter.rounded(min(max(fit.usableLowCutHz, 5), 5000))),
            limiter: nil, bassCompressor: nil, passiveIsolation: nil,
            selfNoiseDBA: m.noiseDBA.flatMap { (-20...100).contains($0) ? ProfileWriter.rounded($0) : nil },
            responseChecks: checks.isEmpty ? nil : checks,
            provenance: provenance(m, d, fit: fit, sensitivity: sensitivity, limit: limit),
            folder: "")
    }

    static func provenance(_ m: DeviceMeasurement, _ d: MeasuredDeviceDescription, fit: ClosedBoxFit, sensitivity: Double, limit: Double) -> Provenance {
        let plan = m.plan, sweep = plan.sweep, s = m.settings
        let band = String(format: "%.0f–%.0f Hz", s.lowFrequencyBandHz.lowerBound, s.lowFrequencyBandHz.upperBound)
        let played = d.playedFromFile.map { "played from the file \($0) on the device" } ?? "played on the PulseAudio sink '\(d.sinkName ?? "default")'"
        let distance = d.distanceCm.map { String(format: "%.0f cm", $0) } ?? "an unstated distance"
        var summary = String(format: "Measured with `earshot measure device` on %@ by %@: %d exponential sine sweep%@ (%.2f s, %.0f Hz to %.0f Hz) at %.1f dBFS %@, recorded from '%@' with %@ at %@ on axis; device volume %@. Impulse response averaged and windowed to %.0f ms; 2nd/3rd harmonic distortion from the harmonic impulse responses; SNR %.1f dB.",
                             d.date, d.measuredBy, plan.sweepCount, plan.sweepCount == 1 ? "" : "s", sweep.durationSeconds, sweep.startHz, sweep.endHz,
                             plan.levelDBFS, played, d.sourceName, d.microphone, distance, d.volumeStep, s.irWindowSeconds * 1000, m.averagedSNRDB)
        if let through = d.throughProfile {
            summary = "NOT A REAL DEVICE: the stimulus passed through the render chain of the profile '\(through.id)' (\(through.provenance.kind.rawValue)) before it was played, so this measures that model. " + summary
        }
        var notes: [String] = []
        if let cal = m.calibration, let tone = m.toneDBSPL {
            notes.append(String(format: "Sensitivity %.1f dB SPL measured: the %.0f Hz tone at %.1f dBFS read %.1f dB SPL at the microphone (calibration: %@), at %.0f %% volume.",
                                sensitivity, plan.toneFrequencyHz, plan.levelDBFS, tone, cal.method, d.volumePercent))
        } else {
            notes.append(String(format: "Sensitivity %.1f dB SPL given by the user (no level calibration).", sensitivity))
        }
        if let onset = m.onset {
            let steps = plan.stepLevelsDBFS.map { String(format: "%.0f", $0) }.joined(separator: ", ")
            let how: String
            switch onset.kind {
            case .interpolated: how = String(format: "low-frequency THD (2nd + 3rd, %@) reached %.0f %% at %.1f dBFS", band, onset.thresholdTHD * 100, onset.levelDBFS)
            case .atOrBelowLowestStep: how = String(format: "low-frequency THD (2nd + 3rd, %@) was already over %.0f %% at the lowest step, %.1f dBFS: the onset is at or below it", band, onset.thresholdTHD * 100, onset.levelDBFS)
            case .notReached: how = String(format: "low-frequency THD (2nd + 3rd, %@) stayed under %.0f %% up to the highest step, %.1f dBFS: the limit is at least this (a lower bound)", band, onset.thresholdTHD * 100, onset.levelDBFS)
            }
            notes.append(String(format: "Excursion limit %.1f dBFS: stepped-level sweeps at %@ dBFS; %@; plus the volume gain and the fitted excursion filter at %.0f Hz.",
                                limit, steps, how, bandCentreHz(s.lowFrequencyBandHz)))
        } else {
            notes.append(String(format: "Excursion limit %.1f dBFS given by the user (no stepped-level series).", limit))
        }
        notes.append(String(format: "Resonance %.0f Hz and Q %.2f fitted to the measured response (closed box, RMS misfit %.1f dB); usable low cut %.0f Hz read from it.",
                            fit.resonanceHz, fit.q, fit.residualDB, fit.usableLowCutHz))
        if let noise = m.noiseDBA {
            notes.append((-20...100).contains(noise)
                ? String(format: "selfNoiseDBA %.1f dB(A): the level at the microphone while the device played silence — the device's hiss plus the room's own noise, so an upper bound of the device's self-noise.", noise)
                : String(format: "No selfNoiseDBA: the level with the device silent was %.1f dB(A), outside what a profile holds (-20…100 dB(A)).", noise))
        }
        notes.append("Volume curve: \(d.volumeCurveSource). No protection limiter or bass compressor is modelled: whatever the device's own DSP does at the measurement level is inside the measured response.")
        let calibrated = m.calibration != nil
        let confidence: Provenance.Confidence = d.throughProfile != nil ? .low
            : (calibrated && m.averagedSNRDB >= 40 && m.onset?.kind == .interpolated ? .high : .medium)
        var confidenceNote = notes.joined(separator: " ")
        if d.throughProfile != nil {
            confidenceNote = "A measurement of a model, not of a device. " + confidenceNote
        } else if confidence == .medium {
            var why: [String] = []
            if !calibrated { why.append("the level is not calibrated") }
            if m.averagedSNRDB < 40 { why.append(String(format: "the SNR is %.0f dB (under 40)", m.averagedSNRDB)) }
            if m.onset?.kind != .interpolated { why.append("the distortion onset was not bracketed by the steps") }
            confidenceNote = "Medium: " + why.joined(separator: ", ") + ". " + confidenceNote
        }
        let rig = "\(d.microphone) at \(distance) on axis; stimulus \(played); recorded from the PulseAudio source '\(d.sourceName)'"
        return Provenance(
            kind: d.throughProfile == nil ? .measured : .derived, summary: summary, measuredBy: d.measuredBy, rig: rig, date: d.date,
            source: "earshot measure device; this folder's measurement.json holds every setting and figure, distortion.csv and level-series.csv the distortion data",
            derivedFrom: d.throughProfile.map { "the render chain (volume, protection DSP, impulse response) of the profile '\($0.id)' (\($0.provenance.kind.rawValue), \($0.folder)), measured through the PulseAudio sink '\(d.sinkName ?? "default")' and source '\(d.sourceName)'" },
            publishedFigures: nil,
            method: "earshot measure device: exponential sweep (Farina, AES preprint 5093, 2000; synchronized per Novák et al., JAES 2015), deconvolution by the inverse sweep with its residual corrected in-band, repeated sweeps averaged after aligning each on its impulse peak; linear and harmonic impulse responses windowed out of the deconvolution; level calibration from a 1 kHz tone; stepped-level series for the LF distortion onset.",
            confidence: confidence, confidenceNote: confidenceNote, licence: d.licence, credit: d.measuredBy)
    }

    /// Writes the profile folder `parent/<id>`; returns its path.
    @discardableResult
    public static func write(_ m: DeviceMeasurement, _ d: MeasuredDeviceDescription, parent: String, overwrite: Bool = false) throws -> String {
        var profile = try profile(m, d)
        return try ProfileWriter.writeFolder(id: d.id, parent: parent, overwrite: overwrite) { folder in
            profile.folder = folder
            try AudioFile.write(path: folder + "/ir.wav", channels: [m.impulseResponse], sampleRate: m.sampleRate, format: .float32)
            func db(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.2f", $0) : "-inf" } ?? "" }
            try ProfileWriter.writeCSV("frequencyHz,secondHarmonicDB,thirdHarmonicDB,thdPercent",
                                       m.distortion.map { String(format: "%.1f,", $0.frequencyHz) + "\(db($0.secondHarmonicDB)),\(db($0.thirdHarmonicDB))," + String(format: "%.3f", $0.thdPercent) },
                                       to: folder + "/distortion.csv")
            try ProfileWriter.writeCSV("levelDBFS,lowFrequencyTHDPercent",
                                       m.steps.map { String(format: "%.1f,%.3f", $0.levelDBFS, $0.lowFrequencyTHDPercent) },
                                       to: folder + "/level-series.csv")
            try AtomicFile.write(report(m, d, profile: profile).serialized(), to: folder + "/measurement.json")
            try AtomicFile.write(provenanceText(profile), to: folder + "/PROVENANCE.md")
            return ProfileWriter.manifest(device: profile)
        }
    }

    /// Every setting and figure of the measurement (measurement.json; also `--json`).
    public static func report(_ m: DeviceMeasurement, _ d: MeasuredDeviceDescription, profile: DeviceProfile) -> JSONValue {
        let plan = m.plan, sweep = plan.sweep
        func r(_ x: Double?, _ decimals: Int = 2) -> JSONValue { .num(x.map { ProfileWriter.rounded($0, decimals) }) }
        var onset: JSONValue = .null
        if let o = m.onset {
            onset = .object([("driveLevelDBFS", r(o.levelDBFS)), ("kind", .string(o.kind.rawValue)), ("thresholdPercent", r(o.thresholdTHD * 100))])
        }
        return .object([
            ("profile", .string(d.id)),
            ("date", .string(d.date)), ("measuredBy", .string(d.measuredBy)), ("microphone", .string(d.microphone)),
            ("distanceCm", .num(d.distanceCm)), ("volumeStep", .string(d.volumeStep)), ("volumePercent", .num(d.volumePercent)),
            ("sink", .str(d.sinkName)), ("source", .string(d.sourceName)), ("playedFromFile", .str(d.playedFromFile)),
            ("through", .str(d.throughProfile?.id)),
            ("sweep", .object([("startHz", r(sweep.startHz)), ("endHz", r(sweep.endHz)), ("seconds", r(sweep.durationSeconds, 4)),
                               ("rateSeconds", r(sweep.rateSeconds, 5)), ("levelDBFS", r(plan.levelDBFS)), ("count", .integer(plan.sweepCount)),
                               ("gapSeconds", r(plan.gapSeconds, 3))])),
            ("snrDB", .object([("singleSweep", r(m.singleSweepSNRDB, 1)), ("averaged", r(m.averagedSNRDB, 1)), ("impulsePeakToNoise", r(m.peakToNoiseDB, 1))])),
            ("recordedPeakDBFS", r(m.recordedPeakDBFS)), ("clockDriftPPM", r(m.clockDriftPPM, 1)),
            ("calibration", m.calibration.map { .object([("fullScaleDBSPL", r($0.fullScaleDBSPL)), ("method", .string($0.method))]) } ?? .null),
            ("tone", .object([("frequencyHz", r(plan.toneFrequencyHz)), ("playedDBFS", r(plan.levelDBFS)), ("recordedDBFS", r(m.recordedToneDBFS)), ("dBSPL", r(m.toneDBSPL))])),
            ("noise", .object([("levelDBFS", r(m.noiseLevelDBFS)), ("aWeightedDBFS", r(m.noiseLevelADBFS)), ("dBA", r(m.noiseDBA))])),
            ("impulseResponse", .object([("file", .string("ir.wav")), ("samples", .integer(m.impulseResponse.count)), ("windowMs", r(m.settings.irWindowSeconds * 1000, 1))])),
            ("sensitivityDBSPL", r(profile.level.sensitivityDBSPL)),
            ("excursion", .object([("resonanceHz", r(profile.excursion.resonanceHz)), ("q", r(profile.excursion.q)),
                                   ("limitDBFS", r(profile.excursion.limitDBFS)), ("usableLowCutHz", r(profile.excursion.usableLowCutHz))])),
            ("distortionOnset", onset),
            ("lowFrequencyBandHz", .array([r(m.settings.lowFrequencyBandHz.lowerBound), r(m.settings.lowFrequencyBandHz.upperBound)])),
            ("steps", .array(m.steps.map { .object([("levelDBFS", r($0.levelDBFS)), ("lowFrequencyTHDPercent", r($0.lowFrequencyTHDPercent, 3))]) })),
            ("distortion", .array(m.distortion.map { p in
                .object([("frequencyHz", r(p.frequencyHz, 1)), ("secondHarmonicDB", r(p.secondHarmonicDB)), ("thirdHarmonicDB", r(p.thirdHarmonicDB)),
                         ("thdPercent", r(p.thdPercent, 3))])
            })),
            ("thirdOctaveResponseDB", .array(zip(ThirdOctave.nominalCentresHz,
                FrequencyResponse(impulseResponse: m.impulseResponse, sampleRate: m.sampleRate).thirdOctaveLevelsDB()).map { c, v in
                    .object([("centreHz", r(c)), ("levelDB", r(v))])
                })),
        ])
    }

    static func provenanceText(_ p: DeviceProfile) -> String {
        let v = p.provenance
        return """
        # \(p.id) — \(p.name)

        **Kind:** \(v.kind.rawValue). **Confidence:** \(v.confidence.rawValue).

        \(v.summary)

        - Measured by: \(v.measuredBy ?? "")
        - Date: \(v.date ?? "")
        - Rig: \(v.rig ?? "")
        \(v.derivedFrom.map { "- Derived from: \($0)\n" } ?? "")- Method: \(v.method ?? "")

        \(v.confidenceNote ?? "")

        Files: `ir.wav` (the impulse response, 48 kHz float), `distortion.csv` (2nd/3rd harmonic
        levels in dB re the fundamental, by excitation frequency), `level-series.csv` (the
        stepped-level series), `measurement.json` (every setting and figure). Written by
        `earshot measure device`; check with `earshot devices validate`.

        Licence: \(v.licence ?? "")

        """
    }
}

extension DeviceProfile {
    /// The gain of a volume curve at `percent`, dB (as `volumeGainDB(percent:)` does for a profile).
    static func gain(percent: Double, curve: [VolumePoint]) -> Double {
        let p = min(max(percent, 0), 100)
        guard let first = curve.first else { return 0 }
        if p <= first.percent { return first.gainDB }
        for i in 1..<curve.count where p <= curve[i].percent {
            let a = curve[i - 1], b = curve[i]
            return a.gainDB + (p - a.percent) / max(b.percent - a.percent, 1e-9) * (b.gainDB - a.gainDB)
        }
        return curve.last!.gainDB
    }
}
