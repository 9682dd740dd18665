import XCTest
@testable import EarshotKit
@testable import EarshotTestSupport

final class RenderingTests: XCTestCase {
    var workspace: TestWorkspace!

    override func setUpWithError() throws { workspace = try TestWorkspace() }
    override func tearDown() { workspace.remove() }

    func catalog() throws -> ProfileCatalog { try ProfileCatalog(roots: [workspace.path("profiles")]) }

    func renderAll(_ inputs: ScenarioInputs, device: String, environment: String = "quiet", volume: Double = 100,
                   blockFrames: Int = 4096) throws -> (stems: [ScenarioInputs.Role: [Float]], mix: [Float], environment: [Float], total: [Float]) {
        let c = try catalog()
        let scenario = Scenario(device: try DeviceModel(profile: try c.device(device)), environment: try c.environment(environment), volumePercent: volume)
        var stems: [ScenarioInputs.Role: [Float]] = [:], mix: [Float] = [], env: [Float] = [], total: [Float] = []
        try ScenarioRenderer(inputs: inputs, scenario: scenario, blockFrames: blockFrames).render { block in
            for (role, s) in block.stems { stems[role, default: []] += s.left }
            mix += block.mix.left
            env += block.environment.left
            total += block.total.left
        }
        return (stems, mix, env, total)
    }

    func writeStems(seconds: Double = 3) throws -> ScenarioInputs {
        // Dialogue-like tone bursts, music with a loud bass line, an effects burst.
        let n = Int(seconds * 48000)
        let dialogue = (0..<n).map { i -> Float in
            let t = Double(i) / 48000
            return Float(0.3 * sin(2 * .pi * 220 * t) * (sin(2 * .pi * 3 * t) > 0 ? 1 : 0.1))
        }
        let music = (0..<n).map { Float(0.5 * sin(2 * .pi * 55 * Double($0) / 48000)) }
        var effects = TestSignals.noise(seconds: seconds, rms: 0.02, seed: 9)
        for i in n / 2..<(n / 2 + 12000) { effects[i] *= 20 }
        let mix = (0..<n).map { dialogue[$0] + music[$0] + effects[$0] }
        for (name, x) in [("dialogue", dialogue), ("music", music), ("effects", effects), ("mix", mix)] {
            try AudioFile.write(path: workspace.path("\(name).wav"), channels: [x, x], sampleRate: 48000, format: .float32)
        }
        return ScenarioInputs(mix: workspace.path("mix.wav"), dialogue: workspace.path("dialogue.wav"),
                              music: workspace.path("music.wav"), effects: workspace.path("effects.wav"))
    }

    /// A phone with a limiter (−12 dBFS) and a bass compressor (below 300 Hz), and a quiet room.
    func writeHotPhoneInAQuietRoom() throws {
        try workspace.writeProfile("hot-phone", TestWorkspace.device(
            "hot-phone", response: ["frequencyResponse": "response.csv"],
            limiter: ["thresholdDBFS": -12, "attackMs": 1, "releaseMs": 80, "lookaheadMs": 5],
            bass: ["splitHz": 300, "thresholdDBFS": -20, "ratio": 4, "attackMs": 5, "releaseMs": 150]),
            files: ["response.csv": "frequencyHz,levelDB\n20,-40\n300,-20\n700,-3\n1000,0\n4000,3\n10000,-3\n20000,-20\n"])
        try workspace.writeProfile("quiet", TestWorkspace.environment("quiet", levelDBA: 30))
    }

    func testRenderedStemsAddUpToRenderedMixThroughLimiterAndBassCompressor() throws {
        try writeHotPhoneInAQuietRoom()
        let result = try renderAll(try writeStems(), device: "hot-phone")
        let model = try DeviceModel(profile: try catalog().device("hot-phone"))
        let fullScale = Double(model.pascalsPerFullScale)
        var maxError = 0.0
        for i in 0..<result.mix.count {
            let sum = result.stems.values.reduce(0.0) { $0 + Double($1[i]) }
            maxError = max(maxError, abs(sum - Double(result.mix[i])))
        }
        XCTAssertEqual(result.mix.count, 3 * 48000)
        XCTAssertLessThan(maxError / fullScale, 1e-4, "stems must add up to the mix")
        // The limiter really worked: the drive's peak was reduced (the mix peaks near 1.0 at −0 dB
        // volume, far above the −12 dBFS threshold).
        XCTAssertLessThan(result.mix.map(abs).max()! / Float(fullScale), 0.6)
    }

    /// A mix bounced 6 dB down (`sox -m`): with `stemGain` set, the stems are played at their
    /// level in the mix, so they still add up to the rendered mix through the protection DSP.
    func testStemsPlayAtTheMixsMasterGain() throws {
        try writeHotPhoneInAQuietRoom()
        var inputs = try writeStems()
        let mix = try AudioFile.readPlanar(path: inputs.paths[.mix]!)
        try AudioFile.write(path: workspace.path("half.wav"), channels: mix.channels.map { $0.map { $0 * 0.5 } }, sampleRate: 48000, format: .float32)
        inputs.paths[.mix] = workspace.path("half.wav")
        let fullScale = Double(try DeviceModel(profile: try catalog().device("hot-phone")).pascalsPerFullScale)
        func stemsMinusMix(stemGain: Float) throws -> Double {
            var gained = inputs
            gained.stemGain = stemGain
            let result = try renderAll(gained, device: "hot-phone")
            var maxError = 0.0
            for i in 0..<result.mix.count {
                maxError = max(maxError, abs(result.stems.values.reduce(0.0) { $0 + Double($1[i]) } - Double(result.mix[i])))
            }
            return maxError / fullScale
        }
        XCTAssertLessThan(try stemsMinusMix(stemGain: 0.5), 1e-4, "stems at the mix's gain add up to the mix")
        XCTAssertGreaterThan(try stemsMinusMix(stemGain: 1), 0.05, "stems at their own level do not")
    }

    func testFlatDeviceIsSampleAlignedAndCalibrated() throws {
        try workspace.writeProfile("flat", TestWorkspace.device("flat"), files: ["flat.csv": TestWorkspace.flatCSV])
        try workspace.writeProfile("quiet", TestWorkspace.environment("quiet", levelDBA: 0))
        // Full-scale 1 kHz sine at 100 % volume must come out at the sensitivity (90 dB SPL).
        let x = TestSignals.sine(frequencyHz: 1000, amplitude: 1.0, seconds: 1)
        var impulse = [Float](repeating: 0, count: 48000)
        impulse[10000] = 0.5
        try AudioFile.write(path: workspace.path("sine.wav"), channels: [x], sampleRate: 48000)
        try AudioFile.write(path: workspace.path("click.wav"), channels: [impulse], sampleRate: 48000)
        let sine = try renderAll(ScenarioInputs(mix: workspace.path("sine.wav")), device: "flat")
        let splDB = 20 * log10(TestSignals.rms(sine.mix[4800..<43200]) / 20e-6)
        XCTAssertEqual(splDB, 90, accuracy: 0.1)
        let click = try renderAll(ScenarioInputs(mix: workspace.path("click.wav")), device: "flat", blockFrames: 1000)
        let peakIndex = click.mix.indices.max { abs(click.mix[$0]) < abs(click.mix[$1]) }!
        XCTAssertEqual(peakIndex, 10000, "a flat device must not shift the programme in time")
        // Volume: 50 % is −12 dB on this curve.
        let half = try renderAll(ScenarioInputs(mix: workspace.path("sine.wav")), device: "flat", volume: 50)
        XCTAssertEqual(20 * log10(TestSignals.rms(half.mix[4800..<43200]) / 20e-6), 78, accuracy: 0.1)
    }

    /// The drive signal and the limiter gain the renderer hands the analyses are on the
    /// programme's timeline, like the at-ear audio: a loud tone burst starting at 1.0 s shows in
    /// the drive and ducks the limiter at 1.0 s (within the 5 ms lookahead), not a convolution
    /// block earlier or later. The 8192-tap response makes the convolution latency (4096 samples)
    /// differ from the lookahead (240 samples).
    func testDriveAndLimiterGainAreOnTheProgrammeTimeline() throws {
        try workspace.writeProfile("limited", TestWorkspace.device(
            "limited", limiter: ["thresholdDBFS": -12, "attackMs": 1, "releaseMs": 80, "lookaheadMs": 5]),
            files: ["flat.csv": TestWorkspace.flatCSV])
        try workspace.writeProfile("quiet", TestWorkspace.environment("quiet", levelDBA: 0))
        var x = [Float](repeating: 0, count: 96000)
        for i in 48000..<52800 { x[i] = Float(0.9 * sin(2 * .pi * 1000 * Double(i) / 48000)) }
        try AudioFile.write(path: workspace.path("burst.wav"), channels: [x, x], sampleRate: 48000)
        let c = try catalog()
        let model = try DeviceModel(profile: try c.device("limited"))
        XCTAssertNotEqual(PartitionedConvolver.defaultBlockSize(forImpulseResponseLength: model.impulseResponse.count), 240)
        let scenario = Scenario(device: model, environment: try c.environment("quiet"), volumePercent: 100)
        var drive: [Float] = [], gain: [Float] = [], audio: [Float] = []
        try ScenarioRenderer(inputs: ScenarioInputs(mix: workspace.path("burst.wav")), scenario: scenario, blockFrames: 3000).render { block in
            drive += block.mixDrive[0]
            gain += block.deviceGain
            audio += block.mix.left
        }
        func first(_ x: [Float], _ test: (Float) -> Bool) -> Int { x.firstIndex(where: test) ?? -1 }
        let audioOnset = first(audio) { abs($0) > 1e-3 * Float(model.pascalsPerFullScale) }
        XCTAssertEqual(audioOnset, 48000, accuracy: 5)
        XCTAssertEqual(first(drive) { abs($0) > 1e-3 }, 48000, accuracy: 5, "drive onset")
        // The limiter starts ducking within its lookahead before the burst, and is back to 1
        // once its release has run after the burst.
        let duckOnset = first(gain) { $0 < 0.99 }
        XCTAssertTrue((48000 - 240)...48000 ~= duckOnset, "ducking starts at \(duckOnset)")
        XCTAssertLessThan(gain[48000..<52800].min()!, 0.5)
        XCTAssertEqual(gain[..<(48000 - 240)].min()!, 1, "no ducking before the burst")
    }

    func testMonoDeviceCancelsOutOfPhaseContent() throws {
        try workspace.writeProfile("flat", TestWorkspace.device("flat"), files: ["flat.csv": TestWorkspace.flatCSV])
        try workspace.writeProfile("quiet", TestWorkspace.environment("quiet", levelDBA: 0))
        let x = TestSignals.sine(frequencyHz: 500, amplitude: 0.5, seconds: 0.5)
        try AudioFile.write(path: workspace.path("wide.wav"), channels: [x, x.map { -$0 }], sampleRate: 48000)
        let r = try renderAll(ScenarioInputs(mix: workspace.path("wide.wav")), device: "flat")
        XCTAssertLessThan(r.mix.map(abs).max()!, 1e-6)
    }

    func testSynthesizedEnvironmentIsCalibratedAndDeterministic() throws {
        try workspace.writeProfile("flat", TestWorkspace.device("flat"), files: ["flat.csv": TestWorkspace.flatCSV])
        try workspace.writeProfile("bus", TestWorkspace.environment("bus", levelDBA: 75, modulation: ["depthDB": 4, "rateHz": 0.5]))
        let silence = [Float](repeating: 0, count: 48000 * 10)
        try AudioFile.write(path: workspace.path("silence.wav"), channels: [silence], sampleRate: 48000)
        let a = try renderAll(ScenarioInputs(mix: workspace.path("silence.wav")), device: "flat", environment: "bus")
        let b = try renderAll(ScenarioInputs(mix: workspace.path("silence.wav")), device: "flat", environment: "bus")
        XCTAssertEqual(a.environment, b.environment, "seeded noise must be identical run to run")
        let levelA = 20 * log10(EnvironmentNoise.aWeightedRMS(a.environment, sampleRate: 48000) / 20e-6)
        XCTAssertEqual(levelA, 75, accuracy: 1.0)
    }

    func testRecordedEnvironmentLoopsAndIsCalibrated() throws {
        try workspace.writeProfile("flat", TestWorkspace.device("flat"), files: ["flat.csv": TestWorkspace.flatCSV])
        let dir = try workspace.writeProfile("cafe", TestWorkspace.environment("cafe", levelDBA: 68, recording: "room.wav"))
        // A 2-second "recording" at 44.1 kHz; the render is 5 s long, so it must loop.
        try AudioFile.write(path: dir + "/room.wav", channels: [TestSignals.noise(seconds: 2, rms: 0.05, seed: 3, rate: 44100)], sampleRate: 44100)
        let silence = [Float](repeating: 0, count: 48000 * 5)
        try AudioFile.write(path: workspace.path("silence.wav"), channels: [silence], sampleRate: 48000)
        let r = try renderAll(ScenarioInputs(mix: workspace.path("silence.wav")), device: "flat", environment: "cafe")
        XCTAssertEqual(r.environment.count, 48000 * 5)
        let levelA = 20 * log10(EnvironmentNoise.aWeightedRMS(r.environment, sampleRate: 48000) / 20e-6)
        XCTAssertEqual(levelA, 68, accuracy: 1.0)
        // No silent gaps at the loop seam.
        for start in stride(from: 0, to: r.environment.count - 480, by: 480) {
            XCTAssertGreaterThan(TestSignals.rms(r.environment[start..<start + 480]), 0.001, "gap at \(start)")
        }
    }

    func testStemsOfDifferentLengthsAreRejectedWithBothFilesNamed() throws {
        try AudioFile.write(path: workspace.path("a.wav"), channels: [[Float](repeating: 0.1, count: 48000)], sampleRate: 48000)
        try AudioFile.write(path: workspace.path("b.wav"), channels: [[Float](repeating: 0.1, count: 47000)], sampleRate: 48000)
        try AudioFile.write(path: workspace.path("c.wav"), channels: [[Float](repeating: 0.1, count: 44100)], sampleRate: 44100)
        XCTAssertThrowsError(try OpenedInputs(ScenarioInputs(mix: workspace.path("a.wav"), dialogue: workspace.path("b.wav")))) {
            let m = "\($0)"
            XCTAssertTrue(m.contains("a.wav") && m.contains("b.wav") && m.contains("same length"), m)
        }
        XCTAssertThrowsError(try OpenedInputs(ScenarioInputs(mix: workspace.path("a.wav"), dialogue: workspace.path("c.wav")))) {
            XCTAssertTrue("\($0)".contains("44100 Hz"), "\($0)")
        }
    }
}
