/// 2-D convolution (groups, strides, pads, dilations) by im2col + GEMM. The input gradient is
/// GEMMᵀ + col2im, the weight gradient a GEMM against the re-formed columns; a 1×1 stride-1
/// unpadded convolution skips im2col and is a plain GEMM. 3×3 stride-1 convolutions with enough
/// channels run forward and input gradient by Winograd instead (`WinogradPlan`).
struct Convolution: Sendable {
    var geometry: ConvolutionGeometry
    var outputChannels: Int
    var groups: Int
    var hasBias: Bool

    var inputChannelsPerGroup: Int { geometry.channels }
    var outputChannelsPerGroup: Int { outputChannels / groups }
    /// Rows of the column matrix of one group: Cg · kh · kw.
    var columnRows: Int { geometry.channels * geometry.kernelHeight * geometry.kernelWidth }
    var inputItemCount: Int { geometry.channels * groups * geometry.height * geometry.width }
    var outputPlane: Int { geometry.outputHeight * geometry.outputWidth }
    var outputItemCount: Int { outputChannels * outputPlane }
    var outputItemShape: [Int] { [outputChannels, geometry.outputHeight, geometry.outputWidth] }

    /// Whether the 3×3 stride-1 Winograd route computes this convolution and its input gradient.
    var usesWinograd: Bool { WinogradPlan.applies(to: geometry, groups: groups, outputChannels: outputChannels) }

    func forward<S: EngineScalar>(_ x: Tensor<S>, _ w: Tensor<S>, _ b: Tensor<S>?, batch: Int,
                                  filters lookup: FilterLookup<S>? = nil) -> Tensor<S> {
        if usesWinograd {
            let plan = WinogradPlan(forward: geometry, outputChannels: outputChannels)
            let make = { w.scalars.withUnsafeBufferPointer { plan.transformedFilters($0.baseAddress!, forInputGradient: false) } }
            let filters = lookup?.filters(forInputGradient: false, tile: plan.tile, make: make) ?? make()
            var y = Tensor<S>(uninitialized: [batch] + outputItemShape) { out in
                x.scalars.withUnsafeBufferPointer { plan.run($0.baseAddress!, batch: batch, filters: filters, into: out.baseAddress!) }
            }
            if let b, hasBias { addBias(&y, b, batch: batch) }
            return y
        }
        var y = Tensor<S>(zeros: [batch] + outputItemShape)
        var columns = [S](repeating: 0, count: geometry.isPointwise ? 0 : columnRows * outputPlane)
        x.scalars.withUnsafeBufferPointer { px in
            w.scalars.withUnsafeBufferPointer { pw in
                y.scalars.withUnsafeMutableBufferPointer { py in
                    columns.withUnsafeMutableBufferPointer { col in
                        for n in 0..<batch {
                            for g in 0..<groups {
                                let input = px.baseAddress! + n * inputItemCount + g * geometry.channelBlock
                                let cols = formColumns(input, into: col)
                                S.gemm(transA: false, transB: false, m: outputChannelsPerGroup, n: outputPlane,
                                       k: columnRows, alpha: 1,
                                       a: pw.baseAddress! + g * outputChannelsPerGroup * columnRows, lda: columnRows,
                                       b: cols, ldb: outputPlane, beta: 0,
                                       c: py.baseAddress! + n * outputItemCount + g * outputChannelsPerGroup * outputPlane,
                                       ldc: outputPlane)
                            }
                        }
                    }
                }
            }
        }
        if let b, hasBias { addBias(&y, b, batch: batch) }
        return y
    }

    /// The column matrix of one group of one sample (or the input itself for a pointwise conv).
    private func formColumns<S: EngineScalar>(_ input: UnsafePointer<S>, into col: UnsafeMutableBufferPointer<S>) -> UnsafePointer<S> {
        if geometry.isPointwise { return input }
        geometry.im2col(input, col.baseAddress!)
        return UnsafePointer(col.baseAddress!)
    }

    private func addBias<S: EngineScalar>(_ y: inout Tensor<S>, _ b: Tensor<S>, batch: Int) {
        let plane = outputPlane
        y.scalars.withUnsafeMutableBufferPointer { py in
            b.scalars.withUnsafeBufferPointer { pb in
                for n in 0..<batch {
                    for c in 0..<outputChannels {
                        let base = n * outputItemCount + c * plane
                        let v = pb[c]
                        for i in 0..<plane { py[base + i] += v }
                    }
                }
            }
        }
    }

    func backward<S: EngineScalar>(_ dy: Tensor<S>, _ step: BackwardStep<S>) -> [Tensor<S>?] {
        var grads: [Tensor<S>?] = [nil, nil, nil]
        if step.needs[0] != .none { grads[0] = inputGradient(dy, weight: step.inputs[1], filters: step.filters) }
        if step.needs[1] != .none {
            grads[1] = weightGradient(dy, x: step.inputs[0], shape: step.inputs[1].shape,
                                      perCotangent: step.needs[1] == .perCotangent, replication: step.replication)
        }
        if step.needs.count > 2, step.needs[2] != .none {
            grads[2] = biasGradient(dy, perCotangent: step.needs[2] == .perCotangent)
        }
        return grads
    }

    /// dX = col2im(Wᵀ · dY) per cotangent and group.
    private func inputGradient<S: EngineScalar>(_ dy: Tensor<S>, weight: Tensor<S>, filters lookup: FilterLookup<S>?) -> Tensor<S> {
        let cotangents = dy.shape[0]
        let shape = [cotangents, inputChannelsPerGroup * groups, geometry.height, geometry.width]
        if usesWinograd {
            let plan = WinogradPlan(inputGradientOf: geometry, outputChannels: outputChannels)
            let shared = plan.sharesForwardFilters
            let source = shared ? WinogradPlan.forwardFilterPlan(of: geometry, outputChannels: outputChannels) : plan
            let make = { weight.scalars.withUnsafeBufferPointer { source.transformedFilters($0.baseAddress!, forInputGradient: !shared) } }
            let filters = lookup?.filters(forInputGradient: !shared, tile: source.tile, make: make) ?? make()
            return Tensor<S>(uninitialized: shape) { out in
                dy.scalars.withUnsafeBufferPointer {
                    plan.run($0.baseAddress!, batch: cotangents, filters: filters, adjoint: shared, into: out.baseAddress!)
                }
            }
        }
        // Cotangents share GEMMs in chunks: their dY are gathered side by side into
        // [M][chunk · plane], so that Wᵀ is packed once for all of them (a 4×4 output plane alone
        // would make a GEMM 16 columns wide), and each one's columns are then added back by col2im.
        let chunk = max(1, min(cotangents, (4 << 20) / max(1, columnRows * outputPlane * MemoryLayout<S>.size)))
        let mg = outputChannelsPerGroup
        var gathered = [S](unsafeUninitializedCapacity: mg * chunk * outputPlane) { $1 = $0.count }
        var columns = [S](unsafeUninitializedCapacity: columnRows * chunk * outputPlane) { $1 = $0.count }
        return Tensor<S>(uninitialized: shape) { out in
            dy.scalars.withUnsafeBufferPointer { g in
                weight.scalars.withUnsafeBufferPointer { pw in
                    gathered.withUnsafeMutableBufferPointer { gather in
                        columns.withUnsafeMutableBufferPointer { col in
                            for start in stride(from: 0, to: cotangents, by: chunk) {
                                let count = min(chunk, cotangents - start), width = count * outputPlane
                                for grp in 0..<groups {
                                    for b in 0..<count {
                                        for m in 0..<mg {
                                            let source = g.baseAddress! + (start + b) * outputItemCount + (grp * mg + m) * outputPlane
                                            (gather.baseAddress! + m * width + b * outputPlane).update(from: source, count: outputPlane)
                                        }
                                    }
                                    S.gemm(transA: true, transB: false, m: columnRows, n: width, k: mg, alpha: 1,
                                           a: pw.baseAddress! + grp * mg * columnRows, lda: columnRows,
                                           b: gather.baseAddress!, ldb: width, beta: 0, c: col.baseAddress!, ldc: width)
                                    for b in 0..<count {
                                        let target = out.baseAddress! + (start + b) * inputItemCount + grp * geometry.channelBlock
                                        geometry.col2im(UnsafePointer(col.baseAddress! + b * outputPlane), rowStride: width, target)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dW = dY · colᵀ, columns formed once per sample and reused by its cotangents.
    private func weightGradient<S: EngineScalar>(
        _ dy: Tensor<S>, x: Tensor<S>, shape: [Int], perCotangent: Bool, replication r: Int
    ) -> Tensor<S> {
        let cotangents = dy.shape[0]
        let size = shape.reduce(1, *)
        var grad = Tensor<S>(zeros: (perCotangent ? [cotangents] : []) + shape)
        var columns = [S](repeating: 0, count: geometry.isPointwise ? 0 : columnRows * outputPlane)
        x.scalars.withUnsafeBufferPointer { px in
            dy.scalars.withUnsafeBufferPointer { g in
                grad.scalars.withUnsafeMutableBufferPointer { out in
                    columns.withUnsafeMutableBufferPointer { col in
                        for n in 0..<(cotangents / r) {
                            for grp in 0..<groups {
                                let cols = formColumns(px.baseAddress! + n * inputItemCount + grp * geometry.channelBlock, into: col)
                                for c in (n * r)..<((n + 1) * r) {
                                    let accumulate = !perCotangent && c > 0
                                    S.gemm(transA: false, transB: true, m: outputChannelsPerGroup, n: columnRows,
                                           k: outputPlane, alpha: 1,
                                           a: g.baseAddress! + c * outputItemCount + grp * outputChannelsPerGroup * outputPlane,
                                           lda: outputPlane, b: cols, ldb: outputPlane, beta: accumulate ? 1 : 0,
                                           c: out.baseAddress! + (perCotangent ? c * size : 0) + grp * outputChannelsPerGroup * columnRows,
                                           ldc: columnRows)
                                }
                            }
                        }
                    }
                }
            }
        }
        return grad
    }

    private func biasGradient<S: EngineScalar>(_ dy: Tensor<S>, perCotangent: Bool) -> Tensor<S> {
        let cotangents = dy.shape[0]
        var grad = Tensor<S>(zeros: (perCotangent ? [cotangents] : []) + [outputChannels])
        let plane = outputPlane
        dy.scalars.withUnsafeBufferPointer { g in
            grad.scalars.withUnsafeMutableBufferPointer { out in
                for c in 0..<cotangents {
                    for ch in 0..<outputChannels {
                        var s: S = 0
                        let base = c * outputItemCount + ch * plane
                        for i in 0..<plane { s += g[base + i] }
                        out[(perCotangent ? c * outputChannels : 0) + ch] += s
                    }
                }
            }
        }
        return grad
    }
}
