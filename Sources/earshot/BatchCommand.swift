import ArgumentParser
import EarshotKit
import Foundation

/// `earshot batch`: `earshot check` over a series, and the series report.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every episode of a series and report its consistency (loudness, dialogue level, dialogue/M&E, spectral balance, masked words).",
        discussion: """
        INPUT is a folder of episode folders — each holding its stems as audio files named \
        dialogue, music, effects, me or mix (.wav .flac .aif .aiff .ogg …) and its word timings \
        as words.srt, words.vtt, words.TextGrid or words.json — or a manifest: JSON \
        {"episodes": [{"name", "mix", "dialogue", "me", "music", "effects", "words"}]} or CSV \
        with a header of those column names; relative paths resolve against the manifest's folder.
        Writes the files of earshot check for every episode to OUT/<episode>/ (report.json, \
        report.html, words.csv, flagged-word markers) and the series report OUT/series.json and \
        OUT/series.html, which links each episode's report.html. Episodes whose report.json is newer than all their inputs (and made \
        with the same settings) are skipped, so an interrupted run resumes where it stopped \
        (Ctrl-C finishes the episodes under way; a second Ctrl-C quits at once; no report is ever \
        left half-written). An episode that fails does not stop the others: it is listed with \
        its error in series.json and the exit code is 1.
        --shard K/N checks only episodes i (name order, from 0) with i mod N = K−1 (K counts from \
        1) and writes OUT/shard-K-of-N.json instead of the series report; \
        earshot batch --merge OUT1 OUT2 … --out OUT builds the series report from the shards' outputs.
        Scenarios, volume and threshold as in earshot check. QC gates (--fail-on, the rules of \
        earshot check) are evaluated on every episode's report; OUT/junit.xml (or --junit FILE; \
        with --shard, OUT/junit-shard-K-of-N.xml) holds one test suite per episode, and the exit \
        code is 3 when any episode fails a gate (1 when an episode could not be checked at all).
        \(ExitStatus.help(gates: true, interruptible: true))
        """)

    @Argument(help: ArgumentHelp("A folder of episode folders, or a manifest (.json, .csv); with --merge, the shards' output folders.", valueName: "input"))
    var inputs: [String] = []
    @Option(help: "Output folder: OUT/<episode>/report.json and report.html (and the exports), OUT/series.json, OUT/series.html.") var out: String
    @Option(help: ArgumentHelp("Check only shard K of N (K = 1…N).", valueName: "K/N")) var shard: String?
    @Flag(help: "Build the series report from the output folders of shards run with --shard.") var merge = false
    @Option(help: ArgumentHelp("Episodes checked at the same time (default: one per core).", valueName: "n")) var jobs: Int?
    @Flag(help: "Check every episode, even those whose report is up to date.") var force = false
    @OptionGroup var scenarios: ScenarioSelectionOptions
    @OptionGroup var profiles: ProfileOptions
    @OptionGroup var gateOptions: QCGateOptions
    @Flag(help: "Print series.json (with --shard: the shard summary) to stdout instead of the summary.") var json = false

    func run() throws {
        var failedCount = 0
        var gatesFailed = false
        try runReportingErrors {
            let gates = try gateOptions.gates()
            if merge {
                if shard != nil { throw EarshotError.usage("--shard and --merge do not go together: merge after every shard has run") }
                if inputs.isEmpty { throw EarshotError.usage("--merge needs the shards' output folders: earshot batch --merge OUT1 OUT2 … --out OUT") }
                let report = try SeriesOutput.merge(folders: inputs, out: out)
                try SeriesOutput.write(report, to: out)
                failedCount = report.failed.count
                printSeries(report)
                gatesFailed = try evaluate(gates, episodes: report.episodes.map(\.name), junitDefault: out + "/junit.xml")
                return
            }
            guard inputs.count == 1 else {
                throw EarshotError.usage(inputs.isEmpty ? "give a folder of episode folders or a manifest (.json, .csv)" : "give one folder or manifest (several folders only with --merge)")
            }
            if let jobs, jobs < 1 { throw EarshotError.usage("--jobs must be at least 1, not \(jobs)") }
            let shard = try self.shard.map { try BatchShard(parsing: $0) }
            let settings = try scenarios.settings()
            let catalog = try profiles.catalog()
            try BatchRunner.validate(settings: settings, catalog: catalog)
            try QCGate.validate(gates, against: settings)
            let all = try episodes(from: inputs[0])
            let mine = shard?.select(all) ?? all
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let runner = BatchRunner(episodes: mine, settings: settings, catalog: catalog, outFolder: out,
                                     workers: jobs ?? BatchRunner.defaultWorkers, force: force)
            let progress = BatchProgress(total: mine.count, workers: min(runner.workers, max(mine.count, 1)), shard: shard, seriesCount: all.count)
            let interrupt = InterruptHandler(runner: runner, outFolder: out, progress: progress)
            let outcomes = runner.run { name, outcome in progress.update(episode: name, outcome: outcome) }
            defer { interrupt.stop() }
            progress.finish()
            if runner.isCancelled {
                let done = outcomes.filter { $0.status != .failed }.count
                FileHandle.standardError.write(Data("earshot batch: interrupted; \(done) of \(mine.count) episodes have a report. Run the same command again to go on.\n".utf8))
                throw ExitCode(ExitStatus.interrupted)
            }
            failedCount = outcomes.filter { $0.status == .failed }.count
            if let shard {
                let summary = ShardSummary(shard: shard, seriesEpisodeCount: all.count, settings: settings.fingerprint, outcomes: outcomes)
                let text = summary.json().serialized()
                try AtomicFile.write(text, to: out + "/" + shard.summaryFileName)
                if json {
                    FileHandle.standardOutput.write(Data(text.utf8))
                } else {
                    let count = { (s: EpisodeOutcome.Status) in outcomes.filter { $0.status == s }.count }
                    print("Shard \(shard): \(mine.count) of \(all.count) episodes: \(count(.checked)) checked, \(count(.upToDate)) up to date, \(count(.failed)) failed")
                    for o in outcomes where o.status == .failed { print("FAILED \(o.name): \(o.error ?? "")") }
                    print("Summary: \(out)/\(shard.summaryFileName). When every shard has run: earshot batch --merge <each shard's --out> --out \(out)")
                }
                gatesFailed = try evaluate(gates, episodes: outcomes.filter { $0.status != .failed }.map(\.name),
                                           junitDefault: out + "/junit-shard-\(shard.index)-of-\(shard.count).xml")
                return
            }
            let report = SeriesOutput.report(folder: out, outcomes: outcomes, settings: settings)
            try SeriesOutput.write(report, to: out)
            failedCount = report.failed.count
            printSeries(report)
            gatesFailed = try evaluate(gates, episodes: report.episodes.map(\.name), junitDefault: out + "/junit.xml")
        }
        if failedCount > 0 {
            FileHandle.standardError.write(Data("earshot: error: \(failedCount) episode\(failedCount == 1 ? "" : "s") failed (listed in the report)\n".utf8))
            throw ExitCode(ExitStatus.failed)
        }
        if gatesFailed { throw ExitCode(ExitStatus.gateFailed) }
    }

    /// Evaluates the QC gates on these episodes' reports, writes the JUnit XML and says on
    /// stderr what failed; true when any episode failed a gate.
    func evaluate(_ gates: [QCGate], episodes: [String], junitDefault: String) throws -> Bool {
        guard !gates.isEmpty else { return false }
        let series = try SeriesGates(gates: gates, reports: episodes.map { ($0, out + "/" + $0 + "/report.json") })
        try AtomicFile.write(series.junitXML(), to: gateOptions.junit ?? junitDefault)
        let failed = series.failed, total = series.outcomes.count
        let text = failed.isEmpty
            ? "QC gates: all \(total) passed on \(series.episodes.count) episode\(series.episodes.count == 1 ? "" : "s")\n"
            : "QC gates: \(failed.count) of \(total) failed, in \(series.failedEpisodes.count) of \(series.episodes.count) episodes (\(series.failedEpisodes.joined(separator: ", ")))\n"
                + failed.map { "  \($0.message)" }.joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
        return !failed.isEmpty
    }

    func episodes(from input: String) throws -> [BatchEpisode] {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: input, isDirectory: &isDir), isDir.boolValue {
            return try EpisodeFolders.discover(folder: input, excluding: out)
        }
        let ext = (input as NSString).pathExtension.lowercased()
        if ext == "json" || ext == "csv" { return try BatchManifest.read(path: input) }
        if !FileManager.default.fileExists(atPath: input) { throw EarshotError.badInput(file: input, "no such folder or manifest file") }
        throw EarshotError.badInput(file: input, "not a folder or a manifest (.json or .csv)")
    }

    func printSeries(_ report: SeriesReport) {
        if json {
            FileHandle.standardOutput.write(Data(report.json().serialized().utf8))
        } else {
            print(report.summary(), terminator: "")
            print("\nSeries report: \(out)/series.json, \(out)/series.html")
        }
    }
}
