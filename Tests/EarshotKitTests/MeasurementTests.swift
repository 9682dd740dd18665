import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

/// The measurement science without a sound server: the sweep, its deconvolution, harmonic
/// separation, the stepped-level onset, the level calibration, the faults, and the profile a
/// measurement writes — on stimuli passed through known transforms in memory.
final class MeasurementTests: XCTestCase {
    var workspace: TestWorkspace!
    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    func testSweepFollowsTheExponentialLawAndIsSynchronized() throws {
        let sweep = try ExponentialSweep(startHz: 20, seconds: 2)
        // f1·L is a whole number (synchronized sweep), and the frequency grows by e every L seconds.
        XCTAssertEqual(sweep.startHz * sweep.rateSeconds, (sweep.startHz * sweep.rateSeconds).rounded(), accuracy: 1e-9)
        XCTAssertEqual(sweep.frequencyHz(atSeconds: sweep.durationSeconds), 24000, accuracy: 24000 * 1e-3)
        XCTAssertEqual(sweep.harmonicAdvanceSamples(order: 2), sweep.rateSeconds * log(2) * 48000, accuracy: 1e-9)
        // Zero crossings of the samples sit where the phase ω1·L·(e^(t/L) − 1) passes kπ.
        let x = sweep.samples()
        let mid = sweep.sampleCount / 2
        let phase = { (t: Double) in 2 * Double.pi * sweep.startHz * sweep.rateSeconds * (exp(t / sweep.rateSeconds) - 1) }
        for i in mid..<(mid + 200) {
            let expected = sin(phase(Double(i) / 48000))
            XCTAssertEqual(Double(x[i]), expected, accuracy: 1e-4)
        }
        XCTAssertThrowsError(try ExponentialSweep(startHz: 20, endHz: 30000, seconds: 1))
        XCTAssertThrowsError(try ExponentialSweep(startHz: 20, seconds: 0.01))
    }

    func testDeconvolvingTheSweepGivesACleanFlatImpulse() throws {
        let sweep = try ExponentialSweep(startHz: 20, seconds: 1)
        let d = SweepDeconvolver(sweep: sweep).deconvolve(sweep.samples())
        let (outside, peak) = MeasurementFixtures.outsideMainTapDB(d, halfWidth: 0)
        XCTAssertEqual(peak, sweep.sampleCount - 1)
        XCTAssertEqual(Double(d[peak]), 1, accuracy: 1e-3)
        XCTAssertLessThanOrEqual(outside, -50, "a straight wire deconvolves to one sample")
        // A known filter comes back tap for tap.
        let taps: [Float] = [0.5, -0.3, 0.2, 0.1]
        let x = sweep.samples()
        var y = [Float](repeating: 0, count: x.count + 200)
        for i in 0..<x.count { for (k, t) in taps.enumerated() { y[i + 100 + k] += t * x[i] } }
        let h = SweepDeconvolver(sweep: sweep).deconvolve(y)
        for (k, t) in taps.enumerated() { XCTAssertEqual(h[sweep.sampleCount - 1 + 100 + k], t, accuracy: 2e-3) }
    }

    func testPolynomialHarmonicsAreRecoveredOffline() throws {
        let plan = try MeasurementFixtures.plan(sweeps: 1, level: -6)
        let stimulus = try MeasurementStimulus(plan: plan)
        let polynomial = PolynomialDistortion(a2: 0.1, a3: 0.2)
        let recording = try MeasurementFixtures.loopback(stimulus, through: polynomial)
        let m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus)
        let a = pow(10, plan.levelDBFS / 20)
        var worst = 0.0
        for f in [60.0, 100, 200, 500, 1000, 2000, 5000] {
            let e2 = m.harmonics.harmonicLevelDB(order: 2, excitationHz: f) - polynomial.expectedSecondHarmonicDB(amplitude: a)
            let e3 = m.harmonics.harmonicLevelDB(order: 3, excitationHz: f) - polynomial.expectedThirdHarmonicDB(amplitude: a)
            worst = max(worst, abs(e2), abs(e3))
            XCTAssertEqual(e2, 0, accuracy: 0.25, "H2 at \(f) Hz")
            XCTAssertEqual(e3, 0, accuracy: 0.25, "H3 at \(f) Hz")
        }
        print(String(format: "offline polynomial: largest harmonic level error %.3f dB", worst))
    }

    func testSteppedLevelsFindWhereDistortionSetsIn() throws {
        // y = x + 0.8·x²: THD = 0.8·A/2, so 10 % at A = 0.25, −12.04 dBFS.
        let plan = try MeasurementFixtures.plan(sweeps: 1, level: -20, steps: [-30, -24, -18, -12, -6])
        let stimulus = try MeasurementStimulus(plan: plan)
        let recording = try MeasurementFixtures.loopback(stimulus, through: PolynomialDistortion(a2: 0.8, a3: 0))
        let m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus)
        XCTAssertEqual(m.steps.count, 5)
        for step in m.steps {
            XCTAssertEqual(step.lowFrequencyTHD, 0.4 * pow(10, step.levelDBFS / 20), accuracy: 0.4 * pow(10, step.levelDBFS / 20) * 0.05, "THD at \(step.levelDBFS) dBFS")
        }
        let onset = try XCTUnwrap(m.onset)
        XCTAssertEqual(onset.kind, .interpolated)
        XCTAssertEqual(onset.levelDBFS, 20 * log10(0.25), accuracy: 0.3)
        print(String(format: "stepped levels: onset %.2f dBFS (expected %.2f)", onset.levelDBFS, 20 * log10(0.25)))
    }

    func testDistortionOnsetKinds() {
        let steps = [-20.0, -10, 0].map { DistortionStep(levelDBFS: $0, lowFrequencyTHD: 0.01 * pow(10, ($0 + 20) / 20)) }
        XCTAssertEqual(DistortionOnset.find(steps: steps, thresholdTHD: 0.5)?.kind, .notReached)
        XCTAssertEqual(DistortionOnset.find(steps: steps, thresholdTHD: 0.5)?.levelDBFS, 0)
        XCTAssertEqual(DistortionOnset.find(steps: steps, thresholdTHD: 0.005)?.kind, .atOrBelowLowestStep)
        let between = DistortionOnset.find(steps: steps.reversed(), thresholdTHD: 0.05)!
        XCTAssertEqual(between.kind, .interpolated)
        XCTAssertEqual(between.levelDBFS, -20 + 20 * log10(5), accuracy: 1e-9)
        XCTAssertNil(DistortionOnset.find(steps: []))
    }

    func testClippingLowSNRAndSilenceAreRefusedWithAdvice() throws {
        let stimulus = try MeasurementStimulus(plan: try MeasurementFixtures.plan(sweeps: 1, level: -6))
        XCTAssertThrowsError(try MeasurementAnalysis.analyse(recording: try MeasurementFixtures.loopback(stimulus, through: GainTransform(gain: 2)), stimulus: stimulus)) {
            let message = "\($0)"
            XCTAssertTrue(message.contains("clipped") && message.contains("lower the microphone's input gain or the device's volume"), message)
            XCTAssertTrue(message.contains("during the calibration tone") || message.contains("during sweep 1"), message)
        }
        let quiet = try MeasurementStimulus(plan: try MeasurementFixtures.plan(sweeps: 1, level: -40))
        XCTAssertThrowsError(try MeasurementAnalysis.analyse(recording: try MeasurementFixtures.loopback(quiet, through: AddedNoise(rms: 0.05)), stimulus: quiet)) {
            let message = "\($0)"
            XCTAssertTrue(message.contains("signal-to-noise ratio") && message.contains("below the 20 dB needed"), message)
            XCTAssertTrue(message.contains("raise the device's volume"), message)
        }
        XCTAssertThrowsError(try MeasurementAnalysis.analyse(recording: [Float](repeating: 0, count: 96000), stimulus: stimulus, source: "'mic'")) {
            XCTAssertTrue("\($0)".contains("'mic' recorded digital silence"), "\($0)")
        }
    }

    func testCalibrationFromAMeterReadingAndFromACalibratorFile() throws {
        // A 1 kHz tone at −20 dB re full scale, with a little noise.
        var tone = TestSignals.sine(frequencyHz: 1000, amplitude: 0.1, seconds: 3)
        let noise = TestSignals.noise(seconds: 3, rms: 0.001, seed: 3)
        for i in tone.indices { tone[i] += noise[i] }
        XCTAssertEqual(LevelCalibration.toneLevelDBFS(tone, sampleRate: 48000), -20, accuracy: 0.05)
        let meter = LevelCalibration.fromMeterReading(toneDBSPL: 84, recordedToneDBFS: -20)
        XCTAssertEqual(meter.fullScaleDBSPL, 104, accuracy: 1e-9)
        let path = workspace.path("calibrator.wav")
        try AudioFile.write(path: path, channels: [tone], sampleRate: 48000)
        let file = try LevelCalibration.fromCalibratorFile(path: path, calibratorDBSPL: 94)
        XCTAssertEqual(file.fullScaleDBSPL, 114, accuracy: 0.05)
        let notATone = workspace.path("noise.wav")
        try AudioFile.write(path: notATone, channels: [TestSignals.noise(seconds: 2, rms: 0.1, seed: 4)], sampleRate: 48000)
        XCTAssertThrowsError(try LevelCalibration.fromCalibratorFile(path: notATone)) {
            XCTAssertTrue("\($0)".contains("no 1000 Hz calibrator tone"), "\($0)")
        }
    }

    func stockPhone() throws -> DeviceModel {
        let catalog = try ProfileCatalog(roots: [try ProfileCatalog.stockProfilesFolder(environment: [:])])
        return try DeviceModel(profile: try catalog.device("phone-budget-speaker"))
    }

    func testThroughAProfileRecoversItsResponseAndWritesAProfileThatSaysItIsAModel() throws {
        let phone = try stockPhone()
        let plan = try MeasurementFixtures.plan(sweeps: 1, gap: 0.4, level: -20, steps: [-30, -20])
        let stimulus = try MeasurementStimulus(plan: plan)
        var settings = MeasurementAnalysisSettings()
        settings.irWindowSeconds = 0.25
        settings.toneMeterReadingDBSPL = 80
        let recording = try MeasurementFixtures.loopback(stimulus, through: DeviceRenderTransform(device: phone))
        let m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus, settings: settings)
        let centres = ThirdOctave.nominalCentresHz.filter { $0 >= 100 && $0 <= 10000 }
        let measured = MeasurementFixtures.thirdOctaveReOneKHz(m.impulseResponse, centres: centres)
        let truth = MeasurementFixtures.thirdOctaveReOneKHz(phone.impulseResponse, centres: centres)
        let worst = zip(measured, truth).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 0.5)
        print(String(format: "offline through phone-budget-speaker: largest third-octave deviation %.3f dB (100 Hz–10 kHz)", worst))

        var d = MeasurementFixtures.description("through-phone")
        d.throughProfile = phone.profile
        let folder = try MeasuredDeviceProfile.write(m, d, parent: workspace.path("out"))
        guard case .device(let loaded) = try ProfileLoader.load(folder: folder) else { return XCTFail("not a device") }
        _ = try DeviceModel(profile: loaded)
        XCTAssertEqual(loaded.provenance.kind, .derived, "a measurement through a model is not a measurement of a device")
        XCTAssertTrue(loaded.provenance.summary.hasPrefix("NOT A REAL DEVICE"))
        XCTAssertTrue(loaded.provenance.derivedFrom?.contains("phone-budget-speaker") == true)
        // The tone at −20 dBFS read 80 dB SPL: a full-scale sine at 100 % volume is 100 dB SPL.
        XCTAssertEqual(loaded.level.sensitivityDBSPL, 100, accuracy: 0.15)
        XCTAssertEqual(loaded.level.listeningDistanceMeters, 0.35)
        XCTAssertThrowsError(try MeasuredDeviceProfile.write(m, d, parent: workspace.path("out"))) {
            XCTAssertTrue("\($0)".contains("already exists"), "\($0)")
        }
        XCTAssertNoThrow(try MeasuredDeviceProfile.write(m, d, parent: workspace.path("out"), overwrite: true))
    }

    func testAMeasuredProfileCarriesItsProvenanceAndValidates() throws {
        let plan = try MeasurementFixtures.plan(sweeps: 2, level: -12, steps: [-24, -18, -12, -6])
        let stimulus = try MeasurementStimulus(plan: plan)
        var settings = MeasurementAnalysisSettings()
        settings.toneMeterReadingDBSPL = 70
        let recording = try MeasurementFixtures.loopback(stimulus, through: PolynomialDistortion(a2: 0.8, a3: 0))
        let m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus, settings: settings)
        var d = MeasurementFixtures.description("my-phone")
        d.volumeStep = "media volume 15 of 15"
        let folder = try MeasuredDeviceProfile.write(m, d, parent: workspace.path("out"))
        for file in ["profile.json", "ir.wav", "distortion.csv", "level-series.csv", "measurement.json", "PROVENANCE.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + file), file)
        }
        guard case .device(let p) = try ProfileLoader.load(folder: folder) else { return XCTFail("not a device") }
        let model = try DeviceModel(profile: p)
        XCTAssertEqual(p.provenance.kind, .measured)
        XCTAssertEqual(p.provenance.measuredBy, "Test Runner")
        XCTAssertEqual(p.provenance.date, "2026-01-02")
        XCTAssertTrue(p.provenance.rig?.contains("test microphone at 35 cm") == true, p.provenance.rig ?? "")
        XCTAssertTrue(p.provenance.summary.contains("media volume 15 of 15"))
        XCTAssertTrue(p.provenance.confidenceNote?.contains("Volume curve: Android's default media volume curve") == true)
        // Tone at −12 dBFS read 70 dB SPL → 82 dB SPL full scale at 100 %.
        XCTAssertEqual(p.level.sensitivityDBSPL, 82, accuracy: 0.15)
        // The onset (−12.04 dBFS for this polynomial) referred below resonance: a flat wire has
        // no roll-off, so the fitted resonance sits low and the limit stays near the onset.
        let onset = try XCTUnwrap(m.onset)
        XCTAssertEqual(onset.levelDBFS, 20 * log10(0.25), accuracy: 0.3)
        XCTAssertEqual(p.excursion.limitDBFS, onset.levelDBFS + ClosedBoxFit.excursionDB(frequencyHz: 100, resonanceHz: p.excursion.resonanceHz, q: p.excursion.q), accuracy: 0.2)
        XCTAssertFalse(model.impulseResponse.isEmpty)
        // The written files match the measurement.
        let series = try String(contentsOfFile: folder + "/level-series.csv", encoding: .utf8)
        XCTAssertTrue(series.hasPrefix("levelDBFS,lowFrequencyTHDPercent\n-24.0,"), series)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/measurement.json"))) as! [String: Any]
        XCTAssertEqual((json["steps"] as? [Any])?.count, 4)
    }

    func testAStimulusPlayedOnAnotherClockIsStillFoundAndAveraged() throws {
        // A phone playing the stimulus file runs on its own clock: here 104 ppm fast (48005 Hz
        // against the recorder's 48000), started 2 s into the recording.
        let plan = try MeasurementFixtures.plan(sweeps: 3, gap: 0.3, level: -12, steps: [-18, -6])
        let stimulus = try MeasurementStimulus(plan: plan)
        let played = try AudioFile.resample(stimulus.samples, from: 48005, to: 48000)
        let recording = [Float](repeating: 0, count: 96000) + played + [Float](repeating: 0, count: 9600)
        let m = try MeasurementAnalysis.analyse(recording: recording, stimulus: stimulus)
        XCTAssertEqual(m.clockDriftPPM ?? 0, -104, accuracy: 5, "the sweeps arrive closer together than played")
        let centres = ThirdOctave.nominalCentresHz.filter { $0 >= 100 && $0 <= 10000 }
        let worst = MeasurementFixtures.thirdOctaveReOneKHz(m.impulseResponse, centres: centres).map(abs).max()!
        XCTAssertLessThanOrEqual(worst, 0.5, "each sweep is aligned on its own peak before averaging")
        print(String(format: "stimulus on a 104 ppm fast clock: drift found %.1f ppm, response flat within %.2f dB (100 Hz–10 kHz)", m.clockDriftPPM ?? .nan, worst))
        // A recording that starts after the stimulus has begun is refused with what to do.
        XCTAssertThrowsError(try MeasurementAnalysis.analyse(recording: Array(played[(stimulus.sweeps[0].offset - 4800)...]), stimulus: stimulus)) {
            XCTAssertTrue("\($0)".contains("start the playback only once Earshot says it is recording"), "\($0)")
        }
    }
}
