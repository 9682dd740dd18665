import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The live monitor's signal processing without a server: the zero-delay convolver against
/// direct convolution, the live chain against the offline render, the engine's switching and
/// the masking meter on a scene with known masked lines.
final class MonitorTests: XCTestCase {
    static func noise(_ n: Int, seed: UInt64, amplitude: Float = 0.3) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<n).map { _ in amplitude * random.nextUnitVarianceUniform() }
    }

    /// Direct convolution in double precision: the reference.
    static func direct(_ x: [Float], _ h: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            h.withUnsafeBufferPointer { hp in
                for n in 0..<x.count {
                    var acc = 0.0
                    for k in 0..<min(hp.count, n + 1) { acc += Double(hp[k]) * Double(xp[n - k]) }
                    y[n] = acc
                }
            }
        }
        return y
    }

    func testLowLatencyConvolverEqualsDirectConvolutionWithNoDelay() {
        // IR lengths around the head, the segment boundaries and past the largest block; call
        // sizes from one sample to more than a chunk.
        let cases: [(taps: Int, calls: [Int])] = [(1, [1, 64]), (37, [7, 256]), (64, [64]), (65, [1, 100]), (200, [13, 256]),
                                                  (1000, [64, 333]), (4096, [128, 1000]), (8192, [256, 480]), (20000, [512])]
        for (taps, calls) in cases {
            var random = SeededRandom(seed: UInt64(taps))
            // A decaying response, as a device's is.
            let decay = Double(max(taps / 4, 1))
            var h = [Float](repeating: 0, count: taps)
            for k in 0..<taps {
                let u = Double(random.nextUnitVarianceUniform())
                h[k] = Float(u * exp(-Double(k) / decay))
            }
            let x = Self.noise(taps + 6000, seed: 7)
            let reference = Self.direct(x, h)
            for call in calls {
                let convolver = LowLatencyConvolver(impulseResponse: h)
                XCTAssertEqual(convolver.latency, 0)
                var y: [Float] = []
                var at = 0
                while at < x.count {
                    let n = min(call, x.count - at)
                    y += convolver.process(Array(x[at..<(at + n)]))
                    at += n
                }
                var errorPower = 0.0, power = 0.0
                for i in 0..<x.count {
                    errorPower += (Double(y[i]) - reference[i]) * (Double(y[i]) - reference[i])
                    power += reference[i] * reference[i]
                }
                let errorDB = 10 * log10(max(errorPower, 1e-300) / power)
                XCTAssertLessThan(errorDB, -100, "IR \(taps) taps, calls of \(call) frames: error \(errorDB) dB")
                if call == calls.last { print(String(format: "low-latency convolver: IR %5d taps (%d segments), calls of %4d: error %.1f dB re the output", taps, convolver.segments.count, call, errorDB)) }
            }
        }
    }

    func testLiveChainIsTheOfflineRenderDelayedByTheLimiterLookahead() throws {
        let catalog = try ProfileCatalog.standard()
        let rate = AudioSource.processingRate
        // Loud enough that the stock phone's bass compressor and limiter work.
        var left = Self.noise(3 * rate, seed: 3, amplitude: 0.6), right = Self.noise(3 * rate, seed: 4, amplitude: 0.6)
        for i in 0..<left.count { let s = Float(sin(2 * Double.pi * 90 * Double(i) / Double(rate))); left[i] += 0.5 * s; right[i] += 0.5 * s }
        let folder = NSTemporaryDirectory() + "earshot-monitor-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/programme.wav"
        try AudioFile.write(path: path, channels: [left, right], sampleRate: rate, format: .float32)
        for deviceID in ["phone-budget-speaker", "laptop-speakers", "earbuds-wired-inbox"] {
            let scenario = Scenario(device: try DeviceModel(profile: try catalog.device(deviceID)), environment: try catalog.environment("quiet-room"), volumePercent: 90)
            var offline = StereoBlock(frames: 0)
            var ducked = false
            try ScenarioRenderer(inputs: ScenarioInputs(mix: path), scenario: scenario).render { block in
                offline.left += block.mix.left
                offline.right += block.mix.right
                if block.deviceGain.contains(where: { $0 < 0.9 }) { ducked = true }
            }
            let chain = try LiveScenarioChain(scenario: scenario, pathCount: 1)
            var live = StereoBlock(frames: 0)
            var at = 0
            while at < left.count {
                let n = min(173, left.count - at)
                left.withUnsafeBufferPointer { l in right.withUnsafeBufferPointer { r in chain.process(l.baseAddress! + at, r.baseAddress! + at, frames: n) } }
                live.left += UnsafeBufferPointer(start: chain.output(path: 0, ear: 0), count: n)
                live.right += UnsafeBufferPointer(start: chain.output(path: 0, ear: 1), count: n)
                at += n
            }
            let d = chain.latencyFrames
            XCTAssertEqual(d, ProtectionDynamics.lookaheadSamples(limiter: scenario.device.profile.limiter, sampleRate: Double(rate)))
            XCTAssertLessThanOrEqual(Double(d) / Double(rate), 0.010, "processing latency ≤ 10 ms")
            var errorPower = 0.0, power = 0.0
            for i in 0..<(left.count - d) {
                for (a, b) in [(live.left[i + d], offline.left[i]), (live.right[i + d], offline.right[i])] {
                    errorPower += Double(a - b) * Double(a - b)
                    power += Double(b) * Double(b)
                }
            }
            let errorDB = 10 * log10(max(errorPower, 1e-300) / power)
            XCTAssertLessThan(errorDB, -80, "\(deviceID): live chain vs render")
            print(String(format: "live chain vs offline render, %@: latency %d frames (%.1f ms), error %.1f dB re the render%@", deviceID, d,
                         Double(d) / Double(rate) * 1000, errorDB, ducked ? ", limiter ducking" : ""))
        }
    }

    /// The engine on a stereo input with two scenarios; returns the output and the frame the
    /// switch was asked at.
    func testSwitchingCrossfadesIn10msWithoutAGapOrAJump() throws {
        let catalog = try ProfileCatalog.standard()
        let rate = AudioSource.processingRate
        let quiet = try catalog.environment("quiet-room")
        let scenarios = try ["phone-budget-speaker", "laptop-speakers"].map {
            Scenario(device: try DeviceModel(profile: try catalog.device($0)), environment: quiet, volumePercent: 60)
        }
        let engine = try MonitorEngine(chains: try LiveMonitor.chains(for: scenarios, layout: .stereo), layout: .stereo, inputChannels: 2,
                                       calibration: MonitorCalibration(), environmentOn: false)
        let input = Self.noise(2 * rate * 2, seed: 9, amplitude: 0.2)
        var output = [Float](repeating: 0, count: input.count)
        let switchFrame = rate
        var at = 0
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                while at < rate * 2 {
                    let n = min(441, rate * 2 - at)
                    if at <= switchFrame && switchFrame < at + n { engine.select(.scenario(1)) }
                    engine.process(x.baseAddress! + 2 * at, frames: n, into: y.baseAddress! + 2 * at)
                    at += n
                }
            }
        }
        let left = stride(from: 0, to: output.count, by: 2).map { output[$0] }
        // No zero run and no step larger than the signal's own around the switch.
        let around = (switchFrame - 960)..<(switchFrame + 1920)
        XCTAssertEqual(MonitorScenes.longestZeroRun(left, around), 0)
        let natural = max(AuditionSignals.maxJump(left, (switchFrame - 24000)..<(switchFrame - 2400)), AuditionSignals.maxJump(left, (switchFrame + 4800)..<(switchFrame + 24000)))
        XCTAssertLessThanOrEqual(AuditionSignals.maxJump(left, around), natural)
        XCTAssertEqual(engine.state.source, .scenario(1))
    }

    func testMeterLosesTheLineUnderALoudMEAndNotTheCleanOne() throws {
        let catalog = try ProfileCatalog.standard()
        let scenario = Scenario(device: try DeviceModel(profile: try catalog.device("studio-reference")), environment: try catalog.environment("quiet-room"), volumePercent: 70)
        let engine = try MonitorEngine(chains: try LiveMonitor.chains(for: [scenario], layout: .dialogueAndME), layout: .dialogueAndME, inputChannels: 4,
                                       calibration: MonitorCalibration(), environmentOn: false, meter: true)
        let (channels, lines) = MonitorScenes.meterScene()
        let n = channels[0].count
        var interleaved = [Float](repeating: 0, count: 4 * n)
        for i in 0..<n { for c in 0..<4 { interleaved[4 * i + c] = channels[c][i] } }
        var output = [Float](repeating: 0, count: 2 * n)
        let meter = try LiveMaskingMeter()
        let ring = try XCTUnwrap(engine.meterRing)
        let width = MonitorEngine.MeterFrame.width
        var buffer = [Float](repeating: 0, count: width * 4800)
        var verdicts: [LiveMaskingMeter.LineVerdict] = []
        var at = 0
        while at < n {
            let count = min(480, n - at)
            interleaved.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { y in
                engine.process(x.baseAddress! + 4 * at, frames: count, into: y.baseAddress! + 2 * at)
            } }
            at += count
            let got = buffer.withUnsafeMutableBufferPointer { ring.read(into: $0.baseAddress!, count: width * 4800) } / width
            var d = StereoBlock(frames: got), me = d, env = d
            var gain = [Float](repeating: 1, count: got)
            for i in 0..<got {
                d.left[i] = buffer[width * i + 1]; d.right[i] = buffer[width * i + 2]
                me.left[i] = buffer[width * i + 3]; me.right[i] = buffer[width * i + 4]
                env.left[i] = buffer[width * i + 5]; env.right[i] = buffer[width * i + 6]
                gain[i] = buffer[width * i + 7]
            }
            try meter.consume(dialogue: d, me: me, environment: env, deviceGain: gain)
            if let line = meter.reading.lastLine, line != verdicts.last { verdicts.append(line) }
        }
        XCTAssertEqual(verdicts.count, 2, "\(verdicts)")
        guard verdicts.count == 2 else { return }
        for (verdict, line) in zip(verdicts, lines) {
            XCTAssertEqual(verdict.startSeconds, line.lowerBound, accuracy: 0.1)
            XCTAssertEqual(verdict.endSeconds, line.upperBound, accuracy: 0.1)
        }
        XCTAssertGreaterThanOrEqual(verdicts[0].lostShare ?? 0, 0.5, "\(verdicts[0])")
        XCTAssertEqual(verdicts[0].lostByMix, verdicts[0].lostWords, "with the environment off, the M&E loses them")
        XCTAssertLessThanOrEqual(verdicts[1].lostShare ?? 1, 0.2, "\(verdicts[1])")
        print("masking meter (engine): \(verdicts)")
    }
}
