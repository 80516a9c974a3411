/// BatchNormalization over NCHW (or NC) items. Inference: a fixed per-channel affine map from the
/// running statistics. Training: batch statistics, with the running statistics updated by the
/// trainer from the memo (momentum as in ONNX: running ← running·m + batch·(1 − m)).
struct BatchNormalization: Sendable {
    var channels: Int
    var plane: Int
    var epsilon: Double
    var momentum: Double

    var itemCount: Int { channels * plane }

    /// Inputs: x, scale, bias, running mean, running variance.
    func forward<S: EngineScalar>(_ inputs: [Tensor<S>], batch: Int, mode: ForwardMode) -> (Tensor<S>, NodeMemo<S>?) {
        switch mode {
        case .inference: return (affine(inputs, batch: batch), nil)
        case .training: return normalizeWithBatchStatistics(inputs, batch: batch)
        }
    }

    private func coefficients<S: EngineScalar>(_ inputs: [Tensor<S>]) -> (scale: [S], shift: [S]) {
        var a = [S](repeating: 0, count: channels), b = a
        for c in 0..<channels {
            let inv = 1 / (Double(inputs[4].scalars[c]) + epsilon).squareRoot()
            a[c] = S(Double(inputs[1].scalars[c]) * inv)
            b[c] = S(Double(inputs[2].scalars[c]) - Double(inputs[3].scalars[c]) * Double(inputs[1].scalars[c]) * inv)
        }
        return (a, b)
    }

    private func affine<S: EngineScalar>(_ inputs: [Tensor<S>], batch: Int) -> Tensor<S> {
        let (a, b) = coefficients(inputs)
        return Tensor(uninitialized: inputs[0].shape) { py in
            inputs[0].scalars.withUnsafeBufferPointer { px in
                for n in 0..<batch {
                    for c in 0..<channels {
                        let base = n * itemCount + c * plane
                        let (scale, shift) = (a[c], b[c])
                        for i in 0..<plane { py[base + i] = px[base + i] * scale + shift }
                    }
                }
            }
        }
    }

    private func normalizeWithBatchStatistics<S: EngineScalar>(_ inputs: [Tensor<S>], batch: Int) -> (Tensor<S>, NodeMemo<S>) {
        let x = inputs[0]
        let count = batch * plane
        var xhat = x, y = x
        var inverse = [S](repeating: 0, count: channels), means = inverse, variances = inverse
        for c in 0..<channels {
            var sum = 0.0
            for n in 0..<batch { for i in 0..<plane { sum += Double(x.scalars[n * itemCount + c * plane + i]) } }
            let mean = sum / Double(count)
            var sq = 0.0
            for n in 0..<batch {
                for i in 0..<plane { let d = Double(x.scalars[n * itemCount + c * plane + i]) - mean; sq += d * d }
            }
            let inv = 1 / (sq / Double(count) + epsilon).squareRoot()
            inverse[c] = S(inv)
            means[c] = S(mean)
            variances[c] = S(count > 1 ? sq / Double(count - 1) : sq)
            let (g, b) = (inputs[1].scalars[c], inputs[2].scalars[c])
            for n in 0..<batch {
                for i in 0..<plane {
                    let k = n * itemCount + c * plane + i
                    xhat.scalars[k] = S((Double(x.scalars[k]) - mean) * inv)
                    y.scalars[k] = g * xhat.scalars[k] + b
                }
            }
        }
        return (y, .batchStatistics(normalized: xhat, inverseStd: inverse, mean: means, variance: variances))
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        if case .batchStatistics(let xhat, let inverse, _, _)? = step.memo {
            return trainingBackward(dy, step, xhat: xhat, inverse: inverse)
        }
        let (a, _) = coefficients(step.inputs)
        var grads: [Tensor<S>?] = [nil, nil, nil, nil, nil]
        if step.needs[0] != .none { grads[0] = scaledPerChannel(dy, by: a) }
        let x = step.inputs[0]
        let mean = step.inputs[3].scalars, variance = step.inputs[4].scalars
        let inverse = (0..<channels).map { S(1 / (Double(variance[$0]) + epsilon).squareRoot()) }
        grads[1] = channelSums(dy, need: step.needs[1], replication: step.replication) { c, n, i in
            (x.scalars[n * itemCount + c * plane + i] - mean[c]) * inverse[c]
        }
        grads[2] = channelSums(dy, need: step.needs[2], replication: step.replication) { _, _, _ in 1 }
        return grads
    }

    private func scaledPerChannel<S: EngineScalar>(_ t: Tensor<S>, by a: [S]) -> Tensor<S> {
        let batch = t.shape[0]
        return Tensor(uninitialized: t.shape) { out in
            t.scalars.withUnsafeBufferPointer { p in
                for n in 0..<batch {
                    for c in 0..<channels {
                        let base = n * itemCount + c * plane
                        let scale = a[c]
                        for i in 0..<plane { out[base + i] = p[base + i] * scale }
                    }
                }
            }
        }
    }

    /// Σ over the plane (and, for `.sum`, over cotangents) of dy · factor(channel, sample, i).
    private func channelSums<S: EngineScalar>(
        _ dy: Tensor<S>, need: GradientNeed, replication r: Int, _ factor: (Int, Int, Int) -> S
    ) -> Tensor<S>? {
        guard need != .none else { return nil }
        let cotangents = dy.shape[0]
        let perRow = need == .perCotangent
        var grad = Tensor<S>(zeros: (perRow ? [cotangents] : []) + [channels])
        for b in 0..<cotangents {
            for c in 0..<channels {
                var s: S = 0
                let base = b * itemCount + c * plane
                for i in 0..<plane { s += dy.scalars[base + i] * factor(c, b / r, i) }
                grad.scalars[(perRow ? b * channels : 0) + c] += s
            }
        }
        return grad
    }

    private func trainingBackward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>, xhat: Tensor<S>, inverse: [S]) -> [Tensor<S>?] {
        precondition(step.replication == 1, "training-mode BatchNormalization backward needs one cotangent per sample")
        let batch = dy.shape[0]
        let count = S(batch * plane)
        var grads: [Tensor<S>?] = [nil, nil, nil, nil, nil]
        var dx = dy
        var dGamma = [S](repeating: 0, count: channels), dBeta = dGamma
        for c in 0..<channels {
            var sumDy: S = 0, sumDyX: S = 0
            for n in 0..<batch {
                for i in 0..<plane { let k = n * itemCount + c * plane + i; sumDy += dy.scalars[k]; sumDyX += dy.scalars[k] * xhat.scalars[k] }
            }
            dGamma[c] = sumDyX
            dBeta[c] = sumDy
            let g = step.inputs[1].scalars[c] * inverse[c]
            for n in 0..<batch {
                for i in 0..<plane {
                    let k = n * itemCount + c * plane + i
                    dx.scalars[k] = g * (dy.scalars[k] - sumDy / count - xhat.scalars[k] * sumDyX / count)
                }
            }
        }
        if step.needs[0] != .none { grads[0] = dx }
        if step.needs[1] != .none { grads[1] = Tensor(shape: [channels], scalars: dGamma) }
        if step.needs[2] != .none { grads[2] = Tensor(shape: [channels], scalars: dBeta) }
        return grads
    }
}
