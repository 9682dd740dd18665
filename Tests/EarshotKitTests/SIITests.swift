import XCTest
@testable import EarshotKit

/// ANSI S3.5-1997 SII against the developer-kit cases and the standard's Annex C examples
/// (Fixtures/sii/sii_test_vectors.json; see the README there for their source).
final class SIITests: XCTestCase {
    struct Vectors: Decodable {
        let test_vectors: [Case]
    }
    struct Case: Decodable {
        let id: String
        let method: String
        let band_centre_frequencies_hz: [Double]
        let speech_spectrum_level_db: [Double]
        let noise_spectrum_level_db: [Double]
        let hearing_threshold_db: [Double]
        let band_importance: Importance
        let expected_sii: Double?
        let tolerance: Double?
        let recomputed_sii: Double?
        let reference_sii_R_SII_1_0_3_1: Double?
        let variant_with_cst_importance: CSTVariant?
        let expected_intermediate_first_three_bands: Intermediate?

        enum CodingKeys: String, CodingKey {
            case id, method, band_centre_frequencies_hz, speech_spectrum_level_db, noise_spectrum_level_db,
                 hearing_threshold_db, band_importance, expected_sii, tolerance, recomputed_sii,
                 variant_with_cst_importance, expected_intermediate_first_three_bands
            case reference_sii_R_SII_1_0_3_1 = "reference_sii_R_SII_1.0.3.1"
        }
    }
    enum Importance: Decodable {
        case standard
        case values([Double])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let values = try? c.decode([Double].self) { self = .values(values); return }
            let text = try c.decode(String.self)
            guard text.hasPrefix("standard") else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown importance \(text)")
            }
            self = .standard
        }
    }
    struct CSTVariant: Decodable {
        let band_importance: [Double]
        let sii_printed_by_R_SII_1_0_3_1: Double
        enum CodingKeys: String, CodingKey {
            case band_importance
            case sii_printed_by_R_SII_1_0_3_1 = "sii_printed_by_R_SII_1.0.3.1"
        }
    }
    struct Intermediate: Decodable {
        let V_db: [Double]
        let B_db: [Double]
        let C_slope_db_per_octave: [Double]
        let Z_equivalent_masking_spectrum_level_db: [Double]
    }

    func loadVectors() throws -> [Case] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/sii/sii_test_vectors", withExtension: "json"))
        return try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url)).test_vectors
    }

    func procedure(_ method: String) throws -> SIIProcedure {
        switch method {
        case "octave": return .octave
        case "one_third_octave": return .oneThirdOctave
        case "critical_band": return .criticalBand
        case "equally_contributing_critical_band": return .equallyContributingCriticalBand
        default: throw EarshotError.badInput(location: "method", "unknown method \(method) in the fixture")
        }
    }

    func run(_ c: Case) throws -> SIIResult {
        let p = try procedure(c.method)
        XCTAssertEqual(p.table.centerFrequenciesHz, c.band_centre_frequencies_hz, c.id)
        let importance: SIIImportance
        switch c.band_importance {
        case .standard: importance = .standard
        case .values(let v): importance = .custom(v)
        }
        return try SpeechIntelligibilityIndex.compute(
            procedure: p, speechSpectrumLevelsDB: c.speech_spectrum_level_db,
            noiseSpectrumLevelsDB: c.noise_spectrum_level_db,
            hearingThresholdsDBHL: c.hearing_threshold_db, importance: importance)
    }

    /// Every published value to its three decimals (|Δ| ≤ 0.0005) and every 5-decimal
    /// recomputation to 1e-4.
    func testEveryVectorMatchesItsPublishedAndRecomputedValue() throws {
        let cases = try loadVectors()
        XCTAssertEqual(Set(cases.map(\.id)),
                       ["OCTAVE", "OCTAVE_1", "TO", "TO_1", "CB", "CB_1", "ECB", "ECB_1", "ANSI_C1", "ANSI_C2"])
        var published = 0
        for c in cases {
            let sii = try run(c).value
            if let expected = c.expected_sii {
                XCTAssertEqual(sii, expected, accuracy: try XCTUnwrap(c.tolerance), c.id)
                XCTAssertLessThanOrEqual(c.tolerance!, 0.0005, c.id)
                published += 1
            }
            if let recomputed = c.recomputed_sii {
                XCTAssertEqual(sii, recomputed, accuracy: 1e-4, c.id)
            }
        }
        XCTAssertEqual(published, 9)
    }

    /// Annex C.1 with the Connected Speech Test importance: the R package prints 0.4873175. Also
    /// checks the octave CST row of the alternative-importance table.
    func testAnnexC1WithCSTImportanceMatchesRPackage() throws {
        let c1 = try XCTUnwrap(loadVectors().first { $0.id == "ANSI_C1" })
        let variant = try XCTUnwrap(c1.variant_with_cst_importance)
        XCTAssertEqual(SIIImportanceFunction.cst.values(for: .octave), variant.band_importance)
        let result = try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: c1.speech_spectrum_level_db,
            noiseSpectrumLevelsDB: c1.noise_spectrum_level_db, importance: .function(.cst))
        XCTAssertEqual(result.value, variant.sii_printed_by_R_SII_1_0_3_1, accuracy: 1e-6)
    }

    /// Annex C.2: the standard's first three rows (V, B, C with the corrected C_1 = −46.587; Z as
    /// printed with two decimals, 25.04 for 25.047, hence ±0.01) and the R package's final value.
    func testAnnexC2IntermediateValues() throws {
        let c2 = try XCTUnwrap(loadVectors().first { $0.id == "ANSI_C2" })
        let expected = try XCTUnwrap(c2.expected_intermediate_first_three_bands)
        let result = try run(c2)
        for i in 0..<3 {
            let band = result.bands[i]
            XCTAssertEqual(try XCTUnwrap(band.selfSpeechMaskingDB), expected.V_db[i], accuracy: 1e-9)
            XCTAssertEqual(max(band.noiseSpectrumLevelDB, band.selfSpeechMaskingDB!), expected.B_db[i], accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(band.maskingSlopeDBPerOctave), expected.C_slope_db_per_octave[i],
                           accuracy: 0.0005, "C_\(i + 1)")
            XCTAssertEqual(band.equivalentMaskingSpectrumLevelDB, expected.Z_equivalent_masking_spectrum_level_db[i],
                           accuracy: 0.01, "Z_\(i + 1)")
        }
        XCTAssertEqual(result.value, try XCTUnwrap(c2.reference_sii_R_SII_1_0_3_1), accuracy: 1e-6)
    }

    /// Section 4.3.1: in the octave procedure Z_i = N′_i; loud speech does not mask itself.
    /// In the one-third octave procedure the same speech raises Z through V_i = E′_i − 24: in
    /// band 1 directly (Z_1 = B_1), above it by the upward spread of masking.
    func testOctaveProcedureHasNoSelfSpeechMasking() throws {
        let octave = try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: [Double](repeating: 60, count: 6),
            noiseSpectrumLevelsDB: [Double](repeating: -50, count: 6))
        for band in octave.bands {
            XCTAssertEqual(band.equivalentMaskingSpectrumLevelDB, -50)
            XCTAssertNil(band.selfSpeechMaskingDB)
            XCTAssertNil(band.maskingSlopeDBPerOctave)
        }
        let third = try SpeechIntelligibilityIndex.compute(
            procedure: .oneThirdOctave, speechSpectrumLevelsDB: [Double](repeating: 60, count: 18),
            noiseSpectrumLevelsDB: [Double](repeating: -50, count: 18))
        XCTAssertEqual(third.bands[0].equivalentMaskingSpectrumLevelDB, 36)       // Z_1 = B_1 = V_1
        XCTAssertGreaterThan(third.bands[5].equivalentMaskingSpectrumLevelDB, 20)  // spread from below, N′ = −50
    }

    /// Level distortion (4.6): shouted speech in quiet scores below normal speech in quiet, and
    /// the per-band contributions add up to the index.
    func testLevelDistortionAndContributions() throws {
        for p in SIIProcedure.allCases {
            let quiet = [Double](repeating: -50, count: p.bandCount)
            let normal = try SpeechIntelligibilityIndex.compute(
                procedure: p, speechSpectrumLevelsDB: p.table.standardSpeechSpectrumLevelsDB(.normal),
                noiseSpectrumLevelsDB: quiet)
            let shout = try SpeechIntelligibilityIndex.compute(
                procedure: p, speechSpectrumLevelsDB: p.table.standardSpeechSpectrumLevelsDB(.shout),
                noiseSpectrumLevelsDB: quiet)
            XCTAssertLessThan(shout.value, normal.value, p.rawValue)
            XCTAssertTrue(normal.bands.allSatisfy { $0.levelDistortionFactor == 1 }, p.rawValue)
            XCTAssertTrue(shout.bands.contains { $0.levelDistortionFactor < 1 }, p.rawValue)
            XCTAssertEqual(shout.bands.map(\.contribution).reduce(0, +), shout.value, accuracy: 1e-12)
        }
    }

    /// The transcribed tables: band counts, importance sums, Table 3/4 bandwidth adjustments
    /// against exact base-ten band widths, and the band levels of each standard speech spectrum
    /// against the standard's overall levels (62.35, 68.34, 74.85, 82.30 dB SPL).
    func testTablesAreConsistent() {
        XCTAssertEqual(SIIProcedure.allCases.map(\.bandCount), [21, 17, 18, 6])
        for p in SIIProcedure.allCases {
            let t = p.table
            for column in [t.standardImportance, t.speechSpectrumLevelNormalDB, t.speechSpectrumLevelRaisedDB,
                           t.speechSpectrumLevelLoudDB, t.speechSpectrumLevelShoutDB,
                           t.internalNoiseSpectrumLevelsDB, t.freeFieldToEardrumDB, t.bandwidthLevelsDB] {
                XCTAssertEqual(column.count, p.bandCount, p.rawValue)
            }
            XCTAssertEqual(t.standardImportance.reduce(0, +), p == .equallyContributingCriticalBand ? 0.9996 : 1,
                           accuracy: 1e-9, p.rawValue)
            for f in SIIImportanceFunction.allCases {
                guard let v = f.values(for: p) else {
                    XCTAssertEqual(p, .equallyContributingCriticalBand, f.rawValue)
                    continue
                }
                XCTAssertEqual(v.count, p.bandCount, "\(p.rawValue) \(f.rawValue)")
                // As published: octave NU6 sums to 0.978 and octave CID22 to 0.9978.
                XCTAssertEqual(v.reduce(0, +), 1, accuracy: 0.025, "\(p.rawValue) \(f.rawValue)")
            }
            if let lower = t.lowerLimitsHz, let upper = t.upperLimitsHz {
                for i in 0..<p.bandCount {
                    XCTAssertTrue(lower[i] < t.centerFrequenciesHz[i] && t.centerFrequenciesHz[i] < upper[i])
                    if i > 0 { XCTAssertEqual(lower[i], upper[i - 1]) }
                }
            }
        }
        let third = SIIProcedure.oneThirdOctave.table.bandwidthAdjustmentsDB!
        for (i, band) in ThirdOctaveBand.siiBands.enumerated() {
            XCTAssertEqual(third[i], 10 * log10(band.bandwidthHz), accuracy: 0.02)
        }
        let octave = SIIProcedure.octave.table.bandwidthAdjustmentsDB!
        for (i, n) in (-2...3).enumerated() {
            let fm = 1000 * pow(10, 0.3 * Double(n))
            XCTAssertEqual(octave[i], 10 * log10(fm * (pow(10, 0.15) - pow(10, -0.15))), accuracy: 0.02)
        }
        for p in [SIIProcedure.oneThirdOctave, .criticalBand] {
            for effort in SIIVocalEffort.allCases {
                let bandPower = zip(p.table.standardSpeechSpectrumLevelsDB(effort), p.table.bandwidthLevelsDB)
                    .map { pow(10, ($0 + $1) / 10) }.reduce(0, +)
                XCTAssertEqual(10 * log10(bandPower), effort.overallLevelDBSPL, accuracy: 0.1, "\(p) \(effort)")
            }
        }
    }

    func testNamedImportanceEqualsSameValuesGivenExplicitly() throws {
        let speech = SIIProcedure.criticalBand.table.standardSpeechSpectrumLevelsDB(.raised)
        let noise = [Double](repeating: 15, count: 21)
        let named = try SpeechIntelligibilityIndex.compute(procedure: .criticalBand, speechSpectrumLevelsDB: speech,
                                                           noiseSpectrumLevelsDB: noise, importance: .function(.spin))
        let custom = try SpeechIntelligibilityIndex.compute(
            procedure: .criticalBand, speechSpectrumLevelsDB: speech, noiseSpectrumLevelsDB: noise,
            importance: .custom(SIIImportanceFunction.spin.values(for: .criticalBand)!))
        XCTAssertEqual(named.value, custom.value)
        XCTAssertGreaterThan(named.value, 0.05)
        XCTAssertLessThan(named.value, 0.95)
    }

    func testBadInputIsRejectedWithBandAndReason() {
        func message(_ body: () throws -> SIIResult) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        let six = [Double](repeating: 30, count: 6)
        XCTAssertEqual(message { try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: [30, 30], noiseSpectrumLevelsDB: six) },
            "speech spectrum level: the octave band procedure needs 6 values (one per band), 2 were given")
        XCTAssertEqual(message { try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: six, noiseSpectrumLevelsDB: [30, 30, .nan, 30, 30, 30]) },
            "noise spectrum level, value 3 (1000 Hz): nan is not a finite number")
        XCTAssertEqual(message { try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: six, noiseSpectrumLevelsDB: six,
            hearingThresholdsDBHL: [0, 0, 0, 0, 0, 200]) },
            "hearing threshold, value 6 (8000 Hz): 200 dB HL is outside -20…160 dB HL")
        XCTAssertTrue(message { try SpeechIntelligibilityIndex.compute(
            procedure: .equallyContributingCriticalBand, speechSpectrumLevelsDB: .init(repeating: 30, count: 17),
            noiseSpectrumLevelsDB: .init(repeating: 30, count: 17), importance: .function(.nu6)) }
            .contains("not defined for the equally-contributing"))
        XCTAssertEqual(message { try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: six, noiseSpectrumLevelsDB: six,
            importance: .custom([0.5, 0.5, 0.5, 0, 0, 0])) },
            "importance: band importances must sum to 1 (±0.01); these sum to 1.5000")
        XCTAssertEqual(message { try SpeechIntelligibilityIndex.compute(
            procedure: .octave, speechSpectrumLevelsDB: six, noiseSpectrumLevelsDB: six,
            importance: .custom([1.2, -0.2, 0, 0, 0, 0])) },
            "band importance, value 1 (250 Hz): 1.2 is outside 0…1")
    }
}
