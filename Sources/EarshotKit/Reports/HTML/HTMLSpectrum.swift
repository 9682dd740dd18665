import Foundation

/// Long-term third-octave spectra at the ear as an inline SVG chart: level (dB SPL) against
/// frequency on a logarithmic axis, 20 Hz–20 kHz, one line per device (the studio reference
/// dashed black), legend beneath in HTML.
enum HTMLSpectrum {
    struct Series {
        var label: String
        var colour: String
        var dashed: Bool
        var points: [(centreHz: Double, levelDB: Double)]
    }

    /// Distinct line colours for the devices (the reference is black).
    static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f00"]

    static func render(_ series: [Series], width: Double = 640, height: Double = 300, caption: String) -> String {
        let left = 46.0, right = 12.0, top = 12.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let values = series.flatMap { $0.points.map(\.levelDB) }.filter { $0.isFinite && $0 > ThirdOctaveBandAnalyzer.floorDBSPL }
        let maxDB = values.max() ?? 60
        let yTop = ((maxDB + 2) / 10).rounded(.up) * 10
        let yBottom = max(((values.min() ?? 0) / 10).rounded(.down) * 10, yTop - 80)
        let fLow = log10(20.0), fHigh = log10(20000.0)
        func x(_ f: Double) -> Double { left + (log10(f) - fLow) / (fHigh - fLow) * plotW }
        func y(_ db: Double) -> Double { top + (yTop - min(max(db, yBottom), yTop)) / (yTop - yBottom) * plotH }
        func c(_ v: Double) -> String { HTMLText.coord(v) }
        var out = "<figure class=\"spectrum\"><svg viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(caption))\">\n"
        out += "<rect class=\"plot\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotW))\" height=\"\(c(plotH))\"/>\n"
        var db = yBottom
        while db <= yTop + 1e-9 {
            out += "<line class=\"grid\" x1=\"\(c(left))\" y1=\"\(c(y(db)))\" x2=\"\(c(left + plotW))\" y2=\"\(c(y(db)))\"/>"
            out += "<text class=\"tick\" x=\"\(c(left - 5))\" y=\"\(c(y(db) + 4))\" text-anchor=\"end\">\(Int(db))</text>\n"
            db += 10
        }
        for (f, label) in [(31.5, "31.5"), (63, "63"), (125, "125"), (250, "250"), (500, "500"), (1000, "1k"), (2000, "2k"), (4000, "4k"), (8000, "8k"), (16000, "16k")] {
            out += "<line class=\"grid\" x1=\"\(c(x(f)))\" y1=\"\(c(top))\" x2=\"\(c(x(f)))\" y2=\"\(c(top + plotH))\"/>"
            out += "<text class=\"tick\" x=\"\(c(x(f)))\" y=\"\(c(top + plotH + 15))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        out += "<text class=\"axis-title\" x=\"\(c(left + plotW / 2))\" y=\"\(c(height - 4))\" text-anchor=\"middle\">third-octave band, Hz</text>"
        out += "<text class=\"axis-title\" x=\"12\" y=\"\(c(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(c(top + plotH / 2)))\">dB SPL at the ear</text>\n"
        for s in series where !s.points.isEmpty {
            let pts = s.points.map { "\(c(x($0.centreHz))),\(c(y($0.levelDB)))" }.joined(separator: " ")
            out += "<polyline class=\"series\(s.dashed ? " reference" : "")\" points=\"\(pts)\" stroke=\"\(s.colour)\"><title>\(HTMLText.escape(s.label))</title></polyline>\n"
        }
        out += "</svg>\n<figcaption>"
        for s in series where !s.points.isEmpty {
            out += "<span class=\"line-key\"><span class=\"line\(s.dashed ? " reference" : "")\" style=\"border-color:\(s.colour)\"></span>\(HTMLText.escape(s.label))</span> "
        }
        out += "<div class=\"sub\">\(HTMLText.escape(caption))</div></figcaption></figure>\n"
        return out
    }
}
