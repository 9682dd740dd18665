import Foundation

/// Low-frequency distortion risk of a small speaker: how hard the programme's bass drives the
/// cone against its excursion limit, how much of the drive energy the speaker cannot reproduce
/// anyway, and how much the protection limiter ducks the programme because of bass.
///
/// Excursion model: a closed-box loudspeaker's cone displacement follows the drive voltage
/// through a second-order low-pass at the box resonance (Small, "Closed-box loudspeaker
/// systems", JAES 1972: displacement is flat below resonance and falls 12 dB/octave above).
/// The model is normalised so that a sine well below resonance at the profile's `limitDBFS`
/// drive gives an excursion ratio of 1 (the cone at Xmax).
///
/// Risk score (0…1): `max((peakRatio − 0.8) / 1.2, secondsOverLimit / 1 s, maxBassDuckingDB / 6 dB)`
/// clipped to 0…1 — 0 while the cone stays below 80 % of its limit with no bass ducking; 1 at
/// twice the limit, a full second over it in total, or 6 dB of bass-driven limiter ducking.
public struct LowFrequencyRisk: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        public var peakExcursionRatio: Double
    }

    public var riskScore: Double
    public var peakExcursionRatio: Double
    public var secondsOverLimit: Double
    /// Share of the drive energy below the device's usable low cut (wasted, and it distorts).
    public var energyShareBelowLowCut: Double
    /// Largest limiter gain reduction in frames where bass dominates the drive, dB.
    public var maxBassDuckingDB: Double
    /// Time the limiter ducks by more than 1 dB while bass dominates, seconds.
    public var bassDuckingSeconds: Double
    public var events: [Event]
}

/// Streams a scenario's drive signal and limiter gain into a `LowFrequencyRisk`.
final class LowFrequencyRiskAnalyzer {
    public let sampleRate: Double
    private let excursion: DeviceProfile.Excursion
    /// The cone model and the low branch of a Linkwitz–Riley crossover at the usable low cut
    /// (two Butterworth low-passes), both channels in lockstep (a mono device uses one lane).
    private var coneFilter: PairedBiquad
    private var lowCutFilters: (PairedBiquad, PairedBiquad)
    private let channels: Int
    private let limitAmplitude: Double
    private var peakRatio = 0.0
    private var samplesOver = 0
    private var lowEnergy = 0.0, totalEnergy = 0.0
    private var frameLow = 0.0, frameTotal = 0.0, frameMinGain: Float = 1, frameFill = 0
    private let frameLength: Int
    private var maxBassDuckingDB = 0.0
    private var bassDuckingFrames = 0
    private var events: [LowFrequencyRisk.Event] = []
    private var openEvent: LowFrequencyRisk.Event?
    private var lastOverSample = -1
    private var sampleIndex = 0
    /// Excursions closer than this are one event.
    private let mergeGapSamples: Int

    public init(excursion: DeviceProfile.Excursion, channels: Int, sampleRate: Double = 48000) {
        self.sampleRate = sampleRate
        self.excursion = excursion
        precondition(channels == 1 || channels == 2, "one or two device channels")
        self.channels = channels
        coneFilter = PairedBiquad(.lowPass(frequencyHz: excursion.resonanceHz, q: excursion.q, sampleRate: sampleRate))
        let lp = PairedBiquad(.lowPass(frequencyHz: excursion.usableLowCutHz, q: 1 / 2.0.squareRoot(), sampleRate: sampleRate))
        lowCutFilters = (lp, lp)
        limitAmplitude = pow(10, excursion.limitDBFS / 20)
        frameLength = Int(sampleRate / 100)
        mergeGapSamples = Int(sampleRate / 10)
    }

    public func consume(drive: [[Float]], limiterGain: [Float]) {
        let frames = drive.first?.count ?? 0
        // The filters per channel first (local state, tight loops), then the per-sample bookkeeping.
        var ratios = [Double](repeating: 0, count: frames)
        var lows = [Double](repeating: 0, count: frames)
        var totals = [Double](repeating: 0, count: frames)
        let inverseLimit = 1 / limitAmplitude
        precondition(drive.count == channels, "expected \(channels) drive channels, got \(drive.count)")
        var cone = coneFilter
        var (lp1, lp2) = lowCutFilters
        let stereo = channels == 2
        drive[0].withUnsafeBufferPointer { l in
            drive[stereo ? 1 : 0].withUnsafeBufferPointer { r in
                for i in 0..<frames {
                    // A mono device's second lane stays silent and adds nothing.
                    let v = SIMD2(Double(l[i]), stereo ? Double(r[i]) : 0)
                    let excursion = cone.process(v)
                    ratios[i] = max(abs(excursion.x), abs(excursion.y)) * inverseLimit
                    let low = lp2.process(lp1.process(v))
                    lows[i] = low.x * low.x + low.y * low.y
                    totals[i] = v.x * v.x + v.y * v.y
                }
            }
        }
        coneFilter = cone
        lowCutFilters = (lp1, lp2)
        for i in 0..<frames {
            let ratio = ratios[i], low = lows[i], total = totals[i]
            peakRatio = max(peakRatio, ratio)
            lowEnergy += low; totalEnergy += total
            frameLow += low; frameTotal += total
            frameMinGain = min(frameMinGain, limiterGain[i])
            frameFill += 1
            if frameFill == frameLength { closeFrame() }
            if ratio > 1 {
                samplesOver += 1
                if var e = openEvent, sampleIndex - lastOverSample <= mergeGapSamples {
                    e.endSeconds = Double(sampleIndex + 1) / sampleRate
                    e.peakExcursionRatio = max(e.peakExcursionRatio, ratio)
                    openEvent = e
                } else {
                    if let e = openEvent { events.append(e) }
                    openEvent = .init(startSeconds: Double(sampleIndex) / sampleRate, endSeconds: Double(sampleIndex + 1) / sampleRate, peakExcursionRatio: ratio)
                }
                lastOverSample = sampleIndex
            }
            sampleIndex += 1
        }
    }

    private func closeFrame() {
        let duckingDB = -20 * log10(Double(max(frameMinGain, 1e-6))) + 0.0  // + 0.0: no negative zero
        if frameTotal > 0 && frameLow / frameTotal > 0.5 {
            maxBassDuckingDB = max(maxBassDuckingDB, duckingDB)
            if duckingDB > 1 { bassDuckingFrames += 1 }
        }
        frameLow = 0; frameTotal = 0; frameMinGain = 1; frameFill = 0
    }

    public func finish() -> LowFrequencyRisk {
        if frameFill > 0 { closeFrame() }
        if let e = openEvent { events.append(e); openEvent = nil }
        let seconds = Double(samplesOver) / sampleRate
        let score = min(1, max(0, (peakRatio - 0.8) / 1.2, seconds / 1.0, maxBassDuckingDB / 6))
        return LowFrequencyRisk(
            riskScore: score, peakExcursionRatio: peakRatio, secondsOverLimit: seconds,
            energyShareBelowLowCut: totalEnergy > 0 ? lowEnergy / totalEnergy : 0,
            maxBassDuckingDB: maxBassDuckingDB, bassDuckingSeconds: Double(bassDuckingFrames) * Double(frameLength) / sampleRate,
            events: events)
    }
}
