/// Single-thread sgemm throughput, measured so benchmarks can report ratios against it.
public enum GemmBenchmark {
    public static func singleThreadGflops(size n: Int = 512, repeats: Int = 20) -> Double {
        RuntimeTuning.apply()
        let a = [Float](repeating: 0.5, count: n * n), b = a
        var c = [Float](repeating: 0, count: n * n)
        let clock = ContinuousClock()
        let gemm = {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        Float.gemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: pa.baseAddress!, lda: n,
                                   b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                    }
                }
            }
        }
        gemm()
        let seconds = clock.measure { for _ in 0..<repeats { gemm() } }.seconds
        return 2 * Double(n * n * n) * Double(repeats) / seconds / 1e9
    }
}
