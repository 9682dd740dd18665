import EarshotKit
import Foundation

/// Progress of `earshot batch` on stderr: a bar redrawn in place (carriage return) when stderr
/// is a terminal, one plain line per finished episode otherwise (logs, CI, cluster jobs).
/// Safe to call from any thread.
final class BatchProgress: @unchecked Sendable {
    let total: Int
    let live: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var done = 0, failed = 0, skipped = 0
    private var checkedSeconds = 0.0
    private var running: [String] = []
    private let workers: Int
    private var lineShown = false
    /// The runner calls one at a time, but an interrupt arrives on its own thread.
    private let lock = NSLock()

    init(total: Int, workers: Int, shard: BatchShard?, seriesCount: Int) {
        self.total = total
        self.workers = workers
        live = isatty(STDERR_FILENO) != 0
        var head = "earshot batch: \(total) episode\(total == 1 ? "" : "s")"
        if let shard { head += " (shard \(shard) of a series of \(seriesCount))" }
        write(head + ", \(workers) at a time\n")
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    func update(episode: String, outcome: EpisodeOutcome?) {
        lock.lock(); defer { lock.unlock() }
        guard let outcome else {
            running.append(episode)
            if live { redraw() }
            return
        }
        running.removeAll { $0 == episode }
        done += 1
        switch outcome.status {
        case .failed: failed += 1
        case .upToDate: skipped += 1
        case .checked: checkedSeconds += outcome.seconds
        }
        let line: String
        switch outcome.status {
        case .checked: line = String(format: "%@ checked in %.1f s", episode, outcome.seconds) + (outcome.recheckReason.map { " (\($0))" } ?? "")
        case .upToDate: line = "\(episode) up to date, skipped"
        case .failed: line = "\(episode) FAILED: \(outcome.error ?? "")"
        }
        if live {
            if outcome.status == .failed { clear(); write("earshot batch: \(line)\n") }
            redraw()
        } else {
            write("earshot batch: [\(done)/\(total)] \(line)\n")
        }
    }

    private func clear() {
        if lineShown { write("\r\u{1B}[K"); lineShown = false }
    }

    private func redraw() {
        let width = 28
        let filled = total > 0 ? width * done / total : width
        var text = "\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done)/\(total)"
        if failed > 0 { text += ", \(failed) failed" }
        if skipped > 0 { text += ", \(skipped) up to date" }
        let checked = done - failed - skipped
        if checked > 0 && done < total {
            // Remaining episodes at the pace so far (the workers overlap).
            let remaining = elapsed / Double(done) * Double(total - done)
            text += String(format: ", about %d:%02d left", Int(remaining) / 60, Int(remaining) % 60)
        }
        if !running.isEmpty { text += "  " + running.prefix(3).joined(separator: " ") }
        write(text)
        lineShown = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if live { clear() }
        write(String(format: "earshot batch: %d episode%@ in %.1f s (%d failed, %d up to date)\n", done, done == 1 ? "" : "s", elapsed, failed, skipped))
    }

    func interrupted(first: Bool) {
        lock.lock(); defer { lock.unlock() }
        if live { clear() }
        write(first ? "earshot batch: stopping after the episodes under way (Ctrl-C again to quit now)\n"
                    : "earshot batch: quitting; episodes under way are left without a report\n")
    }
}

/// Ctrl-C and SIGTERM (sent by Slurm and Kubernetes before they stop a job): the first stops
/// the batch from starting episodes and lets the ones under way finish and write their
/// reports whole; a second quits at once, after removing this process's unfinished temporary
/// files (AtomicFile's `.NAME.partial-PID`), so no broken or stray file is left behind.
final class InterruptHandler {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let lock = NSLock()

    init(runner: BatchRunner, outFolder: String, progress: BatchProgress) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                lock.lock(); count += 1; let n = count; lock.unlock()
                if n == 1 {
                    progress.interrupted(first: true)
                    runner.cancel()
                    return
                }
                progress.interrupted(first: false)
                let pid = ProcessInfo.processInfo.processIdentifier
                for folder in runner.foldersInProgress + [outFolder] {
                    for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasPrefix(".") && file.hasSuffix(".partial-\(pid)") {
                        try? FileManager.default.removeItem(atPath: folder + "/" + file)
                    }
                }
                _exit(ExitStatus.interrupted)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Back to the default handling (the batch is over; writing the series report is quick).
    func stop() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
