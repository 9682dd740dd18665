import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot batch` end to end on a small series (3-second episodes, one scenario): the series
/// report and its outliers, resuming, shards and their merge, and failing episodes.
///
/// The series: ep-a, ep-b (every stem 2 dB louder), ep-c, ep-broken (a mix.wav that is not
/// audio) and ep-nostem (no stem at all). It is checked once, unsharded, for all tests.
final class BatchRunTests: XCTestCase {
    struct Shared {
        let root: String
        var series: String { root + "/series" }
        var out: String { root + "/out" }
        let episodes: [BatchEpisode]
        let outcomes: [EpisodeOutcome]
        let catalog: ProfileCatalog

        static func make() throws -> Shared {
            let root = NSTemporaryDirectory() + "earshot-batch-run-" + UUID().uuidString
            let series = root + "/series"
            try SeriesFixtures.writeEpisode(folder: series + "/ep-a", seed: 1)
            try SeriesFixtures.writeEpisode(folder: series + "/ep-b", gainDB: 2, seed: 2)
            try SeriesFixtures.writeEpisode(folder: series + "/ep-c", seed: 3)
            try SeriesFixtures.writeEpisode(folder: series + "/ep-broken", seed: 4)
            try "not audio".write(toFile: series + "/ep-broken/mix.wav", atomically: true, encoding: .utf8)
            try SeriesFixtures.touch(series + "/ep-nostem/notes.txt")
            let episodes = try EpisodeFolders.discover(folder: series)
            let catalog = try ProfileCatalog.standard()
            let runner = BatchRunner(episodes: episodes, settings: SeriesFixtures.settings, catalog: catalog, outFolder: root + "/out", workers: 2)
            let outcomes = runner.run()
            try SeriesOutput.write(SeriesOutput.report(folder: root + "/out", outcomes: outcomes, settings: SeriesFixtures.settings), to: root + "/out")
            return Shared(root: root, episodes: episodes, outcomes: outcomes, catalog: catalog)
        }
    }

    static let sharedResult = Result { try Shared.make() }
    func shared() throws -> Shared { try Self.sharedResult.get() }

    override class func tearDown() {
        if case .success(let s) = sharedResult { try? FileManager.default.removeItem(atPath: s.root) }
        super.tearDown()
    }

    func testSeriesReportListsTheLouderEpisodeAsAnOutlier() throws {
        let s = try shared()
        XCTAssertEqual(s.outcomes.map(\.name), ["ep-a", "ep-b", "ep-broken", "ep-c", "ep-nostem"])
        XCTAssertEqual(s.outcomes.map(\.status), [.checked, .checked, .failed, .checked, .failed])
        let series = try SeriesFixtures.json(s.out + "/series.json")
        let loudness = try XCTUnwrap(series["loudness"] as? [String: Any])
        XCTAssertEqual(loudness["outliers"] as? [String], ["ep-b"])
        XCTAssertEqual(loudness["toleranceLU"] as? Double, 0.5)
        let episodes = try XCTUnwrap(series["episodes"] as? [[String: Any]])
        XCTAssertEqual(episodes.compactMap { $0["name"] as? String }, ["ep-a", "ep-b", "ep-c"])
        let deviations = episodes.map { ($0["loudnessDeviationLU"] as? NSNumber)?.doubleValue ?? .nan }
        // ep-a and ep-c differ only in their noise seed; ep-b is the same programme 2 dB up.
        XCTAssertEqual(deviations[1], 2, accuracy: 0.15, "ep-b is 2 dB louder")
        XCTAssertEqual(deviations[0], 0, accuracy: 0.1)
        XCTAssertEqual(deviations[2], 0, accuracy: 0.1)
        let median = try XCTUnwrap((loudness["medianLUFS"] as? NSNumber)?.doubleValue)
        let levels = episodes.compactMap { ($0["integratedLUFS"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(try XCTUnwrap((loudness["minLUFS"] as? NSNumber)?.doubleValue), levels.min()!, accuracy: 1e-4)
        XCTAssertEqual(try XCTUnwrap((loudness["maxLUFS"] as? NSNumber)?.doubleValue), levels.max()!, accuracy: 1e-4)
        XCTAssertEqual(median, levels.sorted()[1], accuracy: 1e-4)
        // The dialogue is 2 dB up too (outside ±1 LU); the balance of the mix is not changed.
        XCTAssertEqual((series["dialogueLevel"] as? [String: Any])?["outliers"] as? [String], ["ep-b"])
        XCTAssertEqual((series["dialogueToMusicAndEffects"] as? [String: Any])?["outliers"] as? [String], [])
        XCTAssertEqual((series["spectralBalance"] as? [String: Any])?["outliers"] as? [String], [])
        // Masked words per scenario, as in each report.
        for e in episodes {
            let masked = try XCTUnwrap(e["maskedWords"] as? [[String: Any]])
            XCTAssertEqual(masked.compactMap { $0["scenario"] as? String }, ["studio-reference@quiet-room"])
            XCTAssertEqual(masked.first?["totalWords"] as? Int, 7, "seven words in 3 s")
            let report = try SeriesFixtures.json(s.out + "/\(e["name"]!)/report.json")
            let summary = ((report["scenarios"] as? [[String: Any]])?.first?["summary"] as? [String: Any])
            XCTAssertEqual(masked.first?["maskedWords"] as? Int, summary?["maskedWords"] as? Int)
            XCTAssertNotNil((report["spectralBalance"] as? [String: Any])?["tiltDB"] as? NSNumber)
        }
        let html = try String(contentsOfFile: s.out + "/series.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"), "inline plots")
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing fetched")
        XCTAssertFalse(html.contains("<script"))
    }

    func testEachEpisodeHasTheFilesOfEarshotCheckAndTheSeriesPageLinksThem() throws {
        let s = try shared()
        let html = try String(contentsOfFile: s.out + "/series.html", encoding: .utf8)
        for episode in s.episodes where ["ep-a", "ep-b", "ep-c"].contains(episode.name) {
            let folder = s.out + "/" + episode.name
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ReportFiles.names.sorted())
            // The batch shares one set of device models and environment loops among its
            // episodes; the report is the one `earshot check` makes on its own, plus the balance.
            var settings = SeriesFixtures.settings
            settings.wordsPath = episode.wordsPath
            let alone = try CheckRunner.run(inputs: episode.inputs, settings: settings, catalog: s.catalog)
            var written = try SeriesFixtures.json(folder + "/report.json")
            XCTAssertNotNil(written.removeValue(forKey: "spectralBalance"))
            let own = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(alone.json().serialized().utf8)) as? [String: Any])
            XCTAssertEqual(NSDictionary(dictionary: written), NSDictionary(dictionary: own), episode.name)
            XCTAssertEqual(try String(contentsOfFile: folder + "/report.html", encoding: .utf8), alone.html(), episode.name)
            XCTAssertEqual(try String(contentsOfFile: folder + "/words.csv", encoding: .utf8), Exports.wordsCSV(alone))
            // series.html links the episode's page, and its scenario's section from the masked-word count.
            XCTAssertTrue(html.contains("<a href=\"\(episode.name)/report.html\">\(episode.name)</a>"), episode.name)
            XCTAssertTrue(html.contains("<a href=\"\(episode.name)/report.html#scenario-1\">"), episode.name)
            XCTAssertTrue(alone.html().contains("id=\"scenario-1\""), "the anchor exists in the episode's page")
        }
        XCTAssertFalse(html.contains("ep-broken/report.html"), "no link to a report that was not written")
    }

    func testFailedEpisodesAreListedWithTheirErrorsAndDoNotStopTheOthers() throws {
        let s = try shared()
        let series = try SeriesFixtures.json(s.out + "/series.json")
        let failed = try XCTUnwrap(series["failed"] as? [[String: Any]])
        XCTAssertEqual(failed.compactMap { $0["name"] as? String }, ["ep-broken", "ep-nostem"])
        let broken = try XCTUnwrap(failed[0]["error"] as? String)
        XCTAssertTrue(broken.contains(s.series + "/ep-broken/mix.wav"), "names the file: \(broken)")
        let nostem = try XCTUnwrap(failed[1]["error"] as? String)
        XCTAssertTrue(nostem.hasPrefix(s.series + "/ep-nostem: no usable stem"), nostem)
        XCTAssertEqual(series["failedCount"] as? Int, 2)
        XCTAssertEqual(series["checkedCount"] as? Int, 3)
        for name in ReportFiles.names { XCTAssertFalse(FileManager.default.fileExists(atPath: s.out + "/ep-broken/" + name), name) }
    }

    func testTheCommandExitsWithOneWhenAnEpisodeFailed() throws {
        let s = try shared()
        let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("earshot").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: executable), "swift test builds the earshot executable beside the tests: \(executable)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let out = s.root + "/cli-out"
        process.arguments = ["batch", s.series, "--out", out, "--scenario", "studio-reference@quiet-room", "--json"]
        // The good episodes' reports are copied in so the command only meets the failures.
        for name in ["ep-a", "ep-b", "ep-c"] {
            try FileManager.default.createDirectory(atPath: out + "/" + name, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: s.out + "/\(name)/report.json", toPath: out + "/\(name)/report.json")
        }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let printed = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, errors)
        XCTAssertTrue(errors.contains("2 episodes failed"), errors)
        XCTAssertTrue(errors.contains("ep-broken FAILED"), "progress names the failure: \(errors)")
        XCTAssertFalse(errors.contains("\r"), "plain lines when stderr is not a terminal")
        XCTAssertTrue(errors.contains("up to date"), errors)
        // --json prints series.json, the same as the library wrote.
        XCTAssertEqual(String(decoding: printed, as: UTF8.self), try String(contentsOfFile: s.out + "/series.json", encoding: .utf8))
    }

    func testResumeSkipsUpToDateReportsAndRedoesAnEpisodeWhoseInputChanged() throws {
        let s = try shared()
        let root = s.root + "/resume"
        let fm = FileManager.default
        // ep-a and ep-c with the shared run's reports, inputs older than the reports.
        for name in ["ep-a", "ep-c"] {
            try fm.createDirectory(atPath: root + "/series", withIntermediateDirectories: true)
            try fm.copyItem(atPath: s.series + "/" + name, toPath: root + "/series/" + name)
            for file in try fm.contentsOfDirectory(atPath: root + "/series/" + name) {
                try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: root + "/series/\(name)/\(file)")
            }
            try fm.createDirectory(atPath: root + "/out/" + name, withIntermediateDirectories: true)
            try fm.copyItem(atPath: s.out + "/\(name)/report.json", toPath: root + "/out/\(name)/report.json")
        }
        let episodes = try EpisodeFolders.discover(folder: root + "/series")
        func run() -> [EpisodeOutcome] {
            BatchRunner(episodes: episodes, settings: SeriesFixtures.settings, catalog: s.catalog, outFolder: root + "/out", workers: 2).run()
        }
        for e in episodes {
            XCTAssertNil(BatchRunner.outOfDateReason(reportPath: root + "/out/\(e.name)/report.json", episode: e, settings: SeriesFixtures.settings))
        }
        XCTAssertEqual(run().map(\.status), [.upToDate, .upToDate])

        // Stray temporary files from a killed run.
        let stray = root + "/out/ep-c/.report.json.partial-99999", strayPage = root + "/out/ep-c/.report.html.partial-99999"
        try "{".write(toFile: stray, atomically: false, encoding: .utf8)
        try "<html".write(toFile: strayPage, atomically: false, encoding: .utf8)
        let reportDate = try XCTUnwrap(fm.attributesOfItem(atPath: root + "/out/ep-c/report.json")[.modificationDate] as? Date)
        XCTAssertLessThan(reportDate, Date())
        try fm.setAttributes([.modificationDate: Date()], ofItemAtPath: root + "/series/ep-c/words.json")  // touch
        let second = run()
        XCTAssertEqual(second.map(\.name), ["ep-a", "ep-c"])
        XCTAssertEqual(second.map(\.status), [.upToDate, .checked])
        XCTAssertEqual(second[1].recheckReason, "words.json is newer than the report")
        XCTAssertFalse(fm.fileExists(atPath: stray), "leftover temporary file removed")
        XCTAssertFalse(fm.fileExists(atPath: strayPage), "leftover temporary file removed")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root + "/out/ep-c").sorted(), ReportFiles.names.sorted())
        XCTAssertEqual(try String(contentsOfFile: root + "/out/ep-c/report.json", encoding: .utf8),
                       try String(contentsOfFile: s.out + "/ep-c/report.json", encoding: .utf8), "the same inputs give the same report")
        XCTAssertEqual(run().map(\.status), [.upToDate, .upToDate])

        // Other settings, a new words file or a missing input make a report out of date.
        let episode = episodes[0]
        let report = root + "/out/ep-a/report.json"
        XCTAssertTrue(BatchRunner.isUpToDate(reportPath: report, episode: episode, settings: SeriesFixtures.settings))
        var stricter = SeriesFixtures.settings
        stricter.masking.maskedBelowHeardProbability = 0.6
        XCTAssertFalse(BatchRunner.isUpToDate(reportPath: report, episode: episode, settings: stricter))
        XCTAssertFalse(BatchRunner.isUpToDate(reportPath: report, episode: episode, settings: CheckSettings(scenarios: [("studio-reference", "cafe-babble")])))
        XCTAssertFalse(BatchRunner.isUpToDate(reportPath: report, episode: episode, settings: CheckSettings(scenarios: [SeriesFixtures.scenario], volumePercent: 50)))
        var otherWords = episode
        otherWords.wordsPath = root + "/series/ep-a/words.srt"
        try "1\n00:00:00,000 --> 00:00:01,000\nw\n".write(toFile: otherWords.wordsPath!, atomically: true, encoding: .utf8)
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: otherWords.wordsPath!)
        XCTAssertFalse(BatchRunner.isUpToDate(reportPath: report, episode: otherWords, settings: SeriesFixtures.settings))
        var missing = episode
        missing.inputs.paths[.mix] = root + "/series/ep-a/gone.wav"
        XCTAssertFalse(BatchRunner.isUpToDate(reportPath: report, episode: missing, settings: SeriesFixtures.settings))
    }

    func testShardsCheckEveryEpisodeOnceAndTheirMergeEqualsTheUnshardedSeries() throws {
        let s = try shared()
        var names: [String] = []
        var folders: [String] = []
        for k in 1...2 {
            let shard = try BatchShard(index: k, count: 2)
            let out = s.root + "/shard\(k)"
            let mine = shard.select(s.episodes)
            let outcomes = BatchRunner(episodes: mine, settings: SeriesFixtures.settings, catalog: s.catalog, outFolder: out, workers: 2).run()
            let summary = ShardSummary(shard: shard, seriesEpisodeCount: s.episodes.count, settings: SeriesFixtures.settings.fingerprint, outcomes: outcomes)
            try AtomicFile.write(summary.json().serialized(), to: out + "/" + shard.summaryFileName)
            XCTAssertEqual(try ShardSummary.read(path: out + "/" + shard.summaryFileName).json(), summary.json(), "the summary reads back")
            names += outcomes.map(\.name)
            folders.append(out)
        }
        XCTAssertEqual(names.sorted(), s.episodes.map(\.name), "every episode exactly once")

        // A missing shard is named.
        XCTAssertThrowsError(try SeriesOutput.merge(folders: [folders[0]], out: s.root + "/merged")) { error in
            XCTAssertTrue("\(error)".contains("shard 2/2 missing"), "\(error)")
        }
        XCTAssertThrowsError(try SeriesOutput.merge(folders: [s.series], out: s.root + "/merged")) { error in
            XCTAssertEqual((error as? EarshotError)?.file, s.series)
        }
        let merged = try SeriesOutput.merge(folders: folders, out: s.root + "/merged")
        try SeriesOutput.write(merged, to: s.root + "/merged")
        XCTAssertEqual(try String(contentsOfFile: s.root + "/merged/series.json", encoding: .utf8),
                       try String(contentsOfFile: s.out + "/series.json", encoding: .utf8))
        XCTAssertEqual(try String(contentsOfFile: s.root + "/merged/series.html", encoding: .utf8),
                       try String(contentsOfFile: s.out + "/series.html", encoding: .utf8))
        for name in ["ep-a", "ep-b", "ep-c"] {
            for file in ReportFiles.names {
                XCTAssertEqual(FileManager.default.contents(atPath: s.root + "/merged/\(name)/\(file)"), FileManager.default.contents(atPath: s.out + "/\(name)/\(file)"),
                               "\(name)/\(file) gathered beside series.json")
            }
        }
    }
}
