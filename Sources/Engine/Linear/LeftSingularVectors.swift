import CBLAS

/// Singular values and left singular vectors of a wide K×m matrix in Double (LAPACK `dgesdd`):
/// the route that never forms A Aᵀ, so it does not square the condition number.
public struct LeftSingularVectors: Sendable {
    /// Descending; min(K, m) of them.
    public var values: [Double]
    /// Row i, column j (`u[i * values.count + j]`): component i of the j-th left singular vector.
    public var u: [Double]
    public var rows: Int

    /// `a` is K×m, row-major.
    public init(_ a: [Double], rows k: Int, columns m: Int) {
        precondition(a.count == k * m && k > 0 && m > 0)
        rows = k
        // Row-major K×m is column-major m×K (call it B = Aᵀ). A's left singular vectors are
        // B's right singular vectors: the rows of VT.
        var b = a
        let r = min(k, m)
        var s = [Double](repeating: 0, count: r)
        var uB = [Double](repeating: 0, count: m * r)
        var vt = [Double](repeating: 0, count: r * k)
        var jobz = Int8(UInt8(ascii: "S"))
        var (mm, nn, lda, ldu, ldvt, info) = (Int32(m), Int32(k), Int32(m), Int32(m), Int32(r), Int32(0))
        var iwork = [Int32](repeating: 0, count: 8 * r)
        var lwork = Int32(-1), workSize = 0.0
        dgesdd_(&jobz, &mm, &nn, &b, &lda, &s, &uB, &ldu, &vt, &ldvt, &workSize, &lwork, &iwork, &info)
        var work = [Double](repeating: 0, count: Int(workSize))
        lwork = Int32(work.count)
        dgesdd_(&jobz, &mm, &nn, &b, &lda, &s, &uB, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info)
        precondition(info == 0, "dgesdd failed with info \(info)")
        values = s
        // VT is r×K column-major: element (j, i) at j + i·r is component i of vector j.
        u = [Double](repeating: 0, count: k * r)
        for i in 0..<k { for j in 0..<r { u[i * r + j] = vt[j + i * r] } }
    }
}
