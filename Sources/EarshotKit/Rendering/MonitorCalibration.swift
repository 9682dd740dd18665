import Foundation

/// How at-ear pressure is written to a file and played back: a full-scale sine (peak 1.0) in the
/// file stands for `fullScaleDBSPL` dB SPL (its RMS, re 20 µPa). The default, 100 dB SPL, leaves
/// headroom above the loudest scenarios (a metro at 83 dB(A) with speech peaks) while keeping
/// quiet rooms above the noise floor of 24-bit files.
public struct MonitorCalibration: Sendable {
    public var fullScaleDBSPL: Double
    public init(fullScaleDBSPL: Double = 100) { self.fullScaleDBSPL = fullScaleDBSPL }

    /// Pascals represented by a sample value of 1.0.
    public var pascalsPerUnit: Double { 2.0.squareRoot() * 20e-6 * pow(10, fullScaleDBSPL / 20) }

    public func samples(_ pascals: StereoBlock) -> StereoBlock {
        var out = pascals
        out.scale(by: Float(1 / pascalsPerUnit))
        return out
    }
}
