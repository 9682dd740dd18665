import Foundation

/// The nonlinear temporal decay of core loudness (ISO 532-1:2017, 6.4 and its reference
/// program): a diode–capacitor network with time constants τ_short = 5 ms, τ_long = 15 ms and
/// τ_var = 75 ms, simulated per critical band at 2 kHz with 24 inner steps per sample; the input
/// between two samples is interpolated linearly. The output at a sample is the network's output
/// after the first inner step, which takes the sample itself; the capacitors start discharged.
struct NonlinearTemporalDecay {
    static let innerSteps = 24
    static let inputRate = 2000.0

    /// Coefficients B0…B5 of the network for one inner step.
    private struct Network {
        var b0, b1, b2, b3, b4, b5: Double

        /// One step for one band: input `ui`; output voltage `uo` and second capacitor voltage
        /// `u2` updated in place.
        @inline(__always)
        func step(_ ui: Double, _ uo: inout Double, _ u2: inout Double) {
            let uoLast = uo, u2Last = u2
            if ui < uoLast {
                if uoLast > u2Last {
                    // Both capacitors discharge through the network.
                    var newU2 = uoLast * b0 - u2Last * b1
                    var newUo = uoLast * b2 - u2Last * b3
                    if ui > newUo { newUo = ui }
                    if newU2 > newUo { newU2 = newUo }
                    uo = newUo; u2 = newU2
                } else {
                    // The output decays with τ_long alone.
                    var newUo = uoLast * b4
                    if ui > newUo { newUo = ui }
                    uo = newUo; u2 = newUo
                }
            } else if ui == uoLast {
                uo = ui
                u2 = ui > u2Last ? (u2Last - ui) * b5 + ui : ui
            } else {
                // Rising input: the output follows it, the second capacitor charges with τ_var.
                uo = ui
                u2 = (u2Last - ui) * b5 + ui
            }
        }
    }

    private let network: Network
    private var uo: [Double]
    private var u2: [Double]
    /// Input at the previous sample of each band (start of the interpolation).
    private var lastInput: [Double]
    private var started = false

    init(bands: Int = ISO532Tables.coreBandCount) {
        let tShort = 0.005, tLong = 0.015, tVar = 0.075
        let dt = 1 / (Self.inputRate * Double(Self.innerSteps))
        let p = (tVar + tLong) / (tVar * tShort)
        let q = 1 / (tShort * tVar)
        let lambda1 = -p / 2 + (p * p / 4 - q).squareRoot()
        let lambda2 = -p / 2 - (p * p / 4 - q).squareRoot()
        let den = tVar * (lambda1 - lambda2)
        let e1 = exp(lambda1 * dt), e2 = exp(lambda2 * dt)
        network = Network(
            b0: (e1 - e2) / den,
            b1: ((tVar * lambda2 + 1) * e1 - (tVar * lambda1 + 1) * e2) / den,
            b2: ((tVar * lambda1 + 1) * e1 - (tVar * lambda2 + 1) * e2) / den,
            b3: (tVar * lambda1 + 1) * (tVar * lambda2 + 1) * (e1 - e2) / den,
            b4: exp(-dt / tLong),
            b5: exp(-dt / tVar))
        uo = Array(repeating: 0, count: bands)
        u2 = Array(repeating: 0, count: bands)
        lastInput = Array(repeating: 0, count: bands)
    }

    /// Feeds the next sample of all bands (core loudness, sone/Bark) and overwrites it with the
    /// decayed output. The 23 inner steps between the previous sample and this one run first,
    /// on the linearly interpolated input.
    mutating func process(_ values: UnsafeMutablePointer<Double>) {
        let net = network
        let started = self.started
        let steps = Self.innerSteps
        let bands = uo.count
        uo.withUnsafeMutableBufferPointer { uoBuf in
            u2.withUnsafeMutableBufferPointer { u2Buf in
                lastInput.withUnsafeMutableBufferPointer { last in
                    for band in 0..<bands {
                        var o = uoBuf[band], t = u2Buf[band]
                        let x = values[band]
                        let from = last[band]
                        // Nothing moves while input and state are all zero.
                        if started && !(from == 0 && x == 0 && o == 0 && t == 0) {
                            let delta = (x - from) / Double(steps)
                            for k in 1..<steps { net.step(from + Double(k) * delta, &o, &t) }
                        }
                        net.step(x, &o, &t)
                        last[band] = x
                        uoBuf[band] = o
                        u2Buf[band] = t
                        values[band] = o
                    }
                }
            }
        }
        self.started = true
    }
}
