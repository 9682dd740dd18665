import Foundation

/// The audition mixer: plays one source at a time from `AuditionMaterial` — a scenario's render
/// or the original — and switches between them at the same programme position, sample-aligned,
/// with a crossfade, so that A/B comparisons carry no click and no gap.
///
/// Every change of what is heard (another source, environment on/off, loudness matching,
/// a seek, a loop's wrap) starts a new *voice* at the right position; the voice it replaces
/// fades out while it fades in, over `crossfadeFrames` (480 frames, 10 ms at 48 kHz), with
/// raised-cosine weights that sum to one (a linear crossfade with smooth ends: the level of
/// two correlated signals stays constant through the fade). Pause, resume, the start and the
/// end fade the output the same way.
///
/// `produce(into:frames:)` runs on the audio thread (libpulse's write callback); every other
/// method may be called from any thread. A lock guards the state; the audio thread holds it
/// only while mixing one request (a few milliseconds of audio).
public final class AuditionSession: AudioProducer {
    public enum Source: Equatable, Sendable, CustomStringConvertible {
        case original
        /// Index into `material.scenarios`.
        case scenario(Int)
        public var description: String {
            switch self {
            case .original: return "original"
            case .scenario(let i): return "scenario \(i + 1)"
            }
        }
    }

    /// What the user sees: the source, the position, and the switches.
    public struct Snapshot: Sendable {
        public var source: Source
        /// Programme frame of the source heard now.
        public var frame: Int
        public var paused: Bool
        public var environmentOn: Bool
        public var loudnessMatched: Bool
        public var loop: Range<Int>?
        public var finished: Bool
    }

    public static let crossfadeFrames = 480
    /// The fade-in weights, step 0…crossfadeFrames: raised cosine from 0 to 1 (a fade-out reads
    /// them backwards; the two sum to one at every step). The live monitor fades the same way.
    public static let crossfadeWeights: [Float] = (0...crossfadeFrames).map { Float(0.5 - 0.5 * cos(Double.pi * Double($0) / Double(crossfadeFrames))) }

    public let material: AuditionMaterial
    /// Programme frames that can be played.
    public let playable: Range<Int>
    /// Stop at the end (scripted runs) instead of pausing there.
    public let stopsAtEnd: Bool

    private struct Voice {
        var source: Source
        var frame: Int
        var mixGain: Float
        var environmentGain: Float
        /// 0…crossfadeFrames: how far faded in.
        var step: Int
        var direction: Int
    }

    private let lock = NSLock()
    private var voices: [Voice] = []
    private var source: Source
    private var environmentOn: Bool
    private var loudnessMatched: Bool
    private var loop: Range<Int>?
    private var paused = false
    private var masterStep = 0
    private var masterDirection = 1
    private var stopRequested = false
    private var finished = false
    /// Switches scripted at programme frames, in order.
    private var scheduled: [(frame: Int, source: Source)] = []

    // Audio-thread scratch, allocated once.
    private static let chunkFrames = 1024
    private let weightTable: [Float]
    private let masterWeights = UnsafeMutablePointer<Float>.allocate(capacity: chunkFrames)
    private let voiceWeights = UnsafeMutablePointer<Float>.allocate(capacity: chunkFrames)
    private let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * chunkFrames)

    public init(material: AuditionMaterial, source: Source = .scenario(0), startFrame: Int? = nil, endFrame: Int? = nil,
                stopsAtEnd: Bool = false, environmentOn: Bool = true, loudnessMatched: Bool = false) {
        self.material = material
        let end = min(endFrame ?? material.endFrame, material.endFrame)
        playable = material.firstFrame..<max(material.firstFrame, end)
        self.stopsAtEnd = stopsAtEnd
        self.source = source
        self.environmentOn = environmentOn
        self.loudnessMatched = loudnessMatched
        weightTable = Self.crossfadeWeights
        let start = min(max(startFrame ?? playable.lowerBound, playable.lowerBound), playable.upperBound)
        voices = [makeVoice(source, at: start, step: Self.crossfadeFrames, direction: 1)]
    }

    deinit {
        masterWeights.deallocate()
        voiceWeights.deallocate()
        scratch.deallocate()
    }

    // MARK: - Commands

    /// Plays `source` from the current position (crossfaded).
    public func select(_ new: Source) {
        lock.lock(); defer { lock.unlock() }
        guard isValid(new) else { return }
        source = new
        restartVoice(at: activeFrame)
    }

    /// Scripts a switch to `source` when the programme reaches `frame`.
    public func schedule(switchTo source: Source, atFrame frame: Int) {
        lock.lock(); defer { lock.unlock() }
        scheduled.append((frame, source))
        scheduled.sort { $0.frame < $1.frame }
    }

    public func setPaused(_ value: Bool) {
        lock.lock(); defer { lock.unlock() }
        paused = value
        masterDirection = value ? -1 : 1
    }

    public func togglePause() {
        lock.lock(); let value = !paused; lock.unlock()
        setPaused(value)
    }

    /// Moves the position by `seconds` (crossfaded), kept inside the playable range.
    public func seek(bySeconds seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        jump(to: activeFrame + Int((seconds * Double(material.sampleRate)).rounded()))
    }

    public func seek(toFrame frame: Int) {
        lock.lock(); defer { lock.unlock() }
        jump(to: frame)
    }

    public func setEnvironment(_ on: Bool) {
        lock.lock(); defer { lock.unlock() }
        guard on != environmentOn else { return }
        environmentOn = on
        restartVoice(at: activeFrame)
    }

    public func setLoudnessMatching(_ on: Bool) {
        lock.lock(); defer { lock.unlock() }
        guard on != loudnessMatched else { return }
        loudnessMatched = on
        restartVoice(at: activeFrame)
    }

    /// Loops a stretch of the programme (nil: no loop). Playback jumps into it when outside.
    public func setLoop(_ range: Range<Int>?) {
        lock.lock(); defer { lock.unlock() }
        loop = range.map { $0.clamped(to: playable) }.flatMap { $0.count > Self.crossfadeFrames * 2 ? $0 : nil }
        if let loop, !loop.contains(activeFrame) { jump(to: loop.lowerBound) }
    }

    /// Fades out and ends playback.
    public func requestStop() {
        lock.lock(); defer { lock.unlock() }
        stopRequested = true
        masterDirection = -1
    }

    public var snapshot: Snapshot {
        lock.lock(); defer { lock.unlock() }
        return Snapshot(source: source, frame: activeFrame, paused: paused, environmentOn: environmentOn,
                        loudnessMatched: loudnessMatched, loop: loop, finished: finished)
    }

    /// The gains a source plays at now: the original at the renders' mean loudness; a render at
    /// its calibrated level, or — with loudness matching — at the original's loudness, measured
    /// on what is heard (mix + environment, or the mix alone with the environment off).
    public func gains(for source: Source) -> (mix: Float, environment: Float) {
        switch source {
        case .original:
            return (material.originalGain, 0)
        case .scenario(let i):
            let tracks = material.scenarios[i]
            var gain: Float = 1
            if loudnessMatched, let reference = material.referenceLUFS,
               let own = environmentOn ? tracks.totalLUFS : tracks.mixLUFS {
                gain = Float(pow(10, (reference - own) / 20))
            }
            return (gain, environmentOn ? gain : 0)
        }
    }

    // MARK: - State changes (lock held)

    private func isValid(_ source: Source) -> Bool {
        if case .scenario(let i) = source { return material.scenarios.indices.contains(i) }
        return true
    }

    private var activeFrame: Int { voices.last?.frame ?? playable.lowerBound }

    private func makeVoice(_ source: Source, at frame: Int, step: Int, direction: Int) -> Voice {
        let g = gains(for: source)
        return Voice(source: source, frame: frame, mixGain: g.mix, environmentGain: g.environment, step: step, direction: direction)
    }

    /// Fades every voice out and a new one in at `frame`. While silent (paused, or before the
    /// start), the new voice simply replaces the others.
    private func restartVoice(at frame: Int) {
        if masterStep == 0 {
            voices = [makeVoice(source, at: frame, step: Self.crossfadeFrames, direction: 1)]
            return
        }
        for i in voices.indices { voices[i].direction = -1 }
        voices.append(makeVoice(source, at: frame, step: 0, direction: 1))
        // Keep the mix bounded if keys arrive faster than fades end.
        if voices.count > 4 { voices.removeFirst(voices.count - 4) }
    }

    private func jump(to frame: Int) {
        var target = min(max(frame, playable.lowerBound), playable.upperBound - 1)
        if let loop, !loop.contains(target) { target = loop.lowerBound }
        restartVoice(at: target)
        if finished && !stopsAtEnd { finished = false }
    }

    // MARK: - Mixing (audio thread)

    public func produce(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        var done = 0
        while done < frames {
            if finished { break }
            handleEvents()
            if finished { break }
            // Silent and paused: hold the position, play silence.
            if masterStep == 0 && masterDirection < 0 && !stopRequested {
                (buffer + 2 * done).initialize(repeating: 0, count: 2 * (frames - done))
                done = frames
                break
            }
            let n = min(frames - done, Self.chunkFrames, framesToNextEvent())
            mix(into: buffer + 2 * done, frames: n)
            done += n
        }
        // A loop's wrap or a scripted switch due exactly here happens now, so the position
        // reported between requests is always inside the loop.
        if !finished { handleEvents() }
        return done
    }

    /// Frames the active voice can play before something must happen.
    private func framesToNextEvent() -> Int {
        let position = activeFrame
        var limit = Int.max
        if let next = scheduled.first { limit = min(limit, next.frame - position) }
        if let loop { limit = min(limit, loop.upperBound - position) }
        if stopsAtEnd && masterDirection > 0 {
            // The end's fade-out starts one crossfade before the end.
            limit = min(limit, playable.upperBound - Self.crossfadeFrames - position)
        }
        limit = min(limit, playable.upperBound - position)
        if masterStep == 0 && masterDirection < 0 && stopRequested { limit = 0 }
        return max(limit, 1)
    }

    private func handleEvents() {
        let position = activeFrame
        while let next = scheduled.first, next.frame <= position {
            scheduled.removeFirst()
            if isValid(next.source) && next.source != source {
                source = next.source
                restartVoice(at: position)
            }
        }
        if let loop, position >= loop.upperBound {
            restartVoice(at: loop.lowerBound)
            return
        }
        if stopRequested && masterStep == 0 && masterDirection < 0 {
            finished = true
            return
        }
        if stopsAtEnd && position >= playable.upperBound - Self.crossfadeFrames && masterDirection > 0 {
            stopRequested = true
            masterDirection = -1
        }
        if position >= playable.upperBound {
            if stopsAtEnd {
                finished = true
            } else if !paused {
                // The end of the material: pause there (a seek plays on).
                paused = true
                masterDirection = -1
            }
        }
    }

    private func mix(into out: UnsafeMutablePointer<Float>, frames n: Int) {
        out.initialize(repeating: 0, count: 2 * n)
        for i in 0..<n {
            masterWeights[i] = weightTable[masterStep]
            masterStep = min(max(masterStep + masterDirection, 0), Self.crossfadeFrames)
        }
        // Near the end of the material, voices hold silence past it (tracks read as zeros).
        let first = material.firstFrame
        for v in voices.indices {
            var step = voices[v].step
            let direction = voices[v].direction
            for i in 0..<n {
                voiceWeights[i] = weightTable[step] * masterWeights[i]
                step = min(max(step + direction, 0), Self.crossfadeFrames)
            }
            voices[v].step = step
            let voice = voices[v]
            let at = voice.frame - first
            switch voice.source {
            case .original:
                material.original.accumulate(from: at, count: n, gain: voice.mixGain, weights: voiceWeights, into: out, scratch: scratch)
            case .scenario(let i):
                let tracks = material.scenarios[i]
                tracks.mix.accumulate(from: at, count: n, gain: voice.mixGain, weights: voiceWeights, into: out, scratch: scratch)
                tracks.environment.accumulate(from: at, count: n, gain: voice.environmentGain, weights: voiceWeights, into: out, scratch: scratch)
            }
            voices[v].frame += n
        }
        voices.removeAll { $0.direction < 0 && $0.step == 0 }
    }
}
