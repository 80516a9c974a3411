/* BLIS single-thread sgemm (through its CBLAS layer) on the ResNet-18 im2col GEMM shapes. */
#include <blis.h>

#include "gemm_bench.h"

int main(void) {
    bli_thread_set_num_threads(1);
    printf("BLIS %s; sub-configuration %s; openmp %d, pthreads %d; threads %ld\n", bli_info_get_version_str(),
           bli_arch_string(bli_arch_query_id()), (int)bli_info_get_enable_openmp(),
           (int)bli_info_get_enable_pthreads(), (long)bli_thread_get_num_threads());
    gemm_benchmark("BLIS");
    return 0;
}
