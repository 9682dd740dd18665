import Foundation

/// How loud a sibilant may get in the sibilant bands before it goes beyond normal speech, for a
/// talker heard at a given level — a reference that moves with neither the talker's voice nor the
/// playback device, only with how loud the talker's speech is at the ear.
///
/// Two published facts about average speech:
/// - the **standard speech spectrum** of ANSI S3.5-1997 at normal vocal effort (Table 3,
///   one-third octave bands, 62.35 dB SPL overall) gives how much energy speech has at 4, 5, 6.3
///   and 8 kHz against its 0.5–3.15 kHz bands, where the vowels carry the power;
/// - the **speech peaks**: in each band, the level exceeded by 1 % of 1/8-second intervals of
///   running speech is 12 dB above the band's long-term rms level (French & Steinberg 1947,
///   JASA 19, 90–119; the speech peaks of the Articulation Index, ANSI S3.5-1969). In the bands
///   above 4 kHz those peaks are the sibilants. (ANSI S3.5-1997 centres its 30 dB audibility
///   range on the long-term level instead, ±15 dB, clause 4.7.1: a convention for how much of
///   the speech range is audible, not a measured peak level.)
///
/// The standard spectrum is scaled so that its 0.5–3.15 kHz bands carry the talker's at-ear
/// long-term level in the same bands (`SibilanceTrack.lowBandDB`, averaged over speech-active
/// frames). A sibilant band above the scaled spectrum + 12 dB is louder, against the talker's
/// vowels as heard, than the loudest sibilants of average speech: it pierces. A bright
/// microphone, a missing de-esser or a device whose treble rises (the budget phone's 7–10 dB at
/// 4–8 kHz) all raise the sibilant bands against the vowels and move a sibilant over the line;
/// turning the volume up moves sibilants and vowels together and does not.
///
/// The sibilant's level is the mean over its own frames (10 ms hop, 21 ms frames); a 1/8-s
/// interval holding a whole 90 ms /s/ reads about 1.5 dB less, so the line is, if anything,
/// met a little early.
enum SibilantSpeechPeaks {
    /// The sibilant bands, Hz: the one-third octave bands of ANSI S3.5-1997 Table 3 from 4 kHz up
    /// (the table ends at 8 kHz).
    public static let bandsHz: [Double] = [4000, 5000, 6300, 8000]
    /// Speech peaks (1 % of 1/8-s intervals) above the long-term band level, dB
    /// (French & Steinberg 1947).
    public static let peakOverLongTermDB = 12.0

    /// Standard speech spectrum (normal effort) band levels U_i + Δ_i, dB SPL, of one band.
    static func standardBandLevelDB(_ centreHz: Double) -> Double {
        let table = SIIBandTable.oneThirdOctave
        let i = table.centerFrequenciesHz.firstIndex(of: centreHz)!
        return table.speechSpectrumLevelNormalDB[i] + table.bandwidthAdjustmentsDB![i]
    }

    /// Power sum of the standard spectrum's 500–3150 Hz bands (the `SibilanceTrack` low band), dB SPL.
    static let standardLowBandDB: Double = {
        let table = SIIBandTable.oneThirdOctave
        let power = table.centerFrequenciesHz.indices.filter { (500.0...3150).contains(table.centerFrequenciesHz[$0]) }
            .reduce(0.0) { $0 + pow(10, standardBandLevelDB(table.centerFrequenciesHz[$1]) / 10) }
        return 10 * log10(power)
    }()

    /// Peak level of each sibilant band (`bandsHz`) for a talker whose long-term 0.5–4 kHz
    /// level is `talkerLowBandDB` (any dB reference; the result is in the same one).
    public static func peakLevelsDB(talkerLowBandDB: Double) -> [Double] {
        bandsHz.map { standardBandLevelDB($0) - standardLowBandDB + talkerLowBandDB + peakOverLongTermDB }
    }

    /// The talker's long-term 0.5–4 kHz level, dB: the mean power of the low band over the
    /// speech-active frames (within `rangeDB` of the loudest 5 % of frames, as `SibilantCandidates`
    /// decides), nil without any frame.
    public static func talkerLowBandDB(_ track: SibilanceTrack, rangeDB: Float = 35) -> Double? {
        guard !track.levelDB.isEmpty else { return nil }
        let sorted = track.levelDB.sorted()
        let loud = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
        var power = 0.0, count = 0
        for i in track.levelDB.indices where track.levelDB[i] >= loud - rangeDB {
            power += pow(10, Double(track.lowBandDB[i]) / 10)
            count += 1
        }
        return count == 0 ? nil : 10 * log10(max(power / Double(count), 1e-30))
    }
}
