import Foundation

/// Who measured an imported response, and which profile supplies what the file does not.
public struct ImportedDeviceDescription: Sendable {
    public var id: String
    public var name: String
    public var category: DeviceProfile.Category
    public var channelMode: DeviceProfile.ChannelMode
    public var measuredBy: String
    /// YYYY-MM-DD (of the measurement, if known; else of the import).
    public var date: String
    /// Where the file comes from (a repository path, "my REW measurement of …").
    public var source: String
    /// The profile whose levels, volume curve, excursion limit and protection settings are used.
    public var like: DeviceProfile
    public var sensitivityDBSPL: Double?
    public var distanceCm: Double?
    public var licence = "the measurer's own data; no licence stated"

    public init(id: String, name: String, category: DeviceProfile.Category, channelMode: DeviceProfile.ChannelMode,
                measuredBy: String, date: String, source: String, like: DeviceProfile) {
        self.id = id
        self.name = name
        self.category = category
        self.channelMode = channelMode
        self.measuredBy = measuredBy
        self.date = date
        self.source = source
        self.like = like
    }
}

/// Writes a device profile around an imported response (`earshot devices import`): the
/// response as `ir.wav` or `response.csv`, the usable low cut, resonance and Q fitted to it
/// (`ClosedBoxFit`), its third-octave figures as `responseChecks`, and everything else copied
/// from a stock profile of the same kind — which the provenance says, naming that profile and
/// its own provenance: only the response is measured.
public enum ImportedDeviceProfile {
    @discardableResult
    public static func write(_ imported: ImportedResponse, _ d: ImportedDeviceDescription, originalPath: String,
                             parent: String, overwrite: Bool = false) throws -> String {
        let rate = 48000
        let ir: [Float]
        let response: DeviceProfile.Response
        switch imported.data {
        case .impulseResponse(let samples, let sampleRate):
            ir = try AudioFile.resample(samples, from: sampleRate, to: rate)
            response = .init(impulseResponse: "ir.wav", frequencyResponse: nil, adjustment: nil)
        case .curve(let curve):
            ir = MinimumPhase.impulseResponse(points: curve, sampleRate: rate, length: DeviceModel.minimumPhaseLength)
            response = .init(impulseResponse: nil, frequencyResponse: "response.csv", adjustment: nil)
        }
        let fit = ClosedBoxFit.fit(impulseResponse: ir, sampleRate: rate, lowestHz: 20)
        let r = FrequencyResponse(impulseResponse: ir, sampleRate: rate)
        func band(_ f: Double) -> Double {
            let (lo, hi) = ThirdOctave.bandEdgesHz(centreHz: f)
            return r.bandLevelDB(lowHz: lo, highHz: hi)
        }
        let checks = [100.0, 200, 400, 2000, 4000, 8000].map { f -> DeviceProfile.ResponseCheck in
            let v = band(f) - band(1000)
            return DeviceProfile.ResponseCheck(frequencyHz: f, relativeToHz: 1000, minDB: ProfileWriter.rounded(v - 1), maxDB: ProfileWriter.rounded(v + 1),
                                               source: String(format: "imported %@ response (third-octave band re 1 kHz: %+.1f dB)", imported.format.rawValue, v))
        }
        let like = d.like
        var level = like.level
        if let s = d.sensitivityDBSPL { level.sensitivityDBSPL = s }
        if let cm = d.distanceCm { level.listeningDistanceMeters = cm / 100 }
        if d.category == .earbuds { level.listeningDistanceMeters = nil }
        let fileName = (originalPath as NSString).lastPathComponent
        let copied = "level (sensitivity\(d.sensitivityDBSPL == nil ? "" : " given by the user instead"), maximum, distance), volume curve, excursion limit, limiter, bass compressor, passive isolation and self-noise"
        let tool = imported.format == .autoEq ? "AutoEq" : "Room EQ Wizard"
        let provenance = Provenance(
            kind: .measured,
            summary: "The \(imported.format == .rewImpulse ? "impulse response" : "frequency response") is a measurement by \(d.measuredBy), imported from the \(tool) file \(fileName) (\(imported.notes.joined(separator: "; "))). Only the response is measured: the \(copied) are copied from the profile '\(like.id)' (\(like.provenance.kind.rawValue)); the usable low cut, resonance and Q are fitted to the imported response.",
            measuredBy: d.measuredBy, rig: "as recorded in \(fileName) (\(tool) export)", date: d.date, source: d.source,
            derivedFrom: "\(copied) from the profile '\(like.id)' (\(like.provenance.kind.rawValue), confidence \(like.provenance.confidence.rawValue)): \(like.provenance.summary.prefix(200))…",
            publishedFigures: nil,
            method: "earshot devices import --format \(imported.format.rawValue): response written as \(response.impulseResponse ?? response.frequencyResponse ?? ""); closed-box fit of the low end (resonance \(Int(fit.resonanceHz.rounded())) Hz, Q \(String(format: "%.2f", fit.q)), usable low cut \(Int(fit.usableLowCutHz.rounded())) Hz).",
            confidence: .medium,
            confidenceNote: "The response is measured (how well depends on the original measurement: rig, smoothing, windowing). Levels, volume curve, excursion limit and protection DSP are another profile's (\(like.id), \(like.provenance.confidence.rawValue) confidence), not this device's; measure them with `earshot measure device` for a full profile.",
            licence: d.licence, credit: d.measuredBy)
        let profile = DeviceProfile(
            id: d.id, name: d.name, category: d.category, channelMode: d.channelMode, response: response, level: level,
            volumeCurve: like.volumeCurve,
            excursion: .init(resonanceHz: ProfileWriter.rounded(min(max(fit.resonanceHz, 5), 5000)), q: ProfileWriter.rounded(min(max(fit.q, 0.1), 20), 2),
                             limitDBFS: like.excursion.limitDBFS, usableLowCutHz: ProfileWriter.rounded(min(max(fit.usableLowCutHz, 5), 5000))),
            limiter: like.limiter, bassCompressor: like.bassCompressor, passiveIsolation: d.category == .earbuds ? like.passiveIsolation : nil,
            selfNoiseDBA: like.selfNoiseDBA, responseChecks: checks, provenance: provenance, folder: "")
        return try ProfileWriter.writeFolder(id: d.id, parent: parent, overwrite: overwrite) { folder in
            switch imported.data {
            case .impulseResponse(let samples, let sampleRate):
                try AudioFile.write(path: folder + "/ir.wav", channels: [samples], sampleRate: sampleRate, format: .float32)
            case .curve(let curve):
                try ProfileWriter.writeCSV("frequencyHz,levelDB", curve.map { String(format: "%.3f,%.3f", $0.frequencyHz, $0.levelDB) }, to: folder + "/response.csv")
            }
            // Keep the original export beside the data when it is small.
            if let size = (try? FileManager.default.attributesOfItem(atPath: originalPath))?[.size] as? Int, size <= 2_000_000 {
                let safe = String(fileName.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
                try? FileManager.default.copyItem(atPath: originalPath, toPath: folder + "/original-" + safe)
            }
            try AtomicFile.write("""
                # \(d.id) — \(d.name)

                **Kind:** measured (the response only). **Confidence:** medium.

                \(provenance.summary)

                - Measured by: \(d.measuredBy), \(d.date)
                - Source: \(d.source)
                - Copied from '\(like.id)': \(copied)

                \(provenance.confidenceNote ?? "")

                Licence: \(d.licence)

                """, to: folder + "/PROVENANCE.md")
            return ProfileWriter.manifest(device: profile)
        }
    }

    /// The stock profile whose settings an import borrows by default, per category.
    public static func defaultLike(for category: DeviceProfile.Category) -> String {
        switch category {
        case .phone: return "phone-budget-speaker"
        case .earbuds: return "earbuds-wired-inbox"
        case .laptop: return "laptop-speakers"
        case .soundbar, .tv: return "tv-soundbar"
        case .reference: return "studio-reference"
        }
    }
}
