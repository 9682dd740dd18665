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
        try AtomicFile.write(report.html(), to: folder + "/report.html")
        try AtomicFile.write(Exports.wordsCSV(report), to: folder + "/words.csv")
        try AtomicFile.write(Exports.audacityLabels(report), to: folder + "/flagged-words.audacity.txt")
        try AtomicFile.write(Exports.reaperMarkers(report), to: folder + "/flagged-words.reaper.csv")
        try AtomicFile.write(Exports.flaggedSRT(report), to: folder + "/flagged-words.srt")
        let text = (json ?? report.json()).serialized()
        try AtomicFile.write(text, to: folder + "/report.json")
        return text
    }
}
