// oneDNN fp32 convolution primitives on the ResNet-18 layers, single thread: forward with
// minibatch 1 and backward-data with minibatch 10 (the K = 10 cotangents), per algorithm
// (direct, auto, winograd) and layout: the layout oneDNN prefers (format_tag::any, timed with and
// without the reorders of activations from/to NCHW) and plain NCHW activations. Weights are
// reordered once up front in every case (they are constant), so that reorder is never timed.
#include <omp.h>

#include <functional>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "common.h"

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

static void call(void *f) { (*static_cast<std::function<void()> *>(f))(); }
static double median(std::function<void()> f) { return median_seconds(call, &f); }

static const char *isa_name(cpu_isa isa) {
    switch (isa) {
    case cpu_isa::sse41: return "sse41";
    case cpu_isa::avx: return "avx";
    case cpu_isa::avx2: return "avx2";
    case cpu_isa::avx2_vnni: return "avx2_vnni";
    case cpu_isa::avx512_core: return "avx512_core";
    case cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
    }
}

static memory filled(const memory::desc &md, const engine &eng, unsigned seed) {
    memory m(md, eng);
    float *p = random_floats(md.get_size() / sizeof(float), seed);
    memcpy(m.get_data_handle(), p, md.get_size());
    free(p);
    return m;
}

// Runs a reorder only when the two layouts differ.
static std::function<void()> reorder_if_needed(const memory &from, const memory &to, stream &s) {
    if (from.get_desc() == to.get_desc()) return [] {};
    auto r = std::make_shared<reorder>(from, to);
    memory src = from, dst = to;
    return [r, src, dst, &s]() mutable { r->execute(s, src, dst); };
}

struct Result {
    bool ok = false;
    std::string error, fwd_impl, bwd_impl;
    double fwd = 0, bwd = 0, fwd_reorders = 0, bwd_reorders = 0; // seconds; bwd covers all 10 cotangents
};

static Result measure(const conv_layer &l, algorithm alg, bool plain_nchw, engine &eng, stream &s) {
    Result r;
    const memory::dim ho = out_h(&l), wo = out_w(&l);
    const memory::dims strides = {l.stride, l.stride}, pad = {l.pad, l.pad};
    const tag act = plain_nchw ? tag::nchw : tag::any;
    auto md = [&](memory::dim n, memory::dim c, memory::dim h, memory::dim w, tag t) {
        return memory::desc({n, c, h, w}, dt::f32, t);
    };
    const memory::desc wts_any({l.cout, l.cin, l.k, l.k}, dt::f32, tag::any);
    try {
        convolution_forward::desc fd(prop_kind::forward_training, alg, md(1, l.cin, l.h, l.w, act), wts_any,
                                     md(1, l.cout, ho, wo, act), strides, pad, pad);
        convolution_forward::primitive_desc fpd(fd, eng);
        // Backward-data needs a forward hint with the same minibatch.
        convolution_forward::desc hd(prop_kind::forward_training, alg, md(COTANGENTS, l.cin, l.h, l.w, act),
                                     wts_any, md(COTANGENTS, l.cout, ho, wo, act), strides, pad, pad);
        convolution_forward::primitive_desc hpd(hd, eng);
        convolution_backward_data::desc bd(alg, md(COTANGENTS, l.cin, l.h, l.w, act), wts_any,
                                           md(COTANGENTS, l.cout, ho, wo, act), strides, pad, pad);
        convolution_backward_data::primitive_desc bpd(bd, eng, hpd);
        r.fwd_impl = fpd.impl_info_str();
        r.bwd_impl = bpd.impl_info_str();

        memory w_user = filled(md(l.cout, l.cin, l.k, l.k, tag::oihw), eng, 1);
        memory w_fwd(fpd.weights_desc(), eng), w_bwd(bpd.weights_desc(), eng);
        reorder_if_needed(w_user, w_fwd, s)();
        reorder_if_needed(w_user, w_bwd, s)();

        // Forward, minibatch 1.
        memory x_user = filled(md(1, l.cin, l.h, l.w, tag::nchw), eng, 2);
        memory y_user(md(1, l.cout, ho, wo, tag::nchw), eng);
        memory x(fpd.src_desc(), eng), y(fpd.dst_desc(), eng);
        auto x_in = reorder_if_needed(x_user, x, s), y_out = reorder_if_needed(y, y_user, s);
        x_in();
        convolution_forward conv(fpd);
        auto fwd = [&] { conv.execute(s, {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w_fwd}, {DNNL_ARG_DST, y}}); };
        r.fwd = median([&] { fwd(); s.wait(); });
        r.fwd_reorders = median([&] { x_in(); fwd(); y_out(); s.wait(); });

        // Backward-data, minibatch 10.
        memory dy_user = filled(md(COTANGENTS, l.cout, ho, wo, tag::nchw), eng, 3);
        memory dx_user(md(COTANGENTS, l.cin, l.h, l.w, tag::nchw), eng);
        memory dy(bpd.diff_dst_desc(), eng), dx(bpd.diff_src_desc(), eng);
        auto dy_in = reorder_if_needed(dy_user, dy, s), dx_out = reorder_if_needed(dx, dx_user, s);
        dy_in();
        convolution_backward_data back(bpd);
        auto bwd = [&] {
            back.execute(s, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, w_bwd}, {DNNL_ARG_DIFF_SRC, dx}});
        };
        r.bwd = median([&] { bwd(); s.wait(); });
        r.bwd_reorders = median([&] { dy_in(); bwd(); dx_out(); s.wait(); });
        r.ok = true;
    } catch (const dnnl::error &e) {
        r.error = e.what();
    }
    return r;
}

int main() {
    omp_set_num_threads(1);
    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    const dnnl_version_t *v = version();
    printf("oneDNN %d.%d.%d; CPU runtime %s; OpenMP max threads %d; effective ISA %s\n", v->major, v->minor,
           v->patch, DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP ? "OpenMP" : "other", omp_get_max_threads(),
           isa_name(get_effective_cpu_isa()));
    printf("== oneDNN convolutions, single thread (times are medians of %d samples) ==\n",
           env_int("BENCH_SAMPLES", 5));

    struct Config {
        const char *name;
        algorithm alg;
        bool nchw;
    };
    const Config configs[] = {
        {"direct, any layout", algorithm::convolution_direct, false},
        {"direct, NCHW", algorithm::convolution_direct, true},
        {"auto, any layout", algorithm::convolution_auto, false},
        {"winograd, any layout", algorithm::convolution_winograd, false},
    };
    const double net_flops = network_forward_flops() * (1 + COTANGENTS);
    for (const Config &c : configs) {
        printf("\n-- %s --\n", c.name);
        printf("%-27s %4s | %8s %7s %9s | %9s %7s %9s | %s\n", "layer", "x", "fwd ms", "GFLOP/s", "+reord ms",
               "bwd10 ms", "GFLOP/s", "+reord ms", "implementation fwd / bwd-data");
        double net = 0, net_reorders = 0;
        bool all_ok = true;
        for (int i = 0; i < N_LAYERS; i++) {
            const conv_layer &l = resnet18_layers[i];
            Result r = measure(l, c.alg, c.nchw, eng, s);
            if (!r.ok) {
                printf("%-27s %4d | unavailable: %s\n", l.name, l.count, r.error.c_str());
                all_ok = false;
                continue;
            }
            const double f = layer_flops(&l);
            printf("%-27s %4d | %8.4f %7.1f %9.4f | %9.4f %7.1f %9.4f | %s / %s\n", l.name, l.count, r.fwd * 1e3,
                   f / r.fwd / 1e9, r.fwd_reorders * 1e3, r.bwd * 1e3, COTANGENTS * f / r.bwd / 1e9,
                   r.bwd_reorders * 1e3, r.fwd_impl.c_str(), r.bwd_impl.c_str());
            net += l.count * (r.fwd + r.bwd);
            net_reorders += l.count * (r.fwd_reorders + r.bwd_reorders);
        }
        if (!all_ok) {
            printf("whole network: not available (some layers have no implementation)\n");
            printf("summary|oneDNN|%s|n/a|n/a\n", c.name);
            continue;
        }
        printf("whole network, 1 forward + %d backward-data: %.4f s/image, %.1f GFLOP/s", COTANGENTS, net,
               net_flops / net / 1e9);
        if (c.nchw) {
            printf(" (activations NCHW, no reorders)\n");
            printf("summary|oneDNN|%s|%.4f|%.1f\n", c.name, net, net_flops / net / 1e9);
        } else {
            printf("; with NCHW reorders around every layer: %.4f s/image, %.1f GFLOP/s\n", net_reorders,
                   net_flops / net_reorders / 1e9);
            printf("summary|oneDNN|%s, excl. reorders|%.4f|%.1f\n", c.name, net, net_flops / net / 1e9);
            printf("summary|oneDNN|%s, incl. NCHW reorders|%.4f|%.1f\n", c.name, net_reorders,
                   net_flops / net_reorders / 1e9);
        }
    }
    return 0;
}
