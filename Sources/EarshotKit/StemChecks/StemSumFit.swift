import Foundation

/// How a delivered mix relates to the stems handed in with it: mix ≈ g · (sum of stems).
///
/// A mix bounced through a master fader, or summed with `sox -m` (which halves each input), is
/// the stems' sum times one constant gain. The least-squares gain over the whole programme,
/// g = ⟨mix, Σ⟩ / ⟨Σ, Σ⟩, is that fader; what is left, mix − g·Σ, is what the stems do not
/// explain (a missing stem, another version, an offset). The residual is judged after the gain,
/// so a fader move is accepted and reported, and a stem from another version still is not.
///
/// Lossy files (MP3, Vorbis, Opus) do not hold the samples they were made from: their coding
/// noise leaves a residual of its own, often only 10–20 dB below the signal, since perceptual
/// coders shape that noise under the masking threshold rather than minimise it. With a lossy
/// mix or stem the limit is relaxed to `lossyResidualLimitDB`, and the report says so.
public struct StemSumFit: Sendable, Equatable {
    /// The fitted gain, dB (20·log10 g); −6.02 dB for `sox -m` of two stems.
    public let fittedGainDB: Double
    /// The gain Earshot plays the stems at: the fitted one, or 0 dB when it is within
    /// `unityToleranceDB` of unity (dither and rounding, not a fader).
    public let appliedGainDB: Double
    /// Energy of mix − g·Σ relative to the mix's, dB, at the applied gain.
    public let residualDB: Double
    /// Inputs coded by a lossy codec: (path, codec).
    public let lossyInputs: [(path: String, codec: String)]

    /// The largest fitted gain still taken for unity, dB.
    public static let unityToleranceDB = 0.05
    /// The stems must explain the mix to within this residual, dB re the mix.
    public static let residualLimitDB = -20.0
    /// The limit when a lossy file is involved, dB re the mix.
    public static let lossyResidualLimitDB = -10.0
    /// Below this residual, dB re the mix, the mix is rendered as the sum of the rendered stems
    /// instead of through a path of its own. The device chain is linear once the protection
    /// gains are set, and the mix's own drive still sets them, so the only difference is the
    /// residual itself passing through the device: at −60 dB it moves any at-ear level by at
    /// most 20·log10(1 + 10^−3) ≈ 0.009 dB. Separately bounced 16- and 24-bit stems leave
    /// −80 to −120 dB (their rounding and dither); a master limiter or a lossy copy leaves far
    /// more, and such a mix keeps its own path.
    public static let renderedAsSumBelowDB = -60.0

    public init(mixEnergy: Double, sumEnergy: Double, mixDotSum: Double, unityResidualEnergy: Double,
                lossyInputs: [(path: String, codec: String)]) {
        self.lossyInputs = lossyInputs
        let gain = sumEnergy > 0 ? mixDotSum / sumEnergy : 1
        fittedGainDB = gain > 0 ? 20 * log10(gain) : -.infinity
        let applied = gain > 0 && abs(fittedGainDB) >= Self.unityToleranceDB
        appliedGainDB = applied ? fittedGainDB : 0
        // ‖mix − gΣ‖² = ‖mix‖² − 2g⟨mix, Σ⟩ + g²‖Σ‖², at the gain applied.
        let residualEnergy = applied ? max(mixEnergy - 2 * gain * mixDotSum + gain * gain * sumEnergy, 0) : unityResidualEnergy
        residualDB = mixEnergy > 0 ? 10 * log10(max(residualEnergy, 1e-30) / mixEnergy) : -300
    }

    public var residualLimitDB: Double { lossyInputs.isEmpty ? Self.residualLimitDB : Self.lossyResidualLimitDB }

    /// Whether the stems (at the applied gain) stand for the mix in the render
    /// (`renderedAsSumBelowDB`).
    public var mixIsStemsSum: Bool { residualDB < Self.renderedAsSumBelowDB }

    /// The linear gain applied to every stem.
    public var appliedGain: Float { Float(pow(10, appliedGainDB / 20)) }

    /// Throws when the stems do not explain the mix, naming the mix and any lossy input.
    public func check(mixPath: String?) throws {
        guard residualDB > residualLimitDB else { return }
        var message = String(format: "the stems do not add up to the mix: after the best single gain (%+.1f dB) the difference is only %.1f dB below the mix, and at least %.0f dB is expected",
                             fittedGainDB.isFinite ? fittedGainDB : -999, -residualDB, -residualLimitDB)
        if lossyInputs.isEmpty {
            message += "; check that every stem is from the same version as the mix and starts at the same sample"
        } else {
            message += " even with lossy coding allowed for ("
                + lossyInputs.map { "\(($0.path as NSString).lastPathComponent) is \($0.codec)" }.joined(separator: ", ")
                + "); give the uncompressed (WAV or FLAC) files, or check that every stem is from the same version as the mix"
        }
        throw EarshotError.badInput(file: mixPath, message)
    }

    public static func == (a: StemSumFit, b: StemSumFit) -> Bool {
        a.fittedGainDB == b.fittedGainDB && a.appliedGainDB == b.appliedGainDB && a.residualDB == b.residualDB
            && a.lossyInputs.map(\.path) == b.lossyInputs.map(\.path) && a.lossyInputs.map(\.codec) == b.lossyInputs.map(\.codec)
    }
}
