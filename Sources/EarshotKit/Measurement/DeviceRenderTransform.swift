import Foundation

/// `--through PROFILE`: the stimulus passes through a device profile's render chain — the
/// same `ScenarioRenderer` stages a check uses (channel handling, volume curve, protection
/// limiter and bass compressor, the device impulse response) — before it is played, so a
/// measurement can be tried out against a device whose response is known. No environment
/// noise is added, and the output stays in full-scale units (no calibration to pascals).
public struct DeviceRenderTransform: PlaybackTransform {
    public let device: DeviceModel
    public let volumePercent: Double

    public init(device: DeviceModel, volumePercent: Double = 100) {
        self.device = device
        self.volumePercent = volumePercent
    }

    public func apply(_ samples: [Float]) throws -> [Float] {
        // The renderer wants an environment; its noise is rendered separately and not used.
        let silentRoom = EnvironmentProfile(
            id: "none", name: "no environment", levelDBA: 0,
            spectrum: ThirdOctave.nominalCentresHz.map { BandValue(frequencyHz: $0, levelDB: 0) },
            recording: nil, modulation: nil, seed: 1,
            provenance: Provenance(kind: .modelled, summary: "no environment (measurement playback)", publishedFigures: ["none"],
                                   confidence: .high),
            folder: "")
        let scenario = Scenario(device: device, environment: silentRoom, volumePercent: volumePercent)
        let renderer = ScenarioRenderer(inputs: ScenarioInputs(mix: "stimulus"), scenario: scenario)
        try renderer.start(frames: samples.count)
        var out: [Float] = []
        out.reserveCapacity(samples.count)
        let scale = 1 / device.pascalsPerFullScale
        func take(_ blocks: [AtEarBlock]) { for b in blocks { out += b.mix.left.map { $0 * scale } } }
        var position = 0
        while position < samples.count {
            let end = min(position + renderer.blockFrames, samples.count)
            let block = Array(samples[position..<end])
            take(renderer.process([.mix: StereoBlock(left: block, right: block)]))
            position = end
        }
        take(renderer.finish())
        return out
    }
}
