/* sgemm benchmark over the CBLAS interface, shared by the OpenBLAS and BLIS programs.
 * Row-major, as Seismo calls it: forward C[Cout x HW] = W[Cout x Cin*k*k] * col[Cin*k*k x HW];
 * backward-data C[Cin*k*k x HW] = W^T * dY[Cout x HW] (A transposed, as in Convolution.swift).
 * Only GEMM time is measured; im2col/col2im are not included. */
#ifndef BACKEND_BENCH_GEMM_BENCH_H
#define BACKEND_BENCH_GEMM_BENCH_H

#include "common.h"

typedef struct {
    int trans_a, m, n, k;
    float *a, *b, *c;
} gemm_case;

static void run_gemm(void *p) {
    gemm_case *g = (gemm_case *)p;
    /* A is stored as the weight matrix W[Cout x Cin*k*k]; lda is its row length either way. */
    int lda = g->trans_a ? g->m : g->k;
    cblas_sgemm(CblasRowMajor, g->trans_a ? CblasTrans : CblasNoTrans, CblasNoTrans, g->m, g->n, g->k,
                1.0f, g->a, lda, g->b, g->n, 0.0f, g->c, g->n);
}

static gemm_case make_case(int trans_a, int m, int n, int k) {
    gemm_case g = {trans_a, m, n, k, NULL, NULL, NULL};
    g.a = random_floats((size_t)m * k, 1u);
    g.b = random_floats((size_t)k * n, 2u);
    g.c = random_floats((size_t)m * n, 3u);
    return g;
}

static void free_case(gemm_case *g) { free(g->a); free(g->b); free(g->c); }

static double time_case(int trans_a, int m, int n, int k) {
    gemm_case g = make_case(trans_a, m, n, k);
    double t = median_seconds(run_gemm, &g);
    free_case(&g);
    return t;
}

/* One pass over the whole network, all buffers preallocated: per layer instance 1 forward GEMM and
 * either 10 per-cotangent backward-data GEMMs or one with the cotangents batched into N. */
typedef struct {
    gemm_case fwd[N_LAYERS], bwd[N_LAYERS], bwd10[N_LAYERS];
    int batched;
} network_sweep;

static void run_network(void *p) {
    network_sweep *s = (network_sweep *)p;
    for (int i = 0; i < N_LAYERS; i++)
        for (int c = 0; c < resnet18_layers[i].count; c++) {
            run_gemm(&s->fwd[i]);
            if (s->batched) run_gemm(&s->bwd10[i]);
            else for (int j = 0; j < COTANGENTS; j++) run_gemm(&s->bwd[i]);
        }
}

static void gemm_benchmark(const char *backend) {
    const double net_flops = network_forward_flops() * (1 + COTANGENTS);
    printf("== %s sgemm, single thread (times are medians of %d samples) ==\n", backend,
           env_int("BENCH_SAMPLES", 5));
    double t512 = time_case(0, 512, 512, 512);
    printf("square 512: %.3f ms, %.1f GFLOP/s\n\n", t512 * 1e3, 2.0 * 512 * 512 * 512 / t512 / 1e9);

    printf("%-27s %4s | %-16s %8s %7s | %-16s %8s %7s | %-16s %8s %7s\n", "layer", "x", "fwd M,N,K", "ms",
           "GFLOP/s", "bwd M,N,K", "ms", "GFLOP/s", "bwd x10 in N", "ms", "GFLOP/s");
    double net_fwd = 0, net_bwd = 0, net_bwd10 = 0;
    for (int i = 0; i < N_LAYERS; i++) {
        const conv_layer *l = &resnet18_layers[i];
        int cout = l->cout, hw = (int)out_plane(l), cr = (int)col_rows(l);
        double f = layer_flops(l);
        double tf = time_case(0, cout, hw, cr);
        double tb = time_case(1, cr, hw, cout);
        double tb10 = time_case(1, cr, COTANGENTS * hw, cout);
        char s1[32], s2[32], s3[32];
        snprintf(s1, sizeof s1, "%d,%d,%d", cout, hw, cr);
        snprintf(s2, sizeof s2, "%d,%d,%d", cr, hw, cout);
        snprintf(s3, sizeof s3, "%d,%d,%d", cr, COTANGENTS * hw, cout);
        printf("%-27s %4d | %-16s %8.4f %7.1f | %-16s %8.4f %7.1f | %-16s %8.4f %7.1f\n", l->name, l->count, s1,
               tf * 1e3, f / tf / 1e9, s2, tb * 1e3, f / tb / 1e9, s3, tb10 * 1e3, COTANGENTS * f / tb10 / 1e9);
        net_fwd += l->count * tf;
        net_bwd += l->count * COTANGENTS * tb;
        net_bwd10 += l->count * tb10;
    }

    network_sweep sweep;
    for (int i = 0; i < N_LAYERS; i++) {
        const conv_layer *l = &resnet18_layers[i];
        int cout = l->cout, hw = (int)out_plane(l), cr = (int)col_rows(l);
        sweep.fwd[i] = make_case(0, cout, hw, cr);
        sweep.bwd[i] = make_case(1, cr, hw, cout);
        sweep.bwd10[i] = make_case(1, cr, COTANGENTS * hw, cout);
    }
    sweep.batched = 0;
    double sweep_each = median_seconds(run_network, &sweep);
    sweep.batched = 1;
    double sweep_batched = median_seconds(run_network, &sweep);
    for (int i = 0; i < N_LAYERS; i++) { free_case(&sweep.fwd[i]); free_case(&sweep.bwd[i]); free_case(&sweep.bwd10[i]); }

    double est_each = net_fwd + net_bwd, est_batched = net_fwd + net_bwd10;
    printf("\nwhole network, 1 forward + %d backward-data (forward %.3f GFLOP, x%d = %.2f GFLOP):\n", COTANGENTS,
           network_forward_flops() / 1e9, 1 + COTANGENTS, net_flops / 1e9);
    printf("  sum of layers, per-cotangent GEMMs : %.4f s/image, %.1f GFLOP/s (fwd %.4f s, bwd %.4f s)\n", est_each,
           net_flops / est_each / 1e9, net_fwd, net_bwd);
    printf("  sum of layers, cotangents in N     : %.4f s/image, %.1f GFLOP/s (fwd %.4f s, bwd %.4f s)\n",
           est_batched, net_flops / est_batched / 1e9, net_fwd, net_bwd10);
    printf("  timed sweep,   per-cotangent GEMMs : %.4f s/image, %.1f GFLOP/s\n", sweep_each,
           net_flops / sweep_each / 1e9);
    printf("  timed sweep,   cotangents in N     : %.4f s/image, %.1f GFLOP/s\n", sweep_batched,
           net_flops / sweep_batched / 1e9);
    printf("summary|%s|sgemm 512 GFLOP/s|%.1f\n", backend, 2.0 * 512 * 512 * 512 / t512 / 1e9);
    printf("summary|%s|im2col GEMMs, per cotangent|%.4f|%.1f\n", backend, est_each, net_flops / est_each / 1e9);
    printf("summary|%s|im2col GEMMs, cotangents in N|%.4f|%.1f\n", backend, est_batched,
           net_flops / est_batched / 1e9);
}

#endif
