import Foundation

/// The programme a user hands Earshot: a mix and/or stems. Stems are dialogue, music, effects,
/// or a combined M&E; with stems and no mix, the mix is their sum.
public struct ScenarioInputs: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable, Comparable {
        case mix, dialogue, music, effects, me

        public static func < (a: Role, b: Role) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// How the report and CLI name the stem.
        public var label: String { self == .me ? "M&E" : rawValue }
    }

    public var paths: [Role: String]
    /// The gain that takes the stems to their level in the mix (a master fader; 1 when the stems
    /// add up to the mix as they are). Set from `StemSumFit` once the programme is measured;
    /// every stem is played at it, so the stems heard are the mix's.
    public var stemGain: Float = 1

    public init(mix: String? = nil, dialogue: String? = nil, music: String? = nil, effects: String? = nil, me: String? = nil) {
        var p: [Role: String] = [:]
        p[.mix] = mix; p[.dialogue] = dialogue; p[.music] = music; p[.effects] = effects; p[.me] = me
        paths = p
    }

    /// The stems given (not the mix), in a stable order.
    public var stems: [Role] { paths.keys.filter { $0 != .mix }.sorted() }

    public func validate() throws {
        if paths.isEmpty { throw EarshotError.usage("no input: give --mix, or stems (--dialogue with --me, or --music and --effects), or --demo") }
        if paths[.me] != nil && (paths[.music] != nil || paths[.effects] != nil) {
            throw EarshotError.usage("give either --me or --music/--effects, not both")
        }
        if paths[.mix] == nil && paths[.dialogue] != nil && paths.count == 1 {
            throw EarshotError.usage("only a dialogue stem was given: add --mix or the music and effects stems (--me, or --music and --effects)")
        }
    }
}

/// The inputs opened as aligned 48 kHz streams, with the checks that they belong together:
/// every file has the same sample rate and the same length (to the sample).
public final class OpenedInputs {
    public let inputs: ScenarioInputs
    public let sources: [ScenarioInputs.Role: AudioSource]
    public let frames: Int
    /// BWF time reference of the programme in seconds since midnight (from the mix, else the
    /// first stem that has one).
    public let timeReferenceSeconds: Double?

    public init(_ inputs: ScenarioInputs) throws {
        try inputs.validate()
        self.inputs = inputs
        var sources: [ScenarioInputs.Role: AudioSource] = [:]
        for role in inputs.paths.keys.sorted() {
            sources[role] = try AudioSource(path: inputs.paths[role]!)
        }
        let ordered = inputs.paths.keys.sorted().map { ($0, sources[$0]!) }
        let (firstRole, first) = ordered[0]
        for (role, source) in ordered.dropFirst() {
            if source.info.sampleRate != first.info.sampleRate {
                throw EarshotError.badInput(file: source.info.path,
                    "\(role.label) is at \(source.info.sampleRate) Hz but the \(firstRole.label) (\(first.info.path)) is at \(first.info.sampleRate) Hz; stems and mix must share one sample rate")
            }
            if source.info.frames != first.info.frames {
                // A lossy encoder pads the start and the end of what it codes (MP3: 576 to
                // over 2000 samples), so a lossy file rarely has its source's length.
                let lossy = [(role, source.info), (firstRole, first.info)].compactMap { r, info in
                    info.lossyCoding.map { "the \(r.label) is \($0), whose encoder adds delay and padding" }
                }
                throw EarshotError.badInput(file: source.info.path,
                    "\(role.label) has \(source.info.frames) samples (\(Self.seconds(source.info))) but the \(firstRole.label) (\(first.info.path)) has \(first.info.frames) (\(Self.seconds(first.info))); stems and mix must have the same length"
                    + (lossy.isEmpty ? "" : " (\(lossy.joined(separator: "; ")): give the uncompressed WAV or FLAC files)"))
            }
        }
        self.sources = sources
        frames = first.frames
        timeReferenceSeconds = ordered.lazy.compactMap { $0.1.info.timeReferenceSeconds }.first
    }

    static func seconds(_ info: AudioFileInfo) -> String { String(format: "%.3f s", info.durationSeconds) }

    public var durationSeconds: Double { Double(frames) / Double(AudioSource.processingRate) }
}
