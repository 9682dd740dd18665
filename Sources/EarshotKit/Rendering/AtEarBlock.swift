/// One block of what reaches the listener's ears, in pascals: each rendered stem, the rendered
/// mix, the environment noise, and their sum (`total`, what the listener hears).
public struct AtEarBlock: Sendable {
    /// Index of the block's first frame in the programme.
    public var startFrame: Int
    /// Rendered stems (dialogue, music, effects or M&E), device output only.
    public var stems: [ScenarioInputs.Role: StereoBlock]
    /// The rendered mix (device output only).
    public var mix: StereoBlock
    public var environment: StereoBlock
    /// Device-limiter gain applied to the block (1 = no reduction), per sample.
    public var deviceGain: [Float]
    /// The device drive signal of the programme (after volume and protection DSP, before the
    /// speaker), one array per device channel, in full-scale units: what moves the driver.
    public var mixDrive: [[Float]]

    public var frames: Int { mix.frames }

    /// What the listener hears: mix plus environment.
    public var total: StereoBlock { mix + environment }
}
