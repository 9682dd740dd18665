import Foundation
@testable import EarshotKit

/// A small report.json built in code, with every field the schema requires, for the readers of
/// reports (compare, audition --report, QC gates): scenarios with the words given.
enum ReportJSONFixture {
    struct Word {
        var index: Int
        var text: String
        var sii: Double?
        var masked: Bool
        var maskedBy: String?
        /// Written only when set: nil stands for a report from before the mix's share.
        var maskedWithoutMix: Bool?
    }

    /// `scenarios`: id (DEVICE@ENVIRONMENT) and words; each word lasts 0.3 s from `index` seconds.
    /// `lineRatios`: one dialogue line per entry with that dialogue-to-M&E ratio, LU;
    /// `spectralBalance`: the object a batch report adds.
    static func text(scenarios: [(id: String, words: [Word])], durationSeconds: Double = 10, volumePercent: Double = 60,
                     integratedLUFS: Double = -23, dialogueIntegratedLUFS: Double = -26, lineRatios: [Double?] = [],
                     spectralBalance: JSONValue? = nil) -> String {
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .string("1")),
            ("tool", .object([("name", .string("earshot")), ("version", .string("0.1.0"))])),
            ("input", .object([
                ("mix", .string("mix.wav")), ("dialogue", .string("dialogue.wav")), ("music", .null), ("effects", .null),
                ("me", .string("me.wav")), ("words", .string("words.srt")), ("wordTimingSource", .string("srtWords")),
                ("wordTimingsEstimated", .bool(false)), ("sampleRate", .integer(48000)), ("durationSeconds", .number(durationSeconds)),
                ("timecodeStart", .null), ("timecodeFramesPerSecond", .null),
            ])),
            ("settings", .object([("volume", .string("listener")), ("volumePercent", .null), ("maskedBelowHeardProbability", .number(0.45)),
                                  ("mobileDialogueToMusicAndEffectsLU", .array([.integer(6), .integer(10)]))])),
            ("loudness", .object([
                ("integratedLUFS", .number(integratedLUFS)), ("loudnessRangeLU", .number(5)), ("truePeakDBTP", .number(-1.5)),
                ("maxMomentaryLUFS", .number(-15)), ("maxShortTermLUFS", .number(-18)), ("dialogueIntegratedLUFS", .number(dialogueIntegratedLUFS)),
                ("musicAndEffectsIntegratedLUFS", .number(-30)), ("platforms", .array([])),
                ("lines", .array(lineRatios.enumerated().map { k, ratio in
                    .object([("index", .integer(k)), ("text", .string("line \(k)")), ("startSeconds", .number(Double(k))),
                             ("endSeconds", .number(Double(k) + 0.8)), ("timecode", .null), ("dialogueToMusicAndEffectsLU", .num(ratio)),
                             ("mobileRecommendation", .null)])
                })),
            ])),
            ("scenarios", .array(scenarios.map { s in
                let parts = s.id.split(separator: "@").map(String.init)
                return .object([
                    ("id", .string(s.id)), ("device", .string(parts[0])), ("environment", .string(parts[1])),
                    ("volumePercent", .number(volumePercent)), ("listenerTargetDialogueDBA", .number(70)),
                    ("deviceProvenance", .string("modelled")), ("environmentProvenance", .string("modelled")),
                    ("atEarLeqDB", .number(70)), ("atEarSpectrum", .array([])),
                    ("intelligibility", .object([("stoi", .number(0.8)), ("estoi", .number(0.6)), ("sii", .number(0.5)), ("note", .null)])),
                    ("lowFrequency", .object([("riskScore", .number(0.1))])),
                    ("sibilance", .object([("harshnessScore", .number(0.2)), ("events", .array([]))])),
                    ("words", .array(s.words.map { w -> JSONValue in
                        var fields: [(String, JSONValue)] = [
                            ("index", .integer(w.index)), ("text", .string(w.text)),
                            ("startSeconds", .number(Double(w.index))), ("endSeconds", .number(Double(w.index) + 0.3)),
                            ("timecode", .null), ("estimated", .bool(false)), ("sii", .num(w.sii)), ("dialogueToMaskerDB", .number(3)),
                            ("masked", .bool(w.masked)), ("maskedBy", .str(w.maskedBy)), ("deviceDuckingDB", .number(0)),
                            ("siiByMasker", .object([])),
                        ]
                        if let m = w.maskedWithoutMix { fields.append(("maskedWithoutMix", .bool(m))) }
                        return .object(fields)
                    })),
                    ("summary", summary(s.words)),
                ])
            })),
        ]
        if let spectralBalance { fields.append(("spectralBalance", spectralBalance)) }
        return JSONValue.object(fields).serialized()
    }

    /// A scenario's summary; the mix's share only when the words carry it.
    static func summary(_ words: [Word]) -> JSONValue {
        var fields: [(String, JSONValue)] = [("maskedWords", .integer(words.filter(\.masked).count)), ("totalWords", .integer(words.count)),
                                             ("maskedBy", .object([])), ("perWordMasking", .string("computed"))]
        if words.contains(where: { $0.maskedWithoutMix != nil }) {
            fields.append(("maskedByMix", .integer(words.filter { $0.masked && $0.maskedWithoutMix == false }.count)))
            fields.append(("maskedBySituation", .integer(words.filter { $0.masked && $0.maskedWithoutMix == true }.count)))
        }
        return .object(fields)
    }

    static func document(scenarios: [(id: String, words: [Word])]) throws -> ReportDocument {
        try ReportDocument.decode(Data(text(scenarios: scenarios).utf8), file: "fixture.json")
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
