import ArgumentParser
import EarshotKit
import Foundation

/// `earshot metrics sii`: the ANSI S3.5-1997 Speech Intelligibility Index from spectrum levels.
struct MetricsSII: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sii",
        abstract: "Speech Intelligibility Index (ANSI S3.5-1997) from band spectrum levels.",
        discussion: """
            Levels are equivalent SPECTRUM levels, dB SPL per hertz, free field at the listener's \
            position, as ANSI S3.5-1997 defines them (a band level minus 10*log10 of the band \
            width in Hz). Give one value per band, lowest band first, separated by commas:
              third-octave          18 bands, 160 Hz to 8 kHz
              octave                 6 bands, 250 Hz to 8 kHz
              critical-band         21 bands, 150 Hz to 8.5 kHz
              equally-contributing  17 bands, 350 Hz to 5.8 kHz
            --speech-db also takes normal, raised, loud or shout: the standard speech spectrum for \
            that vocal effort at 1 m. Without --noise-db the noise is -50 dB/Hz in every band, \
            far below the ear's internal noise: speech in quiet. Without --threshold-db hearing \
            is normal (0 dB HL).
            --importance takes a band-importance function (standard, nns, cid22, nu6, drt, \
            short-passage, spin, cst; equally-contributing has only standard) or one value per \
            band summing to 1.
            Example: earshot metrics sii --method octave --speech-db "50,40,40,30,20,0" \
            --noise-db "70,65,45,25,1,-15"   (ANSI S3.5-1997 Annex C.1: 0.504)
            """)

    /// Noise spectrum level used when --noise-db is not given, dB per hertz.
    static let defaultNoiseSpectrumLevelDB = -50.0

    @Option(name: .customLong("method"),
            help: "Band procedure: third-octave, octave, critical-band or equally-contributing.")
    var method: String = SIIProcedure.oneThirdOctave.rawValue

    @Option(name: .customLong("speech-db"), parsing: .unconditional,
            help: "Required. Speech spectrum levels, dB SPL/Hz, comma-separated; or normal|raised|loud|shout.")
    var speechDB: String?

    @Option(name: .customLong("noise-db"), parsing: .unconditional,
            help: "Noise spectrum levels, dB SPL/Hz, comma-separated (default -50 in every band).")
    var noiseDB: String?

    @Option(name: .customLong("threshold-db"), parsing: .unconditional,
            help: "Hearing threshold levels, dB HL, comma-separated (default 0 in every band).")
    var thresholdDB: String?

    @Option(name: .customLong("importance"), parsing: .unconditional,
            help: "Band importance: standard, nns, cid22, nu6, drt, short-passage, spin, cst, or a list.")
    var importance: String = SIIImportanceFunction.standard.rawValue

    @Flag(name: .customLong("json"), help: "Print a JSON object on stdout.")
    var json = false

    func run() throws {
        do {
            guard let procedure = SIIProcedure(rawValue: method.lowercased()) else {
                throw EarshotError.usage("--method: '\(method)' is not a procedure; use "
                    + SIIProcedure.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let speechDB else {
                throw EarshotError.usage("--speech-db is required (levels, or normal|raised|loud|shout)")
            }
            let speech = try SIIValueList.parseSpeech(speechDB, option: "--speech-db", procedure: procedure)
            let noise = try noiseDB.map { try SIIValueList.parseNumbers($0, option: "--noise-db", procedure: procedure) }
                ?? [Double](repeating: Self.defaultNoiseSpectrumLevelDB, count: procedure.bandCount)
            let threshold = try thresholdDB.map {
                try SIIValueList.parseNumbers($0, option: "--threshold-db", procedure: procedure)
            }
            let weights = try SIIValueList.parseImportance(importance, option: "--importance", procedure: procedure)
            let result = try SpeechIntelligibilityIndex.compute(
                procedure: procedure, speechSpectrumLevelsDB: speech, noiseSpectrumLevelsDB: noise,
                hearingThresholdsDBHL: threshold, importance: weights)
            let importanceName: String
            switch weights {
            case .function(let function): importanceName = function.rawValue
            case .custom: importanceName = "custom"
            }
            if json {
                print(try SIIJSON(result: result, importanceName: importanceName).encoded())
            } else {
                print(Self.humanReport(result, importanceName: importanceName))
            }
        } catch let error as EarshotError {
            throw ExitStatus.report(error)
        }
    }

    static func humanReport(_ result: SIIResult, importanceName: String) -> String {
        var lines = [
            "SII \(String(format: "%.3f", result.value))  (ANSI S3.5-1997, \(result.procedure.displayName), "
                + "\(importanceName) importance)",
            "",
            "  band Hz  speech  noise  thresh  disturb  importance  audibility  contribution",
        ]
        for band in result.bands {
            lines.append(String(format: "  %7.0f  %6.1f  %5.1f  %6.1f  %7.1f  %10.4f  %10.3f  %12.4f",
                                band.centerFrequencyHz, band.speechSpectrumLevelDB, band.noiseSpectrumLevelDB,
                                band.hearingThresholdDBHL, band.disturbanceSpectrumLevelDB, band.importance,
                                band.audibility, band.contribution))
        }
        lines.append("")
        lines.append("speech, noise, disturb: spectrum levels in dB SPL per Hz; thresh in dB HL;")
        lines.append("disturb = max(masking, internal noise + threshold); audibility A = L*K; contribution = importance*A.")
        return lines.joined(separator: "\n")
    }
}

/// The JSON form of an SII result, written by `JSONValue` like every earshot JSON.
struct SIIJSON {
    let value: JSONValue

    init(result: SIIResult, importanceName: String) {
        value = .object([
            ("bands", .array(result.bands.map {
                .object([
                    ("audibility", .num($0.audibility)), ("centerHz", .num($0.centerFrequencyHz)),
                    ("contribution", .num($0.contribution)), ("disturbanceDB", .num($0.disturbanceSpectrumLevelDB)),
                    ("importance", .num($0.importance)), ("levelDistortion", .num($0.levelDistortionFactor)),
                    ("noiseDB", .num($0.noiseSpectrumLevelDB)), ("speechDB", .num($0.speechSpectrumLevelDB)),
                    ("thresholdDBHL", .num($0.hearingThresholdDBHL)),
                ])
            })),
            ("importance", .string(importanceName)),
            ("method", .string(result.procedure.rawValue)),
            ("metric", .string("sii")),
            ("value", .num(result.value)),
        ])
    }

    /// The text without its trailing newline (`print` adds it).
    func encoded() throws -> String { String(value.serialized().dropLast()) }
}
