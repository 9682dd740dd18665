import Foundation

/// A profile folder's manifest, parsed and checked: a device or an environment.
public enum Profile: Sendable, Equatable {
    case device(DeviceProfile)
    case environment(EnvironmentProfile)

    public var id: String {
        switch self {
        case .device(let d): return d.id
        case .environment(let e): return e.id
        }
    }

    public var folder: String {
        switch self {
        case .device(let d): return d.folder
        case .environment(let e): return e.folder
        }
    }
}

/// Loads and validates `profile.json` manifests. Every error names the file and the field.
public enum ProfileLoader {
    public static let manifestName = "profile.json"

    public static func load(folder: String) throws -> Profile {
        let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
        let file = folderURL.appendingPathComponent(manifestName).path
        guard FileManager.default.fileExists(atPath: file) else {
            throw EarshotError.badInput(file: folderURL.path, "no \(manifestName) in this profile folder")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw EarshotError.badInput(file: file, "cannot read the manifest")
        }
        return try load(manifest: data, folder: folderURL.path)
    }

    /// Checks a manifest's contents as `load(folder:)` does; the data files it names are looked
    /// up in `folder`, and messages name `folder`/profile.json.
    public static func load(manifest data: Data, folder: String) throws -> Profile {
        let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
        let file = folderURL.appendingPathComponent(manifestName).path
        let fields = try ManifestFields.parse(data: data, file: file)
        let version = try fields.number("schemaVersion")
        guard version == 1 else { throw fields.error("schemaVersion", "\(version) is not supported; this Earshot reads version 1") }
        let id = try fields.string("id")
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !id.contains("@") else {
            throw fields.error("id", "'\(id)' is not a valid id (letters, digits, '-', '_', '.')")
        }
        let category = try fields.string("category")
        if category == "environment" {
            return .environment(try environment(fields, id: id, folder: folderURL.path))
        }
        guard DeviceProfile.Category(rawValue: category) != nil else {
            throw fields.error("category", "'\(category)' is not one of \((DeviceProfile.Category.allCases.map(\.rawValue) + ["environment"]).joined(separator: ", "))")
        }
        return .device(try device(fields, id: id, folder: folderURL.path))
    }

    /// Resolves a manifest path inside the profile folder; a path that leaves the folder (absolute,
    /// `..`, or a symbolic link pointing outside) is refused.
    public static func resolve(_ relative: String, in folder: String, fields: ManifestFields? = nil, key: String = "",
                               mustExist: Bool = true) throws -> String {
        func fail(_ message: String) -> EarshotError {
            fields?.error(key, message) ?? EarshotError.badInput(file: folder, message)
        }
        if relative.isEmpty { throw fail("empty path") }
        if relative.hasPrefix("/") || relative.hasPrefix("~") {
            throw fail("'\(relative)' is an absolute path; paths must be relative to the profile folder")
        }
        let base = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        let candidate = URL(fileURLWithPath: relative, relativeTo: URL(fileURLWithPath: base + "/"))
            .standardizedFileURL
        let resolved = mustExist ? candidate.resolvingSymlinksInPath().path : candidate.path
        guard resolved.hasPrefix(base + "/") else {
            throw fail("'\(relative)' leaves the profile folder; paths must stay inside it")
        }
        if mustExist && !FileManager.default.fileExists(atPath: resolved) {
            throw fail("'\(relative)' does not exist in \(base)")
        }
        return resolved
    }

    static func provenance(_ f: ManifestFields) throws -> Provenance {
        let p = try f.object("provenance")
        let kind = try p.enumeration("kind", Provenance.Kind.self, allowed: ["measured", "derived", "modelled"])
        let summary = try p.string("summary")
        let confidence = try p.enumeration("confidence", Provenance.Confidence.self, allowed: ["high", "medium", "low"])
        let result = Provenance(
            kind: kind, summary: summary, measuredBy: try p.optionalString("measuredBy"), rig: try p.optionalString("rig"),
            date: try p.optionalString("date"), source: try p.optionalString("source"),
            derivedFrom: try p.optionalString("derivedFrom"), publishedFigures: try p.optionalStrings("publishedFigures"),
            method: try p.optionalString("method"), confidence: confidence,
            confidenceNote: try p.optionalString("confidenceNote"), licence: try p.optionalString("licence"),
            credit: try p.optionalString("credit"))
        switch kind {
        case .measured where result.measuredBy == nil && result.source == nil:
            throw p.error("measuredBy", "a measured profile must say who measured it (measuredBy) or where the measurement comes from (source)")
        case .derived where result.derivedFrom == nil:
            throw p.error("derivedFrom", "a derived profile must say what it was derived from")
        case .modelled where (result.publishedFigures ?? []).isEmpty && result.method == nil:
            throw p.error("publishedFigures", "a modelled profile must cite the published figures (or the method) it is built from")
        default: break
        }
        return result
    }

    static func device(_ f: ManifestFields, id: String, folder: String) throws -> DeviceProfile {
        let name = try f.string("name")
        let category = try f.enumeration("category", DeviceProfile.Category.self, allowed: DeviceProfile.Category.allCases.map(\.rawValue))
        let channelMode = try f.enumeration("channelMode", DeviceProfile.ChannelMode.self, allowed: ["mono", "stereo"])

        let r = try f.object("response")
        let response = DeviceProfile.Response(
            impulseResponse: try r.optionalString("impulseResponse"),
            frequencyResponse: try r.optionalString("frequencyResponse"),
            adjustment: try r.optionalString("adjustment"))
        switch (response.impulseResponse, response.frequencyResponse) {
        case (nil, nil): throw r.error("impulseResponse", "missing: a device needs an impulseResponse or a frequencyResponse")
        case (.some, .some): throw r.error("frequencyResponse", "give either impulseResponse or frequencyResponse, not both")
        default: break
        }
        for (key, value) in [("impulseResponse", response.impulseResponse), ("frequencyResponse", response.frequencyResponse), ("adjustment", response.adjustment)] {
            if let value { _ = try resolve(value, in: folder, fields: r, key: key) }
        }

        let l = try f.object("level")
        let level = DeviceProfile.Level(
            sensitivityDBSPL: try l.number("sensitivityDBSPL", in: 20...140, unit: "dB SPL"),
            listeningDistanceMeters: try l.optionalNumber("listeningDistanceMeters", in: 0.001...20, unit: "m"),
            maxSPLDB: try l.optionalNumber("maxSPLDB", in: 20...150, unit: "dB SPL"))

        let curve = try f.pairs("volumeCurve").map { VolumePoint(percent: $0.0, gainDB: $0.1) }
        guard curve.count >= 2 else { throw f.error("volumeCurve", "needs at least two [percent, gainDB] points") }
        for i in curve.indices {
            guard (0...100).contains(curve[i].percent) else { throw f.error("volumeCurve[\(i)]", "percent \(curve[i].percent) is outside 0…100") }
            guard curve[i].gainDB <= 24, curve[i].gainDB >= -200 else { throw f.error("volumeCurve[\(i)]", "gain \(curve[i].gainDB) dB is outside −200…24 dB") }
            if i > 0 && curve[i].percent <= curve[i - 1].percent { throw f.error("volumeCurve[\(i)]", "percent values must increase") }
        }

        let e = try f.object("excursion")
        let excursion = DeviceProfile.Excursion(
            resonanceHz: try e.number("resonanceHz", in: 5...5000, unit: "Hz"),
            q: try e.number("q", in: 0.1...20, unit: ""),
            limitDBFS: try e.number("limitDBFS", in: -80...40, unit: "dBFS"),
            usableLowCutHz: try e.number("usableLowCutHz", in: 5...5000, unit: "Hz"))

        var limiter: DeviceProfile.Limiter?
        if let lim = try f.optionalObject("limiter") {
            limiter = DeviceProfile.Limiter(
                thresholdDBFS: try lim.number("thresholdDBFS", in: -60...0, unit: "dBFS"),
                attackMs: try lim.number("attackMs", in: 0.01...1000, unit: "ms"),
                releaseMs: try lim.number("releaseMs", in: 1...10000, unit: "ms"),
                lookaheadMs: try lim.number("lookaheadMs", in: 0...50, unit: "ms"),
                ratio: try lim.optionalNumber("ratio", in: 1...1000, unit: ":1"))
        }
        var bass: DeviceProfile.BassCompressor?
        if let b = try f.optionalObject("bassCompressor") {
            bass = DeviceProfile.BassCompressor(
                splitHz: try b.number("splitHz", in: 20...2000, unit: "Hz"),
                thresholdDBFS: try b.number("thresholdDBFS", in: -80...0, unit: "dBFS"),
                ratio: try b.number("ratio", in: 1...100, unit: ":1"),
                attackMs: try b.number("attackMs", in: 0.01...1000, unit: "ms"),
                releaseMs: try b.number("releaseMs", in: 1...10000, unit: "ms"))
        }
        var isolation: [BandValue]?
        if f.has("passiveIsolation") {
            isolation = try f.pairs("passiveIsolation").map { BandValue(frequencyHz: $0.0, levelDB: $0.1) }
            try checkAscending(isolation!, f, "passiveIsolation", levelRange: 0...60)
        }
        var checks: [DeviceProfile.ResponseCheck]?
        if f.has("responseChecks") {
            guard let list = f.object["responseChecks"] as? [Any] else { throw f.error("responseChecks", "expected a list of objects") }
            checks = try list.indices.map { i in
                guard let o = list[i] as? [String: Any] else { throw f.error("responseChecks[\(i)]", "expected an object") }
                let c = ManifestFields(object: o, file: f.file, path: f.fieldName("responseChecks[\(i)]"))
                return DeviceProfile.ResponseCheck(
                    frequencyHz: try c.number("frequencyHz", in: 10...24000, unit: "Hz"),
                    relativeToHz: try c.number("relativeToHz", in: 10...24000, unit: "Hz"),
                    minDB: try c.optionalNumber("minDB"), maxDB: try c.optionalNumber("maxDB"),
                    source: try c.optionalString("source"))
            }
        }
        return DeviceProfile(
            id: id, name: name, category: category, channelMode: channelMode, response: response, level: level,
            volumeCurve: curve, excursion: excursion, limiter: limiter, bassCompressor: bass,
            passiveIsolation: isolation, selfNoiseDBA: try f.optionalNumber("selfNoiseDBA", in: -20...100, unit: "dB(A)"),
            responseChecks: checks, provenance: try provenance(f), folder: folder)
    }

    static func environment(_ f: ManifestFields, id: String, folder: String) throws -> EnvironmentProfile {
        let name = try f.string("name")
        let level = try f.number("levelDBA", in: 0...130, unit: "dB(A)")
        let spectrum = try f.pairs("spectrum").map { BandValue(frequencyHz: $0.0, levelDB: $0.1) }
        guard spectrum.count >= 3 else { throw f.error("spectrum", "needs third-octave band levels, at least 3 bands") }
        try checkAscending(spectrum, f, "spectrum", levelRange: -200...200)
        var recording: String?
        if let r = try f.optionalString("recording") {
            _ = try resolve(r, in: folder, fields: f, key: "recording")
            recording = r
        }
        var modulation: EnvironmentProfile.Modulation?
        if let m = try f.optionalObject("modulation") {
            modulation = .init(depthDB: try m.number("depthDB", in: 0...40, unit: "dB"),
                               rateHz: try m.number("rateHz", in: 0.01...50, unit: "Hz"))
        }
        let seed = try f.optionalNumber("seed", in: 0...9.0e15, unit: "")
        let ceiling = try f.optionalNumber("listenerCeilingDBA", in: 20...120, unit: "dB(A)")
        return EnvironmentProfile(
            id: id, name: name, levelDBA: level, spectrum: spectrum, recording: recording, modulation: modulation,
            listenerCeilingDBA: ceiling,
            seed: seed.map { UInt64($0) } ?? SeededRandom.seed(from: id), provenance: try provenance(f), folder: folder)
    }

    static func checkAscending(_ values: [BandValue], _ f: ManifestFields, _ key: String, levelRange: ClosedRange<Double>) throws {
        for i in values.indices {
            guard values[i].frequencyHz > 0, values[i].frequencyHz <= 48000 else {
                throw f.error("\(key)[\(i)]", "frequency \(values[i].frequencyHz) Hz is outside 0…48000 Hz")
            }
            guard levelRange.contains(values[i].levelDB) else {
                throw f.error("\(key)[\(i)]", "level \(values[i].levelDB) dB is outside \(levelRange.lowerBound)…\(levelRange.upperBound) dB")
            }
            if i > 0 && values[i].frequencyHz <= values[i - 1].frequencyHz {
                throw f.error("\(key)[\(i)]", "frequencies must increase")
            }
        }
    }
}
