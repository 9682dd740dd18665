import Foundation
@testable import EarshotKit
@testable import EarshotTestSupport

/// One input that `earshot` must handle cleanly: the files to create, the command line, and
/// the documented outcome — the exit code and what the one-line message on stderr must name
/// (the file and the place in it: line, sample, byte, field or header).
///
/// In paths, arguments and expected fragments, `{case}` is the case's own folder, `{scene}`
/// the shared good scene (see `BadInputCorpus.writeScene`) and `{out}` the output folder,
/// which already holds a report.json and report.html from an earlier run.
struct BadInputCase {
    enum File {
        case bytes([UInt8])
        case text(String)
        case folder
        /// A symbolic link to a path (placeholders allowed).
        case link(String)
    }

    var name: String
    /// Paths relative to `{case}`.
    var files: [(path: String, file: File)]
    var arguments: [String]
    var exitCode: Int32
    /// Fragments stderr must contain. For exit code 0, fragments report.json must contain.
    var mentions: [String]
    /// For exit code 0: the programme length report.json must give.
    var durationSeconds: Double? = nil
}

/// The bad-input corpus: every kind of input (audio, word timings, profiles, command line),
/// broken in the ways files really break, and the few odd inputs that are legitimately usable
/// (8-bit, 192 kHz, silence), each with its documented outcome. `BadInputCorpusTests` runs
/// every case through the built `earshot` binary.
enum BadInputCorpus {
    static let rate = 48000
    static let seconds = 2.0
    static var frames: Int { Int(seconds * Double(rate)) }
    static let scenario = ["--scenario", "test-speaker@quiet-test"]

    // MARK: The good scene the cases break

    /// (word, start, end) of the scene's dialogue: harmonic bursts at 140 Hz.
    static let words: [(text: String, start: Double, end: Double)] = [
        ("where", 0.20, 0.50), ("were", 0.60, 0.95), ("you", 1.20, 1.50), ("tonight", 1.55, 1.90),
    ]

    static func dialogue(rate: Int = rate) -> [Float] {
        let n = Int(seconds * Double(rate))
        var x = [Float](repeating: 0, count: n)
        for w in words {
            let i0 = Int(w.start * Double(rate)), i1 = Int(w.end * Double(rate))
            let ramp = 0.01 * Double(rate)
            for i in i0..<i1 {
                let t = Double(i) / Double(rate)
                let edge = min(1, Double(i - i0) / ramp, Double(i1 - 1 - i) / ramp)
                var voiced = 0.0
                for k in 1...12 { voiced += sin(2 * .pi * 140 * Double(k) * t) / Double(k) }
                x[i] = Float(0.12 * edge * voiced)
            }
        }
        return x
    }

    static func musicAndEffects(rate: Int = rate) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { i in
            let t = Double(i) / Double(rate)
            return Float(0.05 * sin(2 * .pi * 60 * t) + 0.01 * sin(2 * .pi * 330 * t))
        }
    }

    static func mix(rate: Int = rate) -> [Float] {
        zip(dialogue(rate: rate), musicAndEffects(rate: rate)).map { $0 + $1 }
    }

    static func stereoWAV(_ x: [Float], rate: Int = rate, encoding: WAVBytes.Encoding = .float32) -> WAVBytes {
        WAVBytes(channels: [x, x], sampleRate: rate, encoding: encoding)
    }

    /// The scene's words as WhisperX JSON, one word per line from line 3.
    static var wordsJSON: String {
        let lines = words.map { "  {\"word\": \"\($0.text)\", \"start\": \($0.start), \"end\": \($0.end)}" }
        return "{\"segments\": [{\"words\": [\n\n" + lines.joined(separator: ",\n") + "\n]}]}\n"
    }

    /// A device manifest (the scene's test speaker) as pretty-printed JSON with sorted keys;
    /// `edit` changes the object first.
    static func deviceManifest(_ id: String, _ edit: (inout [String: Any]) -> Void = { _ in }) -> String {
        var m: [String: Any] = [
            "schemaVersion": 1, "id": id, "name": "Test \(id)", "category": "phone", "channelMode": "mono",
            "response": ["frequencyResponse": "flat.csv"],
            "level": ["sensitivityDBSPL": 90.0, "listeningDistanceMeters": 0.35],
            "volumeCurve": [[0, -60], [50, -12], [100, 0]],
            "excursion": ["resonanceHz": 800, "q": 1.0, "limitDBFS": -10, "usableLowCutHz": 400],
            "provenance": provenance,
        ]
        edit(&m)
        return json(m)
    }

    static func environmentManifest(_ id: String, _ edit: (inout [String: Any]) -> Void = { _ in }) -> String {
        var m: [String: Any] = [
            "schemaVersion": 1, "id": id, "name": "Test \(id)", "category": "environment", "levelDBA": 30,
            "spectrum": [[125, 0], [500, 0], [2000, -6], [8000, -12]], "seed": 42, "provenance": provenance,
        ]
        edit(&m)
        return json(m)
    }

    static let provenance: [String: Any] = [
        "kind": "modelled", "summary": "test profile", "publishedFigures": ["none: a test fixture"], "confidence": "low",
    ]
    static let flatCSV = "frequencyHz,levelDB\n20,0\n20000,0\n"

    static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes the good scene: 2 s of dialogue, M&E and their mix (48 kHz stereo float), the
    /// words, and the stock profiles the cases use (a small mono speaker, a quiet room).
    static func writeScene(at folder: String) throws {
        func write(_ path: String, _ bytes: [UInt8]) throws {
            let full = folder + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: full))
        }
        try write("dialogue.wav", stereoWAV(dialogue()).bytes)
        try write("me.wav", stereoWAV(musicAndEffects()).bytes)
        try write("mix.wav", stereoWAV(mix()).bytes)
        try write("words.json", Array(wordsJSON.utf8))
        try write("profiles/test-speaker/profile.json", Array(deviceManifest("test-speaker").utf8))
        try write("profiles/test-speaker/flat.csv", Array(flatCSV.utf8))
        try write("profiles/quiet-test/profile.json", Array(environmentManifest("quiet-test").utf8))
    }

    // MARK: Command lines

    static let stems = ["--dialogue", "{scene}/dialogue.wav", "--me", "{scene}/me.wav"]

    /// `earshot check` on the scene with one cheap scenario, with `inputs` in place of the
    /// scene's mix and stems when given.
    static func check(_ inputs: [String]? = nil, _ extra: [String] = []) -> [String] {
        ["check"] + (inputs ?? ["--mix", "{scene}/mix.wav"] + stems) + scenario + ["--out", "{out}"] + extra
    }

    static func checkWords(_ file: String) -> [String] { check(nil, ["--words", "{case}/" + file]) }

    /// A check with an extra profile folder holding `files` under `{case}/profiles/`.
    static func checkProfiles(_ scenario: String = "test-speaker@quiet-test") -> [String] {
        ["check", "--mix", "{scene}/mix.wav"] + stems + ["--profiles", "{case}/profiles", "--scenario", scenario, "--out", "{out}"]
    }

    // MARK: The cases

    static var cases: [BadInputCase] { audio + wordTimings + profiles + otherFiles + commandLine }

    static var audio: [BadInputCase] {
        let mixWAV = stereoWAV(mix())
        let full = mixWAV.bytes
        var nan = mix(), inf = dialogue()
        nan[30000] = .nan
        inf[100] = .infinity
        let nanRight = WAVBytes(channels: [mix(), nan], sampleRate: rate)
        var lyingShorter = mixWAV
        lyingShorter.declaredDataBytes = 8000
        var lyingLonger = mixWAV
        lyingLonger.declaredDataBytes = UInt32(4 * frames * 8)
        var oneHertz = mixWAV
        oneHertz.declaredSampleRate = 1
        var megahertz = mixWAV
        megahertz.declaredSampleRate = 1_000_000
        let eight = WAVBytes(channels: Array(repeating: mix(), count: 8), sampleRate: rate, encoding: .pcm16)
        let three = WAVBytes(channels: Array(repeating: mix(), count: 3), sampleRate: rate, encoding: .pcm16)
        let mixOnly = { (file: String) in check(["--mix", "{case}/" + file]) }
        return [
            BadInputCase(name: "audio: a text file named .wav", files: [("mix.wav", .text("Scene 12, take 3: the wide.\n"))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "not a readable audio file"]),
            BadInputCase(name: "audio: zero-byte file", files: [("mix.wav", .bytes([]))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "not a readable audio file"]),
            BadInputCase(name: "audio: a header and no samples", files: [("mix.wav", .bytes(stereoWAV([]).bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "no audio (0 samples)"]),
            BadInputCase(name: "audio: truncated in the middle of the samples",
                         files: [("mix.wav", .bytes(Array(full.prefix(WAVBytes.dataOffset + 8 * 12000 + 3))))],
                         arguments: mixOnly("mix.wav"), exitCode: 1,
                         mentions: ["{case}/mix.wav: sample 12000:", "truncated", "the header promises 96000 samples"]),
            BadInputCase(name: "audio: FLAC cut short (the demo mix's first 300 kB)", files: [("mix.flac", .bytes(demoMixPrefix))],
                         arguments: mixOnly("mix.flac"), exitCode: 1,
                         mentions: ["{case}/mix.flac: sample ", "file ends early: the header promises 1451113 samples", "truncated"]),
            BadInputCase(name: "audio: header says four times the samples there are", files: [("mix.wav", .bytes(lyingLonger.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1,
                         mentions: ["{case}/mix.wav: sample 96000:", "truncated", "the header promises 384000 samples"]),
            BadInputCase(name: "audio: header says 1000 samples, 96000 follow", files: [("mix.wav", .bytes(lyingShorter.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1,
                         mentions: ["{case}/mix.wav: byte 8044:", "the header says the audio ends here, after 1000 samples"]),
            BadInputCase(name: "audio: header says 1 Hz", files: [("mix.wav", .bytes(oneHertz.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "sample rate of 1 Hz"]),
            BadInputCase(name: "audio: header says 1 MHz", files: [("mix.wav", .bytes(megahertz.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "sample rate of 1000000 Hz"]),
            BadInputCase(name: "audio: NaN sample in the mix's right channel", files: [("mix.wav", .bytes(nanRight.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: sample 30000, channel 2:", "NaN"]),
            BadInputCase(name: "audio: infinite sample in the dialogue stem", files: [("dialogue.wav", .bytes(stereoWAV(inf).bytes))],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{scene}/me.wav"]),
                         exitCode: 1, mentions: ["{case}/dialogue.wav: sample 100, channel 1:", "infinite"]),
            BadInputCase(name: "audio: 7.1 (eight channels) is refused", files: [("mix.wav", .bytes(eight.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1,
                         mentions: ["{case}/mix.wav: header:", "8 channels", "fold 7.1 to 5.1 or stereo"]),
            BadInputCase(name: "audio: three channels", files: [("mix.wav", .bytes(three.bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 1, mentions: ["{case}/mix.wav: header:", "3 channels"]),
            BadInputCase(name: "audio: dialogue stem shorter than the mix",
                         files: [("dialogue.wav", .bytes(stereoWAV(Array(dialogue().prefix(72000))).bytes))],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{scene}/me.wav"]),
                         exitCode: 1, mentions: ["{case}/dialogue.wav:", "has 72000 samples (1.500 s)", "the same length"]),
            BadInputCase(name: "audio: dialogue stem at 44.1 kHz, mix at 48 kHz",
                         files: [("dialogue.wav", .bytes(stereoWAV(dialogue(rate: 44100), rate: 44100).bytes))],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{scene}/me.wav"]),
                         exitCode: 1, mentions: ["{case}/dialogue.wav:", "44100 Hz", "48000 Hz", "one sample rate"]),
            BadInputCase(name: "audio: M&E from another version (stems do not add up)",
                         files: [("me.wav", .bytes(stereoWAV(musicAndEffects().map { $0 * 0.3 }).bytes))],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{scene}/dialogue.wav", "--me", "{case}/me.wav"]),
                         exitCode: 1, mentions: ["{scene}/mix.wav:", "the stems do not add up to the mix"]),
            BadInputCase(name: "audio: dialogue stem 10 ms late",
                         files: [("dialogue.wav", .bytes(stereoWAV([Float](repeating: 0, count: 480) + dialogue().dropLast(480)).bytes))],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{scene}/me.wav"]),
                         exitCode: 1, mentions: ["{case}/dialogue.wav:", "10.0 ms later than the mix"]),
            BadInputCase(name: "audio: stem file missing", files: [],
                         arguments: check(["--mix", "{scene}/mix.wav", "--dialogue", "{case}/nope.wav", "--me", "{scene}/me.wav"]),
                         exitCode: 1, mentions: ["{case}/nope.wav:", "no such file"]),
            BadInputCase(name: "audio: a folder as the mix", files: [("takes", .folder)],
                         arguments: mixOnly("takes"), exitCode: 1, mentions: ["{case}/takes:", "is a folder"]),
            BadInputCase(name: "audio: NaN in `metrics loudness`", files: [("mix.wav", .bytes(nanRight.bytes))],
                         arguments: ["metrics", "loudness", "{case}/mix.wav"], exitCode: 1,
                         mentions: ["{case}/mix.wav: sample 30000, channel 2:", "NaN"]),
            BadInputCase(name: "audio: NaN late in the dialogue during `render` leaves no file",
                         files: [("dialogue.wav", .bytes(stereoWAV({ var d = dialogue(); d[90000] = .nan; return d }()).bytes))],
                         arguments: ["render", "--mix", "{scene}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{scene}/me.wav",
                                     "--device", "test-speaker", "--environment", "quiet-test", "--stems", "--out", "{out}/render.wav"],
                         exitCode: 1, mentions: ["{case}/dialogue.wav: sample 90000, channel 1:", "NaN"]),
            // Legitimately usable inputs: a clean run and a report.
            BadInputCase(name: "usable: 8-bit PCM mix", files: [("mix.wav", .bytes(stereoWAV(mix(), encoding: .pcm8).bytes))],
                         arguments: mixOnly("mix.wav"), exitCode: 0, mentions: ["\"mix\": \"mix.wav\""], durationSeconds: 2),
            BadInputCase(name: "usable: 16 kB of zero padding after the samples",
                         files: [("mix.wav", .bytes({ var w = mixWAV; w.trailing = [UInt8](repeating: 0, count: 16384); return w.bytes }()))],
                         arguments: mixOnly("mix.wav"), exitCode: 0, mentions: ["\"mix\": \"mix.wav\""], durationSeconds: 2),
            BadInputCase(name: "usable: 192 kHz mix and stems (resampled to 48 kHz)",
                         files: [("mix.wav", .bytes(stereoWAV(mix(rate: 192_000), rate: 192_000, encoding: .pcm24).bytes)),
                                 ("dialogue.wav", .bytes(stereoWAV(dialogue(rate: 192_000), rate: 192_000, encoding: .pcm24).bytes)),
                                 ("me.wav", .bytes(stereoWAV(musicAndEffects(rate: 192_000), rate: 192_000, encoding: .pcm24).bytes))],
                         arguments: check(["--mix", "{case}/mix.wav", "--dialogue", "{case}/dialogue.wav", "--me", "{case}/me.wav"]),
                         exitCode: 0, mentions: ["\"dialogue\": \"dialogue.wav\""], durationSeconds: 2),
            BadInputCase(name: "usable: digital silence (no loudness, nothing to mask)",
                         files: [("mix.wav", .bytes(stereoWAV([Float](repeating: 0, count: frames)).bytes))],
                         arguments: check(["--mix", "{case}/mix.wav", "--dialogue", "{case}/mix.wav", "--me", "{case}/mix.wav"]),
                         exitCode: 0, mentions: ["\"integratedLUFS\": null"], durationSeconds: 2),
        ]
    }

    /// The first 300 kB of the demo scene's FLAC mix (30 s, 917 kB).
    static var demoMixPrefix: [UInt8] {
        let path = TestPackage.root.appendingPathComponent("Examples/demo-scene/mix.flac").path
        return Array((FileManager.default.contents(atPath: path) ?? Data()).prefix(300_000))
    }

    static var wordTimings: [BadInputCase] {
        let latin1: [UInt8] = Array("1\n00:00:00,200 --> 00:00:00,500\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x0A]
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let words = { (name: String, text: String, mentions: [String]) in
            BadInputCase(name: "words: " + name.replacingOccurrences(of: "_", with: " "), files: [(fileName(name), .text(text))],
                         arguments: checkWords(fileName(name)), exitCode: 1, mentions: mentions)
        }
        return [
            words("srt_bad_timestamp", "1\n00:00:00,200 --> 00:00:0x,500\nwhere\n",
                  ["{case}/words.srt: line 2:", "malformed timestamp '00:00:0x,500'"]),
            words("srt_no_timing_line", "1\nwhere were you\n\n2\n00:00:01,200 --> 00:00:01,500\nyou\n",
                  ["{case}/words.srt: line 2:", "expected the timing line"]),
            words("srt_end_before_start", "1\n00:00:01,500 --> 00:00:01,200\nyou\n",
                  ["{case}/words.srt: line 2:", "ends at 1.200 s", "before it starts at 1.500 s"]),
            words("srt_overlapping_cues", "1\n00:00:00,200 --> 00:00:01,000\nwhere\n\n2\n00:00:00,500 --> 00:00:01,500\nyou\n",
                  ["{case}/words.srt: line 6:", "overlaps word 'where' at line 2"]),
            words("vtt_no_header", "00:00.200 --> 00:00.500\nwhere\n", ["{case}/words.vtt: line 1:", "must start with \"WEBVTT\""]),
            words("vtt_sixty_seconds", "WEBVTT\n\n00:60.000 --> 00:61.000\nwhere\n",
                  ["{case}/words.vtt: line 3:", "malformed timestamp '00:60.000'", "below 60"]),
            words("textgrid_unclosed_string",
                  "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n2\n<exists>\n1\n\"IntervalTier\"\n\"words\"\n0\n2\n1\n0.2\n0.5\n\"where\n",
                  ["{case}/words.TextGrid: line 14:", "no closing quote"]),
            words("textgrid_ends_early",
                  "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n2\n<exists>\n1\n\"IntervalTier\"\n\"words\"\n0\n2\n3\n0.2\n0.5\n\"where\"\n",
                  ["{case}/words.TextGrid: line 14:", "ends early", "interval 2 of tier 1"]),
            words("textgrid_unknown_tier_class",
                  "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n2\n<exists>\n1\n\"PitchTier\"\n\"words\"\n0\n2\n0\n",
                  ["{case}/words.TextGrid: line 7:", "tier 1 has class \"PitchTier\""]),
            words("textgrid_binary", "File type = \"ooBinaryFile\"\nObject class = \"TextGrid\"\n",
                  ["{case}/words.TextGrid: line 1:", "only Praat text TextGrids"]),
            words("textgrid_negative_time",
                  "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n2\n<exists>\n1\n\"IntervalTier\"\n\"words\"\n0\n2\n1\n-0.5\n0.5\n\"where\"\n",
                  ["{case}/words.TextGrid: line 14:", "starts at -0.500 s", "must not be negative"]),
            words("json_cut_short", "{\"segments\": [{\"words\": [\n  {\"word\": \"where\", \"start\": 0.2,\n",
                  ["{case}/words.json: line 3, column 1:", "malformed JSON"]),
            words("json_start_is_text", "{\"segments\": [{\"words\": [\n\n  {\"word\": \"where\", \"start\": \"0.2\", \"end\": 0.5}\n]}]}\n",
                  ["{case}/words.json: line 3:", "\"start\" of word 1 of segment 1 ('where') is a string"]),
            words("json_segments_not_a_list", "{\"segments\": 3}\n", ["{case}/words.json: line 1:", "\"segments\" is a number"]),
            words("json_infinite_time", "{\"words\": [\n  {\"word\": \"where\", \"start\": 0.2, \"end\": Infinity}\n]}\n",
                  ["{case}/words.json: line 2:", "\"end\" of word 1 ('where') is infinite"]),
            words("json_nested_600_deep", deep, ["{case}/words.json: line 1, column 513:", "nested more than 512 levels"]),
            words("json_textgrid_bad_entry", "{\"tiers\": {\"words\": {\"type\": \"IntervalTier\", \"entries\": [\n  [0.2, \"where\"]\n]}}}\n",
                  ["{case}/words.json: line 2:", "entry 1 of tier \"words\" is not [start, end, \"label\"]"]),
            words("json_past_the_end", "{\"segments\": [{\"words\": [\n\n  {\"word\": \"late\", \"start\": 2.5, \"end\": 2.8}\n]}]}\n",
                  ["{case}/words.json: line 3:", "word 'late' starts at 2.500 s", "at or after the end of the programme (2.000 s"]),
            words("json_ends_long_after_the_end", "{\"segments\": [{\"words\": [\n\n  {\"word\": \"long\", \"start\": 1.5, \"end\": 3.0}\n]}]}\n",
                  ["{case}/words.json: line 3:", "ends at 3.000 s", "more than 0.5 s after the end of the programme"]),
            words("json_overlapping_words",
                  "{\"segments\": [{\"words\": [\n\n  {\"word\": \"one\", \"start\": 0.2, \"end\": 0.8},\n  {\"word\": \"two\", \"start\": 0.5, \"end\": 0.9}\n]}]}\n",
                  ["{case}/words.json: line 4:", "word 'two' (0.500–0.900 s) overlaps word 'one' at line 3"]),
            words("empty_srt", "", ["{case}/words.srt:", "the file is empty"]),
            BadInputCase(name: "words: Latin-1 subtitle text", files: [("words.srt", .bytes(latin1))], arguments: checkWords("words.srt"),
                         exitCode: 1, mentions: ["{case}/words.srt: line 3, byte 35:", "not valid UTF-8 (byte 0xE9)"]),
            BadInputCase(name: "words: UTF-16 with an odd number of bytes",
                         files: [("words.srt", .bytes([0xFF, 0xFE] + Array("1\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41]))],
                         arguments: checkWords("words.srt"), exitCode: 1,
                         mentions: ["{case}/words.srt: line 2, byte 6:", "odd number of bytes"]),
            BadInputCase(name: "words: a WAV file named words.srt", files: [("words.srt", .bytes(stereoWAV(mix()).bytes))],
                         arguments: checkWords("words.srt"), exitCode: 1, mentions: ["{case}/words.srt:", "is an audio file, not word timings"]),
            BadInputCase(name: "words: file missing", files: [], arguments: checkWords("words.srt"), exitCode: 1,
                         mentions: ["{case}/words.srt:", "no such file"]),
            BadInputCase(name: "words: unknown format", files: [("words.txt", .text("where were you tonight\n"))],
                         arguments: checkWords("words.txt"), exitCode: 1, mentions: ["{case}/words.txt:", "unrecognised word-timing format"]),
        ]
    }

    static func fileName(_ caseName: String) -> String {
        if caseName.hasPrefix("srt") || caseName.hasPrefix("empty_srt") { return "words.srt" }
        if caseName.hasPrefix("vtt") { return "words.vtt" }
        if caseName.hasPrefix("textgrid") { return "words.TextGrid" }
        return "words.json"
    }

    static var profiles: [BadInputCase] {
        let manifest = "{case}/profiles/bad/profile.json"
        func device(_ name: String, _ edit: @escaping (inout [String: Any]) -> Void, extra: [(String, BadInputCase.File)] = [("flat.csv", .text(flatCSV))],
                    scenario: String = "test-speaker@quiet-test", mentions: [String]) -> BadInputCase {
            BadInputCase(name: "profile: " + name,
                         files: [("profiles/bad/profile.json", .text(deviceManifest("bad", edit)))] + extra.map { ("profiles/bad/" + $0.0, $0.1) },
                         arguments: checkProfiles(scenario), exitCode: 1, mentions: mentions)
        }
        var silentIR = [Float](repeating: 0, count: 256)
        let silent = WAVBytes(channels: [silentIR], sampleRate: rate).bytes
        silentIR[10] = .nan
        let nanIR = WAVBytes(channels: [silentIR], sampleRate: rate).bytes
        return [
            device("level missing", { $0["level"] = nil }, mentions: [manifest + ": field 'level':", "missing"]),
            device("sensitivity is text", { $0["level"] = ["sensitivityDBSPL": "loud"] },
                   mentions: [manifest + ": field 'level.sensitivityDBSPL':", "expected a number, found a string"]),
            device("negative sensitivity", { $0["level"] = ["sensitivityDBSPL": -10] },
                   mentions: [manifest + ": field 'level.sensitivityDBSPL':", "-10.0 is out of range"]),
            device("volume curve going down", { $0["volumeCurve"] = [[0, -60], [50, -12], [40, 0]] },
                   mentions: [manifest + ": field 'volumeCurve[2]':", "percent values must increase"]),
            device("schema version 2", { $0["schemaVersion"] = 2 }, mentions: [manifest + ": field 'schemaVersion':", "not supported"]),
            device("channel mode 'quad'", { $0["channelMode"] = "quad" },
                   mentions: [manifest + ": field 'channelMode':", "'quad' is not one of mono, stereo"]),
            device("impulse response missing", { $0["response"] = ["impulseResponse": "ir.wav"] }, extra: [],
                   mentions: [manifest + ": field 'response.impulseResponse':", "'ir.wav' does not exist"]),
            device("impulse response is not audio", { $0["response"] = ["impulseResponse": "ir.wav"] },
                   extra: [("ir.wav", .text("frequencyHz,levelDB\n20,0\n"))], scenario: "bad@quiet-test",
                   mentions: ["{case}/profiles/bad/ir.wav: header:", "not a readable audio file"]),
            device("impulse response is silent", { $0["response"] = ["impulseResponse": "ir.wav"] },
                   extra: [("ir.wav", .bytes(silent))], scenario: "bad@quiet-test",
                   mentions: ["{case}/profiles/bad/ir.wav:", "the impulse response is silent"]),
            device("impulse response holds NaN", { $0["response"] = ["impulseResponse": "ir.wav"] },
                   extra: [("ir.wav", .bytes(nanIR))], scenario: "bad@quiet-test",
                   mentions: ["{case}/profiles/bad/ir.wav: sample 10, channel 1:", "NaN"]),
            device("frequency response CSV with text", { _ in }, extra: [("flat.csv", .text("frequencyHz,levelDB\n20,0\n1000,loud\n"))],
                   scenario: "bad@quiet-test", mentions: ["{case}/profiles/bad/flat.csv: line 3:", "expected 'frequencyHz,levelDB' numbers"]),
            device("path leaves the folder", { $0["response"] = ["frequencyResponse": "../../outside.csv"] },
                   extra: [("../../outside.csv", .text(flatCSV))],
                   mentions: [manifest + ": field 'response.frequencyResponse':", "leaves the profile folder"]),
            device("absolute path", { $0["response"] = ["frequencyResponse": "/etc/hostname"] },
                   mentions: [manifest + ": field 'response.frequencyResponse':", "is an absolute path"]),
            device("symbolic link out of the folder", { $0["response"] = ["frequencyResponse": "link.csv"] },
                   extra: [("link.csv", .link("{case}/outside.csv")), ("../../outside.csv", .text(flatCSV))],
                   mentions: [manifest + ": field 'response.frequencyResponse':", "leaves the profile folder"]),
            BadInputCase(name: "profile: manifest is not JSON",
                         files: [("profiles/bad/profile.json", .text("{\n  \"schemaVersion\": 1,\n  \"id\": \"bad\"\n  \"name\": \"Bad\"\n}\n"))],
                         arguments: checkProfiles(), exitCode: 1, mentions: [manifest + ": line 4, column 3:", "not valid JSON"]),
            BadInputCase(name: "profile: manifest is a list",
                         files: [("profiles/bad/profile.json", .text("[1, 2]\n"))],
                         arguments: checkProfiles(), exitCode: 1, mentions: [manifest + ": line 1:", "expected a JSON object"]),
            BadInputCase(name: "profile: manifest in Latin-1",
                         files: [("profiles/bad/profile.json", .bytes(Array("{\"name\": \"Caf".utf8) + [0xE9] + Array("\"}\n".utf8)))],
                         arguments: checkProfiles(), exitCode: 1, mentions: [manifest + ": line 1, byte 13:", "not valid UTF-8"]),
            BadInputCase(name: "profile: environment with a negative level",
                         files: [("profiles/bad/profile.json", .text(environmentManifest("bad") { $0["levelDBA"] = -20 }))],
                         arguments: checkProfiles(), exitCode: 1, mentions: [manifest + ": field 'levelDBA':", "out of range"]),
            BadInputCase(name: "profile: environment recording missing",
                         files: [("profiles/bad/profile.json", .text(environmentManifest("bad") { $0["recording"] = "bus.wav" }))],
                         arguments: checkProfiles(), exitCode: 1, mentions: [manifest + ": field 'recording':", "'bus.wav' does not exist"]),
            BadInputCase(name: "profile: `devices validate` names the field",
                         files: [("profiles/bad/profile.json", .text(deviceManifest("bad") { $0["excursion"] = ["resonanceHz": "low"] })),
                                 ("profiles/bad/flat.csv", .text(flatCSV))],
                         arguments: ["devices", "validate", "{case}/profiles"], exitCode: 1,
                         mentions: [manifest + ": field 'excursion.resonanceHz':", "expected a number, found a string"]),
            BadInputCase(name: "profile: --profiles folder missing", files: [],
                         arguments: checkProfiles(), exitCode: 1, mentions: ["{case}/profiles:", "profile folder does not exist"]),
        ]
    }

    /// The other files a command reads: batch manifests and the platform delivery table.
    static var otherFiles: [BadInputCase] {
        let batch = ["batch", "{case}/series.json", "--out", "{out}"] + scenario
        return [
            BadInputCase(name: "batch: JSON manifest cut short",
                         files: [("series.json", .text("{\"episodes\": [\n  {\"name\": \"ep01\", \"mix\": \"{scene}/mix.wav\"}\n"))],
                         arguments: batch, exitCode: 1, mentions: ["{case}/series.json: line 3, column 1:", "not valid JSON"]),
            BadInputCase(name: "batch: JSON manifest with a number for a path",
                         files: [("series.json", .text("{\"episodes\": [{\"name\": \"ep01\", \"mix\": 3}]}\n"))],
                         arguments: batch, exitCode: 1, mentions: ["{case}/series.json: episodes[0].mix:", "expected a string"]),
            BadInputCase(name: "batch: CSV manifest with an unknown column",
                         files: [("series.csv", .text("name,mix,dialog\nep01,{scene}/mix.wav,{scene}/dialogue.wav\n"))],
                         arguments: ["batch", "{case}/series.csv", "--out", "{out}"] + scenario, exitCode: 1,
                         mentions: ["{case}/series.csv: line 1, column 3:", "unknown column 'dialog'"]),
            BadInputCase(name: "platforms: table that is not JSON",
                         files: [("platforms.json", .text("[\n  {\"name\": \"ReelShort\" \"targetLUFS\": -14}\n]\n"))],
                         arguments: check(nil, ["--platforms", "{case}/platforms.json"]), exitCode: 1,
                         mentions: ["{case}/platforms.json: line 2, column 24:", "not valid JSON: expected ',' or '}'"]),
        ]
    }

    static var commandLine: [BadInputCase] {
        func usage(_ name: String, _ arguments: [String], _ mentions: [String], exitCode: Int32 = 2) -> BadInputCase {
            BadInputCase(name: "command line: " + name, files: [], arguments: arguments, exitCode: exitCode, mentions: mentions)
        }
        let inputs = ["--mix", "{scene}/mix.wav"] + stems
        return [
            usage("unknown device", ["check"] + inputs + ["--scenario", "no-such-phone@quiet-test", "--out", "{out}"],
                  ["unknown device 'no-such-phone'", "known devices: test-speaker"], exitCode: 1),
            usage("unknown environment", ["check"] + inputs + ["--device", "test-speaker", "--environment", "no-such-bus", "--out", "{out}"],
                  ["unknown environment 'no-such-bus'", "known environments: quiet-test"], exitCode: 1),
            usage("an environment as the device", ["check"] + inputs + ["--scenario", "quiet-test@quiet-test", "--out", "{out}"],
                  ["'quiet-test' is an environment, not a device"], exitCode: 1),
            usage("--me with --music", check(["--mix", "{scene}/mix.wav", "--dialogue", "{scene}/dialogue.wav", "--me", "{scene}/me.wav",
                                               "--music", "{scene}/me.wav"]), ["give either --me or --music/--effects, not both"]),
            usage("--demo with --mix", check(["--demo", "--mix", "{scene}/mix.wav"]), ["--demo uses the bundled scene"]),
            usage("only a dialogue stem", check(["--dialogue", "{scene}/dialogue.wav"]), ["only a dialogue stem was given"]),
            usage("no input at all", check([]), ["no input"]),
            usage("--volume 150", check(nil, ["--volume", "150"]), ["--volume must be 0…100 percent, not 150"]),
            usage("--masked-below 2", check(nil, ["--masked-below", "2"]), ["--masked-below must be a probability between 0 and 1"]),
            usage("--scenario without @", ["check"] + inputs + ["--scenario", "test-speaker", "--out", "{out}"],
                  ["--scenario 'test-speaker' must be DEVICE@ENVIRONMENT"]),
            usage("--device without --environment", ["check"] + inputs + ["--device", "test-speaker", "--out", "{out}"],
                  ["give both --device and --environment"]),
            usage("--fail-on with an unknown metric", check(nil, ["--fail-on", "loudness>3"]), ["--fail-on 'loudness>3': unknown metric 'loudness'"]),
            usage("unknown option", check(nil, ["--frobnicate"]), ["Unknown option '--frobnicate'"]),
            usage("--volume is not a number", check(nil, ["--volume", "loud"]), ["--volume", "loud"]),
            usage("render --sample-format wav16", ["render"] + inputs + ["--device", "test-speaker", "--environment", "quiet-test",
                                                                  "--sample-format", "wav16", "--out", "{out}/render.wav"],
                  ["--sample-format must be float32 or pcm24, not 'wav16'"]),
            BadInputCase(name: "command line: --out under a file", files: [("notes.txt", .text("not a folder\n"))],
                         arguments: ["check"] + inputs + scenario + ["--out", "{case}/notes.txt/out"], exitCode: 1,
                         mentions: ["{case}/notes.txt/out:", "cannot create the output folder (Not a directory)"]),
        ]
    }
}
