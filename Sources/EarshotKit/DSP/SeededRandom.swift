import Foundation

/// A small deterministic random generator (SplitMix64) with Gaussian samples (Box–Muller).
/// Every noise Earshot synthesizes comes from a seed, so the same inputs give the same bytes.
public struct SeededRandom: Sendable {
    private var state: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [−√3, √3): zero mean, unit variance.
    @inline(__always)
    public mutating func nextUnitVarianceUniform() -> Float {
        Float(Int64(bitPattern: next()) >> 11) * (1.7320508 / 4_503_599_627_370_496)
    }

    /// Standard normal.
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian { spareGaussian = nil; return spare }
        var u = nextUniform()
        while u <= 0 { u = nextUniform() }
        let v = nextUniform()
        let r = (-2 * log(u)).squareRoot()
        spareGaussian = r * sin(2 * .pi * v)
        return r * cos(2 * .pi * v)
    }

    /// A stable 64-bit seed from a string (FNV-1a), independent of the process's hash seed.
    public static func seed(from text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}
