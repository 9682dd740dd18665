import Foundation

/// The sibilance balance of a dialogue signal frame by frame: every 10 ms, the power in the
/// one-third octave bands 4–10 kHz against 0.5–4 kHz (dB), and the frame's level. Sibilants
/// (s, sh, ch, z) put more energy above 4 kHz than below; vowels put 20–30 dB less.
/// Also kept per frame: the low band's level and the levels of the one-third octave bands
/// 4, 5, 6.3 and 8 kHz, the sibilant bands of ANSI S3.5-1997's standard speech spectrum
/// (`SibilantSpeechPeaks`).
public struct SibilanceTrack: Sendable {
    public static let hopSeconds = 0.01
    /// High-band over low-band power, dB, per frame.
    public var balanceDB: [Float] = []
    /// Frame level (0.5–10 kHz power), dB re the signal's unit squared.
    public var levelDB: [Float] = []
    /// Low-band (0.5–4 kHz) power, dB re the signal's unit squared, per frame.
    public var lowBandDB: [Float] = []
    /// Power of the bands `SibilantSpeechPeaks.bandsHz`, dB re the signal's unit squared:
    /// frame f's band b is at `f * bandCount + b`.
    public var sibilantBandsDB: [Float] = []
    public static let sibilantBandCount = 4

    /// Frame `frame`'s level in sibilant band `band`, dB.
    public func sibilantBandDB(frame: Int, band: Int) -> Float { sibilantBandsDB[frame * Self.sibilantBandCount + band] }
}

/// Builds a `SibilanceTrack` from a stream of samples (any block sizes).
final class SibilanceTrackBuilder {
    public let sampleRate: Int
    private let analyzer: ThirdOctaveBandAnalyzer
    private let hop: Int
    private let frameLength = 1024
    private var buffer: [Float] = []
    private let lowBands: Range<Int>
    private let highBands: Range<Int>
    /// 4, 5, 6.3 and 8 kHz in `bands`.
    private let sibilantBands = 9..<13
    public private(set) var track = SibilanceTrack()

    /// The bands: 500 Hz … 3.15 kHz (low) and 4 kHz … 10 kHz (high).
    static let bands: [ThirdOctaveBand] = (-3...10).map { i in
        ThirdOctaveBand(index: i, nominalCenterHz: [500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000][i + 3])
    }

    public init(sampleRate: Int = AudioSource.processingRate) throws {
        self.sampleRate = sampleRate
        analyzer = try ThirdOctaveBandAnalyzer(sampleRate: Double(sampleRate), bands: Self.bands, frameLength: 1024)
        hop = Int(Double(sampleRate) * SibilanceTrack.hopSeconds)
        lowBands = 0..<9
        highBands = 9..<14
    }

    public func consume(_ samples: [Float]) {
        buffer += samples
        var offset = 0
        while offset + frameLength <= buffer.count {
            let bands = analyzer.bandMeanSquares(frame: buffer[offset..<(offset + frameLength)])
            let low = bands[lowBands].reduce(0, +), high = bands[highBands].reduce(0, +)
            track.balanceDB.append(Float(10 * log10(max(high, 1e-30) / max(low, 1e-30))))
            track.levelDB.append(Float(10 * log10(max(low + high, 1e-30))))
            track.lowBandDB.append(Float(10 * log10(max(low, 1e-30))))
            for b in sibilantBands { track.sibilantBandsDB.append(Float(10 * log10(max(bands[b], 1e-30)))) }
            offset += hop
        }
        if offset > 0 { buffer.removeFirst(offset) }
    }

    /// Frame index → centre time, seconds.
    public func centreSeconds(frame: Int) -> Double {
        (Double(frame * hop) + Double(frameLength) / 2) / Double(sampleRate)
    }
}

/// Where a talker's sibilants are: runs of speech-active frames whose sibilance balance stands
/// at least `excessDB` above the talker's own baseline (the median balance of the active
/// frames, which vowels and voiced consonants dominate). Frames are active within `rangeDB` of
/// the loudest 5 % of frames.
public struct SibilantCandidates: Sendable {
    public struct Run: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
    }

    public var baselineDB: Float
    public var runs: [Run]

    public static func find(in track: SibilanceTrack, hopSeconds: Double = SibilanceTrack.hopSeconds,
                            frameCentreOffsetSeconds: Double = 512.0 / 48000, excessDB: Float = 12, rangeDB: Float = 35,
                            minimumSeconds: Double = 0.03) -> SibilantCandidates {
        guard !track.levelDB.isEmpty else { return SibilantCandidates(baselineDB: 0, runs: []) }
        let sortedLevels = track.levelDB.sorted()
        let loud = sortedLevels[min(sortedLevels.count - 1, Int(Double(sortedLevels.count) * 0.95))]
        let active = track.levelDB.indices.filter { track.levelDB[$0] >= loud - rangeDB }
        let balances = active.map { track.balanceDB[$0] }.sorted()
        let baseline = balances.isEmpty ? 0 : balances[balances.count / 2]
        var runs: [Run] = []
        var start: Int?
        for i in 0...track.levelDB.count {
            let sibilant = i < track.levelDB.count && track.levelDB[i] >= loud - rangeDB && track.balanceDB[i] - baseline >= excessDB
            if sibilant, start == nil { start = i }
            if !sibilant, let s = start {
                let t0 = Double(s) * hopSeconds + frameCentreOffsetSeconds - hopSeconds / 2
                let t1 = Double(i - 1) * hopSeconds + frameCentreOffsetSeconds + hopSeconds / 2
                if t1 - t0 >= minimumSeconds {
                    // Close gaps under 30 ms: one sibilant split by a dip is one sibilant.
                    if let last = runs.last, t0 - last.endSeconds < 0.03 { runs[runs.count - 1].endSeconds = t1 } else { runs.append(Run(startSeconds: max(0, t0), endSeconds: t1)) }
                }
                start = nil
            }
        }
        return SibilantCandidates(baselineDB: baseline, runs: runs)
    }
}
