import Foundation

/// Who recorded an environment, where, and with what.
public struct MeasuredEnvironmentDescription: Sendable {
    public var id: String
    public var name: String
    public var measuredBy: String
    /// YYYY-MM-DD.
    public var date: String
    public var microphone: String
    /// Where and how (e.g. "city bus, seat by the rear door, phone-listening position").
    public var location: String
    public var sourceName: String
    public var licence = "the recordist's own recording; no licence stated"

    public init(id: String, name: String, measuredBy: String, date: String, microphone: String, location: String, sourceName: String) {
        self.id = id
        self.name = name
        self.measuredBy = measuredBy
        self.date = date
        self.microphone = microphone
        self.location = location
        self.sourceName = sourceName
    }
}

/// Writes an environment profile folder from an `EnvironmentMeasurement`
/// (`earshot measure environment`): `recording.wav` (the ambience, 24-bit), `profile.json`
/// (levelDBA = the measured LAeq; the spectrum = the measured third-octave levels in dB SPL, so
/// their A-weighted sum is that level), `measurement.json` with the level statistics, and
/// `PROVENANCE.md`.
public enum MeasuredEnvironmentProfile {
    public static func profile(_ m: EnvironmentMeasurement, _ d: MeasuredEnvironmentDescription) -> EnvironmentProfile {
        let summary = String(format: "Recorded with `earshot measure environment` on %@ by %@: %.0f s of %@, with %@ (calibration: %@). LAeq %.1f dB(A), LA10 %.1f, LA50 %.1f, LA90 %.1f, LAmax %.1f dB(A) (125 ms levels); LZeq %.1f dB.",
                             d.date, d.measuredBy, m.durationSeconds, d.location, d.microphone, m.calibration.method,
                             m.levelDBA, m.l10DBA, m.l50DBA, m.l90DBA, m.maxDBA, m.levelDBZ)
        return EnvironmentProfile(
            id: d.id, name: d.name, levelDBA: ProfileWriter.rounded(m.levelDBA), spectrum: m.spectrum.map { BandValue(frequencyHz: $0.frequencyHz, levelDB: ProfileWriter.rounded($0.levelDB)) },
            recording: "recording.wav", modulation: nil, seed: SeededRandom.seed(from: d.id) % 9_000_000_000_000_000,
            provenance: Provenance(
                kind: .measured, summary: summary, measuredBy: d.measuredBy,
                rig: "\(d.microphone), recorded from the PulseAudio source '\(d.sourceName)' at 48 kHz",
                date: d.date, source: "earshot measure environment; measurement.json holds the level statistics",
                method: "earshot measure environment: calibrated recording; LAeq with IEC 61672-1 A-weighting; third-octave levels (IEC 61260-1 bands) by Welch averaging of 8192-point Hann frames; percentile levels of 125 ms A-weighted levels.",
                confidence: m.durationSeconds >= 30 ? .high : .medium,
                confidenceNote: m.durationSeconds >= 30
                    ? "One calibrated recording at one place and time; levels there vary with traffic, crowd and time of day."
                    : String(format: "Medium: only %.0f s recorded (30 s or more gives steadier statistics). One place and time.", m.durationSeconds),
                licence: d.licence, credit: d.measuredBy),
            folder: "")
    }

    @discardableResult
    public static func write(_ m: EnvironmentMeasurement, _ d: MeasuredEnvironmentDescription, parent: String, overwrite: Bool = false) throws -> String {
        var profile = profile(m, d)
        return try ProfileWriter.writeFolder(id: d.id, parent: parent, overwrite: overwrite) { folder in
            profile.folder = folder
            try AudioFile.write(path: folder + "/recording.wav", channels: [m.samples], sampleRate: m.sampleRate, format: .pcm24)
            try AtomicFile.write(report(m, d).serialized(), to: folder + "/measurement.json")
            let p = profile.provenance
            try AtomicFile.write("""
                # \(d.id) — \(d.name)

                **Kind:** measured. **Confidence:** \(p.confidence.rawValue).

                \(p.summary)

                - Recorded by: \(d.measuredBy), \(d.date)
                - Rig: \(p.rig ?? "")
                - Method: \(p.method ?? "")

                \(p.confidenceNote ?? "")

                Files: `recording.wav` (the ambience, 48 kHz 24-bit; Earshot loops it and sets it to
                levelDBA), `measurement.json` (levels, statistics, calibration). Licence: \(d.licence)

                """, to: folder + "/PROVENANCE.md")
            return ProfileWriter.manifest(environment: profile)
        }
    }

    public static func report(_ m: EnvironmentMeasurement, _ d: MeasuredEnvironmentDescription) -> JSONValue {
        func r(_ x: Double) -> JSONValue { .number(ProfileWriter.rounded(x)) }
        return .object([
            ("profile", .string(d.id)), ("date", .string(d.date)), ("measuredBy", .string(d.measuredBy)),
            ("microphone", .string(d.microphone)), ("location", .string(d.location)), ("source", .string(d.sourceName)),
            ("seconds", .number(ProfileWriter.rounded(m.durationSeconds, 2))),
            ("calibration", .object([("fullScaleDBSPL", r(m.calibration.fullScaleDBSPL)), ("method", .string(m.calibration.method))])),
            ("levelDBA", r(m.levelDBA)), ("levelDBZ", r(m.levelDBZ)),
            ("statisticsDBA", .object([("max", r(m.maxDBA)), ("l10", r(m.l10DBA)), ("l50", r(m.l50DBA)), ("l90", r(m.l90DBA)), ("min", r(m.minDBA))])),
            ("peakDBFS", r(m.peakDBFS)),
            ("spectrumDBSPL", .array(m.spectrum.map { .object([("centreHz", .number($0.frequencyHz)), ("levelDB", r($0.levelDB))]) })),
        ])
    }
}
