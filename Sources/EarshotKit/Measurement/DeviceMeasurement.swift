import Foundation

/// Settings of the analysis of a device measurement.
public struct MeasurementAnalysisSettings: Sendable {
    /// Impulse response kept after its main peak, seconds (must fit in the gap between sweeps).
    public var irWindowSeconds: Double = 0.1
    /// Kept before the main peak (faded in), seconds: a device's response can build up for a
    /// few milliseconds before its strongest sample (a minimum-phase bass lift does).
    public var irLeadSeconds: Double = 0.01
    /// Excitation band of the low-frequency distortion figure, Hz.
    public var lowFrequencyBandHz: ClosedRange<Double> = 50...200
    /// THD at which distortion counts as set in (0.1 = 10 %, −20 dB).
    public var distortionThresholdTHD: Double = DistortionOnset.defaultThresholdTHD
    /// The least signal-to-noise ratio (averaged sweeps, in the sweep's band) accepted, dB.
    public var minimumSNRDB: Double = 20
    /// SPL meter reading of the calibration tone at the microphone, dB SPL.
    public var toneMeterReadingDBSPL: Double?
    /// A calibration known beforehand (from a calibrator file, or given).
    public var calibration: MicrophoneCalibration?

    public init() {}
}

/// One harmonic-distortion point: at an excitation frequency, the 2nd and 3rd harmonics re the
/// fundamental and their total.
public struct DistortionPoint: Sendable, Equatable {
    public var frequencyHz: Double
    /// dB re the fundamental; nil where the harmonic falls outside the sweep's band; −∞ below the noise.
    public var secondHarmonicDB: Double?
    public var thirdHarmonicDB: Double?
    public var thdPercent: Double
}

/// What a device measurement found (see `MeasurementAnalysis`).
public struct DeviceMeasurement: Sendable {
    public var sampleRate: Int
    public var plan: MeasurementPlan
    public var settings: MeasurementAnalysisSettings
    /// The averaged linear impulse response, windowed, from just before its onset.
    public var impulseResponse: [Float]
    /// The fundamental and harmonic responses of the averaged sweeps.
    public var harmonics: HarmonicResponses
    /// 2nd/3rd harmonic levels on a 1/6-octave grid.
    public var distortion: [DistortionPoint]
    /// The stepped-level series and where LF distortion sets in.
    public var steps: [DistortionStep]
    public var onset: DistortionOnset?
    /// Signal-to-noise ratio of one sweep in the sweep's band, and of the average.
    public var singleSweepSNRDB: Double
    public var averagedSNRDB: Double
    /// The impulse response's peak over the noise left in its window, dB.
    public var peakToNoiseDB: Double
    /// Peak of the whole recording, dBFS.
    public var recordedPeakDBFS: Double
    /// Where the stimulus starts in the recording (plus the device's delay to its impulse
    /// peak), seconds.
    public var stimulusStartSeconds: Double
    /// Clock difference between player and recorder, from the sweeps' spacing in the recording,
    /// ppm: negative when the player's clock runs faster than the recorder's (a phone playing
    /// the stimulus file). Nil with a single sweep.
    public var clockDriftPPM: Double?
    /// Level of the recorded calibration tone (third-octave around it), dB re full scale.
    public var recordedToneDBFS: Double?
    public var calibration: MicrophoneCalibration?
    /// The noise recorded while the device played silence, dB re full scale (unweighted, and A-weighted).
    public var noiseLevelDBFS: Double
    public var noiseLevelADBFS: Double

    /// The tone's level at the microphone, dB SPL (needs a calibration).
    public var toneDBSPL: Double? {
        guard let calibration, let tone = recordedToneDBFS else { return nil }
        return calibration.dBSPL(levelDBFS: tone)
    }

    /// The noise floor at the microphone, dB(A) (needs a calibration).
    public var noiseDBA: Double? { calibration.map { $0.dBSPL(levelDBFS: noiseLevelADBFS) } }
}

/// Turns the recording of a `MeasurementStimulus` into a `DeviceMeasurement`:
///
/// 1. checks the recording is not silent and did not clip (peak ≥ −0.1 dBFS);
/// 2. deconvolves it with the inverse sweep and finds the sweeps: the latency whose expected
///    peak positions collect the most response (tried from the strongest peaks), then each
///    sweep's own peak (so clock drift between a phone and the microphone does not smear the
///    average);
/// 3. averages the repeated sweeps, deconvolves the average and the silent stretch (the noise
///    floor) alike, and checks the signal-to-noise ratio;
/// 4. windows the linear impulse response and the 2nd/3rd harmonic responses
///    (`HarmonicSeparation`), noise power removed;
/// 5. measures each step of the stepped-level series and finds the distortion onset;
/// 6. reads the calibration tone's level and applies the microphone calibration.
public enum MeasurementAnalysis {
    /// −0.1 dBFS: a recording reaching it has clipped, or nearly.
    public static let clipThreshold = Float(pow(10, -0.1 / 20))

    public static func analyse(recording: [Float], stimulus: MeasurementStimulus,
                               settings: MeasurementAnalysisSettings = MeasurementAnalysisSettings(),
                               source: String = "the source") throws -> DeviceMeasurement {
        let plan = stimulus.plan
        let sweep = plan.sweep
        let fs = stimulus.sampleRate
        let n = sweep.sampleCount
        let gap = stimulus.periodSamples - n
        let post = Int(settings.irWindowSeconds * Double(fs))
        let segmentLead = min(fs / 100, gap / 4)
        guard post + segmentLead + fs / 50 <= gap else {
            throw EarshotError.usage(String(format: "the impulse response window (%.0f ms) must be shorter than the gap between sweeps (%.0f ms) less 30 ms: shorten --ir-window-ms or lengthen --gap-seconds",
                                            settings.irWindowSeconds * 1000, Double(gap) / Double(fs) * 1000))
        }
        guard let peak = recording.lazy.map(abs).max(), peak > 0 else {
            throw EarshotError(.environment, "\(source) recorded digital silence: is the microphone connected and unmuted (`pactl set-source-mute NAME 0`), and its input gain up?")
        }

        // Find the sweeps.
        let deconvolver = SweepDeconvolver(sweep: sweep)
        let whole = deconvolver.deconvolve(recording)
        let base = try locate(whole, stimulus: stimulus, zeroLag: deconvolver.zeroLagIndex, source: source)
        var peaks: [Int] = []
        for placement in stimulus.sweeps {
            let expected = base + placement.offset + n - 1
            let reach = 48 + Int(200e-6 * Double(placement.offset))
            peaks.append(peakIndex(whole, around: expected, reach: reach))
        }
        var drift: Double?
        if stimulus.sweeps.count >= 2 {
            let span = Double(stimulus.sweeps.last!.offset - stimulus.sweeps[0].offset)
            drift = (Double(peaks.last! - peaks[0]) - span) / span * 1e6
        }
        // The stretches of the recording: each starts segmentLead before its sweep's aligned start.
        let noiseStart = base + stimulus.noiseRange.lowerBound - segmentLead
        let lastEnd = peaks.last! - (n - 1) - segmentLead + stimulus.periodSamples
        if noiseStart < 0 {
            throw EarshotError(.environment, "the recording starts after the stimulus had begun: start the playback only once Earshot says it is recording")
        }
        if lastEnd > recording.count {
            throw EarshotError(.environment, String(format: "the recording ends before the last sweep did (%.1f s short): start the playback sooner, or record longer (--wait-seconds)",
                                                    Double(lastEnd - recording.count) / Double(fs)))
        }
        try checkClipping(recording, peak: peak, base: base, stimulus: stimulus, source: source)

        func segment(from start: Int, scale: Float) -> [Float] {
            (0..<stimulus.periodSamples).map { i in
                let j = start + i
                return j >= 0 && j < recording.count ? recording[j] * scale : 0
            }
        }
        let mainIndices = stimulus.sweeps.indices.filter { !stimulus.sweeps[$0].isStep }
        let mainAmplitude = Float(pow(10, plan.levelDBFS / 20))
        var average = [Float](repeating: 0, count: stimulus.periodSamples)
        for j in mainIndices {
            let s = segment(from: peaks[j] - (n - 1) - segmentLead, scale: 1 / (mainAmplitude * Float(mainIndices.count)))
            for i in 0..<s.count { average[i] += s[i] }
        }
        let noise = segment(from: noiseStart, scale: 1 / mainAmplitude)
        let averageResponse = deconvolver.deconvolve(average)
        let noiseResponse = deconvolver.deconvolve(noise)
        let arrival = peakIndex(averageResponse, around: n - 1 + segmentLead, reach: 2)

        // Signal-to-noise ratio in the sweep's band.
        let sweepPart = segmentLead..<(segmentLead + n)
        let averagePower = bandMeanSquare(Array(average[sweepPart]), sampleRate: fs, bandHz: sweep.startHz...sweep.endHz)
        let noisePower = bandMeanSquare(Array(noise[sweepPart]), sampleRate: fs, bandHz: sweep.startHz...sweep.endHz)
        let count = Double(mainIndices.count)
        let signalPower = max(averagePower - noisePower / count, 0)
        let singleSNR = 10 * log10(max(signalPower, 1e-30) / max(noisePower, 1e-30))
        let averagedSNR = singleSNR + 10 * log10(count)
        if averagedSNR < settings.minimumSNRDB {
            throw EarshotError(.environment, String(format: "the signal-to-noise ratio is %.1f dB (%d sweep%@ averaged, %.0f Hz to %.0f Hz), below the %.0f dB needed: raise the device's volume or --level, move the microphone closer, make the room quieter, or average more sweeps (--sweeps)",
                                                    averagedSNR, mainIndices.count, mainIndices.count == 1 ? "" : "s", sweep.startHz, sweep.endHz, settings.minimumSNRDB))
        }

        // The linear impulse response and the harmonics.
        let lead = Int(settings.irLeadSeconds * Double(fs))
        let window = IRWindow(preSamples: lead, postSamples: post, fadeInFraction: 1, fadeOutFraction: 0.25)
        let linear = window.cut(averageResponse, at: arrival)
        let harmonics = HarmonicSeparation.separate(deconvolution: averageResponse, linearArrival: arrival, sweep: sweep,
                                                    linearPostSamples: post, noise: noiseResponse, noisePowerScale: 1 / count)
        let noiseWindow = window.cut(noiseResponse, at: arrival).samples
        let noiseMeanSquare = noiseWindow.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(noiseWindow.count) / count
        let irPeak = Double(linear.samples.map(abs).max() ?? 0)
        let peakToNoise = 10 * log10(irPeak * irPeak / max(noiseMeanSquare, 1e-30))

        // The stepped-level series.
        var steps: [DistortionStep] = []
        for j in stimulus.sweeps.indices where stimulus.sweeps[j].isStep {
            let amplitude = Float(pow(10, stimulus.sweeps[j].levelDBFS / 20))
            let response = deconvolver.deconvolve(segment(from: peaks[j] - (n - 1) - segmentLead, scale: 1 / amplitude))
            let at = peakIndex(response, around: n - 1 + segmentLead, reach: 2)
            let scale = Double(mainAmplitude / amplitude)
            let h = HarmonicSeparation.separate(deconvolution: response, linearArrival: at, sweep: sweep, linearPostSamples: post,
                                                noise: noiseResponse, noisePowerScale: scale * scale)
            steps.append(DistortionStep(levelDBFS: stimulus.sweeps[j].levelDBFS,
                                        lowFrequencyTHD: h.totalHarmonicDistortion(bandHz: settings.lowFrequencyBandHz, orders: [2, 3])))
        }

        // The calibration tone.
        var toneDBFS: Double?
        if let range = stimulus.toneRange {
            let length = range.count
            let from = base + range.lowerBound + length / 5, to = base + range.upperBound - length / 5
            if from >= 0 && to <= recording.count && to > from {
                toneDBFS = LevelCalibration.toneLevelDBFS(Array(recording[from..<to]), sampleRate: fs, frequencyHz: plan.toneFrequencyHz)
            }
        }
        var calibration = settings.calibration
        if let reading = settings.toneMeterReadingDBSPL {
            guard let toneDBFS else { throw EarshotError.usage("an SPL meter reading (--tone-spl) needs the calibration tone (--tone-seconds above 0)") }
            calibration = LevelCalibration.fromMeterReading(toneDBSPL: reading, recordedToneDBFS: toneDBFS, frequencyHz: plan.toneFrequencyHz)
        }
        let rawNoise = segment(from: noiseStart, scale: 1)
        return DeviceMeasurement(
            sampleRate: fs, plan: plan, settings: settings,
            impulseResponse: linear.trimmedToOnset(), harmonics: harmonics,
            distortion: distortionTable(harmonics, sweep: sweep),
            steps: steps, onset: DistortionOnset.find(steps: steps, thresholdTHD: settings.distortionThresholdTHD),
            singleSweepSNRDB: singleSNR, averagedSNRDB: averagedSNR, peakToNoiseDB: peakToNoise,
            recordedPeakDBFS: 20 * log10(Double(peak)),
            stimulusStartSeconds: Double(base) / Double(fs), clockDriftPPM: drift,
            recordedToneDBFS: toneDBFS, calibration: calibration,
            noiseLevelDBFS: LevelCalibration.levelDBFS(meanSquare: bandMeanSquare(rawNoise, sampleRate: fs, bandHz: 20...20000)),
            noiseLevelADBFS: LevelCalibration.aWeightedLevelDBFS(rawNoise, sampleRate: fs))
    }

    /// The recording index of stimulus sample 0 plus the device's delay to its impulse peak:
    /// the candidate latency (from the strongest peaks of the deconvolution) under which the
    /// expected sweep peaks collect the most response. (The sweeps are evenly spaced, so a
    /// latency one period off still finds all but one of them; the raw sum, not one normalised
    /// by each sweep's level, is what makes the true latency win.)
    static func locate(_ response: [Float], stimulus: MeasurementStimulus, zeroLag: Int, source: String) throws -> Int {
        let block = stimulus.sampleRate / 20
        var blockPeaks: [(index: Int, value: Float)] = []
        var i = 0
        while i < response.count {
            let end = min(i + block, response.count)
            var best = i, value: Float = 0
            for j in i..<end where abs(response[j]) > value { value = abs(response[j]); best = j }
            blockPeaks.append((best, value))
            i = end
        }
        let candidates = blockPeaks.sorted { $0.value > $1.value }.prefix(8)
        var bestBase: Int?, bestScore = -1.0
        for candidate in candidates {
            for placement in stimulus.sweeps {
                let base = candidate.index - placement.offset - zeroLag
                var score = 0.0
                for other in stimulus.sweeps {
                    let at = base + other.offset + zeroLag
                    guard at >= 0 && at < response.count else { continue }
                    var m: Float = 0
                    for k in max(0, at - 3)...min(response.count - 1, at + 3) { m = max(m, abs(response[k])) }
                    score += Double(m)
                }
                if score > bestScore { bestScore = score; bestBase = base }
            }
        }
        guard let base = bestBase, bestScore > 0 else {
            throw EarshotError(.environment, "no sweep found in the recording from \(source): check that the sink plays to the device and the microphone hears it")
        }
        return base
    }

    static func peakIndex(_ x: [Float], around centre: Int, reach: Int) -> Int {
        let lo = max(0, centre - reach), hi = min(x.count - 1, centre + reach)
        guard hi >= lo else { return min(max(centre, 0), max(x.count - 1, 0)) }
        var best = lo
        for i in lo...hi where abs(x[i]) > abs(x[best]) { best = i }
        return best
    }

    /// Refuses a recording that reached −0.1 dBFS, naming what was playing then.
    static func checkClipping(_ recording: [Float], peak: Float, base: Int, stimulus: MeasurementStimulus, source: String) throws {
        guard peak >= clipThreshold, let index = recording.firstIndex(where: { abs($0) >= clipThreshold }) else { return }
        let fs = Double(stimulus.sampleRate)
        let t = index - base
        var what = "outside the stimulus"
        if let tone = stimulus.toneRange, tone.contains(t) { what = "during the calibration tone" }
        for (k, s) in stimulus.sweeps.enumerated() where (s.offset..<(s.offset + stimulus.periodSamples)).contains(t) {
            what = s.isStep ? String(format: "during the stepped-level sweep at %.1f dBFS", s.levelDBFS)
                            : String(format: "during sweep %d at %.1f dBFS", k + 1, s.levelDBFS)
        }
        throw EarshotError(.environment, String(format: "the recording from %@ clipped (peak %.2f dBFS at %.2f s, %@): lower the microphone's input gain or the device's volume (or --level / the top of --steps) and measure again",
                                                source, 20 * log10(Double(peak)), Double(index) / fs, what))
    }

    /// Mean square of the part of `x` inside a frequency band (FFT, rectangular).
    static func bandMeanSquare(_ x: [Float], sampleRate: Int, bandHz: ClosedRange<Double>) -> Double {
        WeightedMeanSquare.of(x, sampleRate: sampleRate) { bandHz.contains($0) ? 1 : 0 }
    }

    /// 2nd/3rd harmonic levels on a 1/6-octave grid over the unfaded part of the sweep.
    static func distortionTable(_ h: HarmonicResponses, sweep: ExponentialSweep) -> [DistortionPoint] {
        let second = h.excitationRangeHz(order: 2, fadeInOctaves: sweep.fadeInOctaves)
        let third = h.excitationRangeHz(order: 3, fadeInOctaves: sweep.fadeInOctaves)
        var points: [DistortionPoint] = []
        var f = second.lowerBound
        while f <= second.upperBound {
            let h2 = h.harmonicLevelDB(order: 2, excitationHz: f)
            let h3: Double? = third.contains(f) ? h.harmonicLevelDB(order: 3, excitationHz: f) : nil
            let total = pow(10, h2 / 10) + (h3.map { pow(10, $0 / 10) } ?? 0)
            points.append(DistortionPoint(frequencyHz: f, secondHarmonicDB: h2, thirdHarmonicDB: h3, thdPercent: 100 * total.squareRoot()))
            f *= pow(2, 1.0 / 6)
        }
        return points
    }
}
