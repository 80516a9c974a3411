#ifndef SEISMO_CBLAS_SHIM_H
#define SEISMO_CBLAS_SHIM_H
#include <cblas.h>

// LAPACK (Fortran ABI, shipped inside OpenBLAS): symmetric eigenproblems and SVDs for K×K algebra.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info);

// OpenBLAS threading control: the engine parallelises across samples and keeps BLAS single-threaded.
void openblas_set_num_threads(int num_threads);

// The allocator knobs that go with it: the engine's per-pass temporaries stay in the heap.
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
