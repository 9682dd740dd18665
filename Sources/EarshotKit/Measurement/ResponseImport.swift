import Foundation

/// The measurement files `earshot devices import` reads.
public enum ResponseImportFormat: String, Sendable, CaseIterable {
    /// An impulse response exported by Room EQ Wizard as a WAV file (any rate, mono).
    case rewImpulse = "rew-ir"
    /// A frequency response exported by Room EQ Wizard as text: `*` comment lines, then
    /// `frequency level [phase]` lines (spaces, tabs, commas or semicolons between them).
    case rewText = "rew-text"
    /// An AutoEq CSV: a header naming the columns (`frequency,raw`, or the results' `frequency,
    /// raw,error,smoothed,…`), then comma-separated rows.
    case autoEq = "autoeq"
}

/// A device response read from another tool's export.
public struct ImportedResponse: Sendable {
    public enum Data: Sendable {
        case impulseResponse(samples: [Float], sampleRate: Int)
        case curve([(frequencyHz: Double, levelDB: Double)])
    }
    public var data: Data
    public var format: ResponseImportFormat
    /// What was done to the data on the way in, in words (goes into the provenance).
    public var notes: [String]
}

/// Reads REW impulse-response WAVs, REW frequency-response text exports and AutoEq CSVs.
/// Errors name the file and the line.
public enum ResponseImport {
    static let audioExtensions: Set<String> = ["wav", "wave", "flac", "aif", "aiff", "w64", "rf64", "caf"]

    /// The format, from the extension and the first lines.
    public static func detectFormat(path: String) throws -> ResponseImportFormat {
        let ext = (path as NSString).pathExtension.lowercased()
        if audioExtensions.contains(ext) { return .rewImpulse }
        let lines = try textLines(path)
        guard let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw EarshotError.badInput(file: path, "the file is empty")
        }
        if first.hasPrefix("*") { return .rewText }
        let header = first.lowercased()
        if header.contains(",") && header.split(separator: ",").first.map({ $0.trimmingCharacters(in: .whitespaces) == "frequency" }) == true {
            return .autoEq
        }
        if header.hasPrefix("freq") || numbers(first) != nil { return .rewText }
        throw EarshotError.badInput(file: path, location: "line 1", "not a format Earshot imports: expected a REW impulse-response WAV, a REW text export ('* …' comments, then 'frequency level phase' lines) or an AutoEq CSV ('frequency,raw,…'); name it with --format")
    }

    public static func read(path: String, format: ResponseImportFormat? = nil, column: String = "raw", target: String? = nil) throws -> ImportedResponse {
        let format = try format ?? detectFormat(path: path)
        var result: ImportedResponse
        switch format {
        case .rewImpulse: result = try readImpulse(path: path)
        case .rewText: result = ImportedResponse(data: .curve(try readREWText(path: path)), format: format, notes: [])
        case .autoEq:
            let curve = try readAutoEq(path: path, column: column)
            result = ImportedResponse(data: .curve(curve), format: format, notes: ["AutoEq column '\(column)'"])
        }
        if let target {
            guard case .curve(let curve) = result.data else {
                throw EarshotError.usage("--target subtracts a target curve from a frequency response, not from an impulse response")
            }
            let targetCurve = try ResponseImport.read(path: target).curveOrThrow(path: target)
            result.data = .curve(curve.map { ($0.frequencyHz, $0.levelDB - MinimumPhase.interpolatedLevelDB(targetCurve, at: $0.frequencyHz)) })
            result.notes.append("minus the target curve \((target as NSString).lastPathComponent)")
        }
        if case .curve(let curve) = result.data {
            let thinned = thin(curve)
            if thinned.count < curve.count { result.notes.append("\(curve.count) points averaged onto a 1/48-octave grid (\(thinned.count) points)") }
            result.data = .curve(thinned)
            if let first = thinned.first, first.frequencyHz > 20 { result.notes.append(String(format: "no data below %.0f Hz (held flat there)", first.frequencyHz)) }
            if let last = thinned.last, last.frequencyHz < 20000 { result.notes.append(String(format: "no data above %.0f Hz (held flat there)", last.frequencyHz)) }
        }
        return result
    }

    static func textLines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw EarshotError.badInput(file: path, "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw EarshotError.badInput(file: path, "not a text file")
        }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    /// The numbers on a line: fields split on whitespace, tabs or semicolons (or on commas when
    /// that is the only separator); a decimal comma is read as a point. Nil if any is not a number.
    static func numbers(_ line: String) -> [Double]? {
        var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
        if fields.count == 1 { fields = fields[0].split(separator: ",").map(String.init) }
        fields = fields.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ", ")) }.filter { !$0.isEmpty }
        guard !fields.isEmpty else { return nil }
        let values = fields.map { field -> Double? in
            Double(field) ?? (field.contains(",") && !field.contains(".") ? Double(field.replacingOccurrences(of: ",", with: ".")) : nil)
        }
        guard values.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
        return values.map { $0! }
    }

    static func readREWText(path: String) throws -> [(frequencyHz: Double, levelDB: Double)] {
        var points: [(frequencyHz: Double, levelDB: Double)] = []
        for (index, raw) in try textLines(path).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("*") { continue }
            guard let values = numbers(line), values.count >= 2 else {
                if points.isEmpty { continue }   // a header line ("Freq(Hz) SPL(dB) Phase(degrees)")
                throw EarshotError.badInput(file: path, location: "line \(index + 1)", "expected 'frequency level [phase]' numbers, found '\(line.prefix(60))'")
            }
            try append(&points, values[0], values[1], path: path, line: index + 1)
        }
        guard points.count >= 2 else { throw EarshotError.badInput(file: path, "no frequency-response data (expected 'frequency level [phase]' lines after the '*' comments)") }
        return points
    }

    static func readAutoEq(path: String, column: String) throws -> [(frequencyHz: Double, levelDB: Double)] {
        let lines = try textLines(path)
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw EarshotError.badInput(file: path, "the file is empty")
        }
        let names = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let fi = names.firstIndex(of: "frequency") else {
            throw EarshotError.badInput(file: path, location: "line \(headerIndex + 1)", "no 'frequency' column in the header (an AutoEq CSV starts with 'frequency,raw,…')")
        }
        guard let ci = names.firstIndex(of: column.lowercased()) else {
            throw EarshotError.usage("\(path): no column '\(column)'; it has \(names.filter { $0 != "frequency" }.joined(separator: ", ")) (choose with --column)")
        }
        var points: [(frequencyHz: Double, levelDB: Double)] = []
        for index in (headerIndex + 1)..<lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > max(fi, ci), let f = Double(cells[fi]) else {
                throw EarshotError.badInput(file: path, location: "line \(index + 1)", "expected \(names.count) comma-separated cells with a frequency, found '\(line.prefix(60))'")
            }
            if cells[ci].isEmpty { continue }   // AutoEq leaves some result columns empty
            guard let level = Double(cells[ci]) else {
                throw EarshotError.badInput(file: path, location: "line \(index + 1)", "column '\(column)' holds '\(cells[ci])', not a number")
            }
            try append(&points, f, level, path: path, line: index + 1)
        }
        guard points.count >= 2 else { throw EarshotError.badInput(file: path, "fewer than two rows with a '\(column)' value") }
        return points
    }

    static func append(_ points: inout [(frequencyHz: Double, levelDB: Double)], _ f: Double, _ level: Double, path: String, line: Int) throws {
        if f <= 0 { return }   // a DC point carries no response
        guard f <= 96000, abs(level) <= 200 else {
            throw EarshotError.badInput(file: path, location: "line \(line)", "values out of range (frequency 0…96000 Hz, level ±200 dB): \(f) Hz, \(level) dB")
        }
        if let last = points.last, f <= last.frequencyHz {
            throw EarshotError.badInput(file: path, location: "line \(line)", "frequencies must increase (\(f) Hz after \(last.frequencyHz) Hz)")
        }
        points.append((f, level))
    }

    /// Dense curves (REW exports up to 65536 linear points) averaged in power onto a
    /// 1/48-octave grid; sparse curves are kept as they are.
    static func thin(_ curve: [(frequencyHz: Double, levelDB: Double)]) -> [(frequencyHz: Double, levelDB: Double)] {
        guard curve.count > 1000, let first = curve.first, let last = curve.last else { return curve }
        var out: [(frequencyHz: Double, levelDB: Double)] = []
        var centre = first.frequencyHz
        let half = pow(2, 1.0 / 96)
        var i = 0
        while centre <= last.frequencyHz {
            let lo = centre / half, hi = centre * half
            while i < curve.count && curve[i].frequencyHz < lo { i += 1 }
            var j = i, sum = 0.0, count = 0
            while j < curve.count && curve[j].frequencyHz < hi { sum += pow(10, curve[j].levelDB / 10); count += 1; j += 1 }
            let level = count > 0 ? 10 * log10(sum / Double(count)) : MinimumPhase.interpolatedLevelDB(curve, at: centre)
            out.append((centre, level))
            centre *= half * half
        }
        return out
    }

    static func readImpulse(path: String) throws -> ImportedResponse {
        let (samples, rate) = try AudioFile.readMono(path: path)
        guard let peak = samples.map(abs).max(), peak > 0 else { throw EarshotError.badInput(file: path, "the impulse response is silent") }
        guard samples.count >= 64 else { throw EarshotError.badInput(file: path, "only \(samples.count) samples: too short for an impulse response") }
        guard samples.count <= rate * 10 else {
            throw EarshotError.badInput(file: path, String(format: "%.1f s long: an impulse response is at most 10 s (export the IR, not a recording)", Double(samples.count) / Double(rate)))
        }
        return ImportedResponse(data: .impulseResponse(samples: samples, sampleRate: rate), format: .rewImpulse,
                                notes: ["impulse response at \(rate) Hz, \(samples.count) samples"])
    }
}

extension ImportedResponse {
    func curveOrThrow(path: String) throws -> [(frequencyHz: Double, levelDB: Double)] {
        guard case .curve(let c) = data else { throw EarshotError.usage("\(path): a target must be a frequency-response curve") }
        return c
    }
}
