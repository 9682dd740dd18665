import Foundation

extension STOIConstants {
    /// The 256-point Hann window of the STOI reference code: MATLAB's `hanning(256)`, i.e. a
    /// 258-point Hann window without its two zero end points, w[n] = ½ − ½·cos(2π(n+1)/257).
    static let windowCoefficients: [Double] = {
        let n = frameLength
        let period = Double(n + 1)
        return (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0 + 1) / period) }
    }()
}
