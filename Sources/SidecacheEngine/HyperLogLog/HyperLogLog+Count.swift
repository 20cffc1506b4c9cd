#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HyperLogLog {
    /// `hllCount` for a stored HLL: the estimate and whether the sparse opcodes were sound
    /// (a corrupt sparse HLL still gets an estimate, which callers discard).
    static func count(_ bytes: UnsafeRawBufferPointer) -> (cardinality: UInt64, valid: Bool) {
        var histogram = [Int](repeating: 0, count: 64)
        var valid = true
        if bytes[4] == denseEncoding {
            Dense.addHistogram(bytes, into: &histogram)
        } else {
            valid = Sparse.addHistogram(bytes, into: &histogram)
        }
        return (estimate(histogram), valid)
    }

    /// `hllCount` for merged registers, one byte each (Redis's internal `HLL_RAW` encoding,
    /// used by PFCOUNT with several keys).
    static func count(registers: [UInt8]) -> UInt64 {
        var histogram = [Int](repeating: 0, count: 64)
        for value in registers { histogram[Int(value)] += 1 }
        return estimate(histogram)
    }

    /// Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
    /// sketches", arXiv:1702.01284) from the register histogram, in Redis's order of
    /// floating-point operations, rounded half away from zero as `llroundl` does.
    static func estimate(_ histogram: [Int]) -> UInt64 {
        let m = Double(registerCount)
        var z = m * tau((m - Double(histogram[runBits + 1])) / m)
        for value in stride(from: runBits, through: 1, by: -1) {
            z += Double(histogram[value])
            z *= 0.5
        }
        z += m * sigma(Double(histogram[0]) / m)
        let estimate = (0.721347520444481703680 * m * m / z).rounded(.toNearestOrAwayFromZero)
        // llroundl of a value it cannot represent gives LLONG_MIN on x86-64.
        guard estimate.isFinite, estimate < 9.223372036854775807e18 else { return 1 << 63 }
        return UInt64(estimate)
    }

    /// Ertl's σ(x) = x + Σ x^(2^k)·2^(k−1), iterated until it stops changing. Bounded, so
    /// that no histogram can make it loop (a sound one converges in well under 100 steps).
    static func sigma(_ x: Double) -> Double {
        if x == 1 { return .infinity }
        var x = x
        var y = 1.0
        var z = x
        for _ in 0..<2048 {
            x *= x
            let previous = z
            z += x * y
            y += y
            if previous == z { break }
        }
        return z
    }

    /// Ertl's τ(x), iterated until it stops changing (bounded like `sigma`).
    static func tau(_ x: Double) -> Double {
        if x == 0 || x == 1 { return 0 }
        var x = x
        var y = 1.0
        var z = 1 - x
        for _ in 0..<2048 {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            z -= pow(1 - x, 2) * y
            if previous == z { break }
        }
        return z / 3
    }
}
