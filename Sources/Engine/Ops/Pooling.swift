/// Max and average pooling over precomputed windows. A max-pool gradient goes to the first
/// maximum in scan order (as in PyTorch); GlobalAveragePool is an average pool over the plane.
///
/// Values within `tieTolerance` of each other count as tied. Exact ties are common (a constant
/// background gives equal values in a window), and a summation order that differs between
/// GEMM kernels can split such a tie by an ulp, which would move the gradient to another pixel.
/// The tolerance keeps the gradient on the first of them whatever kernel summed them.
struct Pooling: Sendable {
    enum Kind: Sendable { case max, average }

    var kind: Kind
    var channels: Int
    var windows: PoolingWindows

    var outputItemShape: [Int] { [channels, windows.outputHeight, windows.outputWidth] }

    /// 16 units of rounding, relative to the larger value.
    static func tieTolerance<S: EngineScalar>() -> S { 16 * S.ulpOfOne }

    func forward<S: EngineScalar>(_ x: Tensor<S>, batch: Int) -> (Tensor<S>, NodeMemo<S>?) {
        let planes = batch * channels
        var y = Tensor<S>(zeros: [batch] + outputItemShape)
        var argmax = [Int32](repeating: -1, count: kind == .max ? y.count : 0)
        let (inPlane, outPlane) = (windows.inputPlane, windows.outputPlane)
        let tolerance: S = Self.tieTolerance()
        x.scalars.withUnsafeBufferPointer { px in
            y.scalars.withUnsafeMutableBufferPointer { py in
                argmax.withUnsafeMutableBufferPointer { idx in
                    windows.offsets.withUnsafeBufferPointer { off in
                        for p in 0..<planes {
                            let src = p * inPlane, dst = p * outPlane
                            for o in 0..<outPlane {
                                let range = Int(windows.starts[o])..<Int(windows.starts[o + 1])
                                switch kind {
                                case .max:
                                    var best = -S.infinity, at = Int32(-1)
                                    for w in range {
                                        let v = px[src + Int(off[w])]
                                        if at < 0 || v - best > tolerance * Swift.max(abs(v), abs(best)) {
                                            best = v
                                            at = off[w]
                                        }
                                    }
                                    py[dst + o] = at < 0 ? 0 : best
                                    idx[dst + o] = at
                                case .average:
                                    var s: S = 0
                                    for w in range { s += px[src + Int(off[w])] }
                                    py[dst + o] = s / S(windows.divisors[o])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, kind == .max ? .indices(argmax) : nil)
    }

    /// A max-pool that takes each output from the given source element (`KinkDecisions`).
    func forward<S: EngineScalar>(_ x: Tensor<S>, batch: Int, argmax: [Int32]) -> Tensor<S> {
        let (inPlane, outPlane) = (windows.inputPlane, windows.outputPlane)
        return Tensor(uninitialized: [batch] + outputItemShape) { y in
            x.scalars.withUnsafeBufferPointer { px in
                for p in 0..<(batch * channels) {
                    for o in 0..<outPlane {
                        let at = argmax[p * outPlane + o]
                        y[p * outPlane + o] = at < 0 ? 0 : px[p * inPlane + Int(at)]
                    }
                }
            }
        }
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        guard step.needs[0] != .none else { return [nil] }
        let cotangents = dy.shape[0]
        let (inPlane, outPlane) = (windows.inputPlane, windows.outputPlane)
        let outItem = channels * outPlane
        var dx = Tensor<S>(zeros: [cotangents, channels, windows.height, windows.width])
        var argmax: [Int32] = []
        if case .indices(let saved)? = step.memo { argmax = saved }
        let r = step.replication
        dy.scalars.withUnsafeBufferPointer { g in
            dx.scalars.withUnsafeMutableBufferPointer { out in
                for c in 0..<cotangents {
                    for ch in 0..<channels {
                        let src = (c * channels + ch) * outPlane
                        let dst = (c * channels + ch) * inPlane
                        let saved = (c / r) * outItem + ch * outPlane
                        for o in 0..<outPlane {
                            switch kind {
                            case .max:
                                let at = argmax[saved + o]
                                if at >= 0 { out[dst + Int(at)] += g[src + o] }
                            case .average:
                                let v = g[src + o] / S(windows.divisors[o])
                                for w in Int(windows.starts[o])..<Int(windows.starts[o + 1]) {
                                    out[dst + Int(windows.offsets[w])] += v
                                }
                            }
                        }
                    }
                }
            }
        }
        return [dx]
    }
}
