#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Named wrappers so that the EngineScalar conformances can call libm without recursing into
// their own static `exp`/`log`/`tanh` requirements.
@inline(__always) func Foundation_expf(_ x: Float) -> Float { expf(x) }
@inline(__always) func Foundation_logf(_ x: Float) -> Float { logf(x) }
@inline(__always) func Foundation_tanhf(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func Foundation_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func Foundation_log(_ x: Double) -> Double { log(x) }
@inline(__always) func Foundation_tanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) func Foundation_log1p(_ x: Double) -> Double { log1p(x) }
