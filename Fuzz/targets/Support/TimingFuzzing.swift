import EarshotKit

/// What every word-timing target checks: `WordTimingReader` either returns timings that keep
/// its promises (sorted, numbered, inside the programme, no overlap within a talker) or throws a
/// bad-input `EarshotError` naming the file. Anything else stops the fuzzer.
enum TimingFuzzing {
    static let programmeSeconds = 30.0

    /// A dialogue envelope for line-level cues: 0.8 s of speech every 1.5 s, silence between.
    static let envelope: SpeechEnvelope = {
        let hop = SpeechEnvelope.defaultHopSeconds
        let frames = Int(programmeSeconds / hop)
        let levels = (0..<frames).map { f -> Float in
            let t = Double(f) * hop
            return t.truncatingRemainder(dividingBy: 1.5) < 0.8 ? -20 - Float(f % 7) : -90
        }
        return SpeechEnvelope(hopSeconds: hop, levelsDB: levels)
    }()

    static func check(_ bytes: [UInt8], name: String) {
        read(bytes, name: name, envelope: envelope)
    }

    private static func read(_ bytes: [UInt8], name: String, envelope: SpeechEnvelope?) {
        let timings: WordTimings
        do {
            timings = try WordTimingReader.read(bytes: bytes, name: name, programmeSeconds: programmeSeconds,
                                                dialogueEnvelope: envelope)
        } catch let error as EarshotError {
            precondition(error.kind == .badInput, "not a bad-input error: \(error)")
            precondition(error.file == name, "the error does not name the file: \(error)")
            precondition(!error.message.isEmpty)
            return
        } catch {
            fatalError("unexpected error type: \(error)")
        }
        precondition(!timings.words.isEmpty, "timings without words")
        var lastEndByTalker: [String: Double] = [:]
        for (i, w) in timings.words.enumerated() {
            precondition(w.index == i, "word \(i) numbered \(w.index)")
            precondition(w.startSeconds.isFinite && w.endSeconds.isFinite, "non-finite time")
            precondition(w.startSeconds >= 0 && w.endSeconds <= programmeSeconds, "word outside the programme: \(w)")
            precondition(w.endSeconds > w.startSeconds, "word without duration: \(w)")
            precondition(!w.text.isEmpty, "empty word")
            if i > 0 { precondition(timings.words[i - 1].startSeconds <= w.startSeconds, "not sorted at \(i)") }
            let talker = w.speaker ?? ""
            if let end = lastEndByTalker[talker] { precondition(w.startSeconds >= end - 1e-9, "overlap within a talker at \(i): \(w)") }
            lastEndByTalker[talker] = max(lastEndByTalker[talker] ?? 0, w.endSeconds)
        }
        // Line cues are placed by the envelope; without one they are spread evenly.
        if envelope != nil && timings.estimated { read(bytes, name: name, envelope: nil) }
    }
}
