import Foundation

/// Reads the comma-separated per-band values that `earshot metrics sii` takes on its command
/// line (`--speech-db`, `--noise-db`, `--threshold-db`, `--importance`), with errors that name
/// the option, the position and the text.
public enum SIIValueList {
    /// A comma-separated list of numbers, one per band of `procedure`.
    public static func parseNumbers(_ text: String, option: String,
                                    procedure: SIIProcedure) throws -> [Double] {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Double] = []
        for (i, field) in fields.enumerated() {
            guard !field.isEmpty else {
                throw EarshotError.badInput(location: "\(option) value \(i + 1)", "is empty (expected a number in dB)")
            }
            guard let value = Double(field), !field.lowercased().hasPrefix("0x") else {
                throw EarshotError.badInput(location: "\(option) value \(i + 1)", "'\(field)' is not a number")
            }
            values.append(value)
        }
        let n = procedure.bandCount
        guard values.count == n else {
            let f = procedure.table.centerFrequenciesHz
            throw EarshotError.badInput(location: option,
                "the \(procedure.displayName) needs \(n) values (one per band, "
                + "\(SpeechIntelligibilityIndex.formatHz(f.first!)) to \(SpeechIntelligibilityIndex.formatHz(f.last!))), "
                + "\(values.count) \(values.count == 1 ? "was" : "were") given")
        }
        return values
    }

    /// Speech spectrum levels: a vocal effort word (normal, raised, loud, shout: the standard
    /// speech spectrum of Tables 1-4) or a list of numbers.
    public static func parseSpeech(_ text: String, option: String,
                                   procedure: SIIProcedure) throws -> [Double] {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let effort = SIIVocalEffort(rawValue: word) {
            return procedure.table.standardSpeechSpectrumLevelsDB(effort)
        }
        if word.first?.isLetter == true && !word.contains(",") {
            throw EarshotError.badInput(location: option,
                "'\(text)' is neither a vocal effort (normal, raised, loud, shout) nor a list of levels")
        }
        return try parseNumbers(text, option: option, procedure: procedure)
    }

    /// A band-importance function name (standard, nns, cid22, nu6, drt, short-passage, spin, cst)
    /// or a list of importances.
    public static func parseImportance(_ text: String, option: String,
                                       procedure: SIIProcedure) throws -> SIIImportance {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let function = SIIImportanceFunction(rawValue: word) { return .function(function) }
        if word.first?.isLetter == true && !word.contains(",") {
            throw EarshotError.badInput(location: option,
                "'\(text)' is not a band-importance function ("
                + SIIImportanceFunction.allCases.map(\.rawValue).joined(separator: ", ")
                + ") nor a list of importances")
        }
        return .custom(try parseNumbers(text, option: option, procedure: procedure))
    }
}
