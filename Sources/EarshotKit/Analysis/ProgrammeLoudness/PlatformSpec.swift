import Foundation

/// One platform's loudness delivery spec: integrated loudness target (EBU R 128 / ITU-R
/// BS.1770, LUFS) with a tolerance either side, and a true-peak ceiling (dBTP). The stock
/// table is `Reports/platforms.json`, figures from practitioners' delivery guides that users
/// are expected to edit as platforms change them.
public struct PlatformSpec: Sendable, Equatable, Codable {
    public var name: String
    public var targetLUFS: Double
    public var truePeakCeilingDBTP: Double
    public var toleranceLU: Double
    public var notes: String

    public init(name: String, targetLUFS: Double, truePeakCeilingDBTP: Double, toleranceLU: Double, notes: String = "") {
        self.name = name
        self.targetLUFS = targetLUFS
        self.truePeakCeilingDBTP = truePeakCeilingDBTP
        self.toleranceLU = toleranceLU
        self.notes = notes
    }

    /// Reads a platform table: a JSON object with a `platforms` list (and optional `source`),
    /// or a bare list. Each entry needs `name`, `targetLUFS`, `truePeakCeilingDBTP`,
    /// `toleranceLU`; `notes` is optional. Errors name the file and the entry/field.
    public static func load(path: String) throws -> [PlatformSpec] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EarshotError.badInput(file: path, "cannot read the platform table (no such file?)")
        }
        return try parse(data, file: path)
    }

    /// Parses a platform table from JSON data (see `load(path:)`).
    public static func parse(_ data: Data, file: String? = nil) throws -> [PlatformSpec] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            if let located = JSONDocument.syntaxError(in: [UInt8](data), file: file) { throw located }
            throw EarshotError.badInput(file: file, "not valid JSON (\(error.localizedDescription))")
        }
        let list: [Any]
        if let array = root as? [Any] {
            list = array
        } else if let object = root as? [String: Any] {
            guard let array = object["platforms"] as? [Any] else {
                throw EarshotError.badInput(file: file, location: "field 'platforms'", "expected a list of platforms")
            }
            list = array
        } else {
            throw EarshotError.badInput(file: file, "expected an object with a 'platforms' list")
        }
        if list.isEmpty {
            throw EarshotError.badInput(file: file, location: "field 'platforms'", "the list is empty")
        }
        var specs: [PlatformSpec] = []
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            let at = "platforms[\(index)]"
            guard let entry = item as? [String: Any] else {
                throw EarshotError.badInput(file: file, location: at, "expected an object")
            }
            func number(_ key: String) throws -> Double {
                // JSON true/false also arrive as NSNumber; they carry the objCType "c".
                guard let value = entry[key] as? NSNumber, String(cString: value.objCType) != "c",
                      value.doubleValue.isFinite else {
                    throw EarshotError.badInput(file: file, location: "field '\(at).\(key)'", "expected a number")
                }
                return value.doubleValue
            }
            guard let name = entry["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw EarshotError.badInput(file: file, location: "field '\(at).name'", "expected a non-empty name")
            }
            if !seen.insert(name.lowercased()).inserted {
                throw EarshotError.badInput(file: file, location: "field '\(at).name'", "'\(name)' is listed twice")
            }
            let target = try number("targetLUFS")
            let ceiling = try number("truePeakCeilingDBTP")
            let tolerance = try number("toleranceLU")
            guard (-70.0...0.0).contains(target) else {
                throw EarshotError.badInput(file: file, location: "field '\(at).targetLUFS'",
                                            "\(target) LUFS is outside −70…0 LUFS")
            }
            guard ceiling <= 3 else {
                throw EarshotError.badInput(file: file, location: "field '\(at).truePeakCeilingDBTP'",
                                            "\(ceiling) dBTP is above +3 dBTP")
            }
            guard tolerance >= 0, tolerance <= 20 else {
                throw EarshotError.badInput(file: file, location: "field '\(at).toleranceLU'",
                                            "expected 0…20 LU, got \(tolerance)")
            }
            var notes = ""
            if let n = entry["notes"] {
                guard let s = n as? String else {
                    throw EarshotError.badInput(file: file, location: "field '\(at).notes'", "expected text")
                }
                notes = s
            }
            specs.append(PlatformSpec(name: name, targetLUFS: target, truePeakCeilingDBTP: ceiling,
                                      toleranceLU: tolerance, notes: notes))
        }
        return specs
    }

    /// Whether `loudness` meets this spec: |integrated − target| ≤ tolerance and true peak ≤
    /// ceiling. Both figures are compared at the 0.1 precision meters display, so a mix shown as
    /// −25.0 LUFS passes a −24 ±1 LU target. A programme without an integrated loudness
    /// (silence) fails the loudness test; one without a true peak (digital silence) is under
    /// any ceiling.
    public func verdict(for loudness: LoudnessResult) -> PlatformVerdict {
        let integrated = loudness.integratedLUFS.map(PlatformSpec.tenths)
        let truePeak = loudness.truePeakDBTP.map(PlatformSpec.tenths)
        let deviation = integrated.map { PlatformSpec.tenths($0 - targetLUFS) }
        let loudnessPass = deviation.map { abs($0) <= toleranceLU + 1e-9 } ?? false
        let truePeakPass = truePeak.map { $0 <= truePeakCeilingDBTP + 1e-9 } ?? true
        var problems: [String] = []
        if let deviation, let integrated {
            if !loudnessPass {
                problems.append(String(format: "integrated %.1f LUFS is %.1f LU %@ the %.1f LUFS target (±%.1f LU)",
                                       integrated, abs(deviation), deviation > 0 ? "above" : "below",
                                       targetLUFS, toleranceLU))
            }
        } else {
            problems.append("no integrated loudness (the programme is silent or below the −70 LUFS gate)")
        }
        if let truePeak, !truePeakPass {
            problems.append(String(format: "true peak %.1f dBTP is over the %.1f dBTP ceiling", truePeak, truePeakCeilingDBTP))
        }
        return PlatformVerdict(name: name, targetLUFS: targetLUFS, toleranceLU: toleranceLU,
                               truePeakCeilingDBTP: truePeakCeilingDBTP, integratedLUFS: integrated,
                               deviationLU: deviation, truePeakDBTP: truePeak, loudnessPass: loudnessPass,
                               truePeakPass: truePeakPass, pass: loudnessPass && truePeakPass,
                               reason: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    static func tenths(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}

/// The outcome of checking one programme against one `PlatformSpec`.
public struct PlatformVerdict: Sendable, Equatable, Codable {
    public var name: String
    public var targetLUFS: Double
    public var toleranceLU: Double
    public var truePeakCeilingDBTP: Double
    /// The programme's integrated loudness as compared (to 0.1 LU).
    public var integratedLUFS: Double?
    /// integrated − target (LU); positive means louder than the target.
    public var deviationLU: Double?
    public var truePeakDBTP: Double?
    public var loudnessPass: Bool
    public var truePeakPass: Bool
    public var pass: Bool
    /// What failed, in words; nil on a pass.
    public var reason: String?
}

extension Array where Element == PlatformSpec {
    /// The verdict of every platform in the table, in table order.
    public func verdict(for loudness: LoudnessResult) -> [PlatformVerdict] {
        map { $0.verdict(for: loudness) }
    }
}
