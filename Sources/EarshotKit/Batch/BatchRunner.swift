import Foundation

/// What became of one episode in a batch run.
public struct EpisodeOutcome: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Checked in this run; its report.json was written.
        case checked
        /// Its report.json was newer than its inputs and made with the same settings: skipped.
        case upToDate = "up to date"
        /// The check failed; `error` says why.
        case failed
    }

    public var name: String
    public var status: Status
    public var error: String?
    /// Wall time of the check, seconds (0 when skipped).
    public var seconds: Double
    /// Why an episode that had a report was checked again ("mix.wav is newer than the report").
    public var recheckReason: String?

    public init(name: String, status: Status, error: String? = nil, seconds: Double = 0, recheckReason: String? = nil) {
        self.name = name
        self.status = status
        self.error = error
        self.seconds = seconds
        self.recheckReason = recheckReason
    }
}

/// Runs `earshot check` over the episodes of a series, several episodes at a time, writing
/// each episode's report files (`ReportFiles`: report.json with its `spectralBalance`,
/// report.html, words.csv and the flagged-word markers) under `outFolder/<name>/`.
/// Episodes whose report is up to date are skipped; an episode that fails is recorded and the
/// others go on. `cancel()` stops it starting new episodes (the ones under way finish and are
/// written whole).
public final class BatchRunner: @unchecked Sendable {
    public let episodes: [BatchEpisode]
    public let settings: CheckSettings
    public let catalog: ProfileCatalog
    public let outFolder: String
    /// Episodes checked at the same time (each check also uses several threads of its own).
    public let workers: Int
    /// Check every episode even when its report is up to date.
    public let force: Bool

    private let lock = NSLock()
    /// The scenarios' device models and environment loops, made once by `run` for every episode.
    private var models: ScenarioModels?
    private var cancelled = false
    private var running: Set<String> = []

    public init(episodes: [BatchEpisode], settings: CheckSettings, catalog: ProfileCatalog, outFolder: String,
                workers: Int = BatchRunner.defaultWorkers, force: Bool = false) {
        self.episodes = episodes
        self.settings = settings
        self.catalog = catalog
        self.outFolder = outFolder
        self.workers = max(1, workers)
        self.force = force
    }

    /// Fails at once, before any episode, on a scenario or platform table that does not resolve
    /// (a typo would otherwise fail every episode).
    public static func validate(settings: CheckSettings, catalog: ProfileCatalog) throws {
        for (device, environment) in settings.scenarios {
            _ = try catalog.device(device)
            _ = try catalog.environment(environment)
        }
        _ = try PlatformSpec.load(path: try settings.platformsPath ?? (EarshotResources.folder(named: "Reports") + "/platforms.json"))
    }

    /// One episode per core.
    public static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }

    public func reportPath(_ name: String) -> String { outFolder + "/" + name + "/report.json" }

    public func cancel() { lock.lock(); cancelled = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
    /// The output folders of the episodes being checked right now.
    public var foldersInProgress: [String] { lock.lock(); defer { lock.unlock() }; return running.sorted().map { outFolder + "/" + $0 } }

    /// Runs the batch. `progress` is called (one call at a time) when an episode starts
    /// (outcome nil) and when it ends. Outcomes come back in the episodes' order; episodes
    /// not started because of `cancel()` are missing.
    public func run(progress: @escaping @Sendable (_ episode: String, _ outcome: EpisodeOutcome?) -> Void = { _, _ in }) -> [EpisodeOutcome] {
        // The queue position and the outcomes, guarded by `lock`.
        final class Queue: @unchecked Sendable {
            var next = 0
            var outcomes: [EpisodeOutcome?]
            init(count: Int) { outcomes = [EpisodeOutcome?](repeating: nil, count: count) }
        }
        let queue = Queue(count: episodes.count)
        // Profiles that do not resolve are left to each episode's check to report.
        let made = try? ScenarioModels(scenarios: settings.scenarios, catalog: catalog)
        lock.lock(); models = made; lock.unlock()
        let group = DispatchGroup()
        for _ in 0..<min(workers, episodes.count) {
            group.enter()
            let thread = Thread { [self] in
                while true {
                    lock.lock()
                    guard !cancelled, queue.next < episodes.count else { lock.unlock(); break }
                    let i = queue.next
                    queue.next += 1
                    running.insert(episodes[i].name)
                    progress(episodes[i].name, nil)
                    lock.unlock()
                    let outcome = process(episodes[i])
                    lock.lock()
                    running.remove(episodes[i].name)
                    queue.outcomes[i] = outcome
                    progress(episodes[i].name, outcome)
                    lock.unlock()
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return queue.outcomes.compactMap { $0 }
    }

    /// Checks one episode (or finds its report up to date) and writes its report.
    public func process(_ episode: BatchEpisode) -> EpisodeOutcome {
        let folder = outFolder + "/" + episode.name
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            if let problem = episode.problem { throw problem }
            let stale = force ? "--force" : Self.outOfDateReason(reportPath: reportPath(episode.name), episode: episode, settings: settings)
            guard let stale else { return EpisodeOutcome(name: episode.name, status: .upToDate) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            Self.removeLeftovers(in: folder)
            var settings = self.settings
            settings.wordsPath = episode.wordsPath
            lock.lock(); let models = self.models; lock.unlock()
            let report = try CheckRunner.run(inputs: episode.inputs, settings: settings, catalog: catalog, models: models)
            let balance = try SpectralBalance.measure(episode.inputs)
            var json = report.json()
            if case .object(var fields) = json {
                fields.append(("spectralBalance", balance.json()))
                json = .object(fields)
            }
            try ReportFiles.write(report, json: json, to: folder)
            return EpisodeOutcome(name: episode.name, status: .checked,
                                  seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                  recheckReason: stale == "no report" || stale == "--force" ? nil : stale)
        } catch {
            // A report left from older inputs would now be wrong.
            for name in ReportFiles.names { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
            return EpisodeOutcome(name: episode.name, status: .failed, error: "\(error)",
                                  seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// Temporary files of an earlier run that was killed while writing (AtomicFile's
    /// `.report.json.partial-PID`, `.report.html.partial-PID`, …). Only this run writes in an
    /// episode's folder.
    static func removeLeftovers(in folder: String) {
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where ReportFiles.names.contains(where: { file.hasPrefix("." + $0 + ".partial-") }) {
            try? FileManager.default.removeItem(atPath: folder + "/" + file)
        }
    }

    /// A report is up to date when it is newer than every input file and was made from the same
    /// files with the same scenarios and settings (and by `earshot batch`, so it has the
    /// spectral balance).
    public static func isUpToDate(reportPath: String, episode: BatchEpisode, settings: CheckSettings) -> Bool {
        outOfDateReason(reportPath: reportPath, episode: episode, settings: settings) == nil
    }

    /// Why a report is not up to date, or nil when it is.
    public static func outOfDateReason(reportPath: String, episode: BatchEpisode, settings: CheckSettings) -> String? {
        guard let reportDate = modificationDate(reportPath) else { return "no report" }
        for input in episode.inputFiles {
            guard let date = modificationDate(input) else { return "\(fileName(input)) is missing" }
            if date >= reportDate { return "\(fileName(input)) is newer than the report" }
        }
        guard let report = try? ReportDocument.read(path: reportPath) else { return "the report cannot be read" }
        guard report.spectralBalance != nil else { return "the report was not made by earshot batch" }
        for role in ScenarioInputs.Role.allCases {
            let name = episode.inputs.paths[role].map(fileName)
            if report.input.fileName(role) != name { return "the \(role.label) file is not the one in the report" }
        }
        if report.input.words != episode.wordsPath.map(fileName) { return "the word timings file is not the one in the report" }
        if report.scenarios.map(\.id) != settings.scenarios.map({ "\($0.device)@\($0.environment)" }) {
            return "other scenarios"
        }
        guard let threshold = report.settings.maskedBelowHeardProbability,
              abs(threshold - settings.masking.maskedBelowHeardProbability) < 1e-6 else { return "another masking threshold" }
        let volume = report.settings.volumePercent
        switch (volume, settings.volumePercent) {
        case (nil, nil): return nil
        case let (a?, b?) where abs(a - b) < 1e-6: return nil
        default: return "another volume"
        }
    }

    static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }
}

extension CheckSettings {
    /// The settings that make reports comparable, as written in shard summaries and
    /// series.json: scenario ids, the volume rule and the masking threshold.
    public var fingerprint: JSONValue {
        .object([
            ("scenarios", .array(scenarios.map { .string("\($0.device)@\($0.environment)") })),
            ("volume", .string(volumePercent == nil ? "listener" : "fixed")),
            ("volumePercent", .num(volumePercent)),
            ("maskedBelowHeardProbability", .num(masking.maskedBelowHeardProbability)),
        ])
    }
}
