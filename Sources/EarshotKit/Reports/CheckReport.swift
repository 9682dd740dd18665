import Foundation

/// The result of `earshot check`: the programme, its loudness against the delivery specs, and
/// every scenario. `json()` gives report.json (ARCHITECTURE.md section 5, schema
/// `Reports/report.schema.json`, `schemaVersion` "1"); `summary()` the short text for people.
public struct CheckReport: Sendable {
    public static let schemaVersion = "1"
    public static let toolVersion = "0.1.0"

    public var inputs: ScenarioInputs
    /// The mix's loudness (BS.1770 / EBU R 128 via libebur128), true peak included.
    public var loudness: LoudnessResult
    public var frames: Int
    public var timeReferenceSeconds: Double?
    public var timings: WordTimings?
    public var programme: ProgrammeAnalysis
    public var platforms: [(PlatformSpec, PlatformVerdict)]
    public var scenarios: [ScenarioResult]
    public var settings: CheckSettings

    public var durationSeconds: Double { Double(frames) / Double(AudioSource.processingRate) }

    /// SMPTE timecode (25 fps, non-drop) of a programme time, from the BWF time reference.
    public func timecode(atSeconds seconds: Double) -> String? {
        guard let start = timeReferenceSeconds else { return nil }
        return Timecode.format(seconds: start + seconds, framesPerSecond: 25)
    }

    public var lines: [DialogueLine] { timings.map { DialogueLine.group($0.words) } ?? [] }

    public func json() -> JSONValue {
        var input: [(String, JSONValue)] = []
        for role in ScenarioInputs.Role.allCases { input.append((role == .me ? "me" : role.rawValue, .str(inputs.paths[role].map(Self.fileName)))) }
        input += [
            ("words", .str(settings.wordsPath.map(Self.fileName))),
            ("wordTimingSource", .str(timings?.source.rawValue)),
            ("wordTimingsEstimated", timings.map { .bool($0.estimated) } ?? .null),
            ("sampleRate", .integer(AudioSource.processingRate)),
            ("durationSeconds", .num(durationSeconds)),
            ("timecodeStart", .str(timecode(atSeconds: 0))),
            ("timecodeFramesPerSecond", timeReferenceSeconds == nil ? .null : .integer(25)),
            ("stemsToMixGainDB", .num(programme.stemSum?.appliedGainDB)),
            ("stemSumResidualDB", .num(programme.stemSum?.residualDB)),
            ("lossyInputs", .array(programme.lossyInputs.map { .object([("file", .string(Self.fileName($0.path))), ("codec", .string($0.codec))]) })),
        ]
        let loudness = self.loudness
        var loudnessFields: [(String, JSONValue)] = [
            ("integratedLUFS", .num(loudness.integratedLUFS)),
            ("loudnessRangeLU", .num(loudness.loudnessRangeLU)),
            ("truePeakDBTP", .num(loudness.truePeakDBTP)),
            ("maxMomentaryLUFS", .num(loudness.maxMomentaryLUFS)),
            ("maxShortTermLUFS", .num(loudness.maxShortTermLUFS)),
            ("dialogueIntegratedLUFS", .num(programme.dialogueLoudness?.integratedLUFS)),
            ("musicAndEffectsIntegratedLUFS", .num(programme.musicAndEffectsLoudness?.integratedLUFS)),
        ]
        loudnessFields.append(("platforms", .array(platforms.map { spec, verdict in
            .object([("name", .string(spec.name)), ("targetLUFS", .num(spec.targetLUFS)), ("toleranceLU", .num(spec.toleranceLU)),
                     ("truePeakCeilingDBTP", .num(spec.truePeakCeilingDBTP)), ("deviationLU", .num(verdict.deviationLU)),
                     ("pass", .bool(verdict.pass)), ("reason", .str(verdict.reason))])
        })))
        loudnessFields.append(("lines", .array(lines.map { line in
            let ratio = programme.dialogueToMusicAndEffectsLU(fromSeconds: line.startSeconds, toSeconds: line.endSeconds)
            return .object([
                ("index", .integer(line.index)), ("text", .string(line.text)),
                ("startSeconds", .num(line.startSeconds)), ("endSeconds", .num(line.endSeconds)),
                ("timecode", .str(timecode(atSeconds: line.startSeconds))),
                ("dialogueToMusicAndEffectsLU", .num(ratio)),
                ("mobileRecommendation", .str(ratio.map { $0 < 6 ? "below" : ($0 > 10 ? "above" : "within") })),
            ])
        })))
        return .object([
            ("schemaVersion", .string(Self.schemaVersion)),
            ("tool", .object([("name", .string("earshot")), ("version", .string(Self.toolVersion))])),
            ("input", .object(input)),
            ("settings", .object([
                ("volume", .string(settings.volumePercent == nil ? "listener" : "fixed")),
                ("volumePercent", .num(settings.volumePercent)),
                ("maskedBelowHeardProbability", .num(settings.masking.maskedBelowHeardProbability)),
                ("atRiskBelowHeardProbability", .num(settings.masking.atRiskBelowHeardProbability)),
                ("mobileDialogueToMusicAndEffectsLU", .array([.integer(6), .integer(10)])),
            ])),
            ("loudness", .object(loudnessFields)),
            ("scenarios", .array(scenarios.map(scenarioJSON))),
        ])
    }

    func scenarioJSON(_ s: ScenarioResult) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(s.id)), ("device", .string(s.device.id)), ("environment", .string(s.environment.id)),
            ("volumePercent", .num(s.volumePercent)),
            ("listenerTargetDialogueDBA", settings.volumePercent == nil ? .num(ListenerVolume.targetDialogueDBA(device: s.device, environment: s.environment)) : .null),
            ("deviceProvenance", .string(s.device.provenance.kind.rawValue)),
            ("environmentProvenance", .string(s.environment.provenance.kind.rawValue)),
            ("atEarLeqDB", .num(s.atEarLeqDB)),
            ("atEarSpectrum", .array(s.longTermSpectrum.map { .object([("centreHz", .num($0.centreHz)), ("levelDB", .num($0.levelDB))]) })),
            ("intelligibility", .object([("stoi", .num(s.stoi)), ("estoi", .num(s.estoi)), ("sii", .num(s.sii)), ("note", .str(s.stoiNote))])),
        ]
        for metric in s.metrics { fields.append((metric.key, metric.result.json(report: self, scenario: s))) }
        if let sib = s.sibilance {
            fields.append(("sibilance", .object([
                ("harshnessScore", .num(sib.harshnessScore)),
                ("talkerLowBandDBSPL", .num(sib.talkerLowBandDBSPL)),
                ("events", .array(sib.events.map { e in
                    .object([("startSeconds", .num(e.startSeconds)), ("endSeconds", .num(e.endSeconds)),
                             ("timecode", .str(timecode(atSeconds: e.startSeconds))),
                             ("wordIndex", e.wordIndex.map { .integer($0) } ?? .null), ("excessDB", .num(e.excessDB)),
                             ("relativeExcessDB", .num(e.relativeExcessDB)), ("sharpnessAcum", .num(e.sharpnessAcum)),
                             ("overSpeechPeakDB", .num(e.overSpeechPeakDB)), ("peakBandHz", .num(e.peakBandHz)),
                             ("harsh", .bool(e.harsh)), ("score", .num(e.score))])
                })),
            ])))
        } else {
            fields.append(("sibilance", .object([("harshnessScore", .null), ("events", .array([])),
                                                  ("note", .string("not computed: sibilance needs the dialogue stem (--dialogue)"))])))
        }
        let words = s.words ?? []
        fields.append(("words", .array(words.map { w in
            var siiByMasker: [(String, JSONValue)] = []
            for kind in w.siiByMasker.keys.sorted() { siiByMasker.append((kind.rawValue, .num(w.siiByMasker[kind]))) }
            return .object([
                ("index", .integer(w.index)), ("text", .string(w.text)),
                ("startSeconds", .num(w.startSeconds)), ("endSeconds", .num(w.endSeconds)),
                ("timecode", .str(timecode(atSeconds: w.startSeconds))), ("estimated", .bool(w.estimated)),
                ("sii", .num(w.sii)), ("heardProbability", .num(w.heardProbability)), ("dialogueToMaskerDB", .num(w.dialogueToMaskerDB)),
                ("masked", .bool(w.masked)), ("atRisk", .bool(w.atRisk)), ("maskedBy", .str(w.maskedBy?.rawValue)),
                ("maskedWithoutMix", .bool(w.maskedWithoutMix)), ("siiWithoutMix", .num(w.siiWithoutMix)),
                ("deviceDuckingDB", .num(w.deviceDuckingDB)), ("siiByMasker", .object(siiByMasker)),
                ("tooShortToJudge", .bool(w.tooShortToJudge)),
            ])
        })))
        var maskedBy: [(String, JSONValue)] = []
        for kind in MaskerKind.allCases {
            let count = words.filter { $0.maskedBy == kind }.count
            if count > 0 { maskedBy.append((kind.rawValue, .integer(count))) }
        }
        fields.append(("summary", .object([
            ("maskedWords", s.words == nil ? .null : .integer(s.maskedWords)),
            ("atRiskWords", s.words == nil ? .null : .integer(s.atRiskWords)),
            ("totalWords", s.words == nil ? .null : .integer(words.count)),
            ("tooShortToJudge", s.words == nil ? .null : .integer(s.tooShortWords)),
            ("maskedByMix", s.words == nil ? .null : .integer(s.maskedByMix)),
            ("maskedBySituation", s.words == nil ? .null : .integer(s.maskedBySituation)),
            ("dialogueShortfallDB", .num(dialogueShortfallDB(s))),
            ("maskedBy", .object(maskedBy)),
            ("perWordMasking", .string(s.words == nil ? "not computed: per-word masking needs the dialogue stem (--dialogue)" : "computed")),
        ])))
        return .object(fields)
    }

    static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }
}

/// SMPTE timecode text.
enum Timecode {
    public static func format(seconds: Double, framesPerSecond: Int) -> String {
        let totalFrames = Int((seconds * Double(framesPerSecond)).rounded(.down))
        let frames = totalFrames % framesPerSecond
        let totalSeconds = totalFrames / framesPerSecond
        return String(format: "%02d:%02d:%02d:%02d", (totalSeconds / 3600) % 24, (totalSeconds / 60) % 60, totalSeconds % 60, frames)
    }
}
