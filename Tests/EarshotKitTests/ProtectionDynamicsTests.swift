import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class ProtectionDynamicsTests: XCTestCase {
    func testLimiterHoldsTheThresholdWithLookaheadAndLeavesQuietPassagesAlone() {
        let limiter = DeviceProfile.Limiter(thresholdDBFS: -6, attackMs: 1, releaseMs: 50, lookaheadMs: 5)
        let dynamics = ProtectionDynamics(limiter: limiter, bassCompressor: nil, channels: 1, sampleRate: 48000)
        var applier = ProtectionApplier(dynamics: dynamics, bassCompressor: nil, channels: 1)
        var x = TestSignals.sine(frequencyHz: 1000, amplitude: 0.1, seconds: 1)
        for i in 24000..<26400 { x[i] = Float(sin(2 * Double.pi * 1000 * Double(i) / 48000)) }  // 50 ms at full scale
        var output: [Float] = []
        for start in stride(from: 0, to: x.count, by: 1000) {
            var block = [Array(x[start..<min(start + 1000, x.count)])]
            let (bass, gain) = dynamics.gains(forMixDrive: block)
            applier.apply(&block, bassGain: bass, limiterGain: gain)
            output += block[0]
        }
        let lookahead = dynamics.lookaheadSamples
        XCTAssertEqual(lookahead, 240)
        let threshold = Float(pow(10, -6.0 / 20))
        XCTAssertLessThanOrEqual(output.map(abs).max()!, threshold * 1.001, "the limiter must not let peaks through")
        // Well before the burst, the delayed output is the input untouched.
        for i in 1000..<20000 { XCTAssertEqual(output[i + lookahead], x[i], accuracy: 1e-6) }
        // During the burst the level sits at the threshold, not far below it.
        XCTAssertGreaterThan(output[(24500 + lookahead)..<(26000 + lookahead)].map(abs).max()!, threshold * 0.9)
    }

    func testSlidingMinimumMatchesBruteForce() {
        let window = SlidingMinimum(length: 7)
        var random = SeededRandom(seed: 5)
        var history: [Double] = []
        for _ in 0..<500 {
            let v = random.nextUniform()
            history.append(v)
            XCTAssertEqual(window.push(v), history.suffix(7).min()!)
        }
    }

    func testBassCompressorReducesOnlyTheLowBandAboveItsThreshold() {
        let bass = DeviceProfile.BassCompressor(splitHz: 200, thresholdDBFS: -20, ratio: 4, attackMs: 5, releaseMs: 100)
        let dynamics = ProtectionDynamics(limiter: nil, bassCompressor: bass, channels: 1, sampleRate: 48000)
        let low = [TestSignals.sine(frequencyHz: 50, amplitude: 0.5, seconds: 1)]
        let high = [TestSignals.sine(frequencyHz: 3000, amplitude: 0.5, seconds: 1)]
        let (lowGain, _) = dynamics.gains(forMixDrive: low)
        let settled = Double(lowGain[40000])
        // 0.5 peak is −6 dBFS, 14 dB over the threshold: 4:1 leaves 3.5 dB, a gain of about −10.5 dB.
        XCTAssertEqual(20 * log10(settled), -10.5, accuracy: 1.5)
        let fresh = ProtectionDynamics(limiter: nil, bassCompressor: bass, channels: 1, sampleRate: 48000)
        let (highGain, _) = fresh.gains(forMixDrive: high)
        XCTAssertGreaterThan(highGain[40000], 0.97, "a 3 kHz tone must not trigger the bass compressor")
    }
}

extension ProtectionDynamicsTests {
    /// On a stereo device the gains follow the louder channel, whichever side it is on, and the
    /// detector's low bands are per channel: a loud left channel with a silent right gives the
    /// gains of the left alone on a mono device, and the left/right swap gives the same gains.
    func testStereoGainsFollowTheLouderChannel() {
        let bass = DeviceProfile.BassCompressor(splitHz: 200, thresholdDBFS: -20, ratio: 4, attackMs: 5, releaseMs: 100)
        let limiter = DeviceProfile.Limiter(thresholdDBFS: -6, attackMs: 1, releaseMs: 50, lookaheadMs: 5)
        var random = SeededRandom(seed: 8)
        let loud = (0..<24000).map { i in Float(0.6 * sin(2 * Double.pi * 60 * Double(i) / 48000) + 0.3 * random.nextGaussian()) }
        let silent = [Float](repeating: 0, count: loud.count)
        func run(_ channels: [[Float]]) -> (bass: [Float], limiter: [Float], low: [[Double]]) {
            let dynamics = ProtectionDynamics(limiter: limiter, bassCompressor: bass, channels: channels.count, sampleRate: 48000)
            var b: [Float] = [], l: [Float] = [], low = [[Double]](repeating: [], count: channels.count)
            for start in stride(from: 0, to: loud.count, by: 5000) {
                let block = channels.map { Array($0[start..<min(start + 5000, loud.count)]) }
                let gains = dynamics.gains(forMixDrive: block)
                b += gains.bassGain; l += gains.limiterGain
                for c in 0..<channels.count { low[c] += dynamics.mixLowBands[c] }
            }
            return (b, l, low)
        }
        let mono = run([loud]), left = run([loud, silent]), right = run([silent, loud])
        XCTAssertLessThan(mono.bass.min()!, 0.5, "the compressor must act on this signal")
        XCTAssertLessThan(mono.limiter.min()!, 0.9, "the limiter must act on this signal")
        XCTAssertEqual(left.bass, mono.bass)
        XCTAssertEqual(left.limiter, mono.limiter)
        XCTAssertEqual(right.bass, mono.bass)
        XCTAssertEqual(right.limiter, mono.limiter)
        XCTAssertEqual(left.low[0], mono.low[0])
        XCTAssertEqual(right.low[1], mono.low[0])
        XCTAssertEqual(left.low[1].map(abs).max(), 0)
        // The low band is the compressor crossover's low branch: the same two Butterworth
        // sections run one channel at a time give the same numbers.
        var lp1 = Biquad.lowPass(frequencyHz: 200, q: 1 / 2.0.squareRoot(), sampleRate: 48000), lp2 = lp1
        let expected = loud.map { lp2.process(lp1.process(Double($0))) }
        XCTAssertEqual(mono.low[0], expected)
    }
}

final class LowBandGainTests: XCTestCase {
    func testAllPassFormMatchesTheFourBiquadCrossover() {
        var split = LinkwitzRileyCrossover(frequencyHz: 250, sampleRate: 48000)
        var fast = LowBandGain(frequencyHz: 250, sampleRate: 48000)
        var random = SeededRandom(seed: 3)
        var maxError = 0.0
        for i in 0..<48000 {
            let x = random.nextGaussian() * 0.3
            let g = 0.5 + 0.5 * sin(Double(i) / 3000)  // a moving compressor gain
            let (low, high) = split.split(x)
            maxError = max(maxError, abs((low * g + high) - fast.process(x, lowGain: g)))
        }
        XCTAssertLessThan(maxError, 1e-9)
    }
}
