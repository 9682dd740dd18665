import CEBUR128

/// How the channels of a programme are weighted in the ITU-R BS.1770-4 loudness sum.
///
/// BS.1770 sums the K-weighted mean square of each channel with a position weight G:
/// 1.0 for left, right and centre, 1.41 (+1.5 dB) for the surround channels, and leaves the
/// LFE channel out. A mono file is ONE channel with G = 1.0: a −23 dBFS 1 kHz sine in a mono
/// file reads −26.0 LUFS, 3 LU below the same sine on both channels of a stereo file, because
/// BS.1770 measures the signal that is there, not how a player might copy it to two speakers.
/// `dualMono` is the exception for a mono file known to be played on both speakers of a
/// stereo pair (libebur128's `EBUR128_DUAL_MONO`: the channel counted twice), which reads the
/// same as that stereo file.
public enum LoudnessChannelLayout: String, Sendable, Equatable, CaseIterable {
    /// One channel, weight 1.0 (BS.1770 single channel).
    case mono
    /// One channel counted twice: a mono signal played identically on left and right.
    case dualMono
    /// Left, right; weights 1.0, 1.0.
    case stereo
    /// L, R, C, Ls, Rs (the EBU Tech 3341 5.0 test-file order); weights 1, 1, 1, 1.41, 1.41.
    case surround50
    /// L, R, C, LFE, Ls, Rs (WAV/SMPTE order); LFE not measured, surrounds weighted 1.41.
    case surround51

    /// The layout for a file's channel count: 1 mono, 2 stereo, 5 → 5.0, 6 → 5.1.
    /// Throws for any other count, naming `file`.
    public init(channels: Int, file: String? = nil, dualMono: Bool = false) throws {
        switch channels {
        case 1: self = dualMono ? .dualMono : .mono
        case 2: self = .stereo
        case 5: self = .surround50
        case 6: self = .surround51
        default:
            throw EarshotError.badInput(file: file,
                "has \(channels) channels; loudness is measured on mono, stereo, 5.0 (L R C Ls Rs) or 5.1 (L R C LFE Ls Rs)")
        }
    }

    public var channelCount: Int {
        switch self {
        case .mono, .dualMono: return 1
        case .stereo: return 2
        case .surround50: return 5
        case .surround51: return 6
        }
    }

    /// libebur128 channel assignments, in file order.
    var ebur128Channels: [channel] {
        switch self {
        case .mono: return [EBUR128_CENTER]
        case .dualMono: return [EBUR128_DUAL_MONO]
        case .stereo: return [EBUR128_LEFT, EBUR128_RIGHT]
        case .surround50: return [EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER,
                                  EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND]
        case .surround51: return [EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED,
                                  EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND]
        }
    }
}
