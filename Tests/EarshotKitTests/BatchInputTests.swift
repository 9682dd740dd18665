import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// `earshot batch` inputs: episode folders, manifests (JSON and CSV), shards, and the errors
/// for bad inputs. These look at file names and text only; no audio is checked.
final class BatchInputTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "earshot-batch-inputs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    func testFolderDiscoveryFindsStemsByNameWithAnyAudioExtensionAndTheWordsFile() throws {
        let series = root + "/series"
        for f in ["ep01/Dialogue.FLAC", "ep01/me.aiff", "ep01/mix.wav", "ep01/words.TextGrid", "ep01/notes.txt", "ep01/dialogue.txt",
                  "ep02/dialogue.ogg", "ep02/music.aif", "ep02/effects.opus", "ep02/words.srt",
                  "ep10/mix.wav", "ep10/words.vtt",
                  ".trash/mix.wav", "qc/ep01/report.json", "old-qc/series.json", "shard-qc/shard-1-of-2.json", "readme.txt"] {
            try SeriesFixtures.touch(series + "/" + f)
        }
        let episodes = try EpisodeFolders.discover(folder: series, excluding: series + "/qc")
        XCTAssertEqual(episodes.map(\.name), ["ep01", "ep02", "ep10"], "hidden folders, loose files, the output folder and earlier outputs are not episodes")
        let ep01 = episodes[0], ep02 = episodes[1], ep10 = episodes[2]
        XCTAssertNil(ep01.problem); XCTAssertNil(ep02.problem); XCTAssertNil(ep10.problem)
        XCTAssertEqual(ep01.inputs.paths, [.dialogue: series + "/ep01/Dialogue.FLAC", .me: series + "/ep01/me.aiff", .mix: series + "/ep01/mix.wav"])
        XCTAssertEqual(ep01.wordsPath, series + "/ep01/words.TextGrid")
        XCTAssertEqual(ep02.inputs.paths, [.dialogue: series + "/ep02/dialogue.ogg", .music: series + "/ep02/music.aif", .effects: series + "/ep02/effects.opus"])
        XCTAssertEqual(ep02.wordsPath, series + "/ep02/words.srt")
        XCTAssertEqual(ep10.inputs.paths, [.mix: series + "/ep10/mix.wav"])
        XCTAssertEqual(ep10.wordsPath, series + "/ep10/words.vtt")
        XCTAssertEqual(ep01.inputFiles.count, 4, "three stems and the words")
    }

    func testEpisodeFolderWithoutAUsableStemIsAnEpisodeProblemNamingTheFolder() throws {
        let series = root + "/series"
        try SeriesFixtures.touch(series + "/good/mix.wav")
        try SeriesFixtures.touch(series + "/nostem/notes.txt")
        try SeriesFixtures.touch(series + "/nostem/dialogue.txt")
        try SeriesFixtures.touch(series + "/twice/dialogue.wav")
        try SeriesFixtures.touch(series + "/twice/dialogue.flac")
        try SeriesFixtures.touch(series + "/twice/me.wav")
        try SeriesFixtures.touch(series + "/dxonly/dialogue.wav")
        try SeriesFixtures.touch(series + "/twowords/mix.wav")
        try SeriesFixtures.touch(series + "/twowords/words.srt")
        try SeriesFixtures.touch(series + "/twowords/words.json")
        let byName = Dictionary(uniqueKeysWithValues: try EpisodeFolders.discover(folder: series).map { ($0.name, $0) })
        XCTAssertNil(byName["good"]!.problem)
        let noStem = try XCTUnwrap(byName["nostem"]!.problem)
        XCTAssertEqual(noStem.file, series + "/nostem")
        XCTAssertTrue(noStem.message.contains("no usable stem"), noStem.description)
        XCTAssertTrue(noStem.message.contains("dialogue.txt"), "says what it found: \(noStem.description)")
        XCTAssertTrue(try XCTUnwrap(byName["twice"]!.problem).message.contains("dialogue.flac and dialogue.wav"))
        XCTAssertTrue(try XCTUnwrap(byName["dxonly"]!.problem).message.contains("only a dialogue stem"))
        XCTAssertTrue(try XCTUnwrap(byName["twowords"]!.problem).message.contains("several word timing files"))
    }

    func testEmptyOrMissingSeriesFolderIsAnErrorNamingIt() throws {
        let empty = root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try SeriesFixtures.touch(empty + "/loose.wav")
        XCTAssertThrowsError(try EpisodeFolders.discover(folder: empty)) { error in
            let e = error as? EarshotError
            XCTAssertEqual(e?.file, empty)
            XCTAssertTrue(e?.message.contains("no episode folders") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try EpisodeFolders.discover(folder: root + "/absent")) { error in
            XCTAssertEqual((error as? EarshotError)?.file, root + "/absent")
        }
    }

    func testJSONManifestResolvesRelativePathsAgainstItsFolder() throws {
        let folder = root + "/lists"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let manifest = folder + "/series.json"
        try """
        {"episodes": [
          {"name": "ep02", "mix": "../audio/ep02/mix.wav", "dialogue": "/abs/ep02_dx.wav", "me": "ep02_me.flac", "words": "ep02.srt", "music": null},
          {"name": "ep01", "mix": "ep01_mix.wav"}
        ]}
        """.write(toFile: manifest, atomically: true, encoding: .utf8)
        let episodes = try BatchManifest.read(path: manifest)
        XCTAssertEqual(episodes.map(\.name), ["ep01", "ep02"])
        XCTAssertEqual(episodes[0].inputs.paths, [.mix: folder + "/ep01_mix.wav"])
        XCTAssertNil(episodes[0].wordsPath)
        XCTAssertEqual(episodes[1].inputs.paths, [.mix: root + "/audio/ep02/mix.wav", .dialogue: "/abs/ep02_dx.wav", .me: folder + "/ep02_me.flac"])
        XCTAssertEqual(episodes[1].wordsPath, folder + "/ep02.srt")
        XCTAssertNil(episodes[0].problem); XCTAssertNil(episodes[1].problem)
    }

    func testCSVManifestWithQuotedCellsAndColumnsInAnyOrder() throws {
        let manifest = root + "/series.csv"
        try "words,name,dialogue,me,mix\r\n\"ep 1, pilot.srt\",ep01,dx/ep01.wav,me/ep01.wav,\r\n\r\n,ep02,,,\"mix/ep02 \"\"final\"\".wav\"\r\n"
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let episodes = try BatchManifest.read(path: manifest)
        XCTAssertEqual(episodes.map(\.name), ["ep01", "ep02"])
        XCTAssertEqual(episodes[0].inputs.paths, [.dialogue: root + "/dx/ep01.wav", .me: root + "/me/ep01.wav"])
        XCTAssertEqual(episodes[0].wordsPath, root + "/ep 1, pilot.srt")
        XCTAssertEqual(episodes[1].inputs.paths, [.mix: root + "/mix/ep02 \"final\".wav"])
        XCTAssertNil(episodes[1].wordsPath)
    }

    func testManifestErrorsNameTheFileAndPlace() throws {
        func error(_ name: String, _ text: String?) -> EarshotError? {
            let path = root + "/" + name
            if let text { try? text.write(toFile: path, atomically: true, encoding: .utf8) }
            do { _ = try BatchManifest.read(path: path); return nil } catch { return error as? EarshotError }
        }
        let missing = error("absent.json", nil)
        XCTAssertEqual(missing?.file, root + "/absent.json")
        XCTAssertEqual(missing?.message, "no such manifest file")

        let unknownColumn = error("a.csv", "name,mix,dialog\nep01,m.wav,d.wav\n")
        XCTAssertEqual(unknownColumn?.file, root + "/a.csv")
        XCTAssertEqual(unknownColumn?.location, "line 1, column 3")
        XCTAssertTrue(unknownColumn?.message.contains("'dialog'") ?? false)

        let shortRow = error("b.csv", "name,mix\nep01,m.wav\nep02\n")
        XCTAssertEqual(shortRow?.location, "line 3")

        let unknownField = error("c.json", "{\"episodes\": [{\"name\": \"ep01\", \"mixx\": \"m.wav\"}]}")
        XCTAssertEqual(unknownField?.location, "episodes[0].mixx")

        let noName = error("d.json", "{\"episodes\": [{\"mix\": \"m.wav\"}]}")
        XCTAssertEqual(noName?.location, "episodes[0]")
        XCTAssertTrue(noName?.message.contains("no name") ?? false)

        let twice = error("e.json", "{\"episodes\": [{\"name\": \"ep01\", \"mix\": \"a.wav\"}, {\"name\": \"ep01\", \"mix\": \"b.wav\"}]}")
        XCTAssertTrue(twice?.message.contains("appears twice") ?? false)

        XCTAssertNotNil(error("f.json", "{\"episodes\": [ {\"name\": "), "broken JSON")
        XCTAssertEqual(error("g.json", "{\"episodes\": []}")?.message, "the manifest lists no episodes")

        // An episode with no audio at all is that episode's problem, not the whole manifest's.
        let episodes = try BatchManifest.read(path: { try! "name,mix,words\nep01,,w.srt\nep02,m.wav,\n".write(toFile: root + "/h.csv", atomically: true, encoding: .utf8); return root + "/h.csv" }())
        XCTAssertEqual(episodes[0].problem?.location, "line 2")
        XCTAssertTrue(episodes[0].problem?.message.contains("no usable stem") ?? false, "\(String(describing: episodes[0].problem))")
        XCTAssertNil(episodes[1].problem)
    }

    func testShardsCoverEveryEpisodeExactlyOnce() throws {
        let episodes = ["e", "b", "g", "a", "d", "c", "f"].map { BatchEpisode(name: $0, inputs: ScenarioInputs(mix: "/\($0).wav")) }
        for n in 1...8 {
            let shards = try (1...n).map { try BatchShard(index: $0, count: n).select(episodes).map(\.name) }
            XCTAssertEqual(shards.flatMap { $0 }.sorted(), ["a", "b", "c", "d", "e", "f", "g"], "N = \(n)")
            XCTAssertLessThanOrEqual(shards.map(\.count).max()! - shards.map(\.count).min()!, 1, "N = \(n): sizes differ by at most one")
        }
        // Name order from 0: episode i is in shard (i mod N) + 1.
        XCTAssertEqual(try BatchShard(parsing: "1/3").select(episodes).map(\.name), ["a", "d", "g"])
        XCTAssertEqual(try BatchShard(parsing: "3/3").select(episodes).map(\.name), ["c", "f"])
        XCTAssertEqual(try BatchShard(parsing: "2-of-3"), try BatchShard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            XCTAssertThrowsError(try BatchShard(parsing: bad)) { XCTAssertEqual(($0 as? EarshotError)?.kind, .usage, bad) }
        }
    }
}
