/// The index arithmetic of a 2-D sliding window over one group of channels: output size,
/// im2col and its adjoint col2im. Shared by convolution; pooling uses the same window rule.
struct ConvolutionGeometry: Sendable, Equatable {
    var channels: Int
    var height: Int
    var width: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var strideH: Int = 1
    var strideW: Int = 1
    var padTop: Int = 0
    var padLeft: Int = 0
    var padBottom: Int = 0
    var padRight: Int = 0
    var dilationH: Int = 1
    var dilationW: Int = 1

    var outputHeight: Int { (height + padTop + padBottom - dilationH * (kernelHeight - 1) - 1) / strideH + 1 }
    var outputWidth: Int { (width + padLeft + padRight - dilationW * (kernelWidth - 1) - 1) / strideW + 1 }
    /// Elements of one group's channel block in the input item.
    var channelBlock: Int { channels * height * width }

    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideH == 1 && strideW == 1
            && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
    }

    /// Range of output columns `ow` whose input column `ow·s − p + kj·d` lies inside [0, width).
    @inline(__always)
    private func validColumns(_ kj: Int, _ ow: Int) -> Range<Int> {
        let offset = kj * dilationW - padLeft
        // ow·s + offset ≥ 0  and  ow·s + offset < width
        let lo = offset >= 0 ? 0 : (-offset + strideW - 1) / strideW
        let hiExclusive = width - offset <= 0 ? 0 : (width - offset + strideW - 1) / strideW
        return min(lo, ow)..<max(min(hiExclusive, ow), min(lo, ow))
    }

    /// Writes the (C·kh·kw) × (oh·ow) column matrix of `input` (C×H×W) into `col`.
    func im2col<S: EngineScalar>(_ input: UnsafePointer<S>, _ col: UnsafeMutablePointer<S>) {
        let oh = outputHeight, ow = outputWidth
        var row = 0
        for c in 0..<channels {
            let plane = input + c * height * width
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let out = col + row * oh * ow
                    let cols = validColumns(kj, ow)
                    let colOffset = kj * dilationW - padLeft
                    for y in 0..<oh {
                        let ih = y * strideH - padTop + ki * dilationH
                        let dst = out + y * ow
                        if ih < 0 || ih >= height {
                            dst.update(repeating: 0, count: ow)
                            continue
                        }
                        let src = plane + ih * width
                        if cols.lowerBound > 0 { dst.update(repeating: 0, count: cols.lowerBound) }
                        if strideW == 1 {
                            (dst + cols.lowerBound).update(from: src + cols.lowerBound + colOffset, count: cols.count)
                        } else {
                            for x in cols { dst[x] = src[x * strideW + colOffset] }
                        }
                        if cols.upperBound < ow { (dst + cols.upperBound).update(repeating: 0, count: ow - cols.upperBound) }
                    }
                    row += 1
                }
            }
        }
    }

    /// Writes the adjoint of im2col into `input` (C×H×W): the column matrix `col` (rows
    /// `rowStride` apart, oh·ow by default) summed back onto the pixels it was copied from.
    func col2im<S: EngineScalar>(_ col: UnsafePointer<S>, rowStride: Int? = nil, _ input: UnsafeMutablePointer<S>) {
        let oh = outputHeight, ow = outputWidth
        let rowStride = rowStride ?? oh * ow
        input.update(repeating: 0, count: channelBlock)
        var row = 0
        for c in 0..<channels {
            let plane = input + c * height * width
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let src = col + row * rowStride
                    let cols = validColumns(kj, ow)
                    let colOffset = kj * dilationW - padLeft
                    for y in 0..<oh {
                        let ih = y * strideH - padTop + ki * dilationH
                        if ih < 0 || ih >= height { continue }
                        let dst = plane + ih * width + colOffset
                        let s = src + y * ow
                        for x in cols { dst[x * strideW] += s[x] }
                    }
                    row += 1
                }
            }
        }
    }
}
