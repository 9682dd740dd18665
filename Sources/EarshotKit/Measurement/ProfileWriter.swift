import Foundation

/// Writes profile folders in the format of DeviceProfiles/README.md and profile.schema.json:
/// `profile.json` (keys in the schema's order) plus data files. A folder is assembled under a
/// temporary name beside its destination, loaded back with `ProfileLoader` (and its device
/// model or environment noise built, as `earshot devices validate` does) and only then renamed
/// into place, so a folder that appears is one that validates.
public enum ProfileWriter {
    /// Profile ids: lower-case kebab-case (the schema's pattern).
    public static func checkID(_ id: String) throws {
        let ok = !id.isEmpty && id.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
        }
        guard ok else { throw EarshotError.usage("--name '\(id)' is not a profile id: use lower-case letters, digits and single hyphens (e.g. my-phone-speaker)") }
    }

    /// Assembles a profile folder `parent/id` with `fill` (which writes into the folder it is
    /// given and returns the manifest), checks it loads, and moves it into place.
    @discardableResult
    public static func writeFolder(id: String, parent: String, overwrite: Bool,
                                   _ fill: (_ folder: String) throws -> JSONValue) throws -> String {
        try checkID(id)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw EarshotError(.environment, file: parent, "cannot create the output folder (\(error.localizedDescription))")
        }
        let destination = URL(fileURLWithPath: parent).appendingPathComponent(id).standardizedFileURL.path
        if fm.fileExists(atPath: destination) && !overwrite {
            throw EarshotError.usage("\(destination) already exists; choose another --name or --out, or pass --force to replace it")
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = URL(fileURLWithPath: parent).appendingPathComponent(".\(id).partial-\(pid)").path
        try? fm.removeItem(atPath: temporary)
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            let manifest = try fill(temporary)
            try AtomicFile.write(manifest.serialized(), to: temporary + "/" + ProfileLoader.manifestName)
            switch try ProfileLoader.load(folder: temporary) {
            case .device(let d): _ = try DeviceModel(profile: d)
            case .environment(let e): _ = try EnvironmentNoise(profile: e)
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        if fm.fileExists(atPath: destination) {
            let old = URL(fileURLWithPath: parent).appendingPathComponent(".\(id).replaced-\(pid)").path
            try? fm.removeItem(atPath: old)
            guard rename(destination, old) == 0 else {
                try? fm.removeItem(atPath: temporary)
                throw EarshotError(.environment, file: destination, "cannot replace the existing folder")
            }
            try? fm.removeItem(atPath: old)
        }
        guard rename(temporary, destination) == 0 else {
            try? fm.removeItem(atPath: temporary)
            throw EarshotError(.environment, file: destination, "cannot move the finished profile folder into place")
        }
        return destination
    }

    static func pairs(_ values: [(Double, Double)]) -> JSONValue {
        .array(values.map { .array([.number($0.0), .number($0.1)]) })
    }

    /// A value rounded to `decimals` places.
    static func rounded(_ x: Double, _ decimals: Int = 1) -> Double {
        let scale = pow(10, Double(decimals))
        return (x * scale).rounded() / scale
    }

    /// The manifest of a device profile, in the schema's field order.
    public static func manifest(device d: DeviceProfile) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .integer(1)), ("id", .string(d.id)), ("name", .string(d.name)),
            ("category", .string(d.category.rawValue)), ("channelMode", .string(d.channelMode.rawValue)),
        ]
        var response: [(String, JSONValue)] = []
        if let v = d.response.impulseResponse { response.append(("impulseResponse", .string(v))) }
        if let v = d.response.frequencyResponse { response.append(("frequencyResponse", .string(v))) }
        if let v = d.response.adjustment { response.append(("adjustment", .string(v))) }
        fields.append(("response", .object(response)))
        var level: [(String, JSONValue)] = [("sensitivityDBSPL", .number(d.level.sensitivityDBSPL))]
        if let v = d.level.listeningDistanceMeters { level.append(("listeningDistanceMeters", .number(v))) }
        level.append(("maxSPLDB", .number(d.level.maxSPLDB ?? d.level.sensitivityDBSPL)))
        fields.append(("level", .object(level)))
        fields.append(("volumeCurve", pairs(d.volumeCurve.map { ($0.percent, $0.gainDB) })))
        let e = d.excursion
        fields.append(("excursion", .object([("resonanceHz", .number(e.resonanceHz)), ("q", .number(e.q)),
                                             ("limitDBFS", .number(e.limitDBFS)), ("usableLowCutHz", .number(e.usableLowCutHz))])))
        if let l = d.limiter {
            var o: [(String, JSONValue)] = [("thresholdDBFS", .number(l.thresholdDBFS)), ("attackMs", .number(l.attackMs)),
                                            ("releaseMs", .number(l.releaseMs)), ("lookaheadMs", .number(l.lookaheadMs))]
            if let r = l.ratio { o.append(("ratio", .number(r))) }
            fields.append(("limiter", .object(o)))
        }
        if let b = d.bassCompressor {
            fields.append(("bassCompressor", .object([("splitHz", .number(b.splitHz)), ("thresholdDBFS", .number(b.thresholdDBFS)),
                                                      ("ratio", .number(b.ratio)), ("attackMs", .number(b.attackMs)), ("releaseMs", .number(b.releaseMs))])))
        }
        if let p = d.passiveIsolation { fields.append(("passiveIsolation", pairs(p.map { ($0.frequencyHz, $0.levelDB) }))) }
        if let n = d.selfNoiseDBA { fields.append(("selfNoiseDBA", .number(n))) }
        if let checks = d.responseChecks, !checks.isEmpty {
            fields.append(("responseChecks", .array(checks.map { c in
                var o: [(String, JSONValue)] = [("frequencyHz", .number(c.frequencyHz)), ("relativeToHz", .number(c.relativeToHz))]
                if let v = c.minDB { o.append(("minDB", .number(v))) }
                if let v = c.maxDB { o.append(("maxDB", .number(v))) }
                o.append(("source", .string(c.source ?? "")))
                return .object(o)
            })))
        }
        fields.append(("provenance", manifest(provenance: d.provenance)))
        return .object(fields)
    }

    /// The manifest of an environment profile, in the schema's field order.
    public static func manifest(environment e: EnvironmentProfile) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .integer(1)), ("id", .string(e.id)), ("name", .string(e.name)),
            ("category", .string("environment")), ("levelDBA", .number(e.levelDBA)),
            ("spectrum", pairs(e.spectrum.map { ($0.frequencyHz, $0.levelDB) })),
        ]
        if let r = e.recording { fields.append(("recording", .string(r))) }
        if let m = e.modulation { fields.append(("modulation", .object([("depthDB", .number(m.depthDB)), ("rateHz", .number(m.rateHz))]))) }
        fields.append(("seed", .integer(Int(e.seed % 9_000_000_000_000_000))))
        fields.append(("provenance", manifest(provenance: e.provenance)))
        return .object(fields)
    }

    static func manifest(provenance p: Provenance) -> JSONValue {
        var o: [(String, JSONValue)] = [("kind", .string(p.kind.rawValue)), ("summary", .string(p.summary))]
        if let v = p.measuredBy { o.append(("measuredBy", .string(v))) }
        if let v = p.rig { o.append(("rig", .string(v))) }
        if let v = p.date { o.append(("date", .string(v))) }
        if let v = p.source { o.append(("source", .string(v))) }
        if let v = p.derivedFrom { o.append(("derivedFrom", .string(v))) }
        if let v = p.publishedFigures { o.append(("publishedFigures", .array(v.map { .string($0) }))) }
        o.append(("method", .string(p.method ?? "")))
        o.append(("confidence", .string(p.confidence.rawValue)))
        o.append(("confidenceNote", .string(p.confidenceNote ?? "")))
        o.append(("licence", .string(p.licence ?? "")))
        o.append(("credit", .string(p.credit ?? "")))
        return .object(o)
    }

    /// Android's default media volume curve (AOSP audio policy DEFAULT_MEDIA_VOLUME_CURVE, as
    /// the stock phone profile uses): 1 % −58 dB, 20 % −40 dB, 60 % −17 dB, 100 % 0 dB; 0 % muted.
    public static let androidMediaVolumeCurve: [VolumePoint] = [
        VolumePoint(percent: 0, gainDB: -96), VolumePoint(percent: 1, gainDB: -58), VolumePoint(percent: 20, gainDB: -40),
        VolumePoint(percent: 60, gainDB: -17), VolumePoint(percent: 100, gainDB: 0),
    ]

    /// Parses "percent:gainDB,…" (e.g. "0:-96,1:-58,20:-40,60:-17,100:0").
    public static func parseVolumeCurve(_ text: String) throws -> [VolumePoint] {
        let points = try text.split(separator: ",").map { item -> VolumePoint in
            let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let p = Double(parts[0]), let g = Double(parts[1]), (0...100).contains(p), g <= 0 else {
                throw EarshotError.usage("--volume-curve: '\(item)' is not percent:gainDB (percent 0–100, gain ≤ 0 dB)")
            }
            return VolumePoint(percent: p, gainDB: g)
        }
        guard points.count >= 2 else { throw EarshotError.usage("--volume-curve needs at least two percent:gainDB points") }
        for i in 1..<points.count where points[i].percent <= points[i - 1].percent {
            throw EarshotError.usage("--volume-curve: percents must rise")
        }
        return points
    }

    /// Today's date, YYYY-MM-DD (UTC).
    public static func today() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    /// Writes a small CSV (header + rows) into a folder.
    static func writeCSV(_ header: String, _ rows: [String], to path: String) throws {
        try AtomicFile.write(([header] + rows).joined(separator: "\n") + "\n", to: path)
    }
}
