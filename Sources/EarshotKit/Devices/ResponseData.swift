import Foundation

/// Reads the data files a profile refers to: `frequencyHz,levelDB` CSVs and impulse responses.
enum ResponseData {
    /// A two-column CSV of ascending frequencies (Hz) and levels (dB); a header line is allowed,
    /// `#` starts a comment. Errors name the file and the line.
    public static func readCurve(path: String) throws -> [(frequencyHz: Double, levelDB: Double)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EarshotError.badInput(file: path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EarshotError.badInput(file: path, "not UTF-8 text; expected a CSV of frequencyHz,levelDB")
        }
        var points: [(Double, Double)] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let f = Double(cells[0]), let l = Double(cells[1]) else {
                if points.isEmpty && cells.first.map({ Double($0) == nil }) == true { continue }  // header
                throw EarshotError.badInput(file: path, location: "line \(index + 1)",
                    "expected 'frequencyHz,levelDB' numbers, found '\(trimmed.prefix(60))'")
            }
            guard f.isFinite, l.isFinite, f > 0, f <= 96_000, abs(l) <= 200 else {
                throw EarshotError.badInput(file: path, location: "line \(index + 1)", "values out of range (frequency 0…96000 Hz, level ±200 dB)")
            }
            if let last = points.last, f <= last.0 {
                throw EarshotError.badInput(file: path, location: "line \(index + 1)", "frequencies must increase (\(f) Hz after \(last.0) Hz)")
            }
            points.append((f, l))
        }
        guard points.count >= 2 else { throw EarshotError.badInput(file: path, "needs at least two frequencyHz,levelDB rows") }
        return points.map { (frequencyHz: $0.0, levelDB: $0.1) }
    }

    /// A measured impulse response at `sampleRate`: mixed to mono, resampled, the bulk delay
    /// before the main peak removed (a few samples of pre-ringing are kept), and the silent tail
    /// (below −90 dB of the peak's energy) dropped.
    public static func readImpulseResponse(path: String, sampleRate: Int) throws -> [Float] {
        let (raw, rate) = try AudioFile.readMono(path: path)
        var ir = try AudioFile.resample(raw, from: rate, to: sampleRate)
        guard let peak = ir.map(abs).max(), peak > 0 else {
            throw EarshotError.badInput(file: path, "the impulse response is silent")
        }
        let peakIndex = ir.firstIndex { abs($0) == peak }!
        let onsetThreshold = peak * 0.01  // −40 dB
        var onset = ir[..<peakIndex].firstIndex { abs($0) >= onsetThreshold } ?? peakIndex
        onset = max(0, onset - 16)
        ir.removeFirst(onset)
        let total = ir.reduce(0.0) { $0 + Double($1 * $1) }
        var remaining = total, end = ir.count
        while end > 1 {
            remaining -= Double(ir[end - 1] * ir[end - 1])
            if remaining < total * (1 - 1e-9) { break }
            end -= 1
        }
        return Array(ir[..<end])
    }
}
