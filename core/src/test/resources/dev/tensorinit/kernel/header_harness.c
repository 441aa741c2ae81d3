/* Test harness: compiles the shared device header as plain C (gcc, contraction off) and prints
 * elements [first, first+count) as raw little-endian storage bytes on stdout.
 * args: dtype(0=f32,1=f64,2=bf16,3=f16) kind seed stream first count p0..p6 (p as hex of double bits) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
typedef uint32_t ti_u32; typedef int32_t ti_i32; typedef uint64_t ti_u64; typedef int64_t ti_i64; typedef uint16_t ti_u16;
static inline float as_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t as_u32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline double as_double(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }
static inline uint64_t as_u64(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
#define TI_FN static inline
#define TI_FMAF(a,b,c) fmaf(a,b,c)
#define TI_SQRTF(x) sqrtf(x)
#define TI_DIVF(a,b) ((a)/(b))
#define TI_AS_FLOAT(u) as_float(u)
#define TI_AS_U32(f) as_u32(f)
#define TI_ENABLE_F64 1
#define TI_FMA(a,b,c) fma(a,b,c)
#define TI_SQRT(x) sqrt(x)
#define TI_DIV(a,b) ((a)/(b))
#define TI_AS_DOUBLE(u) as_double(u)
#define TI_AS_U64(f) as_u64(f)
#include "tensorinit_math.h"

int main(int argc, char** argv) {
    if (argc != 14) { fprintf(stderr, "usage: dtype kind seed stream first count p0..p6\n"); return 2; }
    int dtype = atoi(argv[1]), kind = atoi(argv[2]);
    ti_u64 seed = strtoull(argv[3], 0, 0), stream = strtoull(argv[4], 0, 0), first = strtoull(argv[5], 0, 0), count = strtoull(argv[6], 0, 0);
    double p[7];
    for (int i = 0; i < 7; i++) p[i] = as_double(strtoull(argv[7 + i], 0, 16));
    ti_params_f32 P32 = {(float)p[0], (float)p[1], (float)p[2], (float)p[3], (float)p[4], (float)p[5], (float)p[6]};
    ti_params_f64 P64 = {p[0], p[1], p[2], p[3], p[4], p[5], p[6]};
    for (ti_u64 i = first; i < first + count; i++) {
        if (dtype == 1) { double v = ti_element_f64(kind, P64, seed, stream, i); fwrite(&v, 8, 1, stdout); continue; }
        float v = ti_element_f32(kind, P32, seed, stream, i);
        if (dtype == 0) fwrite(&v, 4, 1, stdout);
        else { ti_u16 h = dtype == 2 ? ti_to_bf16(v) : ti_to_f16(v); fwrite(&h, 2, 1, stdout); }
    }
    return 0;
}
