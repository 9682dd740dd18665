import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The audition mixer without a sound server: sample alignment of switches, the crossfade,
/// environment and loudness matching, track storage, keys and word navigation.
final class AuditionSessionTests: XCTestCase {
    var fixture: AuditionFixture!

    override func setUpWithError() throws { fixture = try AuditionFixture() }
    override func tearDown() { fixture?.remove() }

    /// Pulls a session's output in uneven request sizes (as a sound server asks), left channel.
    func drain(_ session: AuditionSession, sizes: [Int] = [256, 1000, 37, 4096, 480, 1]) -> [Float] {
        var out: [Float] = []
        var buffer = [Float](repeating: 0, count: 2 * 4096)
        var k = 0
        while true {
            let want = sizes[k % sizes.count]
            k += 1
            let got = buffer.withUnsafeMutableBufferPointer { session.produce(into: $0.baseAddress!, frames: want) }
            for i in 0..<got { out.append(buffer[2 * i]) }
            if got < want { return out }
        }
    }

    func testScriptedSwitchIsSampleAlignedAndCrossfadedWithoutAJump() throws {
        let material = try fixture.material()
        let rate = AuditionFixture.rate
        let from = rate / 2, to = 3 * rate, switchAt = 7 * rate / 4
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: from, endFrame: to, stopsAtEnd: true)
        session.schedule(switchTo: .scenario(1), atFrame: switchAt)
        let out = drain(session)
        XCTAssertEqual(out.count, to - from, "plays exactly --from to --to")
        let a = AuditionSignals.heard(material, scenario: 0, from: from, count: to - from)
        let b = AuditionSignals.heard(material, scenario: 1, from: from, count: to - from)
        let s = switchAt - from, fade = AuditionSession.crossfadeFrames
        // Away from the start and end fades, the output is the render itself, sample for sample.
        for i in fade..<s { XCTAssertEqual(out[i], a[i], accuracy: 1e-6, "before the switch, frame \(i)") }
        for i in (s + fade)..<(out.count - fade) { XCTAssertEqual(out[i], b[i], accuracy: 1e-6, "after the switch, frame \(i)") }
        // Inside the fade: weights that sum to one, both sources at the same position.
        var worst: Float = 0
        for i in s..<(s + fade) {
            let w = Float(0.5 - 0.5 * cos(Double.pi * Double(i - s) / Double(fade)))
            worst = max(worst, abs(out[i] - ((1 - w) * a[i] + w * b[i])))
        }
        XCTAssertLessThan(worst, 1e-6)
        // No step larger than the signals' own: compare with 300 ms of each source.
        let natural = max(AuditionSignals.maxJump(a, (s - 14400)..<(s - fade)), AuditionSignals.maxJump(b, (s + 2 * fade)..<(s + 14400)))
        let aroundSwitch = AuditionSignals.maxJump(out, (s - fade)..<(s + 2 * fade))
        XCTAssertLessThanOrEqual(aroundSwitch, natural)
        // The check has teeth: a hard cut at the same point jumps further than the signals do.
        var hardCut = Array(a[0..<s]) + Array(b[s...])
        hardCut[s - 1] = a[s - 1]
        XCTAssertGreaterThan(AuditionSignals.maxJump(hardCut, (s - 2)..<(s + 2)), natural,
                             "the fixture must make an unfaded switch detectable")
    }

    func testSwitchesPauseAndSeekFromAnotherThreadKeepPositionAndLevel() throws {
        let material = try fixture.material()
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: 0)
        var buffer = [Float](repeating: 0, count: 2 * 4800)
        func pull(_ frames: Int) -> [Float] {
            let got = buffer.withUnsafeMutableBufferPointer { session.produce(into: $0.baseAddress!, frames: frames) }
            XCTAssertEqual(got, frames)
            return (0..<got).map { buffer[2 * $0] }
        }
        _ = pull(4800)
        XCTAssertEqual(session.snapshot.frame, 4800)
        session.select(.scenario(1))
        _ = pull(4800)
        XCTAssertEqual(session.snapshot.frame, 9600, "a switch keeps the programme position")
        XCTAssertEqual(session.snapshot.source, .scenario(1))
        session.setPaused(true)
        let fading = pull(4800)
        XCTAssertEqual(fading[AuditionSession.crossfadeFrames...].map { abs($0) }.max(), 0, "silent after the pause fade")
        let heldAt = session.snapshot.frame
        _ = pull(4800)
        XCTAssertEqual(session.snapshot.frame, heldAt, "paused: the position holds")
        session.seek(bySeconds: -0.1)
        XCTAssertEqual(session.snapshot.frame, heldAt - 4800)
        session.setPaused(false)
        let resumed = pull(4800)
        let expected = AuditionSignals.heard(material, scenario: 1, from: heldAt - 4800, count: 4800)
        for i in AuditionSession.crossfadeFrames..<4800 { XCTAssertEqual(resumed[i], expected[i], accuracy: 1e-6) }
    }

    func testEnvironmentOffLoudnessMatchingAndTheOriginal() throws {
        let material = try fixture.material()
        let reference = try XCTUnwrap(material.referenceLUFS)
        let mixes = material.scenarios.compactMap(\.mixLUFS)
        XCTAssertEqual(reference, mixes.reduce(0, +) / Double(mixes.count), accuracy: 1e-9)
        XCTAssertGreaterThan(abs(mixes[0] - mixes[1]), 6, "the fixture's renders differ in loudness")
        let rate = AuditionFixture.rate
        func loudness(_ source: AuditionSession.Source, environment: Bool, matched: Bool) throws -> (lufs: Double, left: [Float]) {
            let session = AuditionSession(material: material, source: source, startFrame: 0, stopsAtEnd: true,
                                          environmentOn: environment, loudnessMatched: matched)
            var interleaved = [Float](repeating: 0, count: 2 * material.frames)
            let got = interleaved.withUnsafeMutableBufferPointer { session.produce(into: $0.baseAddress!, frames: material.frames) }
            XCTAssertEqual(got, material.frames)
            let meter = try LoudnessMeter(sampleRate: rate, channels: 2, truePeak: false, windowMaxima: false)
            meter.add(interleaved: interleaved)
            return (try XCTUnwrap(meter.result.integratedLUFS), (0..<got).map { interleaved[2 * $0] })
        }
        // Environment off: the mix alone.
        let dry = try loudness(.scenario(0), environment: false, matched: false)
        let mix = material.scenarios[0].mix.read(from: 0, count: material.frames).left
        for i in stride(from: 1000, to: material.frames - 1000, by: 997) { XCTAssertEqual(dry.left[i], mix[i], accuracy: 1e-6) }
        // Matching: every render at the original's (played) loudness; the original at the renders' mean.
        for s in 0..<2 {
            for environment in [true, false] {
                // The start and end fades (10 ms each) move a 4-s measurement by well under 0.1 LU.
                XCTAssertEqual(try loudness(.scenario(s), environment: environment, matched: true).lufs, reference, accuracy: 0.1)
            }
        }
        XCTAssertEqual(try loudness(.original, environment: true, matched: false).lufs, reference, accuracy: 0.1)
        XCTAssertEqual(try loudness(.scenario(1), environment: true, matched: false).lufs, try XCTUnwrap(material.scenarios[1].totalLUFS), accuracy: 0.1,
                       "unmatched renders play at their calibrated level")
    }

    func testMappedFilesHoldTheSameSamplesAsMemoryInAPrivateFolderThatIsRemoved() throws {
        let range = 12000..<150000
        let inMemory = try fixture.material(range: range)
        let mapped = try fixture.material(memoryBudgetBytes: 0, range: range)
        XCTAssertNil(inMemory.folder)
        let folder = try XCTUnwrap(mapped.folder)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".wav") }.count, 5)
        XCTAssertEqual(mapped.firstFrame, 12000)
        XCTAssertEqual(mapped.frames, range.count)
        for (a, b) in zip(inMemory.scenarios, mapped.scenarios) {
            XCTAssertEqual(a.mix.read(from: 0, count: range.count), b.mix.read(from: 0, count: range.count))
            XCTAssertEqual(a.environment.read(from: 0, count: range.count), b.environment.read(from: 0, count: range.count))
        }
        XCTAssertEqual(inMemory.original.read(from: 0, count: range.count), mapped.original.read(from: 0, count: range.count))
        // The range is a slice of the full render (same samples at the same programme frames).
        let full = try fixture.material()
        let x = full.scenarios[1].mix.read(from: 12000 + 5000, count: 1000), y = mapped.scenarios[1].mix.read(from: 5000, count: 1000)
        for i in 0..<1000 { XCTAssertEqual(x.left[i], y.left[i], accuracy: 1e-6) }
        // Playing from the mapped files gives the same output.
        let s1 = AuditionSession(material: inMemory, stopsAtEnd: true), s2 = AuditionSession(material: mapped, stopsAtEnd: true)
        XCTAssertEqual(drain(s1), drain(s2))
        mapped.removeFiles()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }

    func testLoopWrapsToItsStartAndStaysInside() throws {
        let material = try fixture.material()
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: 0)
        session.setLoop(24000..<48000)
        XCTAssertEqual(session.snapshot.frame, 24000, "a loop elsewhere jumps into it")
        var buffer = [Float](repeating: 0, count: 2 * 1000)
        var seen = Set<Int>()
        for _ in 0..<200 {
            _ = buffer.withUnsafeMutableBufferPointer { session.produce(into: $0.baseAddress!, frames: 1000) }
            let f = session.snapshot.frame
            XCTAssertTrue((24000..<48000).contains(f), "frame \(f) outside the loop")
            seen.insert(f / 1000)
        }
        XCTAssertGreaterThan(seen.count, 20, "the loop plays through, wrapping")
    }

    func testKeysDecodeFromRawTerminalBytes() {
        var decoder = KeyDecoder()
        XCTAssertEqual(decoder.feed(Array("1 0qmel".utf8)), [.digit(1), .space, .digit(0), .character("q"), .character("m"), .character("e"), .character("l")])
        XCTAssertEqual(decoder.feed([0x1B, 0x5B, 0x43, 0x1B, 0x5B, 0x44]), [.right, .left])
        XCTAssertEqual(decoder.feed([0x1B]), [], "an escape waits for the rest of its sequence")
        XCTAssertEqual(decoder.feed([0x4F, 0x44, 0x6E]), [.left, .character("n")])
        XCTAssertEqual(decoder.feed([0x1B, 0x5B, 0x31, 0x3B, 0x35, 0x41, 0x03]), [.interrupt], "other sequences are skipped")
    }

    func testControllerKeysDriveTheSessionAndStatusShowsTheWord() throws {
        let material = try fixture.material()
        let words = AuditionWords(byScenario: [
            [AuditionWord(index: 0, text: "alpha", startSeconds: 0.2, endSeconds: 0.6, sii: 0.8, masked: false),
             AuditionWord(index: 1, text: "bravo", startSeconds: 1.5, endSeconds: 1.9, sii: 0.3, masked: true, maskedBy: "music"),
             AuditionWord(index: 2, text: "charlie", startSeconds: 3.0, endSeconds: 3.4, sii: 0.2, masked: true, maskedBy: "environment")],
            [AuditionWord(index: 0, text: "alpha", startSeconds: 0.2, endSeconds: 0.6, sii: 0.9, masked: false),
             AuditionWord(index: 1, text: "bravo", startSeconds: 1.5, endSeconds: 1.9, sii: 0.7, masked: false),
             AuditionWord(index: 2, text: "charlie", startSeconds: 3.0, endSeconds: 3.4, sii: 0.3, masked: true, maskedBy: "music")],
        ])
        let session = AuditionSession(material: material, source: .scenario(0), startFrame: 0)
        let controller = AuditionController(session: session, words: words)
        XCTAssertTrue(controller.handle(.digit(2)))
        XCTAssertEqual(session.snapshot.source, .scenario(1))
        controller.handle(.digit(7))
        XCTAssertEqual(session.snapshot.source, .scenario(1), "a missing scenario changes nothing")
        XCTAssertTrue(controller.statusLine().contains("no scenario 7"))
        controller.handle(.digit(1))
        controller.handle(.character("n"))
        XCTAssertEqual(session.snapshot.frame, 24000, "n lands a second before 'bravo' (masked in scenario 1)")
        controller.handle(.character("n"))
        XCTAssertEqual(session.snapshot.frame, 96000, "then 'charlie'")
        controller.handle(.character("p"))
        XCTAssertEqual(session.snapshot.frame, 24000, "p goes back to 'bravo'")
        controller.handle(.digit(2))
        controller.handle(.character("p"))
        XCTAssertTrue(controller.statusLine().contains("no flagged word before here"), "scenario 2 masks only 'charlie'")
        controller.handle(.digit(0))
        XCTAssertEqual(words.words(for: .original).filter(\.masked).map(\.text), ["bravo", "charlie"], "the original flags what any scenario masks")
        controller.handle(.digit(1))
        controller.handle(.character("l"))
        XCTAssertEqual(session.snapshot.loop, 24000..<139200, "l loops 'bravo' with a second either side")
        controller.handle(.character("l"))
        XCTAssertNil(session.snapshot.loop)
        controller.handle(.character("e"))
        controller.handle(.character("m"))
        XCTAssertFalse(session.snapshot.environmentOn)
        XCTAssertTrue(session.snapshot.loudnessMatched)
        session.seek(toFrame: 80000)   // 1.667 s: inside "bravo"
        let status = controller.statusLine()
        XCTAssertTrue(status.contains("[1] dull@quiet"), status)
        XCTAssertTrue(status.contains("\"bravo\" MASKED by music (SII 0.30)"), status)
        XCTAssertTrue(status.contains("00:00:01:16 (1.67 s)"), status)
        XCTAssertTrue(status.contains("env off") && status.contains("match on"), status)
        controller.handle(.digit(0))
        XCTAssertTrue(controller.statusLine().contains("\"bravo\" masked in 1 of 2"))
        XCTAssertFalse(controller.handle(.character("q")))
    }

    func testWordsFromAReportNameMissingScenarios() throws {
        let report = try ReportJSONFixture.document(scenarios: [("a@b", [ReportJSONFixture.Word(index: 0, text: "hi", sii: 0.2, masked: true, maskedBy: "effects")])])
        let words = try AuditionWords(report: report, scenarioIDs: ["a@b"], file: "r.json")
        XCTAssertEqual(words.byScenario[0], [AuditionWord(index: 0, text: "hi", startSeconds: 0, endSeconds: 0.3, sii: 0.2, masked: true, maskedBy: "effects")])
        XCTAssertThrowsError(try AuditionWords(report: report, scenarioIDs: ["x@y"], file: "r.json")) { error in
            XCTAssertTrue("\(error)".contains("has no scenario 'x@y'; it has a@b"), "\(error)")
        }
    }
}
