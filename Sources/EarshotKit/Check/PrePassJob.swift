import Foundation

/// The check's independent jobs before any scenario runs (ARCHITECTURE.md section 8), run side
/// by side; their errors are reported in this order (the alignment before the stems' sum, since
/// an offset also leaves a residual).
enum PrePassJob: Int, CaseIterable {
    /// The programme analysis: loudness of mix and stems, the stems' residual against the mix.
    case programme
    /// The dialogue stem's offset from the mix.
    case alignment
    /// The word timings: from the file, or speech units found in the dialogue stem.
    case timings
    /// Which stretches of the dialogue STOI counts as speech.
    case speechActivity
    /// The scenarios' environment loops (and device models).
    case environmentLoops

    /// How the job is named in the trace (`EARSHOT_TRACE`).
    var name: String {
        switch self {
        case .programme: return "programme"
        case .alignment: return "alignment"
        case .timings: return "timings"
        case .speechActivity: return "speech activity"
        case .environmentLoops: return "environment loops"
        }
    }

    /// The dialogue stem's lag behind the mix in seconds; nil without both.
    static func alignment(_ inputs: ScenarioInputs) throws -> Double? {
        guard let dialogue = inputs.paths[.dialogue], let mix = inputs.paths[.mix] else { return nil }
        return try StemAlignment.lagSeconds(of: dialogue, in: mix)
    }

    /// The word timings: read from `wordsPath` (placed by the dialogue's envelope when there is a
    /// dialogue stem), or the speech units of the dialogue stem; nil with neither.
    static func timings(_ inputs: ScenarioInputs, wordsPath: String?, programmeSeconds: Double) throws -> WordTimings? {
        if let dialogue = inputs.paths[.dialogue] {
            let envelope = try SpeechEnvelope.compute(path: dialogue)
            if let path = wordsPath {
                return try WordTimingReader.read(path: path, programmeSeconds: programmeSeconds, dialogueEnvelope: envelope)
            }
            return SpeechUnits.find(in: envelope)
        }
        if let path = wordsPath {
            return try WordTimingReader.read(path: path, programmeSeconds: programmeSeconds, dialogueEnvelope: nil)
        }
        return nil
    }

    /// STOI's speech-active frames of the dialogue stem at 10 kHz (40 dB below its loudest frame
    /// and quieter are left out), decided in a pass of its own because the loudest frame is
    /// needed before any frame can be judged. Reads and resamples exactly as the main pass does.
    /// Nil without a dialogue stem.
    static func speechActivity(_ inputs: ScenarioInputs, blockFrames: Int) throws -> SilentFrameRemoval? {
        guard let dialogue = inputs.paths[.dialogue] else { return nil }
        let source = try AudioSource(path: dialogue)
        let resampler = try CheckRunner.referenceResampler()
        let blockCount = (source.frames + blockFrames - 1) / blockFrames
        var scan = SilentFrameRemoval.Scan()
        for k in 0..<blockCount {
            let block = try source.read(min(blockFrames, source.frames - k * blockFrames))
            scan.append(CheckRunner.resampleReference(block, with: resampler, last: k == blockCount - 1))
        }
        return scan.finish()
    }
}
