/*
 * emulate_cuda.h - just enough of CUDA's device dialect to compile tensorinit.cu as host C++ with g++,
 * so its index logic (blocks, heads/tails, vector stores, tiles, grid-stride loops) can be checked on a
 * machine without a GPU. Each launch runs every (block, thread) in turn; the kernels share no state
 * between threads, so that is the same computation. The math intrinsics map to their correctly rounded
 * C equivalents, which is what the CUDA ones are.
 */
#include <math.h>
#include <string.h>
#define __device__
#define __global__
#define __forceinline__ inline
struct ti_dim { unsigned int x, y, z; };
static ti_dim blockIdx, threadIdx, blockDim, gridDim;
struct alignas(16) float4 { float x, y, z, w; };
struct alignas(8) uint2 { unsigned int x, y; };
struct alignas(16) uint4 { unsigned int x, y, z, w; };
struct alignas(16) double2 { double x, y; };
static inline float4 make_float4(float a, float b, float c, float d) { float4 v = {a, b, c, d}; return v; }
static inline double2 make_double2(double a, double b) { double2 v = {a, b}; return v; }
static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((unsigned long long)a * b) >> 32); }
static inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
static inline float __fsqrt_rn(float x) { return sqrtf(x); }
static inline float __fdiv_rn(float a, float b) { return a / b; }
static inline float __uint_as_float(unsigned int u) { float f; memcpy(&f, &u, 4); return f; }
static inline unsigned int __float_as_uint(float f) { unsigned int u; memcpy(&u, &f, 4); return u; }
static inline double __fma_rn(double a, double b, double c) { return fma(a, b, c); }
static inline double __dsqrt_rn(double x) { return sqrt(x); }
static inline double __ddiv_rn(double a, double b) { return a / b; }
static inline double __longlong_as_double(long long u) { double d; memcpy(&d, &u, 8); return d; }
static inline long long __double_as_longlong(double d) { long long u; memcpy(&u, &d, 8); return u; }
/* One thread at a time: plain read-modify-write is atomic. */
static inline unsigned long long atomicAdd(unsigned long long *p, unsigned long long v) { unsigned long long o = *p; *p = o + v; return o; }
static inline unsigned long long atomicCAS(unsigned long long *p, unsigned long long c, unsigned long long v) {
    unsigned long long o = *p;
    if (o == c) *p = v;
    return o;
}

/* Runs kernel(args...) as a grid of `blocks` × `threads`. */
#define TI_LAUNCH(blocks, threads, kernel, ...)                                   \
    do {                                                                          \
        gridDim.x = (blocks); blockDim.x = (threads);                             \
        for (unsigned int b_ = 0; b_ < (unsigned int)(blocks); b_++)              \
            for (unsigned int t_ = 0; t_ < (unsigned int)(threads); t_++) {       \
                blockIdx.x = b_; threadIdx.x = t_;                                \
                kernel(__VA_ARGS__);                                              \
            }                                                                     \
    } while (0)
