import EarshotKit
import Foundation

extension Bench {
    /// `bench --only batch`: 20 synthetic episodes checked by `earshot check` one after another
    /// (a process each) and by `earshot batch` (in this process, 1, 2 and 3 at a time) with the
    /// same settings; the times, the speed-up against the 1.7× target and the cores kept busy
    /// (CPU time / wall).
    func benchBatch(dir: String) throws {
        let episodes = 20
        print("\nbatch: \(episodes) episodes of \(Int(seconds)) s (dialogue + M&E + mix + words), six default scenarios: one after another vs earshot batch")
        let series = dir + "/series"
        // Episodes differ in noise and by up to ±0.3 dB; ep07 is 1 dB hot (a loudness outlier).
        DispatchQueue.concurrentPerform(iterations: episodes) { i in
            let name = String(format: "ep%02d", i + 1)
            let gainDB = i == 6 ? 1.0 : 0.3 * sin(Double(i))
            do { try BenchEpisode.write(folder: series + "/" + name, seconds: seconds, seed: UInt64(100 + i), gainDB: gainDB) } catch {
                FileHandle.standardError.write(Data("earshot bench: \(error)\n".utf8))
            }
        }
        sync()
        let found = try EpisodeFolders.discover(folder: series)
        guard found.count == episodes, found.allSatisfy({ $0.problem == nil }) else {
            throw EarshotError(.environment, file: series, "could not write the benchmark episodes")
        }
        let settings = CheckSettings(scenarios: CheckSettings.defaultScenarios)
        let catalog = try profiles.catalog()

        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Where one check leaves cores idle: CPU use through one check, by tenths of its run.
        let profile = try Self.coreProfile {
            _ = try CheckRunner.run(inputs: found[0].inputs, settings: { var s = settings; s.wordsPath = found[0].wordsPath; return s }(), catalog: catalog)
        }
        print(pad("one check, cores busy", 26) + String(format: "%.2f s: ", profile.seconds)
              + profile.tenths.map { String(format: "%.1f", $0) }.joined(separator: " ") + String(format: "  (mean %.2f of %d; by tenths of the run)", profile.mean, cores))

        // The ways to check the series: `earshot check` on each episode, one process after
        // another (what a mixer does without batch; each check writes the same files a batch
        // writes for an episode), and `earshot batch` with 1, 2 and 3 episodes at a time. Each
        // runs the 20 episodes in two rounds of 10, the ways taking turns within a round, so
        // that other load on a shared machine falls on all of them alike.
        let earshot = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let checkWay = 0
        let ways = [checkWay, 1] + Array(Set([cores, cores + 1])).sorted()
        var wall = [Int: Double](), cpu = [Int: Double](), outcomes = [Int: [EpisodeOutcome]]()
        let rounds = [Array(found.prefix(episodes / 2)), Array(found.dropFirst(episodes / 2))]
        for (r, round) in rounds.enumerated() {
            // The second round takes the ways in reverse order, so no way always runs first.
            for workers in r == 0 ? ways : ways.reversed() {
                // Written files are flushed before each way, so no way pays for another's writeback.
                sync()
                let cpu0 = Self.cpuSeconds() + Self.childCPUSeconds()
                if workers == checkWay {
                    wall[workers, default: 0] += try Peer.time {
                        for episode in round {
                            var arguments = ["check", "--words", episode.wordsPath ?? "", "--out", dir + "/check/" + episode.name]
                            for (role, path) in episode.inputs.paths.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                                arguments += ["--" + (role == .me ? "me" : role.rawValue), path]
                            }
                            try Peer.run(earshot, arguments + profiles.arguments)
                        }
                    }
                } else {
                    let runner = BatchRunner(episodes: round, settings: settings, catalog: catalog, outFolder: dir + "/batch-\(workers)", workers: workers, force: true)
                    var done: [EpisodeOutcome] = []
                    wall[workers, default: 0] += Peer.time { done = runner.run() }
                    if let failed = done.first(where: { $0.status == .failed }) {
                        throw EarshotError(.environment, "benchmark episode \(failed.name) failed: \(failed.error ?? "")")
                    }
                    outcomes[workers, default: []] += done
                }
                cpu[workers, default: 0] += Self.cpuSeconds() + Self.childCPUSeconds() - cpu0
            }
        }
        let sequential = wall[checkWay]!
        func line(_ label: String, _ workers: Int) -> String {
            pad(label, 34) + String(format: "%6.1f s  (%.2f s per episode, %.2f cores busy)", wall[workers]!, wall[workers]! / Double(episodes), cpu[workers]! / wall[workers]!)
        }
        print(line("earshot check, one after another", checkWay))
        var best: (workers: Int, seconds: Double)?
        for workers in ways.dropFirst() {
            let out = dir + "/batch-\(workers)"
            let report = SeriesOutput.report(folder: out, outcomes: outcomes[workers]!, settings: settings)
            try SeriesOutput.write(report, to: out)
            let mark = workers == BatchRunner.defaultWorkers ? " (default)" : ""
            print(line("earshot batch, \(workers) at a time\(mark)", workers) + String(format: "  %.2f× faster", sequential / wall[workers]!))
            if workers > 1, best == nil || wall[workers]! < best!.seconds { best = (workers, wall[workers]!) }
            if workers == BatchRunner.defaultWorkers, report.loudness.outliers != ["ep07"] {
                print("  note: expected ep07 as the only loudness outlier, found \(report.loudness.outliers)")
            }
        }
        if let best {
            let ratio = sequential / best.seconds
            print(pad("batch \(episodes) × \(Int(seconds)) s", 18) + String(format: "best %.1f s with %d at a time: %.2f× faster than earshot check one after another (target ≥ 1.7× on 2 cores) %@; total target ≤ 60 s %@",
                best.seconds, best.workers, ratio, ratio >= 1.7 ? "ok" : "BELOW TARGET", best.seconds <= 60 ? "ok" : "ABOVE TARGET"))
            if ratio < 1.7 {
                let busy = cpu[checkWay]! / sequential
                let perEpisode = (check: cpu[checkWay]! / Double(episodes), batch: cpu[best.workers]! / Double(episodes))
                print(String(format: "  one after another the checks kept %.2f of %d cores busy; CPU per episode %.2f s as earshot check, %.2f s in the batch: side by side can gain at most about %.2f×",
                             busy, cores, perEpisode.check, perEpisode.batch, Double(cores) / busy * perEpisode.check / perEpisode.batch))
            }
        }
    }

    /// Runs `body` while sampling this process's CPU time every 10 ms: the wall time, the
    /// mean cores busy, and the cores busy in each tenth of the run.
    static func coreProfile(_ body: () throws -> Void) throws -> (seconds: Double, mean: Double, tenths: [Double]) {
        final class Samples: @unchecked Sendable {
            let lock = NSLock()
            var points: [(wall: Double, cpu: Double)] = []
            var running = true
        }
        let samples = Samples()
        let start = DispatchTime.now().uptimeNanoseconds
        @Sendable func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        samples.points.append((0, cpuSeconds()))
        let sampler = Thread {
            while true {
                samples.lock.lock()
                let go = samples.running
                if go { samples.points.append((now(), cpuSeconds())) }
                samples.lock.unlock()
                if !go { break }
                usleep(10_000)
            }
        }
        sampler.start()
        try body()
        samples.lock.lock()
        samples.running = false
        samples.points.append((now(), cpuSeconds()))
        let points = samples.points
        samples.lock.unlock()
        let total = points.last!.wall
        // CPU time at a wall time, interpolated between samples.
        func cpu(at t: Double) -> Double {
            guard let j = points.firstIndex(where: { $0.wall >= t }), j > 0 else { return t <= 0 ? points[0].cpu : points.last!.cpu }
            let a = points[j - 1], b = points[j]
            return a.cpu + (b.cpu - a.cpu) * (t - a.wall) / max(b.wall - a.wall, 1e-9)
        }
        let tenths = (0..<10).map { k in (cpu(at: total * Double(k + 1) / 10) - cpu(at: total * Double(k) / 10)) / (total / 10) }
        return (total, (points.last!.cpu - points[0].cpu) / total, tenths)
    }

    /// User + system CPU time of this process's finished children, seconds.
    static func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User + system CPU time of this process, seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// A synthetic episode as `bench check` makes one: a speech-like dialogue stem (a harmonic voice
/// in syllables), an M&E of bass and noise, their sum as the mix (24-bit, dual mono) and WhisperX-style word timings.
/// Written in one-second blocks, so a feature-length programme needs no more memory than a
/// short one.
enum BenchEpisode {
    /// Writes dialogue.wav, me.wav, mix.wav and words.json into `folder`; returns the word count.
    /// With `musicAndEffects`, the M&E is also written as its two parts: music.wav (the bass)
    /// and effects.wav (the noise), which add up to me.wav.
    @discardableResult
    static func write(folder: String, seconds: Double, seed: UInt64, gainDB: Double, musicAndEffects: Bool = false) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let rate = 48000, n = Int(seconds * Double(rate))
        let gain = pow(10, gainDB / 20)
        var random = SeededRandom(seed: seed)
        let names = ["dialogue", "me", "mix"] + (musicAndEffects ? ["music", "effects"] : [])
        let writers = try names.map {
            try AudioFileWriter(path: folder + "/\($0).wav", sampleRate: rate, channels: 2, format: .pcm24)
        }
        var position = 0
        while position < n {
            let count = min(rate, n - position)
            var dialogue = [Float](repeating: 0, count: count), music = dialogue, effects = dialogue
            for i in 0..<count {
                let t = Double(position + i) / Double(rate)
                let syllable = max(0, sin(2 * .pi * 2.5 * t)) * (sin(2 * .pi * 0.2 * t) > -0.6 ? 1 : 0)
                // A voice at 170 Hz with 23 harmonics falling 6 dB per octave (up to 3.9 kHz),
                // so that, like speech, it carries energy in every band the per-word index
                // weighs; sin(kθ) by the Chebyshev recurrence.
                let theta = 2 * Double.pi * (170 * t).truncatingRemainder(dividingBy: 1)
                let twoCos = 2 * cos(theta)
                var previous = 0.0, current = sin(theta), voice = current
                for k in 2...23 {
                    (previous, current) = (current, twoCos * current - previous)
                    voice += current / Double(k)
                }
                dialogue[i] = Float(gain * 0.06 * syllable * voice)
                music[i] = Float(gain * 0.05 * sin(2 * .pi * 55 * t))
                effects[i] = Float(gain * 0.02 * random.nextGaussian())
            }
            let me = zip(music, effects).map { $0 + $1 }
            let mix = zip(dialogue, me).map { $0 + $1 }
            for (writer, x) in zip(writers, [dialogue, me, mix, music, effects]) { try writer.write([x, x]) }
            position += count
        }
        for writer in writers { try writer.finish() }
        var words: [String] = []
        var t = 0.1
        while t + 0.4 < seconds {
            if sin(2 * .pi * 0.2 * (t + 0.2)) > -0.6 { words.append("{\"word\": \"w\(words.count)\", \"start\": \(t), \"end\": \(t + 0.35)}") }
            t += 0.4
        }
        try "{\"segments\": [{\"start\": 0, \"end\": \(seconds), \"text\": \"\", \"words\": [\(words.joined(separator: ", "))]}]}".write(
            toFile: folder + "/words.json", atomically: true, encoding: .utf8)
        return words.count
    }
}
