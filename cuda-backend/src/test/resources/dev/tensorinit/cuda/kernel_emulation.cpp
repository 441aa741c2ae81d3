/*
 * kernel_emulation.cpp - runs tensorinit.cu's entry points on the host (emulate_cuda.h) and checks every
 * written element against the shared header's per-element functions (ti_element_f32/f64, which core's
 * SharedHeaderGccTest proves equal to the Java reference), for many ranges, tiles, misaligned
 * destinations and launch shapes, with guard elements around each destination; then the same for every
 * kernel variant (ti_fillv_*) of f32, bf16 and f16, with runs long enough for whole tiles.
 * Prints "ok <cases>" and exits 0, or prints the first mismatch and exits 1.
 */
#include "emulate_cuda.h"
#include "tensorinit.cu"
#include <stdio.h>
#include <stdlib.h>
#include <vector>

static const unsigned long long SEED = 0x243F6A8885A308D3ull, STREAM = 0x13198A2E03707344ull;
static long cases = 0;

static ti_params_f32 params32(int kind) {
    ti_params_f32 p;
    switch (kind) {
        case TI_KIND_UNIFORM: p = {2.0f, -1.0f, -1.0f, 1.0f, 0, 0, 1}; break;
        case TI_KIND_NORMAL: p = {0.5f, 0.1f, -INFINITY, INFINITY, 0, 0, 1}; break;
        case TI_KIND_TRUNC_NORMAL: p = {1.0f, 0.0f, -2.0f, 2.0f, 0.022750132f, 0.9544997f, -1}; break;
        default: p = {0, 0.25f, 0.25f, 0.25f, 0, 0, 1}; break;
    }
    return p;
}
static ti_params_f64 params64(int kind) {
    ti_params_f32 f = params32(kind);
    ti_params_f64 p = {f.scale, f.offset, f.lo, f.hi, f.plo, f.pspan, f.sign};
    return p;
}

/* dtype: 0 f32, 1 f64, 2 bf16, 3 f16. The expected storage bits of global element g. */
static unsigned long long expected(int dtype, int kind, unsigned long long g) {
    if (dtype == 1) return (unsigned long long)__double_as_longlong(ti_element_f64(kind, params64(kind), SEED, STREAM, g));
    float v = ti_element_f32(kind, params32(kind), SEED, STREAM, g);
    if (dtype == 0) return __float_as_uint(v);
    return dtype == 2 ? ti_to_bf16(v) : ti_to_f16(v);
}

static unsigned long long load(const unsigned char *p, int size) {
    unsigned long long v = 0;
    memcpy(&v, p, size);
    return v;
}

static const int GUARD = 9;  /* elements of sentinel before and after the destination */

/* Destination of n elements at element offset `shift` past a 64-byte aligned base: misaligns vector stores. */
struct Dest {
    std::vector<unsigned char> mem;
    unsigned char *base;
    int size;
    long n;
    Dest(int size_, long n_, int shift) : mem((n_ + 2 * GUARD + 64) * size_ + 128, 0xA5), size(size_), n(n_) {
        unsigned char *a = mem.data() + (64 - ((unsigned long long)mem.data() & 63));
        base = a + (GUARD + shift) * size;
    }
    bool guardsIntact() const {
        for (int i = 1; i <= GUARD; i++) {
            for (int b = 0; b < size; b++) {
                if (base[-(long)i * size + b] != 0xA5 || base[(n + i - 1) * size + b] != 0xA5) return false;
            }
        }
        return true;
    }
};

static void fail(const char *what, int dtype, int kind, long a, long b, long i) {
    printf("MISMATCH %s dtype %d kind %d (%ld, %ld) element %ld\n", what, dtype, kind, a, b, i);
    exit(1);
}

static void launchRun(int dtype, int kind, void *out, unsigned long long first, unsigned long long count, int blocks, int threads) {
    ti_params_f32 p = params32(kind);
    switch (dtype) {
        case 0: TI_LAUNCH(blocks, threads, ti_fill_f32, (float *)out, first, count, kind, p, SEED, STREAM); break;
        case 1: TI_LAUNCH(blocks, threads, ti_fill_f64, (double *)out, first, count, kind, params64(kind), SEED, STREAM); break;
        case 2: TI_LAUNCH(blocks, threads, ti_fill_bf16, (unsigned short *)out, first, count, kind, p, SEED, STREAM); break;
        default: TI_LAUNCH(blocks, threads, ti_fill_f16, (unsigned short *)out, first, count, kind, p, SEED, STREAM); break;
    }
}

static void launchTile(int dtype, int kind, void *out, unsigned long long cols, unsigned long long row0, unsigned long long col0,
                       unsigned long long rows, unsigned long long width, int blocks, int threads) {
    ti_params_f32 p = params32(kind);
    switch (dtype) {
        case 0: TI_LAUNCH(blocks, threads, ti_tile_f32, (float *)out, cols, row0, col0, rows, width, kind, p, SEED, STREAM); break;
        case 1: TI_LAUNCH(blocks, threads, ti_tile_f64, (double *)out, cols, row0, col0, rows, width, kind, params64(kind), SEED, STREAM); break;
        case 2: TI_LAUNCH(blocks, threads, ti_tile_bf16, (unsigned short *)out, cols, row0, col0, rows, width, kind, p, SEED, STREAM); break;
        default: TI_LAUNCH(blocks, threads, ti_tile_f16, (unsigned short *)out, cols, row0, col0, rows, width, kind, p, SEED, STREAM); break;
    }
}

/*
 * The variant body kernels, [kind][variant]: kinds uniform, normal, truncated normal; variants v1, v2, v4, v2h, v4h,
 * v2hc (on the host v2hc converts with the header's code: the hardware conversion is checked on a GPU, ti_check_cvt).
 */
#define TI_NVARIANTS 6
#define TI_ROW(DT, KN) {ti_fillv_##DT##_##KN##_v1, ti_fillv_##DT##_##KN##_v2, ti_fillv_##DT##_##KN##_v4, ti_fillv_##DT##_##KN##_v2h, \
                        ti_fillv_##DT##_##KN##_v4h, ti_fillv_##DT##_##KN##_v2hc}
typedef void (*Body32)(float *, unsigned long long, unsigned long long, ti_params_f32, unsigned long long, unsigned long long);
typedef void (*Body16)(unsigned short *, unsigned long long, unsigned long long, ti_params_f32, unsigned long long, unsigned long long);
static const Body32 V_F32[3][TI_NVARIANTS] = {TI_ROW(f32, u), TI_ROW(f32, n), TI_ROW(f32, t)};
static const Body16 V_BF16[3][TI_NVARIANTS] = {TI_ROW(bf16, u), TI_ROW(bf16, n), TI_ROW(bf16, t)};
static const Body16 V_F16[3][TI_NVARIANTS] = {TI_ROW(f16, u), TI_ROW(f16, n), TI_ROW(f16, t)};

/* A run through a variant as CudaKernels.fillRun launches it: the edges kernel, then the body kernel. */
static void launchVariant(int dtype, int kind, int variant, void *out, unsigned long long first, unsigned long long count, int blocks, int threads) {
    ti_params_f32 p = params32(kind);
    switch (dtype) {
        case 0:
            TI_LAUNCH(blocks, threads, ti_fillv_edges_f32, (float *)out, first, count, kind, p, SEED, STREAM);
            TI_LAUNCH(blocks, threads, V_F32[kind][variant], (float *)out, first, count, p, SEED, STREAM);
            break;
        case 2:
            TI_LAUNCH(blocks, threads, ti_fillv_edges_bf16, (unsigned short *)out, first, count, kind, p, SEED, STREAM);
            TI_LAUNCH(blocks, threads, V_BF16[kind][variant], (unsigned short *)out, first, count, p, SEED, STREAM);
            break;
        default:
            TI_LAUNCH(blocks, threads, ti_fillv_edges_f16, (unsigned short *)out, first, count, kind, p, SEED, STREAM);
            TI_LAUNCH(blocks, threads, V_F16[kind][variant], (unsigned short *)out, first, count, p, SEED, STREAM);
            break;
    }
}

/* Every variant of every f32-family dtype and random kind against the header, including runs with whole tiles. */
static void checkVariants() {
    const int sizes[4] = {4, 8, 2, 2};
    const int launches[][2] = {{1, 1}, {3, 32}, {5, 7}, {2, 256}, {7, 3}};
    const unsigned long long firsts[] = {0, 1, 3, 4, 8, 4294967293ull, (1ull << 62) + 1};
    const unsigned long long counts[] = {1, 3, 4, 8, 9, 17, 33, 301, 2053};
    for (int dtype : {0, 2, 3}) {
        int size = sizes[dtype];
        for (int kind = 0; kind < 3; kind++) {
            for (int variant = 0; variant < TI_NVARIANTS; variant++) {
                for (unsigned long long first : firsts) {
                    for (unsigned long long count : counts) {
                        for (int shift = 0; shift < 8; shift += 3) {
                            for (auto &l : launches) {
                                Dest d(size, (long)count, shift);
                                launchVariant(dtype, kind, variant, d.base, first, count, l[0], l[1]);
                                for (unsigned long long i = 0; i < count; i++) {
                                    if (load(d.base + i * size, size) != expected(dtype, kind, first + i)) fail("variant run", dtype, kind * 10 + variant, (long)first, (long)count, (long)i);
                                }
                                if (!d.guardsIntact()) fail("variant guard", dtype, kind * 10 + variant, (long)first, (long)count, -1);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
    }
}

int main() {
    const int sizes[4] = {4, 8, 2, 2};
    const int launches[][2] = {{1, 1}, {3, 32}, {5, 7}, {2, 256}, {1000, 1}};
    const unsigned long long firsts[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 4294967293ull, 8589934590ull, (1ull << 62) + 1};
    const unsigned long long counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 17, 64, 301};
    for (int dtype = 0; dtype < 4; dtype++) {
        int size = sizes[dtype];
        for (int kind = 0; kind < 4; kind++) {
            for (unsigned long long first : firsts) {
                for (unsigned long long count : counts) {
                    for (int shift = 0; shift < 4; shift++) {
                        for (auto &l : launches) {
                            if (l[0] * l[1] > 300 && count < 100) continue; /* keep the run short */
                            Dest d(size, (long)count, shift);
                            launchRun(dtype, kind, d.base, first, count, l[0], l[1]);
                            for (unsigned long long i = 0; i < count; i++) {
                                if (load(d.base + i * size, size) != expected(dtype, kind, first + i)) fail("run", dtype, kind, (long)first, (long)count, (long)i);
                            }
                            if (!d.guardsIntact()) fail("run guard", dtype, kind, (long)first, (long)count, -1);
                            cases++;
                        }
                    }
                }
            }
            /* tiles of a [rows, cols] tensor: (cols, row0, col0, rows, width) */
            const unsigned long long tiles[][5] = {{131, 3, 5, 7, 118}, {131, 0, 0, 4, 131}, {7, 2, 1, 5, 1}, {9, 1, 3, 6, 5},
                                                   {1, 0, 0, 9, 1}, {1000003, 4000, 999990, 3, 13}};
            for (auto &t : tiles) {
                for (auto &l : launches) {
                    Dest d(size, (long)(t[3] * t[4]), (int)(t[0] & 3));
                    launchTile(dtype, kind, d.base, t[0], t[1], t[2], t[3], t[4], l[0], l[1]);
                    for (unsigned long long r = 0; r < t[3]; r++) {
                        for (unsigned long long c = 0; c < t[4]; c++) {
                            unsigned long long g = (t[1] + r) * t[0] + t[2] + c;
                            if (load(d.base + (r * t[4] + c) * size, size) != expected(dtype, kind, g)) fail("tile", dtype, kind, (long)t[0], (long)r, (long)c);
                        }
                    }
                    if (!d.guardsIntact()) fail("tile guard", dtype, kind, (long)t[0], 0, -1);
                    cases++;
                }
            }
        }
    }
    /* the cuRAND post kernel: fma, clamp, and rounding into each dtype */
    float in[5] = {0.25f, 1.0f, 1e-7f, 0.5f, 0.999f};
    float out32[5];
    unsigned short out16[5];
    double ind[3] = {0.25, 1.0, 0.75}, outd[3];
    TI_LAUNCH(2, 2, ti_curand_post_f32, in, out32, 5ull, 0, 4.0f, -2.0f, -1.5f, 1.5f);
    for (int i = 0; i < 5; i++) {
        float e = ti_clamp_f32(fmaf(in[i], 4.0f, -2.0f), -1.5f, 1.5f);
        if (__float_as_uint(out32[i]) != __float_as_uint(e)) fail("post f32", 0, 0, i, 0, i);
    }
    TI_LAUNCH(1, 3, ti_curand_post_f32, in, out16, 5ull, 3, 4.0f, -2.0f, -1.5f, 1.5f);
    for (int i = 0; i < 5; i++) if (out16[i] != ti_to_f16(ti_clamp_f32(fmaf(in[i], 4.0f, -2.0f), -1.5f, 1.5f))) fail("post f16", 3, 0, i, 0, i);
    TI_LAUNCH(1, 2, ti_curand_post_f32, in, out16, 5ull, 2, 4.0f, -2.0f, -1.5f, 1.5f);
    for (int i = 0; i < 5; i++) if (out16[i] != ti_to_bf16(ti_clamp_f32(fmaf(in[i], 4.0f, -2.0f), -1.5f, 1.5f))) fail("post bf16", 2, 0, i, 0, i);
    TI_LAUNCH(3, 1, ti_curand_post_f64, ind, outd, 3ull, 2.0, -1.0, -0.9, 0.9);
    for (int i = 0; i < 3; i++) if (outd[i] != ti_clamp_f64(fma(ind[i], 2.0, -1.0), -0.9, 0.9)) fail("post f64", 1, 0, i, 0, i);
    cases += 4;
    /* the cuRAND engine's one-pass uniform: (float)x * 2^-32 + 2^-33 of word g & 3 of block g >> 2 (key = seed, stream 0) */
    for (int dtype : {0, 2, 3}) {
        for (unsigned long long first : {0ull, 1ull, 6ull, 4294967295ull}) {
            for (unsigned long long count : {1ull, 5ull, 64ull, 301ull}) {
                for (int shift = 0; shift < 3; shift++) {
                    Dest d(sizes[dtype], (long)count, shift);
                    if (dtype == 0) TI_LAUNCH(3, 32, ti_curand_uniform_f32, (float *)d.base, first, count, 4.0f, -2.0f, -1.5f, 1.5f, SEED);
                    else if (dtype == 2) TI_LAUNCH(3, 32, ti_curand_uniform_bf16, (unsigned short *)d.base, first, count, 4.0f, -2.0f, -1.5f, 1.5f, SEED);
                    else TI_LAUNCH(3, 32, ti_curand_uniform_f16, (unsigned short *)d.base, first, count, 4.0f, -2.0f, -1.5f, 1.5f, SEED);
                    for (unsigned long long i = 0; i < count; i++) {
                        unsigned long long g = first + i;
                        ti_words w = ti_philox(g >> 2, 0, SEED);
                        float u = (float)ti_word(w, (int)(g & 3)) * 0x1p-32f + 0x1p-33f;
                        float y = ti_clamp_f32(fmaf(u, 4.0f, -2.0f), -1.5f, 1.5f);
                        unsigned long long e = dtype == 0 ? __float_as_uint(y) : dtype == 2 ? ti_to_bf16(y) : ti_to_f16(y);
                        if (load(d.base + i * sizes[dtype], sizes[dtype]) != e) fail("curand uniform", dtype, 0, (long)first, (long)count, (long)i);
                    }
                    if (!d.guardsIntact()) fail("curand uniform guard", dtype, 0, (long)first, (long)count, -1);
                    cases++;
                }
            }
        }
    }
    checkVariants();
    printf("ok %ld\n", cases);
    return 0;
}
