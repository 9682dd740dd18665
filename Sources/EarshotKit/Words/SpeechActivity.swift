import Foundation

/// Which frames of a speech envelope are speech: the active speech level of the stem, and a
/// threshold a fixed margin below it, after ITU-T P.56 (12/2011) method B.
///
/// P.56 finds the active level A and the threshold c together: A is the mean power of the
/// signal over the time its envelope exceeds c, and c lies M = 15.9 dB below A. Here the
/// "envelope" is the 20 ms frame level of `SpeechEnvelope` (P.56 smooths with a 30 ms time
/// constant and holds activity for 200 ms; the hangover's role is played by bridging short gaps
/// in `SpeechUnits`), and the thresholds are searched in 0.25 dB steps from the loudest frame
/// down; A − c grows as c falls, and the crossing of M is interpolated, as P.56 does between its
/// thresholds. Frames below −100 dBFS are never speech; a stem with none above is silent.
struct SpeechActivity: Sendable, Equatable {
    /// P.56's margin between the active speech level and the activity threshold, dB.
    public static let marginDB: Float = 15.9
    /// Frames below this level never count as speech, dBFS.
    public static let absoluteFloorDB: Float = -100

    /// The active speech level, dBFS (mean square); nil when the stem holds no speech.
    public let activeLevelDB: Float?
    /// Frames at or above this level are speech-active; +∞ when the stem holds no speech.
    public let thresholdDB: Float

    public init(envelope: SpeechEnvelope) {
        let step: Float = 0.25
        let top: Float = 20
        let binCount = Int((top - SpeechActivity.absoluteFloorDB) / step) + 1
        var counts = [Int](repeating: 0, count: binCount)
        var powers = [Double](repeating: 0, count: binCount)
        for level in envelope.levelsDB where level >= SpeechActivity.absoluteFloorDB {
            let bin = min(binCount - 1, Int((level - SpeechActivity.absoluteFloorDB) / step))
            counts[bin] += 1
            powers[bin] += pow(10, Double(level) / 10)
        }
        var count = 0
        var power = 0.0
        var previous: (threshold: Float, level: Float, excess: Float)?
        var found: Float?
        // Thresholds from the top bin's lower edge down; each adds the frames of one bin.
        for bin in stride(from: binCount - 1, through: 0, by: -1) {
            count += counts[bin]
            power += powers[bin]
            guard count > 0 else { continue }
            let threshold = SpeechActivity.absoluteFloorDB + Float(bin) * step
            let level = Float(10 * log10(power / Double(count)))
            let excess = level - threshold
            if excess >= SpeechActivity.marginDB {
                if let p = previous, excess > p.excess {
                    let t = (SpeechActivity.marginDB - p.excess) / (excess - p.excess)
                    found = p.level + t * (level - p.level)
                } else {
                    found = level
                }
                break
            }
            previous = (threshold, level, excess)
        }
        activeLevelDB = found
        thresholdDB = found.map { $0 - SpeechActivity.marginDB } ?? .infinity
    }

    public func isActive(_ levelDB: Float) -> Bool { levelDB >= thresholdDB }
}
