import Foundation

/// A report.json read back: the typed form of `Reports/report.schema.json` that `compare`,
/// `audition --report`, `batch` (resume and the series report) and the QC gates read. Field
/// names are the schema's; a value the schema allows to be null is an optional. Reading a file
/// that is not a report gives one error naming the file and the field.
public struct ReportDocument: Decodable, Sendable {
    public var schemaVersion: String
    public var input: Input
    public var settings: Settings
    public var loudness: Loudness
    public var scenarios: [Scenario]
    /// Present in reports written by `earshot batch`.
    public var spectralBalance: SpectralBalanceFigures?

    /// `input`: the files the report was made from (names, not paths) and the programme.
    public struct Input: Decodable, Sendable {
        public var mix: String?
        public var dialogue: String?
        public var music: String?
        public var effects: String?
        public var me: String?
        public var words: String?
        public var durationSeconds: Double
        public var timecodeStart: String?

        /// The file name given for an input role.
        public func fileName(_ role: ScenarioInputs.Role) -> String? {
            switch role {
            case .mix: return mix
            case .dialogue: return dialogue
            case .music: return music
            case .effects: return effects
            case .me: return me
            }
        }
    }

    /// `settings`: the volume rule and the masking threshold.
    public struct Settings: Decodable, Sendable {
        /// "listener" or "fixed".
        public var volume: String
        public var volumePercent: Double?
        /// Nil in reports written before words were judged by heard probability (they carried
        /// `maskedBelowSII`, a threshold on the old short-time SII).
        public var maskedBelowHeardProbability: Double?
        /// Nil in reports written before the field existed.
        public var atRiskBelowHeardProbability: Double?
    }

    /// `loudness`: the mix's loudness, the platforms' verdicts and the dialogue lines.
    public struct Loudness: Decodable, Sendable {
        public var integratedLUFS: Double?
        public var loudnessRangeLU: Double?
        public var truePeakDBTP: Double?
        public var dialogueIntegratedLUFS: Double?
        public var platforms: [Platform]
        public var lines: [Line]
    }

    /// One entry of `loudness.platforms`.
    public struct Platform: Decodable, Sendable {
        public var name: String
        public var deviationLU: Double?
        public var pass: Bool
        public var reason: String?
    }

    /// One entry of `loudness.lines`.
    public struct Line: Decodable, Sendable {
        public var index: Int
        public var text: String
        public var startSeconds: Double
        public var dialogueToMusicAndEffectsLU: Double?
    }

    /// One entry of `scenarios`.
    public struct Scenario: Decodable, Sendable {
        public var id: String
        public var device: String
        public var environment: String
        public var volumePercent: Double
        public var listenerTargetDialogueDBA: Double?
        public var intelligibility: Intelligibility
        public var lowFrequency: LowFrequency
        public var sibilance: Sibilance
        public var words: [Word]
        public var summary: Summary
    }

    /// `scenarios[].intelligibility`.
    public struct Intelligibility: Decodable, Sendable {
        public var stoi: Double?
        public var estoi: Double?
        public var sii: Double?
    }

    /// `scenarios[].lowFrequency` (the figures the gates read).
    public struct LowFrequency: Decodable, Sendable {
        public var riskScore: Double?
    }

    /// `scenarios[].sibilance` (the figures the gates read).
    public struct Sibilance: Decodable, Sendable {
        public var harshnessScore: Double?
    }

    /// `scenarios[].words[]`.
    public struct Word: Decodable, Sendable {
        public var index: Int
        public var text: String
        public var startSeconds: Double
        public var endSeconds: Double
        public var estimated: Bool
        public var sii: Double?
        /// The predicted chance a normal-hearing listener gets the word (nil when too short to
        /// judge, and in reports written before the field existed).
        public var heardProbability: Double?
        public var masked: Bool
        /// heardProbability below settings.atRiskBelowHeardProbability (nil in older reports).
        public var atRisk: Bool?
        /// "music", "effects", "me", "environment", "device", or nil.
        public var maskedBy: String?
        /// True when the word had too few speech-active frames to judge (nil in reports written
        /// before the field existed).
        public var tooShortToJudge: Bool?
        /// Masked even without the mix: lost to the situation (nil in reports written before
        /// the field existed).
        public var maskedWithoutMix: Bool?
        /// The word's SII without the mix (nil when too short to judge, or in older reports).
        public var siiWithoutMix: Double?

        /// Masked, but heard without the mix: the mix's cost. Nil for a masked word of an older
        /// report, which cannot tell.
        public var maskedByMix: Bool? {
            guard masked else { return false }
            return maskedWithoutMix.map { !$0 }
        }
    }

    /// `scenarios[].summary`.
    public struct Summary: Decodable, Sendable {
        /// Nil when per-word masking was not computed (no dialogue stem).
        public var maskedWords: Int?
        public var totalWords: Int?
        /// Words too short to judge (nil without per-word masking, or in older reports).
        public var tooShortToJudge: Int?
        /// Words masked but heard without the mix: the mix's cost (nil without per-word masking,
        /// or in reports written before the field existed).
        public var maskedByMix: Int?
        /// Words masked even without the mix: the situation's (nil as `maskedByMix`).
        public var maskedBySituation: Int?
        /// The listener's target minus the dialogue's estimated level at the ear, dB (nil when
        /// not measurable, or in older reports).
        public var dialogueShortfallDB: Double?
        /// Words at risk, masked ones included (nil without per-word masking, or in older reports).
        public var atRiskWords: Int?
    }

    /// `spectralBalance`, in reports written by `earshot batch`.
    public struct SpectralBalanceFigures: Decodable, Sendable {
        public var tiltDB: Double?
        public var thirdOctaveBandsHz: [Double]
        /// Null entries (a silent band) are nil.
        public var thirdOctaveLevelsDB: [Double?]
    }

    /// The scenario with this id, if the report has it.
    public func scenario(_ id: String) -> Scenario? { scenarios.first { $0.id == id } }

    /// Reads and decodes a report.json; every failure names the file (and the field).
    public static func read(path: String) throws -> ReportDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EarshotError.badInput(file: path, "cannot read the report (no such file, or not readable)")
        }
        return try decode(data, file: path)
    }

    /// Decodes report.json text; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws -> ReportDocument {
        do {
            return try JSONDecoder().decode(ReportDocument.self, from: data)
        } catch let error as DecodingError {
            throw Self.error(error, file: file)
        } catch {
            throw EarshotError.badInput(file: file, "not a report.json written by earshot check (\(error.localizedDescription))")
        }
    }

    /// A decoding error as one line: the field's path in the document and what is wrong there.
    static func error(_ error: DecodingError, file: String) -> EarshotError {
        func path(_ keys: [CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let i = key.intValue { text += "[\(i)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return EarshotError.badInput(file: file, location: "field '\(field)'", "missing; not a report.json written by earshot check")
        case .typeMismatch(let type, let context):
            return EarshotError.badInput(file: file, location: "field '\(path(context.codingPath))'", "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return EarshotError.badInput(file: file, location: "field '\(path(context.codingPath))'", "is null; expected \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return EarshotError.badInput(file: file, "not valid JSON") }
            return EarshotError.badInput(file: file, location: "field '\(path(context.codingPath))'", context.debugDescription)
        @unknown default:
            return EarshotError.badInput(file: file, "not a report.json written by earshot check")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
