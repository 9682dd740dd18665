import Foundation

/// The low-frequency figures of the excursion model, read off a measured response:
///
/// - **usable low cut**: the highest frequency below 700 Hz where the response (1/3-octave
///   smoothed) is 10 dB under its 700 Hz–2 kHz passband (the definition the stock profiles use);
/// - **resonance and Q**: the closed-box second-order high-pass (R. H. Small, "Closed-box
///   loudspeaker systems", JAES 20(10), 1972: |H| = (f/f0)² / √((1 − (f/f0)²)² + (f/(Q·f0))²))
///   that best fits the smoothed response, least squares in dB, from a third of the usable low
///   cut (or the lowest measured frequency) up to 1 kHz, with a free gain.
struct ClosedBoxFit: Sendable, Equatable {
    public var resonanceHz: Double
    public var q: Double
    public var usableLowCutHz: Double
    /// RMS misfit over the fitted range, dB.
    public var residualDB: Double

    /// Closed-box high-pass level at `frequencyHz`, dB.
    public static func highPassDB(frequencyHz f: Double, resonanceHz f0: Double, q: Double) -> Double {
        let r = f / f0
        return 20 * log10(r * r / (((1 - r * r) * (1 - r * r) + (r / q) * (r / q)).squareRoot()))
    }

    /// Closed-box low-pass (cone excursion) level at `frequencyHz`, dB: what the LF-risk model's
    /// excursion filter does to a drive at that frequency.
    public static func excursionDB(frequencyHz f: Double, resonanceHz f0: Double, q: Double) -> Double {
        let r = f / f0
        return -20 * log10(((1 - r * r) * (1 - r * r) + (r / q) * (r / q)).squareRoot())
    }

    /// - Parameters:
    ///   - impulseResponse: the measured response at `sampleRate`.
    ///   - lowestHz: the lowest frequency the measurement is valid at.
    public static func fit(impulseResponse: [Float], sampleRate: Int, lowestHz: Double) -> ClosedBoxFit {
        let response = FrequencyResponse(impulseResponse: impulseResponse, sampleRate: sampleRate)
        let lowest = max(lowestHz, 10)
        // 1/24-octave grid, 1/3-octave power smoothing.
        var grid: [Double] = []
        var f = lowest
        while f <= 4000 { grid.append(f); f *= pow(2, 1.0 / 24) }
        let level = grid.map { response.bandLevelDB(lowHz: $0 * pow(2, -1.0 / 6), highHz: $0 * pow(2, 1.0 / 6)) }
        let passbandPower = zip(grid, level).filter { $0.0 >= 700 && $0.0 <= 2000 }.map { pow(10, $0.1 / 10) }
        let passband = 10 * log10(passbandPower.reduce(0, +) / Double(max(passbandPower.count, 1)))
        // Usable low cut: walking down from 700 Hz, the first point 10 dB under the passband.
        var lowCut = lowest
        if let start = grid.lastIndex(where: { $0 <= 700 }) {
            for i in stride(from: start, through: 1, by: -1) where level[i - 1] <= passband - 10 {
                // Interpolate between grid[i-1] (under) and grid[i] (over) in log frequency.
                let t = (passband - 10 - level[i]) / (level[i - 1] - level[i])
                lowCut = grid[i] * pow(grid[i - 1] / grid[i], min(max(t, 0), 1))
                break
            }
        }
        // Least squares over (f0, Q) on a grid; the gain is the mean difference.
        let from = max(lowest, lowCut / 3)
        let points = zip(grid, level).filter { $0.0 >= from && $0.0 <= 1000 }
        var best = ClosedBoxFit(resonanceHz: lowCut * 3.0.squareRoot(), q: 1 / 2.0.squareRoot(), usableLowCutHz: lowCut, residualDB: .infinity)
        guard points.count >= 4 else { return best }
        var f0 = max(5, lowest / 2)
        while f0 <= 3000 {
            var q = 0.3
            while q <= 4 {
                let diffs = points.map { $0.1 - highPassDB(frequencyHz: $0.0, resonanceHz: f0, q: q) }
                let gain = diffs.reduce(0, +) / Double(diffs.count)
                let residual = (diffs.reduce(0) { $0 + ($1 - gain) * ($1 - gain) } / Double(diffs.count)).squareRoot()
                if residual < best.residualDB { best = ClosedBoxFit(resonanceHz: f0, q: q, usableLowCutHz: lowCut, residualDB: residual) }
                q *= pow(2, 1.0 / 8)
            }
            f0 *= pow(2, 1.0 / 48)
        }
        return best
    }
}
