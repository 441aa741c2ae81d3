/*
 * tensorinit.cu - CUDA entry points of the tensorinit "philox" engine, plus the cuRAND engine's
 * post-processing kernel. All value math comes from the shared header tensorinit_math.h (core's
 * resource, also used by OpenCL), so a value here is the reference's value bit for bit.
 *
 * Build (see cuda-backend/pom.xml and build-kernels.sh): nvcc --fmad=false -O3 -std=c++17 -I<header dir>.
 * --fmad=false matters: the header's only fused operations are its explicit fma calls.
 *
 * Work split: one Philox block per thread-iteration (4 f32/bf16/f16 elements or 2 f64 elements), in
 * grid-stride loops over 64-bit indices, so the launch configuration decides only who computes a block,
 * never its value.
 */
#define TI_FN static __device__ __forceinline__
typedef unsigned int ti_u32;
typedef int ti_i32;
typedef unsigned long long ti_u64;
typedef long long ti_i64;
typedef unsigned short ti_u16;
#define TI_FMAF(a, b, c) __fmaf_rn((a), (b), (c))
#define TI_SQRTF(x) __fsqrt_rn(x)
#define TI_DIVF(a, b) __fdiv_rn((a), (b))
#define TI_AS_FLOAT(u) __uint_as_float(u)
#define TI_AS_U32(f) __float_as_uint(f)
#define TI_ENABLE_F64 1
#define TI_FMA(a, b, c) __fma_rn((a), (b), (c))
#define TI_SQRT(x) __dsqrt_rn(x)
#define TI_DIV(a, b) __ddiv_rn((a), (b))
#define TI_AS_DOUBLE(u) __longlong_as_double((long long)(u))
#define TI_AS_U64(d) ((ti_u64)__double_as_longlong(d))
#include "tensorinit_math.h"

/* ---- element storage per dtype: the f32 value rounded (bf16/f16) or stored as is ---------------- */

struct StoreF32 {
    typedef float T;
    static const int PER_BLOCK = 4;
    static __device__ __forceinline__ T cvt(float v) { return v; }
};
struct StoreBF16 {
    typedef unsigned short T;
    static const int PER_BLOCK = 4;
    static __device__ __forceinline__ T cvt(float v) { return ti_to_bf16(v); }
    /*
     * Two values, a in the low half and b in the high half, with the hardware's round-to-nearest-even conversion
     * (sm_80 and later): the header's bits for every non-NaN float (ti_check_cvt compares all 2^32 on a GPU; the
     * values written are never NaN). Elsewhere, and in host builds, the header's conversion.
     */
    static __device__ __forceinline__ unsigned int cvt2_hw(float a, float b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
        unsigned int r;
        asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(b), "f"(a));
        return r;
#else
        return (unsigned int)cvt(a) | ((unsigned int)cvt(b) << 16);
#endif
    }
};
struct StoreF16 {
    typedef unsigned short T;
    static const int PER_BLOCK = 4;
    static __device__ __forceinline__ T cvt(float v) { return ti_to_f16(v); }
    /* As StoreBF16::cvt2_hw, for binary16 (subnormals included: no .ftz). */
    static __device__ __forceinline__ unsigned int cvt2_hw(float a, float b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
        unsigned int r;
        asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(b), "f"(a));
        return r;
#else
        return (unsigned int)cvt(a) | ((unsigned int)cvt(b) << 16);
#endif
    }
};

/* The four elements of f32-family block `blk` (global elements 4*blk .. 4*blk+3). */
static __device__ __forceinline__ void block_f32(int kind, const ti_params_f32 &P, ti_u64 seed, ti_u64 stream,
                                                 ti_u64 blk, float v[4]) {
    if (kind == TI_KIND_CONSTANT) {
        v[0] = v[1] = v[2] = v[3] = P.offset;
        return;
    }
    ti_words w = ti_philox(blk, stream, seed);
    v[0] = ti_value_f32(kind, P, w.x0);
    v[1] = ti_value_f32(kind, P, w.x1);
    v[2] = ti_value_f32(kind, P, w.x2);
    v[3] = ti_value_f32(kind, P, w.x3);
}

/* Full aligned block: one vector store (16 bytes for f32, 8 for bf16/f16). */
static __device__ __forceinline__ void store4(float *p, const float v[4]) {
    *reinterpret_cast<float4 *>(p) = make_float4(v[0], v[1], v[2], v[3]);
}
template <class S>
static __device__ __forceinline__ void store4(unsigned short *p, const float v[4]) {
    uint2 u;
    u.x = (unsigned int)S::cvt(v[0]) | ((unsigned int)S::cvt(v[1]) << 16);
    u.y = (unsigned int)S::cvt(v[2]) | ((unsigned int)S::cvt(v[3]) << 16);
    *reinterpret_cast<uint2 *>(p) = u;
}

/*
 * Writes the part of Philox block `blk` that falls in global elements [first, first + count) to
 * out[g - first]. Partial blocks (heads and tails) and unaligned destinations store element by element.
 */
template <class S>
static __device__ __forceinline__ void run_block(typename S::T *out, ti_u64 first, ti_u64 count, int kind,
                                                 const ti_params_f32 &P, ti_u64 seed, ti_u64 stream, ti_u64 blk) {
    float v[4];
    block_f32(kind, P, seed, stream, blk, v);
    ti_u64 g0 = blk * 4ull, end = first + count;
    if (g0 >= first && g0 + 4ull <= end) {
        typename S::T *p = out + (g0 - first);
        if ((reinterpret_cast<unsigned long long>(p) & (sizeof(typename S::T) * 4 - 1)) == 0) {
            if (sizeof(typename S::T) == 4) store4(reinterpret_cast<float *>(p), v);
            else store4<S>(reinterpret_cast<unsigned short *>(p), v);
            return;
        }
    }
    for (int j = 0; j < 4; j++) {
        ti_u64 g = g0 + (ti_u64)j;
        if (g >= first && g < end) out[g - first] = S::cvt(v[j]);
    }
}

static __device__ __forceinline__ void run_block_f64(double *out, ti_u64 first, ti_u64 count, int kind,
                                                     const ti_params_f64 &P, ti_u64 seed, ti_u64 stream, ti_u64 blk) {
    double v0, v1;
    if (kind == TI_KIND_CONSTANT) {
        v0 = v1 = P.offset;
    } else {
        ti_words w = ti_philox(blk, stream, seed);
        v0 = ti_value_f64(kind, P, w.x0, w.x1);
        v1 = ti_value_f64(kind, P, w.x2, w.x3);
    }
    ti_u64 g0 = blk * 2ull, end = first + count;
    if (g0 >= first && g0 + 2ull <= end) {
        double *p = out + (g0 - first);
        if ((reinterpret_cast<unsigned long long>(p) & 15ull) == 0) {
            *reinterpret_cast<double2 *>(p) = make_double2(v0, v1);
            return;
        }
    }
    if (g0 >= first && g0 < end) out[g0 - first] = v0;
    if (g0 + 1ull >= first && g0 + 1ull < end) out[g0 + 1ull - first] = v1;
}

static __device__ __forceinline__ ti_u64 thread_id() {
    return (ti_u64)blockIdx.x * (ti_u64)blockDim.x + (ti_u64)threadIdx.x;
}
static __device__ __forceinline__ ti_u64 thread_count() {
    return (ti_u64)gridDim.x * (ti_u64)blockDim.x;
}

/* Contiguous run: global elements [first, first + count) -> out[0 .. count). */
template <class S>
static __device__ __forceinline__ void fill_run(typename S::T *out, ti_u64 first, ti_u64 count, int kind,
                                                const ti_params_f32 &P, ti_u64 seed, ti_u64 stream) {
    if (count == 0) return;
    ti_u64 b0 = first >> 2, nb = ((first + count - 1ull) >> 2) - b0 + 1ull;
    for (ti_u64 k = thread_id(); k < nb; k += thread_count()) run_block<S>(out, first, count, kind, P, seed, stream, b0 + k);
}

/*
 * 2-D tile of a row-major [rows, cols] tensor: tile rows [row0, row0 + tileRows) and columns
 * [col0, col0 + tileCols) -> out, row-major with row length tileCols. Each tile row is a run that
 * spans at most tileCols/4 + 2 blocks; work item (r, s) takes block s of row r.
 */
template <class S>
static __device__ __forceinline__ void fill_tile(typename S::T *out, ti_u64 cols, ti_u64 row0, ti_u64 col0,
                                                 ti_u64 tileRows, ti_u64 tileCols, int kind, const ti_params_f32 &P,
                                                 ti_u64 seed, ti_u64 stream) {
    ti_u64 slots = tileCols / 4ull + 2ull;
    ti_u64 items = tileRows * slots;
    for (ti_u64 k = thread_id(); k < items; k += thread_count()) {
        ti_u64 r = k / slots, s = k - r * slots;
        ti_u64 first = (row0 + r) * cols + col0;
        ti_u64 blk = (first >> 2) + s;
        if (blk > ((first + tileCols - 1ull) >> 2)) continue;
        run_block<S>(out + r * tileCols, first, tileCols, kind, P, seed, stream, blk);
    }
}

/*
 * The variants exist in the sm_90 and sm_100 machine code only (Hopper, datacenter Blackwell: the GPUs
 * they are meant to be measured on), and in host builds (KernelEmulationTest): in every architecture
 * they cost 7 MB of fatbin and PTX. Elsewhere a variant's kernels are missing and CudaKernels says so.
 */
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ == 900 || __CUDA_ARCH__ == 1000
#define TI_WITH_VARIANTS 1
#endif

/*
 * The cuRAND engine's uniform in one pass (cuRAND's host API has no affine uniform: generate, then
 * rescale, read and wrote the output twice more). Philox4x32-10 keyed by the engine's seed, counter
 * (block, 0), element g = word g & 3 of block g >> 2; u = (float)x * 2^-32 + 2^-33, cuRAND's
 * curand_uniform conversion, in (0, 1]; y = clamp(fma(u, scale, offset), lo, hi) in the dtype. Like the
 * rest of the curand engine: statistically a uniform, not the philox engine's lattice.
 */
static __device__ __forceinline__ float curand_uniform_value(ti_u32 x, float scale, float offset, float lo, float hi) {
    float u = (float)x * 2.3283064365386963e-10f + 1.1641532182693481e-10f;   /* 2^-32, 2^-33 */
    return ti_clamp_f32(__fmaf_rn(u, scale, offset), lo, hi);
}

template <class S>
static __device__ __forceinline__ void curand_uniform_run(typename S::T *out, ti_u64 first, ti_u64 count, float scale, float offset,
                                                          float lo, float hi, ti_u64 seed) {
    if (count == 0) return;
    ti_u64 b0 = first >> 2, nb = ((first + count - 1ull) >> 2) - b0 + 1ull, end = first + count;
    for (ti_u64 k = thread_id(); k < nb; k += thread_count()) {
        ti_u64 blk = b0 + k, g0 = blk * 4ull;
        ti_words w = ti_philox(blk, 0ull, seed);
        float v[4] = {curand_uniform_value(w.x0, scale, offset, lo, hi), curand_uniform_value(w.x1, scale, offset, lo, hi),
                      curand_uniform_value(w.x2, scale, offset, lo, hi), curand_uniform_value(w.x3, scale, offset, lo, hi)};
        if (g0 >= first && g0 + 4ull <= end) {
            typename S::T *p = out + (g0 - first);
            if ((reinterpret_cast<unsigned long long>(p) & (sizeof(typename S::T) * 4 - 1)) == 0) {
                if (sizeof(typename S::T) == 4) store4(reinterpret_cast<float *>(p), v);
                else store4<S>(reinterpret_cast<unsigned short *>(p), v);
                continue;
            }
        }
        for (int j = 0; j < 4; j++) {
            ti_u64 g = g0 + (ti_u64)j;
            if (g >= first && g < end) out[g - first] = S::cvt(v[j]);
        }
    }
}

#ifdef TI_WITH_VARIANTS
/* ---- kernel variants (selected at run time by LaunchConfig's KernelVariant; the kernels above stay the default) ----
 *
 * Same values, bit for bit (KernelEmulationTest compares every variant with the header), different
 * scheduling, aimed at the levers of issue 12 until a GPU run picks a winner:
 *  - the kind is a template parameter: a uniform kernel carries no normal-path code or registers;
 *  - the run is cut into a head, a body of whole 16-byte units (4 f32 = 1 Philox block; 8 bf16/f16 =
 *    2 blocks), each stored with one 16-byte vector store, and a tail (split16); the body kernel writes
 *    the body, a second launch (ti_fillv_edges_*) head and tail;
 *  - each thread computes K units per iteration, units t, t + blockDim, ..., t + (K-1)·blockDim of a
 *    tile of K·blockDim units: K independent Philox chains for instruction-level parallelism, and every
 *    store instruction of a warp is still one contiguous 512-byte span;
 *  - the tile loop is 64-bit (any size), the index arithmetic inside a tile is 32-bit;
 *  - HI: the Philox products as __umulhi + a 32-bit multiply instead of a 64-bit product;
 *  - HW: bf16/f16 rounded two at a time by the hardware (cvt.rn.{bf16,f16}x2.f32) instead of the header's
 *    integer code; the same bits for every value the kernels write (ti_check_cvt, on a GPU).
 */
template <bool HI>
static __device__ __forceinline__ ti_words philox_v(ti_u64 block, ti_u64 stream, ti_u64 seed) {
    if (!HI) return ti_philox(block, stream, seed);
    ti_u32 c0 = (ti_u32)block, c1 = (ti_u32)(block >> 32), c2 = (ti_u32)stream, c3 = (ti_u32)(stream >> 32);
    ti_u32 k0 = (ti_u32)seed, k1 = (ti_u32)(seed >> 32);
#pragma unroll
    for (int r = 0; r < 10; r++) {
        ti_u32 h0 = __umulhi(TI_PHILOX_M0, c0), l0 = TI_PHILOX_M0 * c0;
        ti_u32 h1 = __umulhi(TI_PHILOX_M1, c2), l1 = TI_PHILOX_M1 * c2;
        ti_u32 n0 = h1 ^ c1 ^ k0;
        ti_u32 n2 = h0 ^ c3 ^ k1;
        c1 = l1;
        c3 = l0;
        c0 = n0;
        c2 = n2;
        k0 += TI_PHILOX_W0;
        k1 += TI_PHILOX_W1;
    }
    ti_words w;
    w.x0 = c0; w.x1 = c1; w.x2 = c2; w.x3 = c3;
    return w;
}

/* The four values of block blk for a kind known at compile time (the header's ti_value_f32, bit for bit). */
template <int KIND, bool HI>
static __device__ __forceinline__ void block_v(const ti_params_f32 &P, ti_u64 seed, ti_u64 stream, ti_u64 blk, float v[4]) {
    ti_words w = philox_v<HI>(blk, stream, seed);
    v[0] = ti_value_f32(KIND, P, w.x0);
    v[1] = ti_value_f32(KIND, P, w.x1);
    v[2] = ti_value_f32(KIND, P, w.x2);
    v[3] = ti_value_f32(KIND, P, w.x3);
}

/* Two bf16/f16 values packed, a low: the header's conversion, or the hardware's (HW). */
template <class S, bool HW>
static __device__ __forceinline__ unsigned int pack2(float a, float b) {
    if constexpr (HW) return S::cvt2_hw(a, b);
    else return (unsigned int)S::cvt(a) | ((unsigned int)S::cvt(b) << 16);
}

/* One 16-byte unit starting at Philox block blk: 1 block of f32 or 2 blocks of bf16/f16. */
template <class S, int KIND, bool HI, bool HW>
static __device__ __forceinline__ void unit_v(uint4 *dst, const ti_params_f32 &P, ti_u64 seed, ti_u64 stream, ti_u64 blk) {
    uint4 u;
    float v[4];
    block_v<KIND, HI>(P, seed, stream, blk, v);
    if constexpr (sizeof(typename S::T) == 4) {
        u.x = __float_as_uint(v[0]); u.y = __float_as_uint(v[1]); u.z = __float_as_uint(v[2]); u.w = __float_as_uint(v[3]);
    } else {
        u.x = pack2<S, HW>(v[0], v[1]);
        u.y = pack2<S, HW>(v[2], v[3]);
        block_v<KIND, HI>(P, seed, stream, blk + 1ull, v);
        u.z = pack2<S, HW>(v[0], v[1]);
        u.w = pack2<S, HW>(v[2], v[3]);
    }
    *dst = u;
}

/*
 * The cut of a run [first, first + count) into out[0 .. count): elements [0, i0) are the head, then
 * `units` 16-byte units (16 / sizeof(T) elements each) from Philox block (first + i0) / 4 on, then the tail
 * [i0 + units·16/sizeof(T), count). A body needs out + i0 16-byte aligned at a Philox block boundary;
 * without one (units = 0) the whole run is head. Both kernels of a variant fill compute the same cut.
 */
template <class S>
static __device__ __forceinline__ void split16(const typename S::T *out, ti_u64 first, ti_u64 count, ti_u64 &i0, ti_u64 &units) {
    const ti_u64 size = sizeof(typename S::T), perUnit = 16ull / size;
    ti_u64 addr = reinterpret_cast<unsigned long long>(out);
    i0 = ((16ull - (addr & 15ull)) & 15ull) / size;
    units = 0;
    if ((addr % size) == 0 && ((first + i0) & 3ull) == 0 && i0 < count) units = (count - i0) / perUnit;
    if (units == 0) i0 = count;
}

/*
 * The body: units t, t + blockDim, ..., t + (K-1)·blockDim of each tile of K·blockDim units. Head and
 * tail are written by ti_fillv_edges_* (the default kernel's code): kept out of this kernel, their code
 * would raise its register count from 19-34 to 40-48 (ptxas, sm_90) and cost occupancy.
 */
template <class S, int KIND, int K, bool HI, bool HW>
static __device__ __forceinline__ void body_v(typename S::T *out, ti_u64 first, ti_u64 count, const ti_params_f32 &P,
                                              ti_u64 seed, ti_u64 stream) {
    ti_u64 i0, units;
    split16<S>(out, first, count, i0, units);
    const ti_u32 BLOCKS_PER_UNIT = 4u / (ti_u32)sizeof(typename S::T);   /* 1 for f32, 2 for bf16/f16 */
    uint4 *body = reinterpret_cast<uint4 *>(out + i0);
    const ti_u64 blk0 = (first + i0) >> 2;
    const ti_u32 bd = blockDim.x, t = threadIdx.x;
    const ti_u64 tileUnits = (ti_u64)K * bd;
    for (ti_u64 base = (ti_u64)blockIdx.x * tileUnits; base < units; base += (ti_u64)gridDim.x * tileUnits) {
        uint4 *tdst = body + base;
        ti_u64 tblk = blk0 + base * BLOCKS_PER_UNIT;
        ti_u32 left = units - base < tileUnits ? (ti_u32)(units - base) : (ti_u32)tileUnits;   /* <= 4 * 1024 */
#pragma unroll
        for (int j = 0; j < K; j++) {
            ti_u32 u = t + (ti_u32)j * bd;                              /* 32-bit inside the tile */
            if (u < left) unit_v<S, KIND, HI, HW>(tdst + u, P, seed, stream, tblk + (ti_u64)(u * BLOCKS_PER_UNIT));
        }
    }
}

/* Head and tail of a variant fill (the whole run when it has no body), with the default kernel's code. */
template <class S>
static __device__ __forceinline__ void edges_v(typename S::T *out, ti_u64 first, ti_u64 count, int kind, const ti_params_f32 &P,
                                               ti_u64 seed, ti_u64 stream) {
    ti_u64 i0, units;
    split16<S>(out, first, count, i0, units);
    ti_u64 i1 = i0 + units * (16ull / sizeof(typename S::T));
    fill_run<S>(out, first, i0, kind, P, seed, stream);
    fill_run<S>(out + i1, first + i1, count - i1, kind, P, seed, stream);
}

#endif /* TI_WITH_VARIANTS */

extern "C" {

__global__ void ti_fill_f32(float *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_run<StoreF32>(out, first, count, kind, P, seed, stream);
}
__global__ void ti_fill_bf16(unsigned short *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_run<StoreBF16>(out, first, count, kind, P, seed, stream);
}
__global__ void ti_fill_f16(unsigned short *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_run<StoreF16>(out, first, count, kind, P, seed, stream);
}
__global__ void ti_fill_f64(double *out, ti_u64 first, ti_u64 count, int kind, ti_params_f64 P, ti_u64 seed, ti_u64 stream) {
    if (count == 0) return;
    ti_u64 b0 = first >> 1, nb = ((first + count - 1ull) >> 1) - b0 + 1ull;
    for (ti_u64 k = thread_id(); k < nb; k += thread_count()) run_block_f64(out, first, count, kind, P, seed, stream, b0 + k);
}

__global__ void ti_tile_f32(float *out, ti_u64 cols, ti_u64 row0, ti_u64 col0, ti_u64 tileRows, ti_u64 tileCols,
                            int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_tile<StoreF32>(out, cols, row0, col0, tileRows, tileCols, kind, P, seed, stream);
}
__global__ void ti_tile_bf16(unsigned short *out, ti_u64 cols, ti_u64 row0, ti_u64 col0, ti_u64 tileRows, ti_u64 tileCols,
                             int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_tile<StoreBF16>(out, cols, row0, col0, tileRows, tileCols, kind, P, seed, stream);
}
__global__ void ti_tile_f16(unsigned short *out, ti_u64 cols, ti_u64 row0, ti_u64 col0, ti_u64 tileRows, ti_u64 tileCols,
                            int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    fill_tile<StoreF16>(out, cols, row0, col0, tileRows, tileCols, kind, P, seed, stream);
}
__global__ void ti_tile_f64(double *out, ti_u64 cols, ti_u64 row0, ti_u64 col0, ti_u64 tileRows, ti_u64 tileCols,
                            int kind, ti_params_f64 P, ti_u64 seed, ti_u64 stream) {
    ti_u64 slots = tileCols / 2ull + 2ull;
    ti_u64 items = tileRows * slots;
    for (ti_u64 k = thread_id(); k < items; k += thread_count()) {
        ti_u64 r = k / slots, s = k - r * slots;
        ti_u64 first = (row0 + r) * cols + col0;
        ti_u64 blk = (first >> 1) + s;
        if (blk > ((first + tileCols - 1ull) >> 1)) continue;
        run_block_f64(out + r * tileCols, first, tileCols, kind, P, seed, stream, blk);
    }
}

/*
 * cuRAND engine post-processing: in[i] is a cuRAND uniform in (0, 1] or a cuRAND normal; the output
 * is clamp(fma(in, scale, offset), lo, hi) in the destination dtype (in and out may alias for f32/f64).
 * dtype: 0 f32, 2 bf16, 3 f16 (out is float* or unsigned short* accordingly).
 */
__global__ void ti_curand_post_f32(const float *in, void *out, ti_u64 count, int dtype,
                                   float scale, float offset, float lo, float hi) {
    for (ti_u64 i = thread_id(); i < count; i += thread_count()) {
        float y = ti_clamp_f32(__fmaf_rn(in[i], scale, offset), lo, hi);
        if (dtype == 0) ((float *)out)[i] = y;
        else if (dtype == 2) ((unsigned short *)out)[i] = ti_to_bf16(y);
        else ((unsigned short *)out)[i] = ti_to_f16(y);
    }
}
__global__ void ti_curand_uniform_f32(float *out, ti_u64 first, ti_u64 count, float scale, float offset, float lo, float hi, ti_u64 seed) {
    curand_uniform_run<StoreF32>(out, first, count, scale, offset, lo, hi, seed);
}
__global__ void ti_curand_uniform_bf16(unsigned short *out, ti_u64 first, ti_u64 count, float scale, float offset, float lo, float hi, ti_u64 seed) {
    curand_uniform_run<StoreBF16>(out, first, count, scale, offset, lo, hi, seed);
}
__global__ void ti_curand_uniform_f16(unsigned short *out, ti_u64 first, ti_u64 count, float scale, float offset, float lo, float hi, ti_u64 seed) {
    curand_uniform_run<StoreF16>(out, first, count, scale, offset, lo, hi, seed);
}
__global__ void ti_curand_post_f64(const double *in, double *out, ti_u64 count,
                                   double scale, double offset, double lo, double hi) {
    for (ti_u64 i = thread_id(); i < count; i += thread_count()) out[i] = ti_clamp_f64(__fma_rn(in[i], scale, offset), lo, hi);
}


#ifdef TI_WITH_VARIANTS
/*
 * A variant fill of a run is two launches, in either order: ti_fillv_edges_<dtype> (head and tail, any kind)
 * and the body kernel ti_fillv_<dtype>_<kind>_<variant>, kind u(niform), n(ormal) or t(runcated normal).
 */
__global__ void ti_fillv_edges_f32(float *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    edges_v<StoreF32>(out, first, count, kind, P, seed, stream);
}
__global__ void ti_fillv_edges_bf16(unsigned short *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    edges_v<StoreBF16>(out, first, count, kind, P, seed, stream);
}
__global__ void ti_fillv_edges_f16(unsigned short *out, ti_u64 first, ti_u64 count, int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream) {
    edges_v<StoreF16>(out, first, count, kind, P, seed, stream);
}
#define TI_VARIANT(DT, S, KN, KIND, VN, K, HI, HW) \
__global__ void ti_fillv_##DT##_##KN##_##VN(S::T *out, ti_u64 first, ti_u64 count, ti_params_f32 P, ti_u64 seed, ti_u64 stream) { \
    body_v<S, KIND, K, HI, HW>(out, first, count, P, seed, stream); \
}
#define TI_VARIANTS_OF(DT, S, KN, KIND) \
    TI_VARIANT(DT, S, KN, KIND, v1, 1, false, false) TI_VARIANT(DT, S, KN, KIND, v2, 2, false, false) \
    TI_VARIANT(DT, S, KN, KIND, v4, 4, false, false) TI_VARIANT(DT, S, KN, KIND, v2h, 2, true, false) \
    TI_VARIANT(DT, S, KN, KIND, v4h, 4, true, false) TI_VARIANT(DT, S, KN, KIND, v2hc, 2, true, true)
#define TI_VARIANTS(DT, S) \
    TI_VARIANTS_OF(DT, S, u, TI_KIND_UNIFORM) TI_VARIANTS_OF(DT, S, n, TI_KIND_NORMAL) TI_VARIANTS_OF(DT, S, t, TI_KIND_TRUNC_NORMAL)
TI_VARIANTS(f32, StoreF32)
TI_VARIANTS(bf16, StoreBF16)
TI_VARIANTS(f16, StoreF16)

/*
 * The HW variants' conversions against the header's for all 2^32 float bit patterns, NaNs excepted (the kernels
 * never write one; the hardware's NaN is canonical): bad[0] counts the differing bf16 and f16 results, bad[1] is
 * the first differing input's bits + 1 (0: none seen). Any launch shape covers every pattern (grid-stride over pairs).
 */
__global__ void ti_check_cvt(ti_u64 *bad) {
    for (ti_u64 i = thread_id(); i < (1ull << 31); i += thread_count()) {
        ti_u32 a = (ti_u32)(2ull * i), b = a + 1u;
        float fa = __uint_as_float(a), fb = __uint_as_float(b);
        ti_u32 mask = (fa != fa ? 0u : 0xffffu) | (fb != fb ? 0u : 0xffff0000u);
        ti_u32 diff = (StoreBF16::cvt2_hw(fa, fb) ^ pack2<StoreBF16, false>(fa, fb))
                    | (StoreF16::cvt2_hw(fa, fb) ^ pack2<StoreF16, false>(fa, fb));
        if (diff & mask) {
            atomicAdd(bad, 1ull);
            atomicCAS(bad + 1, 0ull, (ti_u64)((diff & mask & 0xffffu) ? a : b) + 1ull);
        }
    }
}
#endif /* TI_WITH_VARIANTS */

} /* extern "C" */
