/// Conversions between Float and the 16-bit float formats ONNX stores (IEEE FLOAT16 and
/// BFLOAT16), by bit manipulation: Swift's `Float16` is not available on Intel Macs.
/// Widening is exact; narrowing rounds to nearest even, as NumPy and PyTorch do.
enum HalfPrecision {
    static func float(fromFloat16Bits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1f
        let mantissa = UInt32(bits & 0x3ff)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1f:
            // Infinity or NaN, keeping the NaN payload.
            return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    static func float16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xff)
        let mantissa = bits & 0x7f_ffff
        if exponent == 0xff {
            // Infinity stays infinity; NaN stays a (quiet) NaN.
            return sign | 0x7c00 | (mantissa == 0 ? 0 : 0x200 | UInt16(truncatingIfNeeded: mantissa >> 13))
        }
        let halfExponent = exponent - 112
        if halfExponent >= 31 { return sign | 0x7c00 }
        if halfExponent <= 0 {
            // Below 2⁻²⁵ everything rounds to zero; above, the result is subnormal (or, after
            // rounding up, the smallest normal, whose encoding follows on naturally).
            if halfExponent < -10 { return sign }
            let shift = UInt32(14 - halfExponent)
            return sign | UInt16(roundedShift(mantissa | 0x80_0000, by: shift))
        }
        let rounded = roundedShift((UInt32(halfExponent) << 23) | mantissa, by: 13)
        return sign | UInt16(rounded)  // a carry into the exponent gives infinity, as it should
    }

    static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
        return UInt16(truncatingIfNeeded: roundedShift(bits, by: 16))
    }

    /// `value >> shift`, rounded to nearest with ties to even.
    private static func roundedShift(_ value: UInt32, by shift: UInt32) -> UInt32 {
        let kept = value >> shift
        let remainder = value & ((1 << shift) - 1)
        let half: UInt32 = 1 << (shift - 1)
        let roundsUp = remainder > half || (remainder == half && kept & 1 == 1)
        return roundsUp ? kept + 1 : kept
    }
}
