import XCTest
@testable import EarshotKit

/// `StemSumFit`: the master gain between the stems' sum and the mix, and what it leaves.
final class StemSumFitTests: XCTestCase {
    /// Energies of a mix g·Σ + r for a sum of energy `sum` and a residual of energy `residual`
    /// uncorrelated with it.
    func fit(gain g: Double, sum: Double = 100, residual: Double = 0, lossy: [(path: String, codec: String)] = []) -> StemSumFit {
        let mix = g * g * sum + residual
        let unityResidual = (g - 1) * (g - 1) * sum + residual
        return StemSumFit(mixEnergy: mix, sumEnergy: sum, mixDotSum: g * sum, unityResidualEnergy: unityResidual, lossyInputs: lossy)
    }

    func testASoxMixOfTwoStemsIsTheSumAtMinusSixDecibels() throws {
        let f = fit(gain: 0.5)
        XCTAssertEqual(f.fittedGainDB, -6.0206, accuracy: 1e-3)
        XCTAssertEqual(f.appliedGainDB, f.fittedGainDB)
        XCTAssertEqual(f.appliedGain, 0.5, accuracy: 1e-6)
        XCTAssertLessThan(f.residualDB, -200, "nothing is left once the gain is taken out")
        XCTAssertNoThrow(try f.check(mixPath: "mix.wav"))
    }

    func testAGainWithinRoundingOfUnityIsUnity() {
        let f = fit(gain: pow(10, 0.02 / 20), residual: 1e-6)
        XCTAssertEqual(f.appliedGainDB, 0)
        XCTAssertEqual(f.appliedGain, 1)
    }

    func testAMissingStemIsStillRefusedAfterTheGain() {
        // The mix holds a stem the sum lacks, 6 dB below the rest: nothing one gain can explain.
        let f = fit(gain: 1, residual: 25)
        XCTAssertGreaterThan(f.residualDB, StemSumFit.residualLimitDB)
        XCTAssertThrowsError(try f.check(mixPath: "ep01_mix.wav")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("ep01_mix.wav") && text.contains("do not add up"), text)
            XCTAssertFalse(text.contains("lossy"), text)
        }
    }

    func testALossyMixIsAllowedItsCodingNoiseAndNamedWhenItStillFails() {
        // Coding noise 16 dB below the mix: refused for PCM, accepted for an MP3.
        let noise = 100 * pow(10, -16.0 / 10)
        XCTAssertThrowsError(try fit(gain: 1, residual: noise).check(mixPath: "mix.wav"))
        XCTAssertNoThrow(try fit(gain: 1, residual: noise, lossy: [("/x/mix.mp3", "MP3")]).check(mixPath: "/x/mix.mp3"))
        // A stem of another version, as loud as the rest: refused, naming the lossy file.
        XCTAssertThrowsError(try fit(gain: 1, residual: 100, lossy: [("/x/mix.mp3", "MP3")]).check(mixPath: "/x/mix.mp3")) { error in
            XCTAssertTrue("\(error)".contains("mix.mp3 is MP3"), "\(error)")
        }
    }
}
