import XCTest
@testable import EarshotKit

final class ConvolutionTests: XCTestCase {
    /// Direct-form convolution in double precision: the reference.
    func directConvolution(_ x: [Float], _ h: [Float]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for n in 0..<x.count {
            var acc = 0.0
            for k in 0..<min(h.count, n + 1) { acc += Double(h[k]) * Double(x[n - k]) }
            y[n] = acc
        }
        return y
    }

    func seededSignal(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in Float(rng.nextGaussian() * 0.3) }
    }

    func check(irLength: Int, blockSize: Int, chunk: Int, file: StaticString = #filePath, line: UInt = #line) {
        let x = seededSignal(6000, seed: 1)
        // A decaying IR, like a device response.
        var rng = SeededRandom(seed: 2)
        let h: [Float] = (0..<irLength).map { Float(rng.nextGaussian() * exp(-Double($0) / Double(irLength / 3 + 1))) }
        let reference = directConvolution(x, h)
        let conv = PartitionedConvolver(impulseResponse: h, blockSize: blockSize)
        var compensator = LatencyCompensator(latency: conv.latency)
        var y: [Float] = []
        var position = 0
        while position < x.count {
            let n = min(chunk, x.count - position)
            y += compensator.aligned(conv.process(Array(x[position..<position + n])))
            position += n
        }
        y += compensator.aligned(conv.process([Float](repeating: 0, count: conv.latency)))
        XCTAssertEqual(y.count, x.count, file: file, line: line)
        var errorEnergy = 0.0, referenceEnergy = 0.0, maxError = 0.0
        for n in 0..<x.count {
            let e = Double(y[n]) - reference[n]
            errorEnergy += e * e
            referenceEnergy += reference[n] * reference[n]
            maxError = max(maxError, abs(e))
        }
        let peak = reference.map(abs).max()!
        let relativeRMS = (errorEnergy / referenceEnergy).squareRoot()
        XCTAssertLessThan(relativeRMS, 1e-5, "IR \(irLength) taps, block \(blockSize)", file: file, line: line)
        XCTAssertLessThan(maxError / peak, 1e-5, "IR \(irLength) taps, block \(blockSize)", file: file, line: line)
    }

    func testIRShorterThanBlock() { check(irLength: 37, blockSize: 256, chunk: 100) }
    func testIREqualToBlock() { check(irLength: 256, blockSize: 256, chunk: 333) }
    func testIRMuchLongerThanBlock() { check(irLength: 3000, blockSize: 128, chunk: 1000) }
    func testDefaultBlockSizeWithOddChunks() {
        check(irLength: 1500, blockSize: PartitionedConvolver.defaultBlockSize(forImpulseResponseLength: 1500), chunk: 77)
    }
}
