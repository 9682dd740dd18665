import Foundation

/// Text helpers of the HTML report: escaping, fixed-precision numbers (POSIX formatting, so the
/// same values always give the same bytes) and programme times as the mixer reads them.
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `x` with `decimals` decimals and a typographic minus; `missing` when there is no value.
    static func fixed(_ x: Double?, _ decimals: Int, missing: String = "–") -> String {
        guard let x, x.isFinite else { return missing }
        var s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-") {
            if Double(s) == 0 { s.removeFirst() } else { s = "−" + s.dropFirst() }
        }
        return s
    }

    /// A signed value: "+3.0", "−3.0", "0.0".
    static func signed(_ x: Double, _ decimals: Int) -> String {
        let s = fixed(x, decimals)
        return x > 0 && s != fixed(0, decimals) ? "+" + s : s
    }

    /// An SVG coordinate (ASCII, one decimal).
    static func coord(_ x: Double) -> String {
        let s = String(format: "%.1f", x)
        return s == "-0.0" ? "0.0" : s
    }

    /// Short name of a profile: its name up to the first parenthesis or comma.
    static func shortName(_ name: String) -> String {
        let cut = name.firstIndex { $0 == "(" || $0 == "," } ?? name.endIndex
        let s = name[..<cut].trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? name : s
    }
}

extension CheckReport {
    /// A programme time as the report shows it: SMPTE timecode from the BWF time reference when
    /// the input carries one, else minutes:seconds with tenths (programme time).
    func clockText(atSeconds seconds: Double) -> String {
        if let tc = timecode(atSeconds: seconds) { return tc }
        let tenths = Int((max(0, seconds) * 10).rounded(.down))
        return String(format: "%02d:%02d.%d", tenths / 600, (tenths / 10) % 60, tenths % 10)
    }
}
