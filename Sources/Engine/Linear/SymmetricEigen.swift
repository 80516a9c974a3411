import CBLAS

/// Eigenvalues and eigenvectors of a small symmetric matrix in Double (LAPACK `dsyevd`).
public struct SymmetricEigen: Sendable {
    /// Ascending.
    public var values: [Double]
    /// Column j (`vectors[i * n + j]`, row-major) is the unit eigenvector of `values[j]`.
    public var vectors: [Double]
    public var n: Int

    /// Decomposes the symmetric n×n matrix `a` (row-major; only symmetry is assumed).
    public init(_ a: [Double], n: Int) {
        precondition(a.count == n * n)
        self.n = n
        var matrix = a  // symmetric, so row- and column-major agree
        var w = [Double](repeating: 0, count: n)
        var (jobz, uplo) = (Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")))
        var (order, lda, info) = (Int32(n), Int32(n), Int32(0))
        var (lwork, liwork) = (Int32(-1), Int32(-1))
        var workSize = 0.0, iworkSize = Int32(0)
        dsyevd_(&jobz, &uplo, &order, &matrix, &lda, &w, &workSize, &lwork, &iworkSize, &liwork, &info)
        var work = [Double](repeating: 0, count: Int(workSize))
        var iwork = [Int32](repeating: 0, count: Int(iworkSize))
        (lwork, liwork) = (Int32(work.count), Int32(iwork.count))
        dsyevd_(&jobz, &uplo, &order, &matrix, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        precondition(info == 0, "dsyevd failed with info \(info)")
        values = w
        // LAPACK returns eigenvectors as columns of a column-major matrix: transpose to row-major.
        vectors = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { vectors[i * n + j] = matrix[j * n + i] } }
    }
}
