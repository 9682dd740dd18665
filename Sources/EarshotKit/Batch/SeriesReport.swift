import Foundation

/// The consistency of a series, from its episodes' report.json files (mixers' series practice:
/// integrated loudness within ±0.5 LU across a series; consistent dialogue level, dialogue-to-M&E ratio
/// and spectral balance). For each measure: the series median, minimum and maximum, and the
/// episodes further than the tolerance from the median (`outliers`, by name). Plus the masked
/// words of every episode in every scenario — what the mix costs first, the words lost to the
/// situation as context — and the episodes that failed with their errors.
///
/// Tolerances: integrated loudness ±0.5 LU (the series-consistency figure practitioners use);
/// dialogue level ±1 LU and dialogue-to-M&E ratio ±2 LU (Earshot's choice: about the step a
/// listener notices between episodes watched back to back); spectral tilt ±3 dB
/// (`SpectralBalance`).
public struct SeriesReport: Sendable {
    public struct Episode: Sendable {
        public var name: String
        /// report.json relative to the series report's folder.
        public var report: String
        public var integratedLUFS: Double?
        public var truePeakDBTP: Double?
        public var loudnessRangeLU: Double?
        public var dialogueIntegratedLUFS: Double?
        /// Median over the episode's lines.
        public var dialogueToMusicAndEffectsLU: Double?
        public var linesWithRatio: Int
        public var spectralTiltDB: Double?
        public var thirdOctaveBandsHz: [Double]
        /// The mix's long-term band levels relative to its level over all the bands, dB: the
        /// shape of the spectrum, whatever the episode's loudness.
        public var thirdOctaveBalanceDB: [Double]
        /// Per scenario: masked words, words, and of the masked words those the mix costs
        /// (`maskedByMix`) and those lost to the situation (`maskedBySituation`); nil counts when
        /// per-word masking was not computed (the mix's share also in reports from before it).
        public var maskedWords: [(scenario: String, masked: Int?, total: Int?, maskedByMix: Int?, maskedBySituation: Int?)]

        /// The words the mix costs over all scenarios; nil when no scenario tells.
        public var maskedByMixTotal: Int? { Self.sum(maskedWords.map { $0.maskedByMix }) }
        /// The words lost to the situation over all scenarios; nil when no scenario tells.
        public var maskedBySituationTotal: Int? { Self.sum(maskedWords.map { $0.maskedBySituation }) }

        static func sum(_ counts: [Int?]) -> Int? {
            counts.allSatisfy { $0 == nil } ? nil : counts.compactMap { $0 }.reduce(0, +)
        }
    }

    /// One measure across the series.
    public struct Spread: Sendable {
        public var median: Double?
        public var min: Double?
        public var max: Double?
        public var tolerance: Double
        public var outliers: [String]

        init(_ values: [(name: String, value: Double?)], tolerance: Double) {
            let known = values.compactMap { v in v.value.map { (v.name, $0) } }
            let sorted = known.map(\.1).sorted()
            median = SeriesReport.median(sorted)
            min = sorted.first
            max = sorted.last
            self.tolerance = tolerance
            outliers = median.map { m in known.filter { abs($0.1 - m) > tolerance + 1e-9 }.map(\.0) } ?? []
        }

        /// Keys name their units: `valueSuffix` for levels (LUFS), `differenceSuffix` for
        /// differences (LU).
        func json(valueSuffix: String, differenceSuffix: String, measure: String) -> JSONValue {
            .object([
                ("measure", .string(measure)),
                ("median\(valueSuffix)", .num(median)), ("min\(valueSuffix)", .num(min)), ("max\(valueSuffix)", .num(max)),
                ("spread\(differenceSuffix)", .num(min.flatMap { lo in max.map { $0 - lo } })),
                ("tolerance\(differenceSuffix)", .num(tolerance)),
                ("outliers", .array(outliers.map { .string($0) })),
            ])
        }
    }

    public static let loudnessToleranceLU = 0.5
    public static let dialogueLevelToleranceLU = 1.0
    public static let dialogueToMusicAndEffectsToleranceLU = 2.0
    public static let spectralTiltToleranceDB = 3.0

    public var settings: JSONValue
    public var episodes: [Episode]
    public var failed: [(name: String, error: String)]
    public var loudness: Spread
    public var dialogueLevel: Spread
    public var dialogueToMusicAndEffects: Spread
    public var spectralTilt: Spread
    /// The scenarios in report order (the union over episodes).
    public var scenarios: [String]
    public var thirdOctaveBandsHz: [Double]
    /// Per band, the series median of the episodes' `thirdOctaveBalanceDB`.
    public var medianThirdOctaveBalanceDB: [Double]

    /// Reads `folder/<name>/report.json` for every checked episode; `failed` are the episodes
    /// whose check failed. A report that cannot be read joins the failures.
    public init(folder: String, checked: [String], failed: [(name: String, error: String)], settings: JSONValue) {
        self.settings = settings
        var episodes: [Episode] = []
        var failures = failed
        for name in checked {
            let relative = name + "/report.json"
            do {
                episodes.append(try Self.readEpisode(path: folder + "/" + relative, name: name, relative: relative))
            } catch {
                failures.append((name, "\(error)"))
            }
        }
        episodes.sort { $0.name < $1.name }
        self.episodes = episodes
        self.failed = failures.sorted { $0.name < $1.name }
        loudness = Spread(episodes.map { ($0.name, $0.integratedLUFS) }, tolerance: Self.loudnessToleranceLU)
        dialogueLevel = Spread(episodes.map { ($0.name, $0.dialogueIntegratedLUFS) }, tolerance: Self.dialogueLevelToleranceLU)
        dialogueToMusicAndEffects = Spread(episodes.map { ($0.name, $0.dialogueToMusicAndEffectsLU) }, tolerance: Self.dialogueToMusicAndEffectsToleranceLU)
        spectralTilt = Spread(episodes.map { ($0.name, $0.spectralTiltDB) }, tolerance: Self.spectralTiltToleranceDB)
        var scenarios: [String] = []
        for e in episodes { for s in e.maskedWords where !scenarios.contains(s.scenario) { scenarios.append(s.scenario) } }
        self.scenarios = scenarios
        let bands = episodes.first { !$0.thirdOctaveBandsHz.isEmpty }?.thirdOctaveBandsHz ?? []
        thirdOctaveBandsHz = bands
        medianThirdOctaveBalanceDB = bands.indices.map { k in
            Self.median(episodes.filter { $0.thirdOctaveBandsHz == bands }.map { $0.thirdOctaveBalanceDB[k] }.sorted()) ?? -150
        }
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Band levels relative to their power sum, dB.
    static func relative(_ levels: [Double]) -> [Double] {
        let total = 10 * log10(max(levels.reduce(0) { $0 + pow(10, $1 / 10) }, 1e-30))
        return levels.map { $0 - total }
    }

    static func readEpisode(path: String, name: String, relative: String) throws -> Episode {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EarshotError.badInput(file: path, "no report (expected the episode's report.json)")
        }
        let report = try ReportDocument.read(path: path)
        let loudness = report.loudness
        let ratios = loudness.lines.compactMap(\.dialogueToMusicAndEffectsLU).sorted()
        let balance = report.spectralBalance
        let bands = balance?.thirdOctaveBandsHz ?? []
        let levels = balance?.thirdOctaveLevelsDB.map { $0 ?? -150 } ?? []
        return Episode(
            name: name, report: relative,
            integratedLUFS: loudness.integratedLUFS, truePeakDBTP: loudness.truePeakDBTP,
            loudnessRangeLU: loudness.loudnessRangeLU,
            dialogueIntegratedLUFS: loudness.dialogueIntegratedLUFS,
            dialogueToMusicAndEffectsLU: median(ratios), linesWithRatio: ratios.count,
            spectralTiltDB: balance?.tiltDB,
            thirdOctaveBandsHz: levels.count == bands.count ? bands : [], thirdOctaveBalanceDB: levels.count == bands.count ? Self.relative(levels) : [],
            maskedWords: report.scenarios.map { ($0.id, $0.summary.maskedWords, $0.summary.totalWords, $0.summary.maskedByMix, $0.summary.maskedBySituation) })
    }

    public var episodeCount: Int { episodes.count + failed.count }

    public func json() -> JSONValue {
        .object([
            ("schemaVersion", .string("1")),
            ("tool", .object([("name", .string("earshot")), ("version", .string(CheckReport.toolVersion))])),
            ("episodeCount", .integer(episodeCount)),
            ("checkedCount", .integer(episodes.count)),
            ("failedCount", .integer(failed.count)),
            ("settings", settings),
            ("loudness", loudness.json(valueSuffix: "LUFS", differenceSuffix: "LU", measure: "mix integrated loudness (ITU-R BS.1770)")),
            ("dialogueLevel", dialogueLevel.json(valueSuffix: "LUFS", differenceSuffix: "LU", measure: "dialogue stem integrated loudness (ITU-R BS.1770)")),
            ("dialogueToMusicAndEffects", dialogueToMusicAndEffects.json(valueSuffix: "LU", differenceSuffix: "LU", measure: "each episode's median over its lines of the dialogue-to-M&E loudness ratio")),
            ("spectralBalance", {
                guard case .object(var fields) = spectralTilt.json(valueSuffix: "TiltDB", differenceSuffix: "DB", measure: SpectralBalance.definition) else { return .null }
                fields.append(("thirdOctaveBandsHz", .array(thirdOctaveBandsHz.map { .num($0) })))
                fields.append(("medianThirdOctaveBalanceDB", .array(medianThirdOctaveBalanceDB.map { .num($0) })))
                return .object(fields)
            }()),
            ("scenarios", .array(scenarios.map { .string($0) })),
            ("episodes", .array(episodes.map(episodeJSON))),
            ("failed", .array(failed.map { .object([("name", .string($0.name)), ("error", .string($0.error))]) })),
        ])
    }

    func episodeJSON(_ e: Episode) -> JSONValue {
        func deviation(_ value: Double?, _ spread: Spread) -> JSONValue { .num(value.flatMap { v in spread.median.map { v - $0 } }) }
        return .object([
            ("name", .string(e.name)), ("report", .string(e.report)),
            ("integratedLUFS", .num(e.integratedLUFS)), ("loudnessDeviationLU", deviation(e.integratedLUFS, loudness)),
            ("truePeakDBTP", .num(e.truePeakDBTP)), ("loudnessRangeLU", .num(e.loudnessRangeLU)),
            ("dialogueIntegratedLUFS", .num(e.dialogueIntegratedLUFS)), ("dialogueLevelDeviationLU", deviation(e.dialogueIntegratedLUFS, dialogueLevel)),
            ("dialogueToMusicAndEffectsLU", .num(e.dialogueToMusicAndEffectsLU)),
            ("dialogueToMusicAndEffectsDeviationLU", deviation(e.dialogueToMusicAndEffectsLU, dialogueToMusicAndEffects)),
            ("linesWithRatio", .integer(e.linesWithRatio)),
            ("spectralTiltDB", .num(e.spectralTiltDB)), ("spectralTiltDeviationDB", deviation(e.spectralTiltDB, spectralTilt)),
            ("maskedWords", .array(e.maskedWords.map { s in
                .object([("scenario", .string(s.scenario)),
                         ("maskedByMix", s.maskedByMix.map { .integer($0) } ?? .null),
                         ("maskedBySituation", s.maskedBySituation.map { .integer($0) } ?? .null),
                         ("maskedWords", s.masked.map { .integer($0) } ?? .null),
                         ("totalWords", s.total.map { .integer($0) } ?? .null)])
            })),
        ])
    }

    /// The text printed at the end of a batch.
    public func summary() -> String {
        func f(_ x: Double?, _ format: String = "%.1f") -> String { x.map { String(format: format, $0) } ?? "-" }
        var out = "Series: \(episodeCount) episodes, \(episodes.count) checked, \(failed.count) failed\n"
        out += "Integrated loudness: median \(f(loudness.median)) LUFS, \(f(loudness.min)) … \(f(loudness.max))"
        out += loudness.outliers.isEmpty ? ", all within ±0.5 LU\n" : "; outside ±0.5 LU: \(loudness.outliers.joined(separator: ", "))\n"
        out += "Dialogue level: median \(f(dialogueLevel.median)) LUFS, \(f(dialogueLevel.min)) … \(f(dialogueLevel.max))"
        out += dialogueLevel.outliers.isEmpty ? "\n" : "; outside ±1 LU: \(dialogueLevel.outliers.joined(separator: ", "))\n"
        out += "Dialogue over M&E: median \(f(dialogueToMusicAndEffects.median)) LU"
        out += dialogueToMusicAndEffects.outliers.isEmpty ? "\n" : "; outside ±2 LU: \(dialogueToMusicAndEffects.outliers.joined(separator: ", "))\n"
        out += "Spectral tilt (2–5 kHz vs 100–500 Hz): median \(f(spectralTilt.median)) dB"
        out += spectralTilt.outliers.isEmpty ? "\n" : "; outside ±3 dB: \(spectralTilt.outliers.joined(separator: ", "))\n"
        out += "\n" + "episode".padding(toLength: 20, withPad: " ", startingAt: 0) + "LUFS    dev   dx LUFS  dx/M&E  tilt   masked by the mix (all scenarios; + lost to the situation)\n"
        for e in episodes {
            var row = e.name.padding(toLength: max(20, e.name.count + 1), withPad: " ", startingAt: 0)
            row += f(e.integratedLUFS).padding(toLength: 8, withPad: " ", startingAt: 0)
            row += f(e.integratedLUFS.flatMap { v in loudness.median.map { v - $0 } }, "%+.1f").padding(toLength: 6, withPad: " ", startingAt: 0)
            row += f(e.dialogueIntegratedLUFS).padding(toLength: 9, withPad: " ", startingAt: 0)
            row += f(e.dialogueToMusicAndEffectsLU).padding(toLength: 8, withPad: " ", startingAt: 0)
            row += f(e.spectralTiltDB).padding(toLength: 7, withPad: " ", startingAt: 0)
            let masked = e.maskedWords.compactMap(\.masked).reduce(0, +), total = e.maskedWords.compactMap(\.total).reduce(0, +)
            if e.maskedWords.allSatisfy({ $0.masked == nil }) {
                row += "-"
            } else if let mix = e.maskedByMixTotal, let situation = e.maskedBySituationTotal {
                row += "\(mix)/\(total) (+\(situation) situation)"
            } else {
                row += "\(masked)/\(total) masked (the mix's share not in this report)"
            }
            out += row + "\n"
        }
        for f in failed { out += "FAILED \(f.name): \(f.error)\n" }
        return out
    }
}
