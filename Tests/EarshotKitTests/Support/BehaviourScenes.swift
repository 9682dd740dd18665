import Foundation
@testable import EarshotKit
@testable import EarshotTestSupport

/// The scenes of the behavioural tests of `earshot check` (CheckBehaviourTests): short
/// programmes built in code whose truth is known — which words are under a burst, when a bass
/// hit lands, which sibilant is boosted, which line is whispered.
///
/// Levels follow a micro-drama delivery: dialogue at −23 LUFS integrated (BS.1770 on the
/// centred, dual-mono stereo stem), music beds well under it (−38 LUFS), and effects loud
/// only where the scene says so. Every scene is 6–7 s at 48 kHz.
struct BehaviourScene {
    typealias Word = SyntheticTalker.Word

    let files: SceneFiles
    let inputs: ScenarioInputs
    let wordsPath: String
    let words: [Word]

    static let dialogueLUFS = -23.0
    static let musicLUFS = -38.0

    func remove() { files.remove() }

    /// Runs `earshot check` on the scene with the stock profiles.
    func check(_ scenarios: [(device: String, environment: String)], volumePercent: Double? = nil) throws -> CheckReport {
        try SceneFiles.check(inputs, words: wordsPath, scenarios: scenarios, volumePercent: volumePercent)
    }

    /// Writes the talker's words as the dialogue stem (at `dialogueLUFS`) beside `others`.
    private static func build(seconds: Double, words: [Word], _ others: (SceneFiles) throws -> [ScenarioInputs.Role: [[Float]]]) throws -> BehaviourScene {
        let files = try SceneFiles(seconds: seconds)
        do {
            let voice = SyntheticTalker.render(words, seconds: seconds)
            let dialogue = try SceneFiles.scale([voice, voice], toLUFS: dialogueLUFS)
            let stems = try others(files)
            func path(_ role: ScenarioInputs.Role) throws -> String? { try stems[role].map { try files.write(role.rawValue, $0) } }
            let inputs = ScenarioInputs(dialogue: try files.write("dialogue", dialogue), music: try path(.music),
                                        effects: try path(.effects), me: try path(.me))
            return BehaviourScene(files: files, inputs: inputs, wordsPath: try files.writeWords(words), words: words)
        } catch {
            files.remove()
            throw error
        }
    }

    /// Three lines of a confrontation; the second one's last four words ("you not to go",
    /// words 7–10) are under a loud effects burst.
    static let confrontation = SyntheticTalker.layout([
        (0.4, [Word("where", nil, [.e]), Word("were", nil, [.o]), Word("you", nil, [.u]), Word("last", nil, [.a], .s), Word("night", nil, [.a, .i], .t)]),
        (2.5, [Word("I", nil, [.a]), Word("told", .t, [.o]), Word("you", nil, [.u]), Word("not", nil, [.o], .t), Word("to", .t, [.u]), Word("go", nil, [.o])]),
        (5.0, [Word("but", nil, [.a], .t), Word("you", nil, [.u]), Word("never", nil, [.e, .a], seconds: 0.35), Word("listen", nil, [.i, .e], seconds: 0.35)]),
    ])
    static let burstWords = 7...10

    /// The burst's spectrum: debris and glass — the density flat from 2.5 to 8 kHz, 18 dB down
    /// at 1 kHz, 30 dB down at 200 Hz. Little of it where a bus is loud (below 1 kHz), most of it
    /// where the consonants are.
    static let debrisSpectrumDB: [(Double, Double)] = [(200, -30), (1000, -18), (2000, -3), (2500, 0), (8000, 0), (12000, -6), (16000, -15)]

    /// (a) The confrontation over a music bed, with an effects burst from 50 ms before word 7 to
    /// 150 ms after word 10 at `burstLUFS` over its span (−12 LUFS: 11 LU above the dialogue, a
    /// crash that plainly takes over for its 1.6 s). Music and effects are separate stems.
    static func effectsBurst(burstLUFS: Double = -12) throws -> BehaviourScene {
        let words = confrontation
        let span = (words[burstWords.lowerBound].startSeconds - 0.05, words[burstWords.upperBound].endSeconds + 0.15)
        return try build(seconds: 7, words: words) { files in
            let music = try SceneFiles.scale(files.musicBed(), toLUFS: musicLUFS)
            let burst = try SceneFiles.scale(files.burst(fromSeconds: span.0, toSeconds: span.1, spectrumDB: debrisSpectrumDB),
                                             toLUFS: burstLUFS, over: span)
            return [.music: music, .effects: burst]
        }
    }

    static let bassHitSeconds = 3.3

    /// (b) The confrontation over a music bed, with a sub-bass hit in the effects stem at 3.3 s:
    /// a sine gliding from 50 to 40 Hz, 0.8 s long, decaying with a 0.3 s time constant, peaking
    /// at −6 dBFS (a trailer-style impact under a −2 dBTP ceiling).
    static func bassHit() throws -> BehaviourScene {
        try build(seconds: 7, words: confrontation) { files in
            let music = try SceneFiles.scale(files.musicBed(), toLUFS: musicLUFS)
            let hit = files.bassHit(atSeconds: bassHitSeconds, seconds: 0.8, startHz: 50, endHz: 40, decaySeconds: 0.3, peakDBFS: -6)
            return [.music: music, .effects: hit]
        }
    }

    /// Index of the boosted sibilant's word in `sibilantLines`.
    static let boostedWord = 7

    /// One talker with many /s/: "so you see the sun / it was so bright / yes sir I know". The
    /// /s/ of the second "so" (word 7) has 10 dB more from 6 to 10 kHz than the talker's
    /// other ones.
    static let sibilantLines = SyntheticTalker.layout([
        (0.3, [Word("so", .s, [.o]), Word("you", nil, [.u]), Word("see", .s, [.i]), Word("the", nil, [.a]), Word("sun", .s, [.a], seconds: 0.32)]),
        (2.3, [Word("it", nil, [.i], .t), Word("was", nil, [.a], .s), Word("so", .s(boostDB: 10), [.o]), Word("bright", nil, [.a, .i], .t)]),
        (4.0, [Word("yes", nil, [.e], .s), Word("sir", .s, [.e]), Word("I", nil, [.a]), Word("know", nil, [.o])]),
    ])

    /// (c) The sibilant lines over a quiet M&E (the music bed).
    static func boostedSibilant() throws -> BehaviourScene {
        try build(seconds: 6, words: sibilantLines) { files in
            [.me: try SceneFiles.scale(files.musicBed(), toLUFS: musicLUFS)]
        }
    }

    static let whisperedWords = 5...8

    /// Three lines; the middle one ("I know your secret", words 5–8) is whispered: the same
    /// voice 20 dB lower.
    static let whisperedLines: [Word] = {
        let q = -20.0
        return SyntheticTalker.layout([
            (0.4, [Word("where", nil, [.e]), Word("were", nil, [.o]), Word("you", nil, [.u]), Word("last", nil, [.a], .s), Word("night", nil, [.a, .i], .t)]),
            (2.6, [Word("I", nil, [.a], levelDB: q), Word("know", nil, [.o], levelDB: q), Word("your", nil, [.u], levelDB: q),
                   Word("secret", .s, [.e, .e], .t, seconds: 0.38, levelDB: q)]),
            (4.8, [Word("but", nil, [.a], .t), Word("you", nil, [.u]), Word("never", nil, [.e, .a], seconds: 0.35), Word("listen", nil, [.i, .e], seconds: 0.35)]),
        ])
    }()

    /// (d) The whispered lines; the M&E is a quiet music bed (−40 LUFS), so the environment is
    /// the only thing that can take the whisper away.
    static func whisperedLine() throws -> BehaviourScene {
        try build(seconds: 7, words: whisperedLines) { files in
            [.me: try SceneFiles.scale(files.musicBed(), toLUFS: musicLUFS - 2)]
        }
    }

    /// A steady ambience for a busy M&E (a crowd, rain, traffic under a score): noise with about
    /// speech's long-term spectrum — flat from 250 to 500 Hz, falling about 6 dB per octave
    /// above — over the whole programme.
    static let ambienceSpectrumDB: [(Double, Double)] = [(100, -6), (250, 0), (500, 0), (1000, -4), (2000, -9), (4000, -15), (8000, -22)]

    /// (e) The whispered lines delivered with the dialogue `dialogueOverMusicAndEffectsLU` over
    /// the M&E (negative: under it): the music bed and the ambience at equal loudness, together
    /// scaled to the dialogue's −23 LUFS minus that balance. The same scene and talker whatever
    /// the balance; only the mix changes.
    static func whisperedLine(dialogueOverMusicAndEffectsLU balance: Double) throws -> BehaviourScene {
        try build(seconds: 7, words: whisperedLines) { files in
            let bed = try SceneFiles.scale(files.musicBed(), toLUFS: -30)
            let ambience = try SceneFiles.scale(files.burst(fromSeconds: 0, toSeconds: files.seconds, spectrumDB: ambienceSpectrumDB, seed: 21), toLUFS: -30)
            return [.me: try SceneFiles.scale(SceneFiles.add(bed, ambience), toLUFS: dialogueLUFS - balance)]
        }
    }
}
