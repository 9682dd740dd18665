import Foundation

/// The one-third-octave band matrix of STOI (Taal et al. 2011, eq. (1)): which DFT bins of the
/// 512-point spectrum at 10 kHz are summed into each of the 15 bands.
///
/// Band j (0-based) nominally runs from 150·2^((2j−1)/6) Hz to 150·2^((2j+1)/6) Hz. As in the
/// reference code, each edge is moved to the nearest bin frequency (the lower bin on a tie) and a
/// band holds the bins from its lower edge up to, but not including, its upper edge.
struct ThirdOctaveBandMatrix: Sendable, Equatable {
    /// For each band, the half-open range of DFT bin indices it sums.
    public let binRanges: [Range<Int>]
    /// Nominal centre frequency of each band, 150·2^(j/3) Hz.
    public let centreFrequenciesHz: [Double]

    public init(sampleRateHz: Int, fftSize: Int, bandCount: Int, lowestCentreFrequencyHz: Double) {
        let binCount = fftSize / 2 + 1
        let binSpacingHz = Double(sampleRateHz) / Double(fftSize)
        func nearestBin(_ frequencyHz: Double) -> Int {
            var best = 0
            var bestDistance = Double.infinity
            for k in 0..<binCount {
                let d = Double(k) * binSpacingHz - frequencyHz
                if d * d < bestDistance { bestDistance = d * d; best = k }
            }
            return best
        }
        var ranges: [Range<Int>] = []
        var centres: [Double] = []
        for j in 0..<bandCount {
            let lowHz = lowestCentreFrequencyHz * pow(2.0, Double(2 * j - 1) / 6)
            let highHz = lowestCentreFrequencyHz * pow(2.0, Double(2 * j + 1) / 6)
            let lo = nearestBin(lowHz), hi = nearestBin(highHz)
            ranges.append(lo..<max(lo, hi))
            centres.append(lowestCentreFrequencyHz * pow(2.0, Double(j) / 3))
        }
        binRanges = ranges
        centreFrequenciesHz = centres
    }

    /// The matrix STOI uses: 10 kHz, 512-point DFT, 15 bands from 150 Hz.
    public static let stoi = ThirdOctaveBandMatrix(
        sampleRateHz: STOIConstants.sampleRateHz, fftSize: STOIConstants.fftSize,
        bandCount: STOIConstants.bandCount, lowestCentreFrequencyHz: STOIConstants.lowestCentreFrequencyHz)
}
