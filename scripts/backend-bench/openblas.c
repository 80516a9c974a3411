/* OpenBLAS single-thread sgemm on the ResNet-18 im2col GEMM shapes. */
#include <cblas.h>

#include "gemm_bench.h"

int main(void) {
    openblas_set_num_threads(1);
    printf("OpenBLAS: %s; core %s; threads %d\n", openblas_get_config(), openblas_get_corename(),
           openblas_get_num_threads());
    gemm_benchmark("OpenBLAS");
    return 0;
}
