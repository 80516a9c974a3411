import CBLAS

/// Process-wide settings the engine relies on, applied once when the first network is built.
enum RuntimeTuning {
    static func apply() { _ = once }

    private static let once: Void = {
        // The engine parallelises across samples; BLAS stays single-threaded inside
        // (measured: 1 BLAS thread × 2 samples beats 2 BLAS threads × 1 sample at these sizes).
        openblas_set_num_threads(1)
        #if os(Linux)
        // Every pass allocates and frees multi-megabyte temporaries (columns, Winograd tiles,
        // cotangent batches). By default glibc maps each from the kernel and unmaps it on free,
        // so every pass pays page faults and page clearing (measured: ~15 % of a Jacobian).
        // Keep blocks up to 32 MB (glibc's maximum) in the heap, and the heap untrimmed.
        mallopt(M_MMAP_THRESHOLD, 32 << 20)
        mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }()
}
