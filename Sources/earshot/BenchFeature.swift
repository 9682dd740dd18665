import EarshotKit
import Foundation

extension Bench {
    /// `bench --only feature`: feature-length programmes (dialogue + M&E stems and word timings,
    /// written in blocks) through `earshot check` on the six default scenarios, with the mix file
    /// and without it, each run as its own process under `/usr/bin/time -v`: wall time and peak
    /// resident memory per length and path, so that memory growing with duration shows.
    func benchFeature(dir: String) throws {
        let minutes = try featureMinutes.split(separator: ",").map { part -> Double in
            guard let m = Double(part.trimmingCharacters(in: .whitespaces)), m > 0 else {
                throw EarshotError.usage("--feature-minutes: expected minutes such as 10,30,120, found '\(part)'")
            }
            return m
        }
        guard let time = ["/usr/bin/time"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("\nfeature: /usr/bin/time is not installed (apt-get install time); skipped")
            return
        }
        let earshot = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        print("\nfeature: long programmes (dialogue + M&E with and without the mix, with and without word timings) through earshot check, six default scenarios, /usr/bin/time -v")
        print(pad("length", 10) + pad("inputs", 22) + pad("words", 8) + pad("wall", 10) + pad("peak RSS", 12) + "targets for 120 min: ≤ 5 min wall, ≤ 1.0 GB")
        for m in minutes {
            let folder = dir + "/feature-\(Int(m))"
            let words = try BenchEpisode.write(folder: folder, seconds: m * 60, seed: 7, gainDB: 0)
            // Every path: with the mix file; stems only (the mix is the stems' sum, made as it
            // streams); stems only without a timing file (speech units found in the dialogue).
            for (withMix, withWords) in [(true, true), (false, true), (false, false)] {
                let arguments = ["-v", earshot, "check"] + (withMix ? ["--mix", folder + "/mix.wav"] : [])
                    + ["--dialogue", folder + "/dialogue.wav", "--me", folder + "/me.wav"]
                    + (withWords ? ["--words", folder + "/words.json"] : [])
                    + ["--out", folder + "/report-\(withMix ? "mix" : "stems")-\(withWords ? "words" : "units")"]
                let usage = try Peer.runCapturingErrors(time, arguments)
                guard let wall = Self.timeField(usage, "Elapsed (wall clock) time").flatMap(Self.clockSeconds),
                      let rssKB = Self.timeField(usage, "Maximum resident set size (kbytes)").flatMap(Double.init) else {
                    throw EarshotError(.environment, "could not read /usr/bin/time's output: \(usage.suffix(400))")
                }
                let gb = rssKB / 1_048_576
                var line = pad("\(Int(m)) min", 10) + pad(withMix ? "dialogue + M&E + mix" : "dialogue + M&E", 22)
                    + pad(withWords ? "\(words)" : "units", 8)
                    + pad(String(format: "%.1f s", wall), 10) + pad(String(format: "%.2f GB", gb), 12)
                if m >= 120 { line += (wall <= 300 ? "wall ok" : "wall ABOVE TARGET") + ", " + (gb <= 1.0 ? "memory ok" : "memory ABOVE TARGET") }
                print(line)
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// The value after `name:` in `/usr/bin/time -v` output.
    static func timeField(_ text: String, _ name: String) -> String? {
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(name), let colon = trimmed.range(of: ": ", options: .backwards) {
                return String(trimmed[colon.upperBound...])
            }
        }
        return nil
    }

    /// Seconds from `h:mm:ss` or `m:ss.ss`.
    static func clockSeconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":").map { Double($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.reduce(0) { $0 * 60 + $1! }
    }
}
