import XCTest
@testable import EarshotKit

final class FFTTests: XCTestCase {
    func testForwardMatchesDirectDFTAndInverseRoundTrips() {
        let n = 64
        let x: [Float] = (0..<n).map { Float(sin(Double($0) * 0.7) + 0.3 * cos(Double($0) * 2.1)) }
        let fft = RealFFT(size: n)
        let (re, im) = fft.forward(x)
        for k in [0, 1, 5, 17, 32] {
            var dr = 0.0, di = 0.0
            for t in 0..<n {
                let w = -2 * Double.pi * Double(k * t) / Double(n)
                dr += Double(x[t]) * cos(w); di += Double(x[t]) * sin(w)
            }
            XCTAssertEqual(Double(re[k]), dr, accuracy: 1e-4)
            XCTAssertEqual(Double(im[k]), di, accuracy: 1e-4)
        }
        let back = fft.inverse(re: re, im: im)
        for t in 0..<n { XCTAssertEqual(back[t], x[t], accuracy: 1e-5) }
    }
}
