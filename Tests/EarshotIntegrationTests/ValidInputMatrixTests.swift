import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// Every valid delivery runs: `earshot check` (the built binary, the six default scenarios on the
/// stock profiles) and `earshot render` (every default scenario across the matrix) over the inputs users hand in —
/// a mix alone (mono, stereo, 5.1), a mix with its dialogue, dialogue with M&E, dialogue with
/// music and effects, each with and without the mix; WAV, FLAC, Ogg Vorbis and MP3; 44.1, 48
/// and 96 kHz; 16-bit, 24-bit and float; 3 s to 2 min; silent stems; a mix of sub-bass alone.
/// Each must exit 0 with report.json and report.html (per-word masking wherever there is a
/// dialogue stem) — never end on a signal.
final class ValidInputMatrixTests: XCTestCase {
    enum Part { case mix, dialogue, me, music, effects }

    struct Delivery {
        var name: String
        var parts: [Part]
        var format: DeliveryFiles.Format
        var rate: Int
        var seconds: Double
        var layout: DeliveryFiles.Layout = .stereo
        var withWords = false
        /// Parts written as digital silence.
        var silent: Set<Part> = []
        /// The mix is a sub-bass tone alone (no stems).
        var subBassOnly = false
        /// Render every default scenario, not only one (each delivery renders the next scenario
        /// in turn, so across the matrix every scenario renders every kind of input too).
        var renderAll = false
    }

    static let deliveries: [Delivery] = [
        Delivery(name: "mix-mono-wav16-44k1-3s", parts: [.mix], format: .wav16, rate: 44100, seconds: 3, layout: .mono, renderAll: true),
        Delivery(name: "mix-stereo-flac24-48k-10s", parts: [.mix], format: .flac24, rate: 48000, seconds: 10),
        Delivery(name: "mix-5.1-wavfloat-96k-5s", parts: [.mix], format: .wavFloat, rate: 96000, seconds: 5, layout: .surround51, renderAll: true),
        Delivery(name: "mix-dialogue-ogg-48k-8s", parts: [.mix, .dialogue], format: .oggVorbis, rate: 48000, seconds: 8, withWords: true),
        Delivery(name: "mix-dialogue-mono-wav24-48k-6s", parts: [.mix, .dialogue], format: .wav24, rate: 48000, seconds: 6, layout: .mono, withWords: true),
        Delivery(name: "dialogue-me-mp3-44k1-8s", parts: [.dialogue, .me], format: .mp3, rate: 44100, seconds: 8, withWords: true, renderAll: true),
        Delivery(name: "dialogue-me-mix-flac24-48k-6s", parts: [.mix, .dialogue, .me], format: .flac24, rate: 48000, seconds: 6, withWords: true),
        Delivery(name: "dialogue-music-effects-wavfloat-48k-6s", parts: [.dialogue, .music, .effects], format: .wavFloat, rate: 48000, seconds: 6, renderAll: true),
        Delivery(name: "dialogue-music-effects-mp3-48k-6s", parts: [.dialogue, .music, .effects], format: .mp3, rate: 48000, seconds: 6, withWords: true),
        Delivery(name: "dialogue-music-effects-mix-flac16-96k-5s", parts: [.mix, .dialogue, .music, .effects], format: .flac16, rate: 96000, seconds: 5, withWords: true),
        Delivery(name: "dialogue-me-mix-5.1-wav24-48k-6s", parts: [.mix, .dialogue, .me], format: .wav24, rate: 48000, seconds: 6, layout: .surround51, withWords: true, renderAll: true),
        Delivery(name: "dialogue-me-mix-mono-wav16-44k1-6s", parts: [.mix, .dialogue, .me], format: .wav16, rate: 44100, seconds: 6, layout: .mono),
        Delivery(name: "silent-dialogue-me-mix-wav24-48k-5s", parts: [.mix, .dialogue, .me], format: .wav24, rate: 48000, seconds: 5, withWords: true, silent: [.dialogue]),
        Delivery(name: "dialogue-silent-me-wav24-48k-5s", parts: [.dialogue, .me], format: .wav24, rate: 48000, seconds: 5, silent: [.me]),
        Delivery(name: "mix-sub-bass-only-wav24-48k-6s", parts: [.mix], format: .wav24, rate: 48000, seconds: 6, subBassOnly: true, renderAll: true),
        Delivery(name: "dialogue-me-mix-wav16-48k-120s", parts: [.mix, .dialogue, .me], format: .wav16, rate: 48000, seconds: 120, withWords: true),
    ]

    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    func testEveryValidDeliveryChecksAndRendersOnTheSixDefaultScenarios() throws {
        let binary = try CheckCommandTests.earshotBinary().path
        let scenarios = CheckSettings.defaultScenarios
        var failures: [String] = []
        for (n, delivery) in Self.deliveries.enumerated() {
            let folder = workspace.path(delivery.name)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let arguments = try write(delivery, into: folder)
            let started = Date()
            defer { print(String(format: "%@: %.1f s", delivery.name, Date().timeIntervalSince(started))) }
            // check: exit 0, both reports, the six scenarios, per-word masking with a dialogue stem.
            let out = folder + "/report"
            let check = try run(binary, ["check"] + arguments + ["--out", out], in: folder)
            if check.signal != nil || check.status != 0 {
                failures.append("\(delivery.name): check ended with \(check.signal.map { "signal \($0)" } ?? "exit \(check.status)"): \(check.stderr.suffix(400))")
                continue
            }
            for file in ["report.json", "report.html"] where !FileManager.default.fileExists(atPath: out + "/" + file) {
                failures.append("\(delivery.name): check wrote no \(file)")
            }
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any]
            let reported = (report?["scenarios"] as? [[String: Any]]) ?? []
            if reported.count != scenarios.count {
                failures.append("\(delivery.name): \(reported.count) scenarios in report.json, expected \(scenarios.count)")
            }
            let hasDialogue = delivery.parts.contains(.dialogue)
            for s in reported {
                let summary = s["summary"] as? [String: Any]
                let computed = summary?["perWordMasking"] as? String == "computed"
                if computed != hasDialogue {
                    failures.append("\(delivery.name) \(s["id"] ?? "?"): per-word masking \(computed ? "computed" : "not computed") with\(hasDialogue ? "" : "out") a dialogue stem")
                }
            }
            // render: each default scenario (one for the long programme), a 48 kHz stereo WAV.
            for scenario in delivery.renderAll ? scenarios : [scenarios[n % scenarios.count]] {
                let wav = folder + "/render-\(scenario.device)@\(scenario.environment).wav"
                let render = try run(binary, ["render"] + Self.withoutWords(arguments) + ["--device", scenario.device, "--environment", scenario.environment, "--out", wav], in: folder)
                if render.signal != nil || render.status != 0 {
                    failures.append("\(delivery.name): render \(scenario.device)@\(scenario.environment) ended with \(render.signal.map { "signal \($0)" } ?? "exit \(render.status)"): \(render.stderr.suffix(300))")
                    continue
                }
                let written = try AudioFileReader(path: wav).info
                let expected = Int((delivery.seconds * 48000).rounded())
                if written.sampleRate != 48000 || written.channels != 2 || abs(written.frames - expected) > 1 {
                    failures.append("\(delivery.name): render \(scenario.device) wrote \(written.channels) ch × \(written.frames) at \(written.sampleRate) Hz, expected 2 × \(expected) at 48000")
                }
                try? FileManager.default.removeItem(atPath: wav)
            }
        }
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// A mix bounced through a master fader, or summed with `sox -m` (each stem at half gain),
    /// is accepted with the gain reported; the stems are then played at the mix's level, so the
    /// listener's volume and every at-ear level are those of the mix delivered.
    func testAMixThatIsTheStemsSumThroughOneGainIsAcceptedAndTheGainReported() throws {
        let binary = try CheckCommandTests.earshotBinary().path
        let (programme, words) = try DeliveryFiles.programme(seconds: 8)
        let folder = try writeStems(programme, into: "sox-m")
        try DeliveryFiles.write(programme.mix, to: folder + "/unity.wav", format: .wav24, rate: 48000)
        try DeliveryFiles.write(programme.mix.map { $0.map { $0 * 0.5 } }, to: folder + "/soxm.wav", format: .wav24, rate: 48000)
        try DeliveryFiles.writeWords(words, to: folder + "/words.json")
        var reports: [String: [String: Any]] = [:]
        for mix in ["unity", "soxm"] {
            let out = folder + "/" + mix
            let result = try run(binary, ["check", "--mix", folder + "/\(mix).wav", "--dialogue", folder + "/dx.wav", "--me", folder + "/me.wav",
                                          "--words", folder + "/words.json", "--scenario", "studio-reference@quiet-room", "--volume", "60", "--out", out], in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
            reports[mix] = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any]
            if mix == "soxm" { XCTAssert(result.stdout.contains("the mix is their sum at -6.0 dB"), result.stdout) }
        }
        let unityInput = try XCTUnwrap(reports["unity"]?["input"] as? [String: Any])
        let halfInput = try XCTUnwrap(reports["soxm"]?["input"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(unityInput["stemsToMixGainDB"] as? Double), 0)
        XCTAssertEqual(try XCTUnwrap(halfInput["stemsToMixGainDB"] as? Double), 20 * log10(0.5), accuracy: 0.01)
        XCTAssertLessThan(try XCTUnwrap(halfInput["stemSumResidualDB"] as? Double), -60)
        // At one fixed volume the half-gain delivery reaches the ear 6 dB lower: the device's
        // long-term output spectrum (no environment), band by band over 250 Hz–4 kHz.
        func atEarSpectrum(_ report: [String: Any]?) throws -> [Double: Double] {
            let bands = try XCTUnwrap(((report?["scenarios"] as? [[String: Any]])?.first?["atEarSpectrum"]) as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: bands.compactMap { b in (b["centreHz"] as? Double).flatMap { f in (b["levelDB"] as? Double).map { (f, $0) } } })
        }
        let unitySpectrum = try atEarSpectrum(reports["unity"]), halfSpectrum = try atEarSpectrum(reports["soxm"])
        let speechBands = unitySpectrum.keys.filter { (250...4000).contains($0) }
        XCTAssertEqual(speechBands.count, 13)
        for f in speechBands {
            XCTAssertEqual(try XCTUnwrap(unitySpectrum[f]) - XCTUnwrap(halfSpectrum[f]), 6.02, accuracy: 0.1, "\(f) Hz")
        }
        // render plays the stems as check does: the dialogue heard is the mix's, 6 dB down.
        var dialogueRMS: [String: Double] = [:]
        for mix in ["unity", "soxm"] {
            let wav = folder + "/\(mix)-render.wav"
            let result = try run(binary, ["render", "--mix", folder + "/\(mix).wav", "--dialogue", folder + "/dx.wav", "--me", folder + "/me.wav",
                                          "--scenario", "studio-reference@quiet-room", "--volume", "60", "--stems", "--out", wav], in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
            let dialogue = try AudioFile.readPlanar(path: folder + "/\(mix)-render.dialogue.wav").channels[0]
            dialogueRMS[mix] = (dialogue.reduce(0.0) { $0 + Double($1 * $1) } / Double(dialogue.count)).squareRoot()
        }
        XCTAssertEqual(20 * log10(try XCTUnwrap(dialogueRMS["unity"]) / XCTUnwrap(dialogueRMS["soxm"])), 6.02, accuracy: 0.05)
        let unityLoudness = try XCTUnwrap(reports["unity"]?["loudness"] as? [String: Any])
        let halfLoudness = try XCTUnwrap(reports["soxm"]?["loudness"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(unityLoudness["dialogueIntegratedLUFS"] as? Double) - XCTUnwrap(halfLoudness["dialogueIntegratedLUFS"] as? Double),
                       6.02, accuracy: 0.05, "the dialogue's level is its level in the mix")
    }

    /// An MP3 mix with uncompressed stems is recognised as lossy: accepted with the relaxed sum
    /// check stated when it is the same programme, and named in the message when it is not.
    func testALossyMixIsNamedAndItsSumCheckRelaxed() throws {
        let binary = try CheckCommandTests.earshotBinary().path
        let (programme, _) = try DeliveryFiles.programme(seconds: 8)
        let folder = try writeStems(programme, into: "lossy")
        try DeliveryFiles.write(programme.mix, to: folder + "/mix.mp3", format: .mp3, rate: 48000)
        // Another version: the M&E of the mix is 10 dB hotter than the stem handed in.
        try DeliveryFiles.write(SceneFiles.add(programme.dialogue, programme.me.map { $0.map { $0 * 3.16 } }),
                                to: folder + "/other.mp3", format: .mp3, rate: 48000)
        let scenario = ["--scenario", "studio-reference@quiet-room"]
        let same = try run(binary, ["check", "--mix", folder + "/mix.mp3", "--dialogue", folder + "/dx.wav", "--me", folder + "/me.wav", "--out", folder + "/same"] + scenario, in: folder)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssert(same.stdout.contains("Lossy inputs: mix.mp3 (MP3)"), same.stdout)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/same/report.json"))) as? [String: Any]
        let lossy = try XCTUnwrap((report?["input"] as? [String: Any])?["lossyInputs"] as? [[String: Any]])
        XCTAssertEqual(lossy.map { $0["file"] as? String }, ["mix.mp3"])
        let other = try run(binary, ["check", "--mix", folder + "/other.mp3", "--dialogue", folder + "/dx.wav", "--me", folder + "/me.wav", "--out", folder + "/other"] + scenario, in: folder)
        XCTAssertEqual(other.status, 1, other.stderr)
        XCTAssert(other.stderr.contains("other.mp3 is MP3"), other.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/other/report.json"))
    }

    // MARK: Files and runs

    /// A folder holding the programme's dialogue and M&E stems as 24-bit WAV (dx.wav, me.wav).
    private func writeStems(_ programme: DeliveryFiles.Programme, into name: String) throws -> String {
        let folder = workspace.path(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try DeliveryFiles.write(programme.dialogue, to: folder + "/dx.wav", format: .wav24, rate: 48000)
        try DeliveryFiles.write(programme.me, to: folder + "/me.wav", format: .wav24, rate: 48000)
        return folder
    }

    /// Writes the delivery's files; returns the command-line inputs.
    private func write(_ d: Delivery, into folder: String) throws -> [String] {
        var arguments: [String] = []
        let frames = Int(d.seconds * 48000)
        if d.subBassOnly {
            let tone = (0..<frames).map { i -> Float in
                let t = Double(i) / 48000
                return Float(0.5 * sin(2 * .pi * 35 * t) * min(1, t / 0.05, (d.seconds - t) / 0.05))
            }
            let path = folder + "/mix.\(d.format.fileExtension)"
            try DeliveryFiles.write(DeliveryFiles.laidOut([tone, tone], d.layout), to: path, format: d.format, rate: d.rate)
            return ["--mix", path]
        }
        var (programme, words) = try DeliveryFiles.programme(seconds: d.seconds)
        if d.silent.contains(.dialogue) { programme.dialogue = DeliveryFiles.Programme.silence(like: programme.dialogue) }
        if d.silent.contains(.me) || d.silent.contains(.music) { programme.music = DeliveryFiles.Programme.silence(like: programme.music) }
        if d.silent.contains(.me) || d.silent.contains(.effects) { programme.effects = DeliveryFiles.Programme.silence(like: programme.effects) }
        // Each stem laid out on its own; the M&E and the mix are sums of the laid-out stems.
        let dialogue = DeliveryFiles.laidOut(programme.dialogue, d.layout)
        let music = DeliveryFiles.laidOut(programme.music, d.layout), effects = DeliveryFiles.laidOut(programme.effects, d.layout)
        let me = SceneFiles.add(music, effects)
        for part in d.parts {
            let signal: [[Float]], name: String
            switch part {
            case .mix: (signal, name) = (SceneFiles.add(dialogue, me), "mix")
            case .dialogue: (signal, name) = (dialogue, "dialogue")
            case .me: (signal, name) = (me, "me")
            case .music: (signal, name) = (music, "music")
            case .effects: (signal, name) = (effects, "effects")
            }
            let path = folder + "/\(name).\(d.format.fileExtension)"
            try DeliveryFiles.write(signal, to: path, format: d.format, rate: d.rate)
            arguments += ["--\(name)", path]
        }
        if d.withWords {
            try DeliveryFiles.writeWords(words, to: folder + "/words.json")
            arguments += ["--words", folder + "/words.json"]
        }
        return arguments
    }

    /// The inputs without the word timings (`render` takes none).
    static func withoutWords(_ arguments: [String]) -> [String] {
        guard let i = arguments.firstIndex(of: "--words") else { return arguments }
        return Array(arguments[..<i] + arguments[(i + 2)...])
    }

    struct Run { var status: Int32; var signal: Int32?; var stdout: String; var stderr: String }

    /// Runs the binary with the stock profiles (no user profile folders), stdout and stderr to files.
    private func run(_ binary: String, _ arguments: [String], in folder: String) throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        environment["EARSHOT_PROFILES"] = nil
        environment["EARSHOT_STOCK_PROFILES"] = nil
        let outPath = folder + "/stdout.txt", errPath = folder + "/stderr.txt"
        let process = try SpawnedProcess(executable: binary, arguments: arguments, environment: environment,
                                         stderrPath: errPath, stdoutPath: outPath)
        let status = process.waitUntilExit(timeout: 600)
        if status == nil { process.kill() }
        return Run(status: status ?? -1, signal: process.terminatingSignal,
                   stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
