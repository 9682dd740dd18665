import XCTest
@testable import EarshotKit

/// The environment's slow level fluctuation applied a block at a time gives, sample for sample,
/// the gains `next()` gives one at a time, across update boundaries and odd block lengths.
final class SlowModulationBlockTests: XCTestCase {
    func testBlocksGiveTheSameGainsAsSampleBySample() {
        let spec = EnvironmentProfile.Modulation(depthDB: 6, rateHz: 0.5)
        var one = SlowModulation(spec, seed: 9, sampleRate: 48000)
        var block = SlowModulation(spec, seed: 9, sampleRate: 48000)
        var expected: [Float] = [], got: [Float] = []
        for length in [1, 47, 48, 49, 1000, 8192, 3] {
            expected += (0..<length).map { _ in one.next() }
            var left = [Float](repeating: 1, count: length), right = [Float](repeating: 2, count: length)
            block.apply(to: &left, &right)
            got += left
            XCTAssertEqual(right, left.map { $0 * 2 })
        }
        XCTAssertEqual(got, expected)
        XCTAssertGreaterThan(Set(got).count, 1000, "the gain must vary")
    }
}
