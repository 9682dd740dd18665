import Foundation
import XCTest
@testable import EarshotKit

/// `FastPower` (the compressor gain law) against libm's `pow`: relative error below 1e-8 over
/// the levels a compressor sees (up to 200 dB over threshold) and every ratio from 1.01:1 to ∞:1.
final class FastPowerTests: XCTestCase {
    func testAgreesWithPow() {
        var random = SeededRandom(seed: 4)
        var worst = 0.0
        for _ in 0..<200_000 {
            let overDB = random.nextUniform() * 200
            let x = pow(10, -overDB / 20)
            let p = 1 - 1 / (1.01 + random.nextUniform() * 100)
            let exact = pow(x, p)
            worst = max(worst, abs(FastPower.power(x, p) - exact) / exact)
        }
        for x in [1.0, 0.5, 1e-12, 0.7071067811865476, 0.7071067811865475, 1e-10] {
            for p in [0.01, 0.5, 2.0 / 3, 0.999] {
                let exact = pow(x, p)
                worst = max(worst, abs(FastPower.power(x, p) - exact) / exact)
            }
        }
        XCTAssertLessThan(worst, 1e-8)
        XCTAssertEqual(FastPower.exp2(-2000), 0)
        print(String(format: "FastPower: largest relative error against pow %.2e", worst))
    }
}
