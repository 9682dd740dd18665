import Foundation

/// What Earshot measures on the programme itself, before any device: the mix's loudness, the
/// loudness of dialogue and M&E over time (for the dialogue-to-M&E ratio per line), where the
/// talker's sibilants are, and whether the stems line up with the mix. One streaming pass.
public struct ProgrammeAnalysis: Sendable {
    /// The mix's loudness (with true peak once `earshot check` has measured it beside the
    /// scenarios). The first pass measures it only when there is no dialogue stem to set the
    /// listener's volume from.
    public var mixLoudness: LoudnessResult?
    public var dialogueLoudness: LoudnessResult?
    public var musicAndEffectsLoudness: LoudnessResult?
    /// Momentary loudness (400 ms) every 100 ms, LUFS (nil below the meter's range).
    public var dialogueMomentaryLUFS: [Double?]
    public var musicAndEffectsMomentaryLUFS: [Double?]
    public var sibilantCandidates: SibilantCandidates?
    /// Inputs whose two channels are identical throughout (a centred dialogue stem, dual mono).
    public var dualMonoRoles: Set<ScenarioInputs.Role>
    /// Residual of mix − sum of stems, dB re the mix (when the stems cover the mix).
    public var stemResidualDB: Double?
    /// How the mix relates to the stems' sum when the stems cover the mix: the one gain (a
    /// master fader, `sox -m`) that fits best, and what is left after it.
    public var stemSum: StemSumFit?
    /// Inputs coded by a lossy codec (path, codec), in role order.
    public var lossyInputs: [(path: String, codec: String)]

    public static let momentaryStepSeconds = 0.1

    /// The pass over the programme, as two streams side by side: the dialogue's (its loudness
    /// over time and its sibilants) and the rest's (the M&E's loudness, the stems' sum against
    /// the mix). The mix's full loudness (with its costly 4× oversampled true peak) is measured
    /// later, beside the scenarios; this pass measures the mix only when there is no dialogue
    /// stem to set the listener's volume from.
    public static func analyse(_ inputs: ScenarioInputs) throws -> ProgrammeAnalysis {
        let opened = try OpenedInputs(inputs)
        let lossy = inputs.paths.keys.sorted().compactMap { role in
            opened.sources[role]!.info.lossyCoding.map { (path: inputs.paths[role]!, codec: $0) }
        }
        var dialogueResult: Result<DialoguePass?, Error> = .success(nil)
        var restResult: Result<RestPass, Error>!
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                if let dialogue = inputs.paths[.dialogue] { dialogueResult = Result { try DialoguePass(path: dialogue) } }
            } else {
                restResult = Result { try RestPass(inputs: inputs, lossy: lossy) }
            }
        }
        let dialogue = try dialogueResult.get(), rest = try restResult.get()
        var dualMono = rest.dualMonoRoles
        if dialogue?.dualMono == true { dualMono.insert(.dialogue) }
        return ProgrammeAnalysis(
            mixLoudness: rest.mixLoudness, dialogueLoudness: dialogue?.loudness, musicAndEffectsLoudness: rest.musicAndEffectsLoudness,
            dialogueMomentaryLUFS: dialogue?.momentaryLUFS ?? [], musicAndEffectsMomentaryLUFS: rest.musicAndEffectsMomentaryLUFS,
            sibilantCandidates: dialogue?.sibilantCandidates,
            dualMonoRoles: dualMono,
            stemResidualDB: rest.stemResidualDB, stemSum: rest.stemSum,
            lossyInputs: lossy)
    }

    /// The dialogue stem's stream: its loudness every 100 ms, its sibilants, whether it is dual mono.
    private struct DialoguePass {
        var loudness: LoudnessResult
        var momentaryLUFS: [Double?] = []
        var sibilantCandidates: SibilantCandidates
        var dualMono = true

        init(path: String) throws {
            let source = try AudioSource(path: path)
            let step = Int(Double(AudioSource.processingRate) * ProgrammeAnalysis.momentaryStepSeconds)
            let meter = try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
            let sibilance = try SibilanceTrackBuilder()
            var done = 0
            while done < source.frames {
                let block = try source.read(min(step, source.frames - done))
                if dualMono && block.left != block.right { dualMono = false }
                meter.add(block)
                momentaryLUFS.append(meter.momentaryLUFS)
                sibilance.consume(block.monoSum)
                done += block.frames
            }
            loudness = meter.result
            sibilantCandidates = SibilantCandidates.find(in: sibilance.track)
        }
    }

    /// Everything else in one stream: the M&E's loudness every 100 ms (the M&E stem, music plus
    /// effects, or the mix less the dialogue), the mix's loudness when there is no dialogue, the
    /// stems' sum against the mix, and which of these inputs are dual mono.
    private struct RestPass {
        var mixLoudness: LoudnessResult?
        var musicAndEffectsLoudness: LoudnessResult?
        var musicAndEffectsMomentaryLUFS: [Double?] = []
        var dualMonoRoles: Set<ScenarioInputs.Role>
        var stemResidualDB: Double?
        var stemSum: StemSumFit?

        init(inputs: ScenarioInputs, lossy: [(path: String, codec: String)]) throws {
            let hasDialogue = inputs.paths[.dialogue] != nil
            let meRoles: [ScenarioInputs.Role] = inputs.stems.filter { $0 != .dialogue }
            let canDeriveME = meRoles.isEmpty && hasDialogue && inputs.paths[.mix] != nil
            let hasME = !meRoles.isEmpty || canDeriveME
            let stemsCoverMix = inputs.paths[.mix] != nil && hasDialogue && !meRoles.isEmpty
            // This stream reads the dialogue only where it needs it: for the stems' sum, the M&E
            // derived from the mix, or the mix made of the stems.
            let needsDialogue = stemsCoverMix || canDeriveME || (inputs.paths[.mix] == nil && !hasDialogue)
            var read = inputs
            if hasDialogue && !needsDialogue { read.paths[.dialogue] = nil }
            let roles = read.paths.keys.sorted()
            guard !roles.isEmpty else { dualMonoRoles = []; return }
            let opened = try OpenedInputs(read)
            let step = Int(Double(AudioSource.processingRate) * ProgrammeAnalysis.momentaryStepSeconds)
            let mixMeter = hasDialogue ? nil
                : try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
            let meMeter = hasME ? try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false) : nil
            var residualEnergy = 0.0, mixEnergy = 0.0, sumEnergy = 0.0, mixDotSum = 0.0
            var dualMono = Set(roles.filter { $0 != .dialogue })
            // The stems' sum: against the mix, or as the mix when there is none to meter.
            let needsSum = stemsCoverMix || (inputs.paths[.mix] == nil && mixMeter != nil)
            var done = 0
            while done < opened.frames {
                let n = min(step, opened.frames - done)
                var blocks: [ScenarioInputs.Role: StereoBlock] = [:]
                for role in roles {
                    let block = try opened.sources[role]!.read(n)
                    if dualMono.contains(role) && block.left != block.right { dualMono.remove(role) }
                    blocks[role] = block
                }
                var sum = StereoBlock(frames: n)
                if needsSum { for role in inputs.stems { sum.add(blocks[role]!) } }
                let mix = blocks[.mix] ?? sum
                mixMeter?.add(mix)
                if let meMeter {
                    var me = StereoBlock(frames: n)
                    if canDeriveME {
                        me = mix
                        for i in 0..<n { me.left[i] -= blocks[.dialogue]!.left[i]; me.right[i] -= blocks[.dialogue]!.right[i] }
                    } else {
                        for role in meRoles { me.add(blocks[role]!) }
                    }
                    meMeter.add(me)
                    musicAndEffectsMomentaryLUFS.append(meMeter.momentaryLUFS)
                }
                if stemsCoverMix {
                    for i in 0..<n {
                        let ml = Double(mix.left[i]), mr = Double(mix.right[i])
                        let sl = Double(sum.left[i]), sr = Double(sum.right[i])
                        let dl = ml - sl, dr = mr - sr
                        residualEnergy += dl * dl + dr * dr
                        mixEnergy += ml * ml + mr * mr
                        sumEnergy += sl * sl + sr * sr
                        mixDotSum += ml * sl + mr * sr
                    }
                }
                done += n
            }
            mixLoudness = mixMeter?.result
            musicAndEffectsLoudness = meMeter?.result
            dualMonoRoles = dualMono
            if stemsCoverMix && mixEnergy > 0 {
                stemResidualDB = 10 * log10(max(residualEnergy, 1e-30) / mixEnergy)
                stemSum = StemSumFit(mixEnergy: mixEnergy, sumEnergy: sumEnergy, mixDotSum: mixDotSum,
                                     unityResidualEnergy: residualEnergy, lossyInputs: lossy)
            }
        }
    }

    /// The inputs and this analysis as the mix plays them: throws when the stems do not explain
    /// the mix (`StemSumFit.check`), else sets the stems' master gain and shifts the stems'
    /// levels by it. `check`, `render` and `audition` all play the stems this way.
    public func playing(_ inputs: ScenarioInputs) throws -> (inputs: ScenarioInputs, programme: ProgrammeAnalysis) {
        guard let fit = stemSum else { return (inputs, self) }
        try fit.check(mixPath: inputs.paths[.mix])
        var played = inputs
        played.stemGain = fit.appliedGain
        return (played, withStemGain(db: fit.appliedGainDB))
    }

    /// The integrated loudness the listener sets the volume by, LUFS: the dialogue stem's, or
    /// without one the mix's (the stems' sum without a mix); nil when silent.
    public var listenerProgrammeLUFS: Double? { dialogueLoudness?.integratedLUFS ?? mixLoudness?.integratedLUFS }

    /// The programme as the mix plays it when the stems reach the mix through a master gain
    /// (`StemSumFit.appliedGainDB`): the stems' levels move by that gain; their ratio does not.
    public func withStemGain(db gainDB: Double) -> ProgrammeAnalysis {
        guard gainDB != 0 else { return self }
        func shifted(_ r: LoudnessResult?) -> LoudnessResult? {
            guard var r else { return nil }
            r.integratedLUFS = r.integratedLUFS.map { $0 + gainDB }
            r.truePeakDBTP = r.truePeakDBTP.map { $0 + gainDB }
            r.samplePeakDBFS = r.samplePeakDBFS.map { $0 + gainDB }
            r.maxMomentaryLUFS = r.maxMomentaryLUFS.map { $0 + gainDB }
            r.maxShortTermLUFS = r.maxShortTermLUFS.map { $0 + gainDB }
            return r
        }
        var out = self
        out.dialogueLoudness = shifted(dialogueLoudness)
        out.musicAndEffectsLoudness = shifted(musicAndEffectsLoudness)
        out.dialogueMomentaryLUFS = dialogueMomentaryLUFS.map { $0.map { $0 + gainDB } }
        out.musicAndEffectsMomentaryLUFS = musicAndEffectsMomentaryLUFS.map { $0.map { $0 + gainDB } }
        return out
    }

    /// Dialogue-to-M&E ratio over a stretch, LU: the energy means of the two stems' momentary
    /// loudness over the 100 ms steps inside it.
    public func dialogueToMusicAndEffectsLU(fromSeconds start: Double, toSeconds end: Double) -> Double? {
        guard !dialogueMomentaryLUFS.isEmpty, !musicAndEffectsMomentaryLUFS.isEmpty else { return nil }
        func mean(_ values: [Double?]) -> Double? {
            // The momentary window ends at the step's end; centre it on the stretch.
            let first = max(0, Int((start + 0.2) / Self.momentaryStepSeconds))
            let last = min(values.count - 1, Int((end + 0.2) / Self.momentaryStepSeconds))
            guard first <= last else { return nil }
            var sum = 0.0, count = 0
            for v in values[first...last] { sum += pow(10, (v ?? -120) / 10); count += 1 }
            return count > 0 ? 10 * log10(sum / Double(count)) : nil
        }
        guard let d = mean(dialogueMomentaryLUFS), let m = mean(musicAndEffectsMomentaryLUFS) else { return nil }
        return d - m
    }
}
