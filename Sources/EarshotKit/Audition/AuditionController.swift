import Foundation

/// The interactive audition: what each key does to an `AuditionSession`, and the one-line
/// status (source, position as timecode, the word being heard and its masking, the switches).
///
/// Keys: 1–9 a scenario, 0 the original, space pause/play, ←/→ seek 5 s, n/p next/previous
/// flagged word, l loop the current word with a second of context, m loudness matching,
/// e environment noise, h help, q quit.
public final class AuditionController {
    public let session: AuditionSession
    public let words: AuditionWords?
    public static let seekSeconds = 5.0
    private var message: (text: String, until: Date)?
    /// The word n/p last jumped to: `l` loops it while its lead-in or the word itself plays.
    private var jumpedTo: AuditionWord?

    public static let keyHelp = "keys: 1–9 scenario, 0 original, space pause/play, ←/→ ∓5 s, n/p next/previous flagged word, l loop word, m loudness match, e environment, h help, q quit"

    public init(session: AuditionSession, words: AuditionWords?) {
        self.session = session
        self.words = words
    }

    private var material: AuditionMaterial { session.material }
    private var rate: Double { Double(material.sampleRate) }

    /// Applies one key; returns false when the key asks to quit.
    @discardableResult
    public func handle(_ key: AuditionKey) -> Bool {
        let now = session.snapshot
        let seconds = Double(now.frame) / rate
        switch key {
        case .digit(0):
            session.select(.original)
        case .digit(let d):
            if d <= material.scenarios.count { session.select(.scenario(d - 1)) }
            else { say("no scenario \(d): there \(material.scenarios.count == 1 ? "is 1" : "are \(material.scenarios.count)")") }
        case .space:
            session.togglePause()
        case .left:
            session.seek(bySeconds: -Self.seekSeconds)
        case .right:
            session.seek(bySeconds: Self.seekSeconds)
        case .interrupt, .character("q"), .character("Q"):
            session.requestStop()
            return false
        case .character("n"), .character("p"):
            guard let words, !words.byScenario.allSatisfy(\.isEmpty) else { say("no word timings (give --words or --dialogue, or --report)"); break }
            let forward = key == .character("n")
            // From the word last jumped to while its lead-in or the word plays; otherwise from
            // the position heard.
            let current = jumpedWord(at: seconds)
            let target = forward ? words.nextFlagged(after: seconds, current: current, for: now.source)
                                 : words.previousFlagged(before: seconds, current: current, for: now.source)
            if let target {
                jumpedTo = target
                session.seek(toFrame: Int(((target.startSeconds - AuditionWords.contextSeconds) * rate).rounded()))
                say((forward ? "next" : "previous") + " flagged word: \"\(target.text)\" at " + position(Int((target.startSeconds * rate).rounded())))
            } else {
                say(forward ? "no flagged word after here" : "no flagged word before here")
            }
        case .character("l"):
            if now.loop != nil {
                session.setLoop(nil)
            } else if let word = jumpedWord(at: seconds) ?? words?.wordToLoop(at: seconds, for: now.source) {
                let c = AuditionWords.contextSeconds
                session.setLoop(Int(((word.startSeconds - c) * rate).rounded())..<Int(((word.endSeconds + c) * rate).rounded()))
            } else {
                say("no word here to loop")
            }
        case .character("m"):
            session.setLoudnessMatching(!now.loudnessMatched)
        case .character("e"):
            session.setEnvironment(!now.environmentOn)
        case .character("h"), .character("?"):
            say(Self.keyHelp, seconds: 6)
        default:
            break
        }
        return true
    }

    private func jumpedWord(at seconds: Double) -> AuditionWord? {
        guard let w = jumpedTo, seconds >= w.startSeconds - AuditionWords.contextSeconds - 0.1, seconds < w.endSeconds else { return nil }
        return w
    }

    private func say(_ text: String, seconds: Double = 2.5) {
        message = (text, Date(timeIntervalSinceNow: seconds))
    }

    /// The name of a source as the status line shows it.
    public func name(of source: AuditionSession.Source) -> String {
        switch source {
        case .original: return "[0] original"
        case .scenario(let i): return "[\(i + 1)] \(material.scenarios[i].id)"
        }
    }

    /// Position as timecode (25 fps, from the BWF time reference when the programme has one)
    /// and as seconds.
    public func position(_ frame: Int) -> String {
        let seconds = Double(min(max(frame, material.firstFrame), material.endFrame)) / rate
        return Timecode.format(seconds: (material.timeReferenceSeconds ?? 0) + seconds, framesPerSecond: 25) + String(format: " (%.2f s)", seconds)
    }

    public func statusLine() -> String {
        let s = session.snapshot
        var parts = [(s.paused ? "❚❚ " : "▶ ") + name(of: s.source), position(s.frame)]
        let seconds = Double(s.frame) / rate
        if let words, let word = words.word(at: seconds, for: s.source) {
            var text = "\"\(word.text)\""
            switch s.source {
            case .original:
                let n = words.maskingCount(wordIndex: word.index)
                text += n > 0 ? " masked in \(n) of \(material.scenarios.count)" : " clear"
            case .scenario:
                text += word.masked ? " MASKED" + (word.maskedBy.map { " by \($0)" } ?? "") : (word.tooShortToJudge ? " too short to judge" : " clear")
                if let sii = word.sii { text += String(format: " (SII %.2f)", sii) }
            }
            parts.append(text)
        } else {
            parts.append("—")
        }
        parts.append("env " + (s.environmentOn ? "on" : "off"))
        parts.append("match " + (s.loudnessMatched ? "on" : "off"))
        if let loop = s.loop { parts.append(String(format: "loop %.2f–%.2f s", Double(loop.lowerBound) / rate, Double(loop.upperBound) / rate)) }
        if let message, message.until > Date() { parts.append(message.text) }
        return parts.joined(separator: "  ")
    }
}
