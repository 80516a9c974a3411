import XCTest
@testable import Engine

/// The kept mass `Σ_{λ_j > cut} (w_jᵀ q)²` of the spectral measure: four problems in lanes, each
/// lane's numbers independent of its neighbours, and against LAPACK's eigendecomposition where
/// the answer is well conditioned.
final class SpectralMeasureTests: XCTestCase {
    /// Eigenvalues relative to λ_max of a typical window matrix: several lie near the 1e-9 cut.
    private let typical = [1, 2e-4, 4e-5, 5e-6, 1.8e-8, 1.2e-8, 2e-9, 4e-10, 1e-11]

    func testEachLaneGivesItsMatrixNumbersWhateverItsNeighbours() {
        var generator = SeededGenerator(seed: 11)
        for n in [1, 2, 3, 5, 8, 9, 12, 20] {
            for round in 0..<3 {
                // Every batch mixes kinds, so lanes split, converge and stop at different times.
                let kinds = (0..<4).map { (round * 4 + $0) % Kind.allCases.count }
                let matrices = kinds.map { Kind.allCases[$0].matrix(n: n, typical: typical, &generator) }
                let q = round == 0 ? basisVector(n) : unitVector(n, &generator)
                for (relative, absolute) in [(1e-9, nil), (nil, 1e-7)] as [(Double?, Double?)] {
                    let lanes = batch(matrices, q: q, n: n, relative: relative, absolute: absolute)
                    for (lane, a) in matrices.enumerated() {
                        let expected = solo(a, q: q, n: n, relative: relative, absolute: absolute)
                        XCTAssertEqual(lanes[lane], expected, "n \(n) \(Kind.allCases[kinds[lane]]) lane \(lane)")
                    }
                }
            }
        }
    }

    /// Graded spectra over 1e-14…1: λ_max = 1, the kept eigenvalues down to 1e-3 (or 1e-6), the
    /// dropped ones 1e-11…1e-14. Rounding moves mass across the cut by ~1e-16 · λ_max / gap, so
    /// LAPACK agrees to 1e-10 with a gap of 1e-3, and to ~1e-8 with 1e-6.
    func testGradedSpectraAgreeWithLAPACK() {
        var generator = SeededGenerator(seed: 12)
        for n in [2, 4, 9, 15] {
            for (lowestKept, accuracy) in [(1e-3, 1e-10), (1e-6, 1e-7)] {
                let matrices = (0..<4).map { _ -> [Double] in
                    let kept = max(1, Int(generator.unit() * Double(n)))
                    let values = (0..<n).map { j -> Double in
                        if j == 0 { return 1 }
                        return j < kept ? pow(lowestKept, generator.unit()) : pow(10, -11 - 3 * generator.unit())
                    }
                    return symmetric(eigenvalues: values, &generator)
                }
                let q = unitVector(n, &generator)
                assertAgreement(matrices, q: q, n: n, relative: 1e-9, absolute: nil, accuracy: accuracy)
                assertAgreement(matrices.map { $0.map { 1e3 * $0 } }, q: q, n: n, relative: nil, absolute: 1e-5, accuracy: accuracy)
            }
        }
    }

    func testRankDeficientZeroDiagonalAndRepeatedAgreeWithLAPACK() {
        var generator = SeededGenerator(seed: 13)
        for n in [3, 9] {
            let q = unitVector(n, &generator)
            var deficient = symmetric(eigenvalues: (0..<n).map { _ in 0.1 + generator.unit() }, &generator)
            for z in stride(from: 1, to: n, by: 3) { for t in 0..<n { (deficient[z * n + t], deficient[t * n + z]) = (0, 0) } }
            let diagonal = (0..<(n * n)).map { $0 % (n + 1) == 0 ? pow(10, -6 * generator.unit()) : 0 }
            let repeated = symmetric(eigenvalues: (0..<n).map { $0 < n / 2 ? 1 : 1e-3 }, &generator)
            let zero = [Double](repeating: 0, count: n * n)
            assertAgreement([deficient, diagonal, repeated, zero], q: q, n: n, relative: 1e-9, absolute: nil, accuracy: 1e-10)
            assertAgreement([deficient, diagonal, repeated, zero], q: q, n: n, relative: nil, absolute: 1e-7, accuracy: 1e-10)
            XCTAssertEqual(batch([zero, zero, zero, zero], q: q, n: n, relative: 1e-9, absolute: nil), [0, 0, 0, 0])
        }
    }

    /// The typical window spectrum: eigenvalues within a few ×1e-9 of the cut make the kept mass
    /// sensitive to rounding (~1e-16 · λ_max / gap), so LAPACK agrees only to that.
    func testTypicalWindowSpectrum() {
        var generator = SeededGenerator(seed: 14)
        let n = typical.count
        let matrices = (0..<4).map { _ in symmetric(eigenvalues: typical.map { $0 * pow(10, 0.2 * (generator.unit() - 0.5)) }, &generator) }
        let q = unitVector(n, &generator)
        let lanes = batch(matrices, q: q, n: n, relative: 1e-9, absolute: nil)
        for (lane, a) in matrices.enumerated() {
            XCTAssertEqual(lanes[lane], solo(a, q: q, n: n, relative: 1e-9, absolute: nil))
            XCTAssertEqual(lanes[lane], reference(a, q: q, n: n, relative: 1e-9, absolute: nil), accuracy: 1e-5)
        }
    }

    /// q spread over the eigenvectors makes the bracket on λ_max (hence on the cut) wide; an
    /// eigenvalue 5 % above the cut and one 5 % below it fall inside, so their lanes run to the
    /// end and are judged against the exact cut. (Each carries ~1/6 of the mass; rounding moves
    /// ~1e-16 / 1e-9 of it between neighbours, hence the accuracy.)
    func testEigenvaluesInsideTheCutBracketMeetTheExactCut() {
        var generator = SeededGenerator(seed: 16)
        let n = 6
        for nearCut in [1.05e-9, 0.95e-9] {
            let matrices = (0..<4).map { _ in symmetric(eigenvalues: [1, 0.5, 0.25, nearCut, 1e-13, 1e-14], &generator) }
            let q = unitVector(n, &generator)
            assertAgreement(matrices, q: q, n: n, relative: 1e-9, absolute: nil, accuracy: 1e-6)
        }
    }

    func testOneAndTwoDimensions() {
        // 1 × 1: the mass is q₀² when the eigenvalue is kept.
        XCTAssertEqual(batch([[2], [0], [-1], [1e-300]], q: [0.5], n: 1, relative: 1e-9, absolute: nil), [0.25, 0, 0, 0.25])
        XCTAssertEqual(batch([[2], [0], [-1], [1e-300]], q: [0.5], n: 1, relative: nil, absolute: 1e-12), [0.25, 0, 0, 0])
        // 2 × 2 with eigenvalues 1 and 0 (vectors (1, 1)/√2 and (1, −1)/√2): q = e₀ keeps half.
        let half = [0.5, 0.5, 0.5, 0.5], diagonal = [3, 0, 0, 1e-12], zero = [0.0, 0, 0, 0], full = [2, 1, 1, 2.0]
        let lanes = batch([half, diagonal, zero, full], q: [1, 0], n: 2, relative: 1e-9, absolute: nil)
        XCTAssertEqual(lanes[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(lanes[1], 1, accuracy: 1e-15)
        XCTAssertEqual(lanes[2], 0)
        XCTAssertEqual(lanes[3], 1, accuracy: 1e-15)
        for (lane, a) in [half, diagonal, zero, full].enumerated() {
            XCTAssertEqual(lanes[lane], solo(a, q: [1, 0], n: 2, relative: 1e-9, absolute: nil))
        }
    }

    /// Entries around 1e-165 make f² + g² underflow to 0 in the chase (the sweep's early exit,
    /// taken in every sweep here), next to lanes that converge normally; NaN entries never
    /// converge and must still end.
    func testUnderflowAndNonFiniteEntries() {
        var generator = SeededGenerator(seed: 15)
        let n = 9
        var matrices = (0..<2).map { _ in symmetric(eigenvalues: typical.map { 1e-165 * $0 }, &generator) }
        matrices += (0..<2).map { _ in Kind.graded.matrix(n: n, typical: typical, &generator) }
        let q = unitVector(n, &generator)
        let lanes = batch(matrices, q: q, n: n, relative: 1e-9, absolute: nil)
        for (lane, a) in matrices.enumerated() { XCTAssertEqual(lanes[lane], solo(a, q: q, n: n, relative: 1e-9, absolute: nil)) }
        matrices[1] = [Double](repeating: .nan, count: n * n)
        let mixed = batch(matrices, q: q, n: n, relative: nil, absolute: 1e-170)
        XCTAssertTrue(mixed[1].isNaN || mixed[1] == solo(matrices[1], q: q, n: n, relative: nil, absolute: 1e-170))
        for lane in [0, 2, 3] { XCTAssertEqual(mixed[lane], solo(matrices[lane], q: q, n: n, relative: nil, absolute: 1e-170)) }
    }

    // MARK: - Matrices

    private enum Kind: CaseIterable {
        case graded, typical, rankDeficient, zero, diagonal, repeated, wellConditioned, lowRankGram

        func matrix(n: Int, typical: [Double], _ g: inout SeededGenerator) -> [Double] {
            switch self {
            case .graded: return symmetric(eigenvalues: (0..<n).map { _ in pow(10, -12 * g.unit()) }, &g)
            case .typical: return symmetric(eigenvalues: (0..<n).map { typical[$0 % typical.count] * pow(10, 0.6 * (g.unit() - 0.5)) }, &g)
            case .rankDeficient:
                var a = symmetric(eigenvalues: (0..<n).map { _ in pow(10, -6 * g.unit()) }, &g)
                for z in stride(from: 1, to: n, by: 3) { for t in 0..<n { (a[z * n + t], a[t * n + z]) = (0, 0) } }
                return a
            case .zero: return [Double](repeating: 0, count: n * n)
            case .diagonal: return (0..<(n * n)).map { $0 % (n + 1) == 0 ? pow(10, -10 * g.unit()) : 0 }
            case .repeated: return symmetric(eigenvalues: (0..<n).map { $0 < (n + 1) / 2 ? 1 : 1e-6 }, &g)
            case .wellConditioned: return symmetric(eigenvalues: (0..<n).map { _ in 1 + g.unit() }, &g)
            case .lowRankGram:
                // J Jᵀ of a Jacobian with fewer columns than rows, as small windows give.
                let columns = max(1, n / 3)
                let j = (0..<(n * columns)).map { _ in g.normal() }
                var a = [Double](repeating: 0, count: n * n)
                for r in 0..<n {
                    for c in 0...r {
                        var s = 0.0
                        for t in 0..<columns { s += j[r * columns + t] * j[c * columns + t] }
                        (a[r * n + c], a[c * n + r]) = (s, s)
                    }
                }
                return a
            }
        }
    }

    // MARK: - The three routes

    /// The batch route on these matrices (repeated to fill the batch's lanes).
    private func batch(_ matrices: [[Double]], q: [Double], n: Int, relative: Double?, absolute: Double?) -> [Double] {
        var measure = SpectralMeasure(n: n)
        let width = SpectralMeasure.width
        let interleaved = (0..<(n * n)).map { k in
            SpectralMeasure.Lanes((0..<width).map { matrices[$0 % matrices.count][k] })
        }
        let result = interleaved.withUnsafeBufferPointer { a in
            q.withUnsafeBufferPointer {
                measure.keptMass(interleaved: a.baseAddress!, q: $0.baseAddress!, relativeTolerance: relative, absoluteCut: absolute)
            }
        }
        return (0..<matrices.count).map { result[$0] }
    }

    /// The matrix alone: in every lane.
    private func solo(_ a: [Double], q: [Double], n: Int, relative: Double?, absolute: Double?) -> Double {
        batch([a], q: q, n: n, relative: relative, absolute: absolute)[0]
    }

    /// The definition, through LAPACK's eigenvectors.
    private func reference(_ a: [Double], q: [Double], n: Int, relative: Double?, absolute: Double?) -> Double {
        let eigen = SymmetricEigen(a, n: n)
        let cut = relative.map { $0 * max(eigen.values.last!, 0) } ?? absolute!
        var sum = 0.0
        for j in 0..<n where eigen.values[j] > cut {
            var w = 0.0
            for i in 0..<n { w += eigen.vectors[i * n + j] * q[i] }
            sum += w * w
        }
        return sum
    }

    private func assertAgreement(_ matrices: [[Double]], q: [Double], n: Int, relative: Double?, absolute: Double?, accuracy: Double,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let lanes = batch(matrices, q: q, n: n, relative: relative, absolute: absolute)
        for (lane, a) in matrices.enumerated() {
            XCTAssertEqual(lanes[lane], solo(a, q: q, n: n, relative: relative, absolute: absolute), "n \(n) lane \(lane)", file: file, line: line)
            XCTAssertEqual(lanes[lane], reference(a, q: q, n: n, relative: relative, absolute: absolute), accuracy: accuracy,
                           "n \(n) lane \(lane)", file: file, line: line)
        }
    }

    private func unitVector(_ n: Int, _ g: inout SeededGenerator) -> [Double] {
        let v = (0..<n).map { _ in g.normal() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    private func basisVector(_ n: Int) -> [Double] { (0..<n).map { $0 == 0 ? 1 : 0 } }
}

/// `W diag(values) Wᵀ` for a random orthogonal W built in Double, exactly symmetric.
private func symmetric(eigenvalues values: [Double], _ g: inout SeededGenerator) -> [Double] {
    let n = values.count
    // Gram–Schmidt, twice, on Gaussian columns: column j of w is w[i * n + j].
    var w = (0..<(n * n)).map { _ in g.normal() }
    for j in 0..<n {
        for _ in 0..<2 {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<n { dot += w[i * n + j] * w[i * n + k] }
                for i in 0..<n { w[i * n + j] -= dot * w[i * n + k] }
            }
        }
        var norm = 0.0
        for i in 0..<n { norm += w[i * n + j] * w[i * n + j] }
        for i in 0..<n { w[i * n + j] /= norm.squareRoot() }
    }
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var s = 0.0
            for k in 0..<n { s += w[i * n + k] * values[k] * w[j * n + k] }
            (a[i * n + j], a[j * n + i]) = (s, s)
        }
    }
    return a
}
