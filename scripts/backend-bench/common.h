/* Shared by the backend benchmarks: the CIFAR ResNet-18 convolution table and a median timer.
 *
 * Network: 3x3 stem 3->64 on 3x32x32 (no max-pool), stages of 64/128/256/512 channels with two
 * BasicBlocks each; the first conv of stages 2-4 has stride 2 and its block a 1x1 stride-2
 * shortcut conv. 20 convolutions in 11 distinct shapes; the final 512->10 linear layer is left out
 * (5k MACs). Workload per image: 1 forward + K = 10 backward-data passes per convolution.
 */
#ifndef BACKEND_BENCH_COMMON_H
#define BACKEND_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COTANGENTS 10

typedef struct {
    const char *name;
    int cin, cout, h, w, k, stride, pad, count; /* h, w: input size; count: occurrences in the net */
} conv_layer;

static const conv_layer resnet18_layers[] = {
    {"stem 3->64 3x3 32x32",       3,  64, 32, 32, 3, 1, 1, 1},
    {"64->64 3x3 32x32",          64,  64, 32, 32, 3, 1, 1, 4},
    {"64->128 3x3 s2 32->16",     64, 128, 32, 32, 3, 2, 1, 1},
    {"64->128 1x1 s2 (shortcut)", 64, 128, 32, 32, 1, 2, 0, 1},
    {"128->128 3x3 16x16",       128, 128, 16, 16, 3, 1, 1, 3},
    {"128->256 3x3 s2 16->8",    128, 256, 16, 16, 3, 2, 1, 1},
    {"128->256 1x1 s2 (shortcut)",128, 256, 16, 16, 1, 2, 0, 1},
    {"256->256 3x3 8x8",         256, 256,  8,  8, 3, 1, 1, 3},
    {"256->512 3x3 s2 8->4",     256, 512,  8,  8, 3, 2, 1, 1},
    {"256->512 1x1 s2 (shortcut)",256, 512,  8,  8, 1, 2, 0, 1},
    {"512->512 3x3 4x4",         512, 512,  4,  4, 3, 1, 1, 3},
};
#define N_LAYERS ((int)(sizeof(resnet18_layers) / sizeof(resnet18_layers[0])))

static inline int out_h(const conv_layer *l) { return (l->h + 2 * l->pad - l->k) / l->stride + 1; }
static inline int out_w(const conv_layer *l) { return (l->w + 2 * l->pad - l->k) / l->stride + 1; }
/* im2col GEMM shapes. Forward per sample: M = Cout, N = Ho*Wo, K = Cin*k*k.
 * Backward-data per cotangent (W^T dY): M = Cin*k*k, N = Ho*Wo, K = Cout. */
static inline long col_rows(const conv_layer *l) { return (long)l->cin * l->k * l->k; }
static inline long out_plane(const conv_layer *l) { return (long)out_h(l) * out_w(l); }
/* FLOPs of one forward pass of one instance (2 per MAC); a backward-data pass costs the same. */
static inline double layer_flops(const conv_layer *l) { return 2.0 * l->cout * out_plane(l) * col_rows(l); }

static inline double network_forward_flops(void) {
    double f = 0;
    for (int i = 0; i < N_LAYERS; i++) f += resnet18_layers[i].count * layer_flops(&resnet18_layers[i]);
    return f;
}

static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int env_int(const char *name, int fallback) {
    const char *v = getenv(name);
    return (v && *v) ? atoi(v) : fallback;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median over BENCH_SAMPLES samples (default 5) of the seconds per call of fn(ctx); each sample
 * repeats the call enough times to last at least BENCH_MIN_MS milliseconds (default 40). */
typedef void (*bench_fn)(void *ctx);
static double median_seconds(bench_fn fn, void *ctx) {
    const int samples = env_int("BENCH_SAMPLES", 5);
    const double min_time = env_int("BENCH_MIN_MS", 40) * 1e-3;
    fn(ctx); /* warm-up */
    long reps = 1;
    for (;;) {
        double t0 = now_seconds();
        for (long r = 0; r < reps; r++) fn(ctx);
        double t = now_seconds() - t0;
        if (t >= min_time) break;
        long next = t > 0 ? (long)(reps * 1.2 * min_time / t) + 1 : reps * 10;
        reps = next > reps * 10 ? reps * 10 : (next > reps ? next : reps * 2);
    }
    double *s = (double *)malloc(sizeof(double) * (size_t)samples);
    for (int i = 0; i < samples; i++) {
        double t0 = now_seconds();
        for (long r = 0; r < reps; r++) fn(ctx);
        s[i] = (now_seconds() - t0) / (double)reps;
    }
    qsort(s, (size_t)samples, sizeof(double), compare_doubles);
    double m = s[samples / 2];
    free(s);
    return m;
}

static inline float *random_floats(size_t n, unsigned seed) {
    float *p = (float *)malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return p;
}

#endif
