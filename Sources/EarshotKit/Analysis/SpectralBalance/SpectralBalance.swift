import Foundation

/// The long-term spectral balance of a programme, for comparing episodes of a series: its
/// one-third-octave spectrum (IEC 61260 base-10 bands, 50 Hz–16 kHz) averaged over the whole
/// programme by Welch's method (Hann frames of 8192 samples at 48 kHz, 50 % overlap; the power
/// of the two channels averaged, so out-of-phase content is not cancelled), and one number:
/// the **spectral tilt**, the level of the presence region (bands 2–5 kHz) minus the level of
/// the body region (bands 100–500 Hz), dB. A brighter or thinner mix has a higher tilt; a
/// boomy or dull one a lower tilt.
struct SpectralBalance: Sendable, Equatable {
    /// Nominal band centres, Hz.
    public var bandsHz: [Double]
    /// Long-term band levels, dB re a full-scale sine (a full-scale sine in one band reads 0).
    public var levelsDB: [Double]
    /// Presence (2–5 kHz) minus body (100–500 Hz), dB; nil when the body region is silent.
    public var tiltDB: Double?

    public static let bandsHzRange: ClosedRange<Double> = 50...16000
    public static let bodyBandsHz: ClosedRange<Double> = 100...500
    public static let presenceBandsHz: ClosedRange<Double> = 2000...5000
    /// Text for reports.
    public static let definition = "mix long-term level in the 2–5 kHz third-octave bands minus the 100–500 Hz bands (Welch, Hann 8192, 50 % overlap), dB"

    static let frameLength = 8192

    /// Measures the mix, or the sum of the stems when there is no mix.
    public static func measure(_ inputs: ScenarioInputs) throws -> SpectralBalance {
        let opened = try OpenedInputs(inputs)
        let bands = ThirdOctave.nominalCentresHz.filter { bandsHzRange.contains($0) }.map {
            ThirdOctaveBand(index: Int((10 * log10($0 / 1000)).rounded()), nominalCenterHz: $0)
        }
        let analyzer = try ThirdOctaveBandAnalyzer(sampleRate: Double(AudioSource.processingRate), bands: bands, frameLength: frameLength)
        let hop = frameLength / 2
        var left: [Float] = [], right: [Float] = []
        var total = [Double](repeating: 0, count: bands.count)
        var frames = 0
        func analyse(_ l: ArraySlice<Float>, _ r: ArraySlice<Float>) {
            let a = analyzer.bandMeanSquares(frame: l), b = analyzer.bandMeanSquares(frame: r)
            for k in 0..<total.count { total[k] += 0.5 * (a[k] + b[k]) }
            frames += 1
        }
        var remaining = opened.frames
        while remaining > 0 {
            let n = min(hop, remaining)
            var block: StereoBlock
            if let mix = opened.sources[.mix] {
                block = try mix.read(n)
            } else {
                block = StereoBlock(frames: n)
                for role in inputs.stems { block.add(try opened.sources[role]!.read(n)) }
            }
            remaining -= n
            left += block.left; right += block.right
            if left.count >= frameLength {
                analyse(left[0..<frameLength], right[0..<frameLength])
                left.removeFirst(hop); right.removeFirst(hop)
            }
        }
        // A programme shorter than one frame is analysed as one (zero-padded) frame.
        if frames == 0 && !left.isEmpty { analyse(left[...], right[...]) }
        let meanSquares = total.map { $0 / Double(max(frames, 1)) }
        func sum(_ range: ClosedRange<Double>) -> Double {
            zip(bands, meanSquares).filter { range.contains($0.0.nominalCenterHz) }.reduce(0) { $0 + $1.1 }
        }
        let body = sum(bodyBandsHz), presence = sum(presenceBandsHz)
        return SpectralBalance(
            bandsHz: bands.map(\.nominalCenterHz),
            levelsDB: meanSquares.map { $0 > 0 ? max(-150, 10 * log10(2 * $0)) : -150 },
            tiltDB: body > 0 && presence > 0 ? 10 * log10(presence / body) : nil)
    }

    public func json() -> JSONValue {
        .object([
            ("tiltDB", .num(tiltDB)),
            ("definition", .string(Self.definition)),
            ("thirdOctaveBandsHz", .array(bandsHz.map { .num($0) })),
            ("thirdOctaveLevelsDB", .array(levelsDB.map { .num($0) })),
        ])
    }
}
