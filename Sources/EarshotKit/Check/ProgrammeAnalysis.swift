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

    /// The pass over the programme. The mix's full loudness (with its costly 4× oversampled
    /// true peak) is measured later, beside the scenarios; this pass measures the mix only when
    /// there is no dialogue stem to set the listener's volume from.
    public static func analyse(_ inputs: ScenarioInputs) throws -> ProgrammeAnalysis {
        let opened = try OpenedInputs(inputs)
        let step = Int(Double(AudioSource.processingRate) * momentaryStepSeconds)
        let hasDialogue = inputs.paths[.dialogue] != nil
        let mixMeter = hasDialogue ? nil
            : try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false)
        let meRoles: [ScenarioInputs.Role] = inputs.stems.filter { $0 != .dialogue }
        let canDeriveME = meRoles.isEmpty && hasDialogue && inputs.paths[.mix] != nil
        let hasME = !meRoles.isEmpty || canDeriveME
        let dialogueMeter = hasDialogue ? try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false) : nil
        let meMeter = hasME ? try LoudnessMeter(sampleRate: AudioSource.processingRate, channels: 2, truePeak: false, windowMaxima: false) : nil
        let sibilance = hasDialogue ? try SibilanceTrackBuilder() : nil
        var dialogueMomentary: [Double?] = [], meMomentary: [Double?] = []
        var residualEnergy = 0.0, mixEnergy = 0.0, sumEnergy = 0.0, mixDotSum = 0.0
        let stemsCoverMix = inputs.paths[.mix] != nil && hasDialogue && !meRoles.isEmpty
        var dualMono = Set(inputs.paths.keys)
        let lossy = inputs.paths.keys.sorted().compactMap { role in
            opened.sources[role]!.info.lossyCoding.map { (path: inputs.paths[role]!, codec: $0) }
        }
        var done = 0
        while done < opened.frames {
            let n = min(step, opened.frames - done)
            var blocks: [ScenarioInputs.Role: StereoBlock] = [:]
            for role in inputs.paths.keys.sorted() {
                let block = try opened.sources[role]!.read(n)
                if dualMono.contains(role) && block.left != block.right { dualMono.remove(role) }
                blocks[role] = block
            }
            var stemSum = StereoBlock(frames: n)
            for role in inputs.stems { stemSum.add(blocks[role]!) }
            let mix = blocks[.mix] ?? stemSum
            mixMeter?.add(mix)
            if let dialogue = blocks[.dialogue] {
                dialogueMeter!.add(dialogue)
                dialogueMomentary.append(dialogueMeter!.momentaryLUFS)
                sibilance!.consume(dialogue.monoSum)
            }
            if hasME {
                var me = StereoBlock(frames: n)
                if canDeriveME {
                    me = mix
                    for i in 0..<n { me.left[i] -= blocks[.dialogue]!.left[i]; me.right[i] -= blocks[.dialogue]!.right[i] }
                } else {
                    for role in meRoles { me.add(blocks[role]!) }
                }
                meMeter!.add(me)
                meMomentary.append(meMeter!.momentaryLUFS)
            }
            if stemsCoverMix {
                for i in 0..<n {
                    let ml = Double(mix.left[i]), mr = Double(mix.right[i])
                    let sl = Double(stemSum.left[i]), sr = Double(stemSum.right[i])
                    let dl = ml - sl, dr = mr - sr
                    residualEnergy += dl * dl + dr * dr
                    mixEnergy += ml * ml + mr * mr
                    sumEnergy += sl * sl + sr * sr
                    mixDotSum += ml * sl + mr * sr
                }
            }
            done += n
        }
        return ProgrammeAnalysis(
            mixLoudness: mixMeter?.result, dialogueLoudness: dialogueMeter?.result, musicAndEffectsLoudness: meMeter?.result,
            dialogueMomentaryLUFS: dialogueMomentary, musicAndEffectsMomentaryLUFS: meMomentary,
            sibilantCandidates: sibilance.map { SibilantCandidates.find(in: $0.track) },
            dualMonoRoles: dualMono,
            stemResidualDB: stemsCoverMix && mixEnergy > 0 ? 10 * log10(max(residualEnergy, 1e-30) / mixEnergy) : nil,
            stemSum: stemsCoverMix ? StemSumFit(mixEnergy: mixEnergy, sumEnergy: sumEnergy, mixDotSum: mixDotSum,
                                                unityResidualEnergy: residualEnergy, lossyInputs: lossy) : nil,
            lossyInputs: lossy)
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
