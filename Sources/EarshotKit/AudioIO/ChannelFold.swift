/// Folds a file's channels to the stereo pair Earshot processes.
///
/// Mono is played to both sides; stereo is kept; 5.1 (WAV/SMPTE order L, R, C, LFE, Ls, Rs) is
/// folded to Lo/Ro with the ITU-R BS.775 coefficients: Lo = L + 0.7071·C + 0.7071·Ls,
/// Ro = R + 0.7071·C + 0.7071·Rs, LFE omitted.
enum ChannelFold: Sendable, Equatable {
    case mono, stereo, surround51

    /// -3 dB, the BS.775 coefficient for the centre and surround channels.
    public static let minus3dB: Float = 0.70710678

    public init(channels: Int, file: String) throws {
        switch channels {
        case 1: self = .mono
        case 2: self = .stereo
        case 6: self = .surround51
        default:
            let hint = channels == 8 ? ": fold 7.1 to 5.1 or stereo first (Earshot does not guess a 7.1 downmix)" : ""
            throw EarshotError.badInput(file: file, location: "header",
                "has \(channels) channels; Earshot reads mono, stereo and 5.1 (6 channels, L R C LFE Ls Rs)\(hint)")
        }
    }

    /// Folds `frames` interleaved frames to planar left/right, appending to the arrays.
    public func fold(_ interleaved: UnsafePointer<Float>, frames: Int, left: inout [Float], right: inout [Float]) {
        let start = left.count
        left.append(contentsOf: repeatElement(0, count: frames))
        right.append(contentsOf: repeatElement(0, count: frames))
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                fold(interleaved, frames: frames, intoLeft: l.baseAddress! + start, right: r.baseAddress! + start)
            }
        }
    }

    /// The same into caller-owned planar buffers, without allocating (the live monitor).
    public func fold(_ interleaved: UnsafePointer<Float>, frames: Int, intoLeft l: UnsafeMutablePointer<Float>, right r: UnsafeMutablePointer<Float>) {
        switch self {
        case .mono:
            l.update(from: interleaved, count: frames)
            r.update(from: interleaved, count: frames)
        case .stereo:
            for i in 0..<frames { l[i] = interleaved[2 * i]; r[i] = interleaved[2 * i + 1] }
        case .surround51:
            let k = ChannelFold.minus3dB
            for i in 0..<frames {
                let f = interleaved + 6 * i
                l[i] = f[0] + k * f[2] + k * f[4]
                r[i] = f[1] + k * f[2] + k * f[5]
            }
        }
    }
}
