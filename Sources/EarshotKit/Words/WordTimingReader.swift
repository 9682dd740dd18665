import Foundation

/// Reads a word-timing file and checks it against the programme (ARCHITECTURE.md section 6).
///
/// Formats, by extension (`.TextGrid`, `.json`, `.srt`, `.vtt`, any case) or, for other
/// extensions, by content:
/// - Praat TextGrid, long or short text format, UTF-8 or UTF-16 (`TextGridParser`);
/// - WhisperX-style JSON (`WhisperJSONParser`), or a TextGrid saved as JSON by MFA/praatio
///   (`TextGridJSONParser`, a JSON object with "tiers");
/// - SubRip and WebVTT (`SubtitleParser`): when every cue that holds a word holds exactly one,
///   the cues are the words' times (`srtWords`, `webVTTWords`); otherwise the cues are lines,
///   split into words (`CueText`) and placed inside each cue by the dialogue envelope
///   (`LineCuePlacement`, no word under 100 ms unless the cue itself is too short for its
///   words), all marked estimated (`srtLines`, `webVTTLines`). Without an envelope the words are
///   spread over the whole cue in proportion to their length — still estimated, and coarser.
///
/// Checks (`WordTimingChecks`), each an `EarshotError.badInput` naming the file and the line:
/// - an empty file, or one without a single word: "the file is empty …", "no words found …";
/// - text that is not UTF-8 or UTF-16: "line L, byte B: text is not valid UTF-8 (byte 0xE9) …";
/// - malformed JSON: "line L, column C: malformed JSON: …";
/// - a malformed subtitle timestamp: "line L: malformed timestamp '…'; expected HH:MM:SS,mmm";
/// - an end before the start: "line L: word 'x' ends at …, before it starts at …" (subtitle
///   line cues: "cue 'first words' …"), or no duration;
/// - a negative time: "… starts at −0.500 s …, before the start of the programme …";
/// - a time past the programme: a word that starts at or after its end, or ends more than 0.5 s
///   after it, is an error naming the word, its time and the programme's duration; a word
///   ending less than 0.5 s after the end is clamped to it;
/// - overlapping words of one talker: "line L: word 'b' (…) overlaps word 'a' at line M (…) by
///   0.200 s …"; overlaps up to 10 ms are clamped (aligners round to their frames). Subtitle
///   cues overlapping by up to 0.2 s are trimmed before their words are placed. Words of
///   different named talkers may overlap.
/// The words come back sorted by start and numbered 0…n−1.
///
/// What counts as a word: TextGrid intervals other than empty ones and silence marks (`sp`,
/// `sil`, `<eps>` …; MFA's `spn` becomes "<unk>", since something was said there); WhisperX
/// words as written (trimmed); in subtitle cues, the spoken words without markup, bracketed
/// sound descriptions, speaker labels and lyrics (`CueText`).
public enum WordTimingReader {
    enum Format { case textGrid, whisperJSON, srt, webVTT }
    /// Larger files are refused before reading (two hours of word-level JSON is a few MB).
    static let maximumFileBytes = 256_000_000

    /// Reads a timing file by extension/content (.TextGrid, .json, .srt, .vtt) and checks it
    /// against the programme: `dialogueEnvelope` is needed only for line-level cues;
    /// `programmeSeconds` bounds the times. `timeOffsetSeconds` is subtracted from every time in
    /// the file first, for files timed in programme timecode (3600 when they start at 01:00:00:00).
    public static func read(path: String, programmeSeconds: Double, dialogueEnvelope: SpeechEnvelope?,
                            timeOffsetSeconds: Double = 0) throws -> WordTimings {
        guard programmeSeconds.isFinite, programmeSeconds > 0 else {
            throw EarshotError.badInput(file: path, "the programme's duration is \(programmeSeconds) s; word timings need a programme longer than zero")
        }
        guard timeOffsetSeconds.isFinite else {
            throw EarshotError.usage("the time offset for \(path) is not a finite number")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumFileBytes {
            throw EarshotError.badInput(file: path, "is \(size / 1_000_000) MB; a word-timing file is text, at most \(maximumFileBytes / 1_000_000) MB")
        }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw EarshotError.badInput(file: path, "\(reason) (word timings)")
        }
        return try read(bytes: bytes, name: path, programmeSeconds: programmeSeconds, dialogueEnvelope: dialogueEnvelope,
                        timeOffsetSeconds: timeOffsetSeconds)
    }

    /// Reads a timing file's contents as `read(path:…)` does; `name` stands for the file in
    /// messages and gives the format by its extension.
    public static func read(bytes: [UInt8], name path: String, programmeSeconds: Double, dialogueEnvelope: SpeechEnvelope?,
                            timeOffsetSeconds: Double = 0) throws -> WordTimings {
        guard programmeSeconds.isFinite, programmeSeconds > 0 else {
            throw EarshotError.badInput(file: path, "the programme's duration is \(programmeSeconds) s; word timings need a programme longer than zero")
        }
        guard timeOffsetSeconds.isFinite else {
            throw EarshotError.usage("the time offset for \(path) is not a finite number")
        }
        guard bytes.count <= maximumFileBytes else {
            throw EarshotError.badInput(file: path, "is \(bytes.count / 1_000_000) MB; a word-timing file is text, at most \(maximumFileBytes / 1_000_000) MB")
        }
        for magic in ["RIFF", "RF64", "fLaC", "FORM", "OggS"] where bytes.starts(with: Array(magic.utf8)) {
            throw EarshotError.badInput(file: path, "is an audio file, not word timings (Praat TextGrid, WhisperX JSON, SRT or WebVTT)")
        }
        let text = try TimingFileText.decode(bytes, file: path)
        guard text.text.contains(where: { !$0.isWhitespace && $0 != "\u{FEFF}" }) else {
            throw EarshotError.badInput(file: path, "the file is empty; expected word timings (Praat TextGrid, WhisperX JSON, SRT or WebVTT)")
        }
        guard let format = format(path: path, text: text) else {
            throw EarshotError.badInput(file: path, "unrecognised word-timing format: expected a Praat TextGrid (.TextGrid), WhisperX JSON (.json), SubRip (.srt) or WebVTT (.vtt) file")
        }
        let parsed: ParsedTimings
        switch format {
        case .textGrid: parsed = try TextGridParser.parse(text, file: path)
        case .whisperJSON:
            let root = try JSONDocument.parse(text.text, file: path)
            parsed = root["tiers"] != nil ? try TextGridJSONParser.parse(root, file: path)
                                          : try WhisperJSONParser.parse(root, file: path)
        case .srt: parsed = try SubtitleParser.parse(text, kind: .srt, file: path)
        case .webVTT: parsed = try SubtitleParser.parse(text, kind: .webVTT, file: path)
        }
        return try assemble(parsed, file: path, programmeSeconds: programmeSeconds,
                            dialogueEnvelope: dialogueEnvelope, timeOffsetSeconds: timeOffsetSeconds)
    }

    /// The format by extension, or by the first characters for other extensions.
    static func format(path: String, text: TimingFileText) -> Format? {
        switch (path as NSString).pathExtension.lowercased() {
        case "textgrid": return .textGrid
        case "json": return .whisperJSON
        case "srt": return .srt
        case "vtt", "webvtt": return .webVTT
        default: break
        }
        let head = text.text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if head.hasPrefix("WEBVTT") { return .webVTT }
        if head.hasPrefix("{") || head.hasPrefix("[") { return .whisperJSON }
        if head.hasPrefix("File type") && head.prefix(200).contains("TextGrid") { return .textGrid }
        let firstLines = text.lines.prefix(3)
        if firstLines.contains(where: { $0.contains("-->") }) { return .srt }
        return nil
    }

    private static func describe(_ words: [String]) -> String {
        let text = words.prefix(4).joined(separator: " ") + (words.count > 4 ? " …" : "")
        return "cue " + TimeText.quoted(text)
    }

    static func assemble(_ parsed: ParsedTimings, file: String, programmeSeconds: Double,
                         dialogueEnvelope: SpeechEnvelope?, timeOffsetSeconds: Double) throws -> WordTimings {
        var words: [ParsedWord] = []
        for var word in parsed.words {
            let span = try WordTimingChecks.checkSpan(start: word.startSeconds - timeOffsetSeconds, end: word.endSeconds - timeOffsetSeconds,
                                                      what: "word \(TimeText.quoted(word.text))", line: word.line,
                                                      programmeSeconds: programmeSeconds, file: file)
            word.startSeconds = span.start
            word.endSeconds = span.end
            words.append(word)
        }
        var cues: [LineCue] = []
        for var cue in parsed.lineCues {
            let span = try WordTimingChecks.checkSpan(start: cue.startSeconds - timeOffsetSeconds, end: cue.endSeconds - timeOffsetSeconds,
                                                      what: describe(cue.words), line: cue.line,
                                                      programmeSeconds: programmeSeconds, file: file)
            cue.startSeconds = span.start
            cue.endSeconds = span.end
            cues.append(cue)
        }
        if !cues.isEmpty {
            trimSmallCueOverlaps(&cues)
            let activity = dialogueEnvelope.map { SpeechActivity(envelope: $0) }
            for cue in cues {
                let times = LineCuePlacement.place(cue, envelope: dialogueEnvelope, activity: activity)
                for (word, t) in zip(cue.words, times) {
                    words.append(ParsedWord(text: word, startSeconds: t.start, endSeconds: t.end, line: cue.line,
                                            estimated: true, speaker: cue.speaker))
                }
            }
        }
        guard !words.isEmpty else {
            throw EarshotError.badInput(file: file, "no words found: \(emptyHint(parsed.source))")
        }
        let hint = cues.isEmpty ? "" : " (the subtitle cues they come from overlap)"
        return try WordTimingChecks.finish(words, source: parsed.source, file: file, overlapHint: hint)
    }

    private static func emptyHint(_ source: WordTimings.Source) -> String {
        switch source {
        case .textGrid: return "the word tier holds only empty intervals and silence marks"
        case .whisperJSON: return "no segment holds words or text"
        case .srtWords, .srtLines, .webVTTWords, .webVTTLines:
            return "no cue holds a spoken word (sound descriptions in brackets, lyrics and markup are not words)"
        case .speechUnits: return "no speech"
        }
    }

    /// Subtitle cues of one talker that overlap by at most `cueOverlapToleranceSeconds`: the
    /// earlier one ends where the later one starts.
    private static func trimSmallCueOverlaps(_ cues: inout [LineCue]) {
        let order = cues.indices.sorted { cues[$0].startSeconds < cues[$1].startSeconds }
        var lastByTalker: [String: Int] = [:]
        for i in order {
            let talker = cues[i].speaker ?? ""
            if let p = lastByTalker[talker] {
                let overlap = cues[p].endSeconds - cues[i].startSeconds
                if overlap > 0, overlap <= WordTimingChecks.cueOverlapToleranceSeconds,
                   cues[i].startSeconds > cues[p].startSeconds, cues[i].endSeconds >= cues[p].endSeconds {
                    cues[p].endSeconds = cues[i].startSeconds
                }
            }
            if let p = lastByTalker[talker], cues[p].endSeconds > cues[i].endSeconds { continue }
            lastByTalker[talker] = i
        }
    }
}
