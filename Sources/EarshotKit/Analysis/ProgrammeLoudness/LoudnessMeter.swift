import CEBUR128
import Foundation

/// A streaming EBU R 128 loudness meter over libebur128: feed a programme in blocks of any
/// size, read `result` at any time.
///
/// Measures, per ITU-R BS.1770-4 and EBU Tech 3341/3342 (libebur128 modes I, LRA, TRUE_PEAK,
/// M, S and SAMPLE_PEAK): integrated loudness, loudness range, true peak (4× oversampled below
/// 96 kHz), sample peak, and the maximum momentary and short-term loudness. For the maxima the
/// meter splits the input into 100 ms steps counted from the first sample (libebur128's own
/// step, `(rate + 5) / 10` frames) and reads the 400 ms and 3 s windows after each step, the
/// ≥ 10 Hz update rate Tech 3341 §2.2 asks of a meter; a window is counted only once the
/// programme is at least as long as it, so the zeros before the first sample never lower or
/// invent a reading. The end of the programme is read as one more step.
///
/// Channel weighting follows `LoudnessChannelLayout` (mono is one channel at weight 1.0;
/// 5.1 is measured natively with the LFE left out and the surrounds at +1.5 dB).
/// Deterministic: the same samples in any block sizes give the same result.
public final class LoudnessMeter {
    public let sampleRate: Int
    public let layout: LoudnessChannelLayout
    public var channels: Int { layout.channelCount }
    /// Frames fed so far.
    public private(set) var framesAdded = 0

    private var state: UnsafeMutablePointer<ebur128_state>?
    private let stepFrames: Int
    private let momentaryFrames: Int
    private let shortTermFrames: Int
    private var framesSinceStep = 0
    private var maxMomentary = -Double.infinity
    private var maxShortTerm = -Double.infinity
    private var interleaved: [Float] = []
    private let measuresTruePeak: Bool
    private let tracksWindowMaxima: Bool
    /// Full 100 ms steps so far.
    private var steps = 0
    /// libebur128's 400 ms and 200 ms window energies read at each of the last 32 steps
    /// (index: step mod 32), from which each step's 3 s window is put together.
    private var stepEnergies: [(momentary: Double, twoSteps: Double)]
    /// Whether 200 ms is exactly two steps at this rate (libebur128 counts a window of `ms`
    /// as rate·ms/1000 frames), so the 3 s window can be put together from shorter ones.
    private let shortTermFromSteps: Bool

    /// A meter for `layout` at `sampleRate` Hz. Without `truePeak` the meter skips the 4×
    /// oversampled true-peak measurement (most of its cost) and reports no true peak.
    ///
    /// Without `windowMaxima` the meter does not follow the maximum momentary and short-term
    /// loudness (libebur128 sums a whole window for each reading; even with the 3 s window put
    /// together from shorter ones, following them every 100 ms adds about a third to the
    /// measurement without true peak).
    public init(sampleRate: Int, layout: LoudnessChannelLayout, truePeak: Bool = true, windowMaxima: Bool = true) throws {
        var modes = EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue
            | EBUR128_MODE_M.rawValue | EBUR128_MODE_S.rawValue | EBUR128_MODE_SAMPLE_PEAK.rawValue
        if truePeak { modes |= EBUR128_MODE_TRUE_PEAK.rawValue }
        self.measuresTruePeak = truePeak
        self.tracksWindowMaxima = windowMaxima
        guard sampleRate >= 8000, sampleRate <= 384_000,
              let st = ebur128_init(UInt32(layout.channelCount), UInt(sampleRate), Int32(modes)) else {
            throw EarshotError.badInput("cannot measure loudness at \(sampleRate) Hz; expected 8000–384000 Hz")
        }
        state = st
        for (index, ch) in layout.ebur128Channels.enumerated() {
            ebur128_set_channel(st, UInt32(index), Int32(ch.rawValue))
        }
        self.sampleRate = sampleRate
        self.layout = layout
        stepFrames = (sampleRate + 5) / 10
        momentaryFrames = stepFrames * 4
        shortTermFrames = stepFrames * 30
        stepEnergies = Array(repeating: (0, 0), count: 32)
        shortTermFromSteps = sampleRate * 200 % 1000 == 0 && sampleRate * 200 / 1000 == 2 * stepFrames
    }

    /// A meter for a file's channel count (1 mono, 2 stereo, 5 → 5.0, 6 → 5.1).
    public convenience init(sampleRate: Int, channels: Int, truePeak: Bool = true, windowMaxima: Bool = true) throws {
        try self.init(sampleRate: sampleRate, layout: LoudnessChannelLayout(channels: channels), truePeak: truePeak, windowMaxima: windowMaxima)
    }

    deinit { ebur128_destroy(&state) }

    /// Adds `frames` interleaved frames (`frames * channels` floats, full scale ±1.0).
    public func add(interleaved samples: UnsafePointer<Float>, frames: Int) {
        guard let state else { return }
        var done = 0
        while done < frames {
            let n = min(frames - done, stepFrames - framesSinceStep)
            ebur128_add_frames_float(state, samples + done * channels, n)
            done += n
            framesAdded += n
            framesSinceStep += n
            if framesSinceStep == stepFrames && !tracksWindowMaxima {
                framesSinceStep = 0
            } else if framesSinceStep == stepFrames {
                steps += 1
                let (m, s) = shortTermFromSteps ? stepReadings() : windowReadings()
                if let m { maxMomentary = max(maxMomentary, m) }
                if let s { maxShortTerm = max(maxShortTerm, s) }
                framesSinceStep = 0
            }
        }
    }

    /// Adds interleaved samples; the count must be a whole number of frames.
    public func add(interleaved samples: [Float]) {
        precondition(samples.count % channels == 0, "interleaved samples must hold whole frames")
        samples.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress { add(interleaved: base, frames: buf.count / channels) }
        }
    }

    /// Adds planar channels (one array per channel, in layout order, all the same length).
    public func add(planar: [[Float]]) {
        precondition(planar.count == channels, "expected \(channels) channels")
        let frames = planar.first?.count ?? 0
        precondition(planar.allSatisfy { $0.count == frames }, "channels must have the same length")
        interleaved.removeAll(keepingCapacity: true)
        interleaved.reserveCapacity(frames * channels)
        for i in 0..<frames { for c in 0..<channels { interleaved.append(planar[c][i]) } }
        interleaved.withUnsafeBufferPointer { add(interleaved: $0.baseAddress!, frames: frames) }
    }

    /// Adds a stereo block (meter layout must be stereo).
    public func add(_ block: StereoBlock) {
        precondition(layout == .stereo, "a StereoBlock needs a stereo meter")
        add(planar: [block.left, block.right])
    }

    /// The 400 ms and 3 s readings at the end of a full step, for windows the programme already
    /// fills. libebur128 sums a window's K-weighted samples for every reading, 3 s for the
    /// short-term; here the 3 s window is put together from windows libebur128 has already
    /// summed: the 400 ms windows ending 0, 4, …, 24 steps ago and the 200 ms window ending 28
    /// steps ago (7 × 4 + 2 = 30 steps), each a mean energy that is weighted by its length.
    private func stepReadings() -> (momentary: Double?, shortTerm: Double?) {
        guard let state else { return (nil, nil) }
        func energy(_ status: Int32, _ lufs: Double) -> Double {
            // libebur128: L = 10·log10(E) − 0.691, and −∞ for no energy.
            status == EBUR128_SUCCESS.rawValue && lufs.isFinite ? pow(10, (lufs + 0.691) / 10) : 0
        }
        var out = 0.0
        let momentary = energy(ebur128_loudness_momentary(state, &out), out)
        let twoSteps = energy(ebur128_loudness_window(state, 200, &out), out)
        stepEnergies[steps % 32] = (momentary, twoSteps)
        func lufs(_ e: Double) -> Double { e > 0 ? 10 * log10(e) - 0.691 : -.infinity }
        let m: Double? = framesAdded >= momentaryFrames ? lufs(momentary) : nil
        guard steps >= 30 else { return (m, nil) }
        var sum = 2 * stepEnergies[(steps - 28) % 32].twoSteps
        for j in 0..<7 { sum += 4 * stepEnergies[(steps - 4 * j) % 32].momentary }
        return (m, lufs(sum / 30))
    }

    /// The 400 ms and 3 s readings now, for windows the programme already fills.
    private func windowReadings() -> (momentary: Double?, shortTerm: Double?) {
        guard let state else { return (nil, nil) }
        var m: Double?, s: Double?
        var out = 0.0
        if framesAdded >= momentaryFrames, ebur128_loudness_momentary(state, &out) == EBUR128_SUCCESS.rawValue {
            m = out
        }
        if framesAdded >= shortTermFrames, ebur128_loudness_shortterm(state, &out) == EBUR128_SUCCESS.rawValue {
            s = out
        }
        return (m, s)
    }

    /// The momentary loudness (last 400 ms) now, in LUFS; nil before 400 ms or in silence.
    public var momentaryLUFS: Double? {
        guard let state, framesAdded >= momentaryFrames else { return nil }
        var out = 0.0
        return ebur128_loudness_momentary(state, &out) == EBUR128_SUCCESS.rawValue ? out.finiteOrNil : nil
    }

    /// The short-term loudness (last 3 s) now, in LUFS; nil before 3 s or in silence.
    public var shortTermLUFS: Double? { windowReadings().shortTerm?.finiteOrNil }

    /// The programme's figures so far.
    public var result: LoudnessResult {
        guard let state else {
            return LoudnessResult(integratedLUFS: nil, loudnessRangeLU: nil, truePeakDBTP: nil, maxMomentaryLUFS: nil,
                                  maxShortTermLUFS: nil, samplePeakDBFS: nil, durationSeconds: 0)
        }
        var maxM = maxMomentary, maxS = maxShortTerm
        if framesSinceStep > 0 {
            // The programme's last, partial step.
            let (m, s) = windowReadings()
            if let m { maxM = max(maxM, m) }
            if let s { maxS = max(maxS, s) }
        }
        var integrated = -Double.infinity
        ebur128_loudness_global(state, &integrated)
        var range = 0.0
        let rangeStatus = ebur128_loudness_range(state, &range)
        var truePeak = 0.0, samplePeak = 0.0
        for c in 0..<channels {
            var tp = 0.0, sp = 0.0
            if measuresTruePeak, ebur128_true_peak(state, UInt32(c), &tp) == EBUR128_SUCCESS.rawValue { truePeak = max(truePeak, tp) }
            if ebur128_sample_peak(state, UInt32(c), &sp) == EBUR128_SUCCESS.rawValue { samplePeak = max(samplePeak, sp) }
        }
        let maxShortTermLUFS = maxS.finiteOrNil
        // Tech 3342 measures the range over gated 3 s blocks; without one above the −70 LUFS
        // absolute gate (silence, or a programme shorter than 3 s) there is no range to report,
        // where libebur128 would return 0.
        let hasGatedShortTerm = (maxShortTermLUFS ?? -.infinity) >= -70
        return LoudnessResult(
            integratedLUFS: integrated.finiteOrNil,
            loudnessRangeLU: hasGatedShortTerm && rangeStatus == EBUR128_SUCCESS.rawValue && integrated.isFinite
                ? range : nil,
            truePeakDBTP: LoudnessMeter.decibels(truePeak),
            maxMomentaryLUFS: maxM.finiteOrNil,
            maxShortTermLUFS: maxShortTermLUFS,
            samplePeakDBFS: LoudnessMeter.decibels(samplePeak),
            durationSeconds: Double(framesAdded) / Double(sampleRate))
    }

    /// 20·log10 of a linear peak; nil for zero (digital silence).
    static func decibels(_ linear: Double) -> Double? {
        linear > 0 ? 20 * log10(linear) : nil
    }
}

extension LoudnessMeter {
    /// Measures planar channels in one call.
    public static func measure(planar: [[Float]], sampleRate: Int, layout: LoudnessChannelLayout) throws -> LoudnessResult {
        let meter = try LoudnessMeter(sampleRate: sampleRate, layout: layout)
        meter.add(planar: planar)
        return meter.result
    }

    /// Measures a file at its own rate and in its own channels, read in blocks through
    /// libsndfile: mono, stereo, 5.0 or 5.1 (see `LoudnessChannelLayout`). `dualMono` measures
    /// a mono file as played on both speakers of a stereo pair.
    public static func measure(file path: String, dualMono: Bool = false) throws -> LoudnessResult {
        let reader = try AudioFileReader(path: path)
        let layout = try LoudnessChannelLayout(channels: reader.info.channels, file: path, dualMono: dualMono)
        let meter: LoudnessMeter
        do {
            meter = try LoudnessMeter(sampleRate: reader.info.sampleRate, layout: layout)
        } catch var error as EarshotError {
            error.file = path
            throw error
        }
        let blockFrames = 16384
        var buffer = [Float](repeating: 0, count: blockFrames * reader.info.channels)
        while true {
            let got = try buffer.withUnsafeMutableBufferPointer { buf -> Int in
                let n = try reader.read(into: buf.baseAddress!, maxFrames: blockFrames)
                if n > 0 { meter.add(interleaved: buf.baseAddress!, frames: n) }
                return n
            }
            if got == 0 { break }
        }
        return meter.result
    }
}
