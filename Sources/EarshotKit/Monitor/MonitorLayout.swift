/// What the captured source carries (ARCHITECTURE.md section 10).
public enum MonitorLayout: String, Sendable, CaseIterable {
    /// The programme's mix: mono (played to both sides), stereo, or 5.1 folded to Lo/Ro
    /// (`ChannelFold`).
    case stereo
    /// Four channels: the dialogue bus on 1–2 and the M&E bus on 3–4; the mix is their sum.
    /// Needed for the live masking meter.
    case dialogueAndME = "dialogue+me"

    /// Checks a source's channel count against the layout; throws naming the fix.
    public func check(sourceChannels channels: Int, source: String) throws {
        switch self {
        case .stereo:
            guard [1, 2, 6].contains(channels) else {
                throw EarshotError(.environment, "the source '\(source)' has \(channels) channels; the stereo layout takes 1, 2 or 6 (5.1, folded to Lo/Ro): "
                    + (channels == 4 ? "give --layout dialogue+me for a dialogue + M&E source, or " : "")
                    + "capture a stereo source (pactl load-module module-null-sink sink_name=earshot_daw channels=2, and --source earshot_daw.monitor)")
            }
        case .dialogueAndME:
            guard channels == 4 else {
                throw EarshotError(.environment, "the source '\(source)' has \(channels) channel\(channels == 1 ? "" : "s"); --layout dialogue+me needs 4 "
                    + "(dialogue on 1–2, M&E on 3–4): make a 4-channel sink with `pactl load-module module-null-sink sink_name=earshot_stems channels=4 "
                    + "channel_map=front-left,front-right,rear-left,rear-right` and capture earshot_stems.monitor")
            }
        }
    }

    /// The channel positions the monitor's record stream asks for, so the server hands the
    /// channels over in the order the monitor reads them: the source's own map for the
    /// dialogue + M&E buses (no remix: channel k is bus channel k), the standard orders for
    /// the mix (WAV/SMPTE order for 5.1, as `ChannelFold` reads it).
    public func recordChannelMap(sourceChannels: Int, sourceMap: String) -> String {
        switch (self, sourceChannels) {
        case (.dialogueAndME, _): return sourceMap
        case (_, 1): return "mono"
        case (_, 6): return "front-left,front-right,front-center,lfe,rear-left,rear-right"
        default: return "front-left,front-right"
        }
    }

    /// Rendered paths per scenario: the mix, or the dialogue and the M&E.
    public var pathCount: Int { self == .stereo ? 1 : 2 }
}
