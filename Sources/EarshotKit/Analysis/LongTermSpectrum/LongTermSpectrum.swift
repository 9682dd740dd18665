import Foundation

/// The long-term one-third octave spectrum of what a device delivers to the ear (the rendered
/// programme, without the environment), 25 Hz–16 kHz at the nominal IEC 61260-1 centres.
///
/// The at-ear mix streams in blocks of any length; every complete, non-overlapping 8192-sample
/// frame (171 ms at 48 kHz) is measured with `ThirdOctaveBandAnalyzer` (FFT power summed within
/// the exact band edges, Hann window, window energy normalised), the two ears averaged. Band
/// mean squares are averaged over all frames, silences included — an equivalent-level (Leq)
/// spectrum — and given in dB SPL. With 5.9 Hz bins the 25–40 Hz bands (6–9 Hz wide) are only
/// roughly resolved: the Hann main lobe spreads a tone over about ±12 Hz.
final class LongTermSpectrumAccumulator {
    static let bands: [ThirdOctaveBand] = ThirdOctave.nominalCentresHz.map {
        ThirdOctaveBand(index: Int((10 * log10($0 / 1000)).rounded()), nominalCenterHz: $0)
    }
    let frameLength: Int
    private let analyzer: ThirdOctaveBandAnalyzer
    private var left: [Float] = [], right: [Float] = []
    private var sums = [Double](repeating: 0, count: LongTermSpectrumAccumulator.bands.count)
    private var frameCount = 0

    init(sampleRate: Int = AudioSource.processingRate, frameLength: Int = 8192) throws {
        self.frameLength = frameLength
        analyzer = try ThirdOctaveBandAnalyzer(sampleRate: Double(sampleRate), bands: Self.bands, frameLength: frameLength)
    }

    /// Adds the next stretch of the at-ear programme (pascals).
    func add(_ block: StereoBlock) {
        left += block.left
        right += block.right
        var used = 0
        while left.count - used >= frameLength {
            measure(used..<(used + frameLength))
            used += frameLength
        }
        if used > 0 {
            left.removeFirst(used)
            right.removeFirst(used)
        }
    }

    /// The spectrum so far. A programme shorter than one frame is measured as one short frame.
    func finish() -> [(centreHz: Double, levelDB: Double)] {
        if frameCount == 0 && !left.isEmpty { measure(0..<left.count) }
        let n = Double(max(frameCount, 1))
        return zip(Self.bands, sums).map { ($0.nominalCenterHz, ThirdOctaveBandAnalyzer.levelDBSPL(meanSquarePa2: $1 / n)) }
    }

    private func measure(_ range: Range<Int>) {
        let l = analyzer.bandMeanSquares(frame: left[range])
        let both = left[range] == right[range] ? l : zip(l, analyzer.bandMeanSquares(frame: right[range])).map { ($0 + $1) / 2 }
        for b in 0..<sums.count { sums[b] += both[b] }
        frameCount += 1
    }
}
