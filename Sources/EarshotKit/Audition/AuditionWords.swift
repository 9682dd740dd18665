import Foundation

/// One word as audition shows it: its timing and its masking in one scenario (from a check run
/// or a report.json).
public struct AuditionWord: Sendable, Equatable {
    public var index: Int
    public var text: String
    public var startSeconds: Double
    public var endSeconds: Double
    public var sii: Double?
    public var masked: Bool
    /// "music", "effects", "environment", "device", or nil.
    public var maskedBy: String?
    /// Too short for the per-word masking to judge (no SII, not masked).
    public var tooShortToJudge: Bool

    public init(index: Int, text: String, startSeconds: Double, endSeconds: Double, sii: Double? = nil, masked: Bool = false, maskedBy: String? = nil,
                tooShortToJudge: Bool = false) {
        self.index = index
        self.text = text
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.sii = sii
        self.masked = masked
        self.maskedBy = maskedBy
        self.tooShortToJudge = tooShortToJudge
    }
}

/// The words of every auditioned scenario, in the order of the scenarios, and how to move
/// between flagged (masked) words.
public struct AuditionWords: Sendable {
    /// Per scenario (same order as the material's scenarios), sorted by start.
    public var byScenario: [[AuditionWord]]

    /// Seconds heard before a word when jumping to it, and around it when looping it.
    public static let contextSeconds = 1.0

    public init(byScenario: [[AuditionWord]]) {
        self.byScenario = byScenario.map { $0.sorted { $0.startSeconds < $1.startSeconds } }
    }

    /// From a check run, for the scenarios with these ids (in this order).
    public init(report: CheckReport, scenarioIDs: [String]) {
        self.init(byScenario: scenarioIDs.map { id in
            (report.scenarios.first { $0.id == id }?.words ?? []).map {
                AuditionWord(index: $0.index, text: $0.text, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds,
                             sii: $0.sii.isFinite ? $0.sii : nil, masked: $0.masked, maskedBy: $0.maskedBy?.rawValue, tooShortToJudge: $0.tooShortToJudge)
            }
        })
    }

    /// From a report.json, for the scenarios with these ids; a scenario the report lacks is an
    /// error naming the ones it has.
    public init(report: ReportDocument, scenarioIDs: [String], file: String) throws {
        var lists: [[AuditionWord]] = []
        for id in scenarioIDs {
            guard let s = report.scenario(id) else {
                throw EarshotError.badInput(file: file, "has no scenario '\(id)'; it has \(report.scenarios.map(\.id).joined(separator: ", "))")
            }
            lists.append(s.words.map {
                AuditionWord(index: $0.index, text: $0.text, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds,
                             sii: $0.sii, masked: $0.masked, maskedBy: $0.maskedBy, tooShortToJudge: $0.tooShortToJudge ?? false)
            })
        }
        self.init(byScenario: lists)
    }

    /// The words to consult for a source: the scenario's own, or for the original the first
    /// scenario's timings with a word counted as flagged when any scenario masks it.
    public func words(for source: AuditionSession.Source) -> [AuditionWord] {
        switch source {
        case .scenario(let i): return byScenario.indices.contains(i) ? byScenario[i] : []
        case .original:
            guard var merged = byScenario.first else { return [] }
            for i in merged.indices {
                let index = merged[i].index
                let masking = byScenario.compactMap { $0.first { $0.index == index } }.filter(\.masked)
                merged[i].masked = !masking.isEmpty
                merged[i].maskedBy = masking.first?.maskedBy
                merged[i].sii = nil
            }
            return merged
        }
    }

    /// How many scenarios mask the word with this index.
    public func maskingCount(wordIndex: Int) -> Int {
        byScenario.filter { $0.contains { $0.index == wordIndex && $0.masked } }.count
    }

    /// The word being heard at `seconds` (nil between words).
    public func word(at seconds: Double, for source: AuditionSession.Source) -> AuditionWord? {
        words(for: source).last { $0.startSeconds <= seconds && seconds < $0.endSeconds }
    }

    /// The next flagged word after `seconds` — the position heard — or, when `current` is given
    /// (the word n/p last jumped to, whose lead-in or which is playing now), after that word.
    /// Words starting just ahead of the position are next too: only a jump's own word counts as
    /// already reached, so a listener who did not jump never skips the masked words of the
    /// next second.
    public func nextFlagged(after seconds: Double, current: AuditionWord? = nil, for source: AuditionSession.Source) -> AuditionWord? {
        let list = words(for: source)
        if let current {
            return list.first { $0.masked && ($0.startSeconds, $0.index) > (current.startSeconds, current.index) }
        }
        return list.first { $0.masked && $0.startSeconds > seconds }
    }

    /// The previous flagged word: the one being heard, or last heard, restarts first; from a
    /// jump's word (`current`), the flagged word before it.
    public func previousFlagged(before seconds: Double, current: AuditionWord? = nil, for source: AuditionSession.Source) -> AuditionWord? {
        let list = words(for: source)
        if let current {
            return list.last { $0.masked && ($0.startSeconds, $0.index) < (current.startSeconds, current.index) }
        }
        return list.last { $0.masked && $0.startSeconds <= seconds }
    }

    /// The word to loop from here: the one being heard, else one starting within the next
    /// `contextSeconds` (where a jump lands), else the last one heard.
    public func wordToLoop(at seconds: Double, for source: AuditionSession.Source) -> AuditionWord? {
        let list = words(for: source)
        return word(at: seconds, for: source)
            ?? list.first { $0.startSeconds >= seconds && $0.startSeconds <= seconds + Self.contextSeconds + 0.05 }
            ?? list.last { $0.startSeconds <= seconds }
    }
}
