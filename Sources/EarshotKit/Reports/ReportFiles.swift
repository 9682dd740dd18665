import Foundation

/// The files a check writes for one programme, side by side in one folder: report.json,
/// report.html, words.csv and the flagged words as Audacity labels, Reaper markers and an SRT.
/// `earshot check` writes them for its programme and `earshot batch` for every episode. Each is
/// written to a temporary file and renamed into place, report.json last: a folder holding a
/// report.json holds the other files of the same check.
public enum ReportFiles {
    /// The file names, in the order they are written.
    public static let names = ["report.html", "words.csv", "flagged-words.audacity.txt", "flagged-words.reaper.csv",
                               "flagged-words.srt", "report.json"]

    /// Writes the report's files into `folder` (which must exist); `json` replaces the report's
    /// own JSON (a batch adds the episode's spectral balance). Returns report.json's text.
    @discardableResult
    public static func write(_ report: CheckReport, json: JSONValue? = nil, to folder: String) throws -> String {
        // The texts are made side by side (the HTML page, with its embedded clips, and the JSON
        // take most of the time), then written in order.
        var texts = [String](repeating: "", count: names.count)
        texts.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: 3) { part in
                switch part {
                case 0: slots[0] = report.html()
                case 1: slots[5] = (json ?? report.json()).serialized()
                default:
                    slots[1] = Exports.wordsCSV(report)
                    slots[2] = Exports.audacityLabels(report)
                    slots[3] = Exports.reaperMarkers(report)
                    slots[4] = Exports.flaggedSRT(report)
                }
            }
        }
        for (name, text) in zip(names, texts) { try AtomicFile.write(text, to: folder + "/" + name) }
        return texts[5]
    }
}
