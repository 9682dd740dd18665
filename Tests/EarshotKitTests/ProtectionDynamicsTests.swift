import XCTest
@testable import EarshotKit

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
