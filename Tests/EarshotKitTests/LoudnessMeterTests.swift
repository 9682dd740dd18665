import XCTest
@testable import EarshotKit

/// Conformance of `LoudnessMeter` with the minimum-requirement test signals of
/// EBU Tech 3341 "Loudness Metering: 'EBU Mode' metering to supplement EBU R 128 loudness
/// normalization" (the table of test signals and expected responses: cases 1–6, 9, 12, 15–19)
/// and EBU Tech 3342 "Loudness Range" (its minimum-requirements table: cases 1–4), both
/// published by the EBU (tech.ebu.ch/publications/tech3341, /tech3342), synthesized here from the
/// tables' descriptions: 1 kHz sines, levels in dBFS peak per channel, durations in seconds;
/// true-peak cases as sines at fs/4, fs/6, fs/8 with the tables' amplitudes and phases.
/// Expected values and tolerances are the tables': ±0.1 LU for M, S and I; ±1 LU for LRA;
/// +0.2/−0.4 dB for true peak. Where a Tech 3341 case is a set of recorded files whose exact
/// make-up the table does not give (cases 10, 11, 13, 14), the test builds its own signal for the
/// same requirement and says so.
final class LoudnessMeterTests: XCTestCase {
    // MARK: Signals

    /// A continuous-phase stereo (or n-channel) sine whose peak level steps through `segments`.
    static func toneSequence(_ segments: [(dBFS: Double, seconds: Double)], frequencyHz: Double = 1000,
                             sampleRate: Int = 48000, channels: Int = 2) -> [Float] {
        var out: [Float] = []
        var n = 0
        for segment in segments {
            let amplitude = segment.dBFS == -.infinity ? 0 : pow(10, segment.dBFS / 20)
            let count = Int((segment.seconds * Double(sampleRate)).rounded())
            out.reserveCapacity(out.count + count * channels)
            for _ in 0..<count {
                let v = Float(amplitude * sin(2 * Double.pi * frequencyHz * Double(n) / Double(sampleRate)))
                for _ in 0..<channels { out.append(v) }
                n += 1
            }
        }
        return out
    }

    static func measureStereo(_ interleaved: [Float], sampleRate: Int = 48000) throws -> LoudnessResult {
        let meter = try LoudnessMeter(sampleRate: sampleRate, channels: 2)
        meter.add(interleaved: interleaved)
        return meter.result
    }

    func assertLUFS(_ value: Double?, _ expected: Double, tolerance: Double = 0.1,
                    _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let value else { return XCTFail("\(what) is nil, expected \(expected)", file: file, line: line) }
        XCTAssertEqual(value, expected, accuracy: tolerance, what, file: file, line: line)
    }

    // MARK: Window maxima

    /// The meter puts each step's 3 s window together from libebur128's 400 ms and 200 ms
    /// windows; the maxima must equal those of libebur128's own 3 s and 400 ms readings taken
    /// every 100 ms, fed in blocks that do not line up with the steps.
    func testWindowMaximaEqualLibebur128sOwnReadingsEvery100ms() throws {
        let rate = 48000, step = rate / 10
        // 20 s of noise whose level changes every 0.7 s, with 2 s of digital silence in it.
        var random = SeededRandom(seed: 11)
        var signal: [Float] = []
        for k in 0..<(20 * rate) {
            let t = Double(k) / Double(rate)
            let gain = t >= 9 && t < 11 ? 0 : pow(10, (-30 + 12 * sin(Double(Int(t / 0.7)) * 1.3)) / 20)
            let v = Float(gain * random.nextGaussian())
            signal += [v, 0.5 * v]
        }
        let meter = try LoudnessMeter(sampleRate: rate, channels: 2, truePeak: false)
        var k = 0, block = 0
        while k < signal.count / 2 {
            let n = min([3001, 7, 4800, 15000, 1][block % 5], signal.count / 2 - k)
            meter.add(interleaved: Array(signal[(2 * k)..<(2 * (k + n))]))
            k += n
            block += 1
        }
        let reference = try LoudnessMeter(sampleRate: rate, channels: 2, truePeak: false, windowMaxima: false)
        var maxM = -Double.infinity, maxS = -Double.infinity
        for start in stride(from: 0, to: signal.count / 2, by: step) {
            reference.add(interleaved: Array(signal[(2 * start)..<(2 * min(start + step, signal.count / 2))]))
            if let m = reference.momentaryLUFS { maxM = max(maxM, m) }
            if let s = reference.shortTermLUFS { maxS = max(maxS, s) }
        }
        let result = meter.result
        XCTAssertEqual(try XCTUnwrap(result.maxMomentaryLUFS), maxM, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result.maxShortTermLUFS), maxS, accuracy: 1e-9)
        XCTAssertLessThan(maxS, maxM - 0.5, "the 3 s window smooths the 0.7 s level steps more than the 400 ms one")
    }

    // MARK: Tech 3341 cases 1–6: momentary, short-term, integrated

    func testTech3341Case1StereoSineAtMinus23() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-23, 20)]))
        assertLUFS(r.integratedLUFS, -23, "I")
        assertLUFS(r.maxMomentaryLUFS, -23, "max M")
        assertLUFS(r.maxShortTermLUFS, -23, "max S")
        XCTAssertEqual(r.durationSeconds, 20, accuracy: 1e-9)
    }

    func testTech3341Case1AtOtherSampleRates() throws {
        for rate in [44100, 96000] {
            let r = try Self.measureStereo(Self.toneSequence([(-23, 20)], sampleRate: rate), sampleRate: rate)
            assertLUFS(r.integratedLUFS, -23, "I at \(rate) Hz")
            assertLUFS(r.maxShortTermLUFS, -23, "max S at \(rate) Hz")
        }
    }

    func testTech3341Case2StereoSineAtMinus33() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-33, 20)]))
        assertLUFS(r.integratedLUFS, -33, "I")
        assertLUFS(r.maxMomentaryLUFS, -33, "max M")
        assertLUFS(r.maxShortTermLUFS, -33, "max S")
    }

    func testTech3341Case3RelativeGate() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-36, 10), (-23, 60), (-36, 10)]))
        assertLUFS(r.integratedLUFS, -23, "I")
    }

    func testTech3341Case4AbsoluteAndRelativeGate() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)]))
        assertLUFS(r.integratedLUFS, -23, "I")
    }

    func testTech3341Case5() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-26, 20), (-20, 20.1), (-26, 20)]))
        assertLUFS(r.integratedLUFS, -23, "I")
    }

    /// Case 6: 5.0, L and R at −28 dBFS, C at −24, Ls and Rs at −30 → I = −23.0 (the surrounds
    /// count +1.5 dB). The 5.1 variant adds a loud LFE, which BS.1770 leaves out.
    func testTech3341Case6Surround() throws {
        let n = 20 * 48000
        func sine(_ dBFS: Double, _ hz: Double = 1000) -> [Float] {
            let a = pow(10, dBFS / 20)
            return (0..<n).map { Float(a * sin(2 * Double.pi * hz * Double($0) / 48000)) }
        }
        let l = sine(-28), c = sine(-24), s = sine(-30)
        let r50 = try LoudnessMeter.measure(planar: [l, l, c, s, s], sampleRate: 48000, layout: .surround50)
        assertLUFS(r50.integratedLUFS, -23, "I (5.0)")
        let lfe = sine(-6, 50)
        let r51 = try LoudnessMeter.measure(planar: [l, l, c, lfe, s, s], sampleRate: 48000, layout: .surround51)
        assertLUFS(r51.integratedLUFS, -23, "I (5.1, LFE at −6 dBFS ignored)")
        // The LFE still counts for peaks: it is the loudest channel.
        assertLUFS(r51.samplePeakDBFS, -6, tolerance: 0.01, "sample peak includes LFE")
    }

    // MARK: Tech 3341 cases 9 and 12: short-term and momentary windows

    /// Case 9: 1.34 s at −20 dBFS then 1.66 s at −30 dBFS, five times: every 3 s window holds the
    /// same energy, so S = −23.0 ±0.1, constant after 3 s.
    func testTech3341Case9ShortTermConstantAfter3s() throws {
        let period: [(dBFS: Double, seconds: Double)] = [(-20, 1.34), (-30, 1.66)]
        let x = Self.toneSequence(Array(repeating: period, count: 5).flatMap { $0 })
        let meter = try LoudnessMeter(sampleRate: 48000, channels: 2)
        let step = 4800 // read every 100 ms
        var checked = 0
        for start in stride(from: 0, to: x.count / 2, by: step) {
            let end = min(start + step, x.count / 2)
            meter.add(interleaved: Array(x[(2 * start)..<(2 * end)]))
            if meter.framesAdded >= 3 * 48000 {
                assertLUFS(meter.shortTermLUFS, -23, "S at \(Double(meter.framesAdded) / 48000) s")
                checked += 1
            } else {
                XCTAssertNil(meter.shortTermLUFS, "no short-term reading before 3 s")
            }
        }
        XCTAssertEqual(checked, 121)
        assertLUFS(meter.result.maxShortTermLUFS, -23, "max S")
    }

    /// Case 12: 0.18 s at −20 dBFS then 0.22 s at −30 dBFS, repeated: M = −23.0 ±0.1, constant
    /// after 1 s (read here every 50 ms, between the meter's own 100 ms steps too).
    func testTech3341Case12MomentaryConstantAfter1s() throws {
        let period: [(dBFS: Double, seconds: Double)] = [(-20, 0.18), (-30, 0.22)]
        let x = Self.toneSequence(Array(repeating: period, count: 25).flatMap { $0 })
        let meter = try LoudnessMeter(sampleRate: 48000, channels: 2)
        let step = 2400
        for start in stride(from: 0, to: x.count / 2, by: step) {
            meter.add(interleaved: Array(x[(2 * start)..<(2 * (start + step))]))
            if meter.framesAdded >= 48000 {
                assertLUFS(meter.momentaryLUFS, -23, "M at \(Double(meter.framesAdded) / 48000) s")
            }
        }
        assertLUFS(meter.result.maxMomentaryLUFS, -23, "max M")
    }

    /// The requirement of cases 10/13 (max S / max M of a burst = −23.0 ±0.1 whatever its
    /// timing), with signals built here: a −23 dBFS burst one step (100 ms) longer than the
    /// window, so some 100 ms step sees a full window inside it, starting at ten offsets that
    /// are not on the 100 ms grid, between stretches of silence.
    func testBurstMaximaDoNotDependOnTiming() throws {
        for offsetMs in stride(from: 0, through: 90, by: 10) {
            let lead = 1.0 + Double(offsetMs) / 1000
            let m = try Self.measureStereo(Self.toneSequence([(-.infinity, lead), (-23, 0.5), (-.infinity, 1)]))
            assertLUFS(m.maxMomentaryLUFS, -23, "max M, 0.5 s burst at +\(offsetMs) ms")
            let s = try Self.measureStereo(Self.toneSequence([(-.infinity, lead), (-23, 3.1), (-.infinity, 1)]))
            assertLUFS(s.maxShortTermLUFS, -23, "max S, 3.1 s burst at +\(offsetMs) ms")
        }
    }

    /// The requirement of cases 11/14 (successive maxima −38, −37, …, −19 LUFS), one burst per
    /// meter, with the burst lengths of the test above.
    func testBurstMaximaFollowLevel() throws {
        for level in stride(from: -38.0, through: -19.0, by: 1.0) {
            let m = try Self.measureStereo(Self.toneSequence([(-.infinity, 0.25), (level, 0.5), (-.infinity, 0.25)]))
            assertLUFS(m.maxMomentaryLUFS, level, "max M at \(level)")
            if Int(level) % 4 == 0 || level == -19 {
                let s = try Self.measureStereo(Self.toneSequence([(-.infinity, 0.35), (level, 3.1), (-.infinity, 0.25)]))
                assertLUFS(s.maxShortTermLUFS, level, "max S at \(level)")
            }
        }
    }

    // MARK: Tech 3341 cases 15–19: true peak

    /// Stereo sine at `fraction`·fs, peak `amplitude`, starting phase `phaseDegrees` (sin
    /// convention: 0° puts samples on the peaks at fs/4), 1 s with 0.1 s raised-cosine fades so
    /// the onset adds no overshoot of its own.
    static func truePeakSignal(fraction: Double, amplitude: Double, phaseDegrees: Double) -> [Float] {
        let n = 48000, fade = 4800
        var out: [Float] = []
        out.reserveCapacity(2 * n)
        for i in 0..<n {
            var g = 1.0
            if i < fade { g = 0.5 - 0.5 * cos(Double.pi * Double(i) / Double(fade)) }
            if i >= n - fade { g = 0.5 - 0.5 * cos(Double.pi * Double(n - 1 - i) / Double(fade)) }
            let v = Float(g * amplitude * sin(2 * Double.pi * fraction * Double(i) + phaseDegrees * Double.pi / 180))
            out.append(v); out.append(v)
        }
        return out
    }

    func testTech3341Cases15To19TruePeak() throws {
        let cases: [(name: String, fraction: Double, amplitude: Double, phase: Double, expected: Double)] = [
            ("15", 1.0 / 4, 0.50, 0, -6.0),
            ("16", 1.0 / 4, 0.50, 45, -6.0),
            ("17", 1.0 / 6, 0.50, 60, -6.0),
            ("18", 1.0 / 8, 0.50, 67.5, -6.0),
            ("19", 1.0 / 4, 1.41, 45, 3.0),
        ]
        for c in cases {
            let r = try Self.measureStereo(Self.truePeakSignal(fraction: c.fraction, amplitude: c.amplitude, phaseDegrees: c.phase))
            guard let tp = r.truePeakDBTP else { XCTFail("case \(c.name): no true peak"); continue }
            XCTAssertLessThanOrEqual(tp, c.expected + 0.2, "case \(c.name) true peak \(tp)")
            XCTAssertGreaterThanOrEqual(tp, c.expected - 0.4, "case \(c.name) true peak \(tp)")
        }
        // Case 16 has its samples 3 dB under the waveform's peak (0.5·sin 45°): the sample peak
        // must show that, so the true-peak reading above really comes from interpolation.
        let r16 = try Self.measureStereo(Self.truePeakSignal(fraction: 0.25, amplitude: 0.5, phaseDegrees: 45))
        assertLUFS(r16.samplePeakDBFS, 20 * log10(0.5 * sin(Double.pi / 4)), tolerance: 0.01, "case 16 sample peak")
    }

    // MARK: Tech 3342 cases 1–4: loudness range

    func testTech3342LoudnessRange() throws {
        let cases: [(segments: [(dBFS: Double, seconds: Double)], expected: Double)] = [
            ([(-20, 20), (-30, 20)], 10),
            ([(-20, 20), (-15, 20)], 5),
            ([(-40, 20), (-20, 20)], 20),
            ([(-50, 20), (-35, 20), (-20, 20), (-35, 20), (-50, 20)], 15),
        ]
        for (index, c) in cases.enumerated() {
            let r = try Self.measureStereo(Self.toneSequence(c.segments))
            assertLUFS(r.loudnessRangeLU, c.expected, tolerance: 1, "Tech 3342 case \(index + 1) LRA")
        }
    }

    // MARK: Channel handling, silence, streaming

    /// BS.1770 measures a mono file as one channel: 3 LU below the same sine on both stereo
    /// channels. As dual mono it reads like that stereo file.
    func testMonoIsOneChannelAndDualMonoCountsTwice() throws {
        let x = Self.toneSequence([(-23, 10)], channels: 1)
        let mono = try LoudnessMeter.measure(planar: [x], sampleRate: 48000, layout: .mono)
        assertLUFS(mono.integratedLUFS, -26.01, "mono I")
        let dual = try LoudnessMeter.measure(planar: [x], sampleRate: 48000, layout: .dualMono)
        assertLUFS(dual.integratedLUFS, -23, "dual-mono I")
        XCTAssertEqual(mono.samplePeakDBFS!, -23, accuracy: 0.01)
        XCTAssertEqual(try LoudnessChannelLayout(channels: 1), .mono)
        XCTAssertEqual(try LoudnessChannelLayout(channels: 1, dualMono: true), .dualMono)
        XCTAssertThrowsError(try LoudnessChannelLayout(channels: 3, file: "x.wav")) { error in
            XCTAssertTrue("\(error)".contains("x.wav") && "\(error)".contains("3 channels"), "\(error)")
        }
    }

    func testSilenceGivesNoNumbers() throws {
        let r = try Self.measureStereo([Float](repeating: 0, count: 2 * 48000 * 5))
        XCTAssertNil(r.integratedLUFS)
        XCTAssertNil(r.loudnessRangeLU)
        XCTAssertNil(r.truePeakDBTP)
        XCTAssertNil(r.samplePeakDBFS)
        XCTAssertNil(r.maxMomentaryLUFS)
        XCTAssertNil(r.maxShortTermLUFS)
        XCTAssertEqual(r.durationSeconds, 5, accuracy: 1e-9)
        XCTAssertEqual(LoudnessResult.formatted(r.integratedLUFS), "-inf")
        // Below the −70 LUFS absolute gate: peaks exist, integrated loudness does not.
        let quiet = try Self.measureStereo(Self.toneSequence([(-80, 5)]))
        XCTAssertNil(quiet.integratedLUFS)
        XCTAssertNil(quiet.loudnessRangeLU)
        assertLUFS(quiet.samplePeakDBFS, -80, tolerance: 0.01, "sample peak")
        assertLUFS(quiet.maxMomentaryLUFS, -80, "max M (ungated)")
    }

    func testShortProgrammeHasNoShortTermOrRange() throws {
        let r = try Self.measureStereo(Self.toneSequence([(-23, 2)]))
        assertLUFS(r.integratedLUFS, -23, "I")
        assertLUFS(r.maxMomentaryLUFS, -23, "max M")
        XCTAssertNil(r.maxShortTermLUFS, "a 2 s programme has no full 3 s window")
        XCTAssertNil(r.loudnessRangeLU, "a 2 s programme has no 3 s block for LRA")
        let tiny = try Self.measureStereo(Self.toneSequence([(-23, 0.3)]))
        XCTAssertNil(tiny.maxMomentaryLUFS, "a 300 ms programme has no full 400 ms window")
    }

    /// Feeding the same samples in odd block sizes, planar or as StereoBlocks, gives exactly the
    /// same figures as one call.
    func testResultDoesNotDependOnBlockSize() throws {
        let x = Self.toneSequence([(-30, 2.05), (-18, 1.37), (-40, 3.3)])
        let whole = try Self.measureStereo(x)
        let meter = try LoudnessMeter(sampleRate: 48000, channels: 2)
        var i = 0
        var size = 37
        while i < x.count / 2 {
            let end = min(i + size, x.count / 2)
            var left: [Float] = [], right: [Float] = []
            for k in i..<end { left.append(x[2 * k]); right.append(x[2 * k + 1]) }
            meter.add(StereoBlock(left: left, right: right))
            i = end
            size = size * 7 % 9973 + 1
        }
        XCTAssertEqual(meter.result, whole)
        XCTAssertNotNil(whole.maxShortTermLUFS)
        assertLUFS(whole.maxMomentaryLUFS, -18, "max M")
    }

    func testFileMeasurementMatchesInMemory() throws {
        let dir = NSTemporaryDirectory() + "earshot-loudness-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let x = Self.toneSequence([(-26, 4), (-20, 4.2)], channels: 1)
        let path = dir + "/tone.wav"
        try AudioFile.write(path: path, channels: [x, x], sampleRate: 44100)
        XCTAssertEqual(try LoudnessMeter.measure(file: path),
                       try LoudnessMeter.measure(planar: [x, x], sampleRate: 44100, layout: .stereo))
        let monoPath = dir + "/mono.wav"
        try AudioFile.write(path: monoPath, channels: [x], sampleRate: 48000)
        let mono = try LoudnessMeter.measure(file: monoPath)
        let dual = try LoudnessMeter.measure(file: monoPath, dualMono: true)
        XCTAssertEqual(dual.integratedLUFS! - mono.integratedLUFS!, 10 * log10(2.0), accuracy: 0.01)
        let threePath = dir + "/three.wav"
        try AudioFile.write(path: threePath, channels: [x, x, x], sampleRate: 48000)
        XCTAssertThrowsError(try LoudnessMeter.measure(file: threePath)) { error in
            XCTAssertTrue("\(error)".hasPrefix(threePath), "\(error)")
        }
    }
}

/// Integrated loudness of the example scene against pyloudnorm, an independent BS.1770-4
/// implementation (goldens from Scripts/loudness_goldens_pyloudnorm.py). Tolerance ±0.1 LU,
/// the Tech 3341 tolerance for integrated loudness.
final class LoudnessPyloudnormTests: XCTestCase {
    func testDemoSceneMatchesPyloudnorm() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/loudness/pyloudnorm_demo_scene.json", withExtension: nil))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let goldens = try XCTUnwrap(root["integratedLUFS"] as? [String: NSNumber])
        XCTAssertEqual(goldens.count, 3)
        let scene = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/demo-scene")
        for (name, expected) in goldens {
            let r = try LoudnessMeter.measure(file: scene.appendingPathComponent(name).path)
            XCTAssertEqual(try XCTUnwrap(r.integratedLUFS), expected.doubleValue, accuracy: 0.1, name)
        }
    }
}
