/*
 * tensorinit.cl - OpenCL C 1.2 entry points. The host replaces the marker line below with the text
 * of the shared header dev/tensorinit/kernel/tensorinit_math.h from core (#include paths are
 * unreliable across OpenCL drivers) and builds with
 * -cl-fp32-correctly-rounded-divide-sqrt where the device offers it, never with relaxed-math flags.
 * -D TI_FP64 is passed only when the device has cl_khr_fp64.
 *
 * One kernel per dtype, all with the same shape: a 2-D NDRange over (work-item slot within a row,
 * row). A row is a contiguous run of global elements [first + r*rowStride, + width) written to
 * out[dst0 + r*width ...]; a plain range is one row. Each work-item computes TI_BPI Philox blocks
 * (f32 family; f64 always one) and writes the elements of them that fall inside its row, so the
 * work-group size never changes a value: it only decides which work-item computes which block.
 * All indices are 64-bit.
 */
#pragma OPENCL FP_CONTRACT OFF
#ifdef TI_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define TI_ENABLE_F64 1
#endif

#define TI_FN static inline
typedef uint ti_u32;
typedef int ti_i32;
typedef ulong ti_u64;
typedef long ti_i64;
typedef ushort ti_u16;
/* OpenCL's fma is correctly rounded by the spec; sqrt and / are correctly rounded only with
 * -cl-fp32-correctly-rounded-divide-sqrt (single) and always (double). */
#define TI_FMAF(a, b, c) fma((float)(a), (float)(b), (float)(c))
#define TI_SQRTF(x) sqrt((float)(x))
#define TI_DIVF(a, b) ((a) / (b))
#define TI_AS_FLOAT(u) as_float((uint)(u))
#define TI_AS_U32(f) as_uint((float)(f))
#ifdef TI_FP64
#define TI_FMA(a, b, c) fma((double)(a), (double)(b), (double)(c))
#define TI_SQRT(x) sqrt((double)(x))
#define TI_DIV(a, b) ((a) / (b))
#define TI_AS_DOUBLE(u) as_double((ulong)(u))
#define TI_AS_U64(d) as_ulong((double)(d))
#endif

@TENSORINIT_MATH_H@

TI_FN float ti_identity(float v) { return v; }

#ifndef TI_BPI
#define TI_BPI 1
#endif

#if TI_BPI == 4
/*
 * Four consecutive Philox blocks b..b+3 in the lanes of uint4: ti_philox's operations, lane by lane,
 * so the words are the same bits. On CPU devices (PoCL), whose work-item loop vectorizer did not
 * manage this on its own, explicit 4-lane code ran Philox 2.3x faster than one block per work-item;
 * GPUs use TI_BPI 1 (coalesced stores, the header's scalar code).
 */
TI_FN void ti_philox4(ulong b, ulong stream, ulong seed, uint4* o0, uint4* o1, uint4* o2, uint4* o3) {
    ulong4 blk = (ulong4)(b) + (ulong4)(0, 1, 2, 3);
    uint4 c0 = convert_uint4(blk), c1 = convert_uint4(blk >> 32);
    uint4 c2 = (uint4)((uint)stream), c3 = (uint4)((uint)(stream >> 32));
    uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        ulong4 p0 = convert_ulong4(c0) * (ulong4)((ulong)TI_PHILOX_M0);
        ulong4 p1 = convert_ulong4(c2) * (ulong4)((ulong)TI_PHILOX_M1);
        uint4 n0 = convert_uint4(p1 >> 32) ^ c1 ^ (uint4)(k0);
        uint4 n2 = convert_uint4(p0 >> 32) ^ c3 ^ (uint4)(k1);
        c1 = convert_uint4(p1);
        c3 = convert_uint4(p0);
        c0 = n0;
        c2 = n2;
        k0 += TI_PHILOX_W0;
        k1 += TI_PHILOX_W1;
    }
    *o0 = c0; *o1 = c1; *o2 = c2; *o3 = c3;
}

/*
 * The f32 transforms of the header on four lanes at once, operation for operation (so the same bits
 * per lane): ti_uniform_f32, ti_log_f32, ti_ndtri_f32 (both branches computed, then selected per
 * lane) and ti_value_f32. Compare-and-select keeps the scalar code's ternaries, signed zeros included.
 */
TI_FN float4 ti_uniform4_f32(uint4 w) {
    return (as_float4((uint4)(0x3F800000u) | (w >> 9)) - (float4)(1.0f)) + (float4)(0x1p-24f);
}

TI_FN float4 ti_log4_f32(float4 x) {
    uint4 bits = as_uint4(x);
    int4 e = as_int4((bits - (uint4)(0x3f3504f3u) + (uint4)(0x80000000u)) >> 23) - (int4)(256);
    float4 m = as_float4(bits - (as_uint4(e) << 23));
    float4 f = m - (float4)(1.0f);
    float4 s = f / (m + (float4)(1.0f));
    float4 s2 = s * s;
    float4 p = fma(s2, (float4)(0x1.745d18p-3f), (float4)(0x1.c71c72p-3f));
    p = fma(p, s2, (float4)(0x1.24924ap-2f));
    p = fma(p, s2, (float4)(0x1.99999ap-2f));
    p = fma(p, s2, (float4)(0x1.555556p-1f));
    float4 lm = fma(s * s2, p, s + s);
    float4 ef = convert_float4(e);
    return fma(ef, (float4)(0x1.63p-1f), fma(ef, (float4)(-0x1.bd0106p-13f), lm));
}

TI_FN float4 ti_ndtri4_f32(float4 p) {
    float4 q = (float4)(1.0f) - p;
    float4 x = p - q;
    float4 w = -ti_log4_f32(((float4)(4.0f) * p) * q);
    float4 t = w - (float4)(2.5f);
    float4 r = (float4)(0x1.e2cb1p-26f);
    r = fma(r, t, (float4)(0x1.70966cp-22f));
    r = fma(r, t, (float4)(-0x1.d8e6aep-19f));
    r = fma(r, t, (float4)(-0x1.26b582p-18f));
    r = fma(r, t, (float4)(0x1.ca65b6p-13f));
    r = fma(r, t, (float4)(-0x1.48a81p-10f));
    r = fma(r, t, (float4)(-0x1.11c9dep-8f));
    r = fma(r, t, (float4)(0x1.f91ec6p-3f));
    r = fma(r, t, (float4)(0x1.805c5ep+0f));
    float4 u = sqrt(w) - (float4)(3.0f);
    float4 v = (float4)(-0x1.a3e136p-13f);
    v = fma(v, u, (float4)(0x1.a76ad6p-14f));
    v = fma(v, u, (float4)(0x1.61b8e4p-10f));
    v = fma(v, u, (float4)(-0x1.e17bcep-9f));
    v = fma(v, u, (float4)(0x1.7824f6p-8f));
    v = fma(v, u, (float4)(-0x1.f38baep-8f));
    v = fma(v, u, (float4)(0x1.354afcp-7f));
    v = fma(v, u, (float4)(0x1.006db6p+0f));
    v = fma(v, u, (float4)(0x1.6a9efcp+1f));
    r = select(v, r, w < (float4)(5.0f));
    return (r * x) * (float4)(0x1.6a09e6p+0f);
}

TI_FN float4 ti_value4_f32(int kind, ti_params_f32 P, uint4 word) {
    float4 y;
    if (kind == TI_KIND_UNIFORM) {
        y = fma(ti_uniform4_f32(word), (float4)(P.scale), (float4)(P.offset));
    } else if (kind == TI_KIND_NORMAL) {
        y = fma(ti_ndtri4_f32(ti_uniform4_f32(word)), (float4)(P.scale), (float4)(P.offset));
    } else if (kind == TI_KIND_TRUNC_NORMAL) {
        float4 p = fma(ti_uniform4_f32(word), (float4)(P.pspan), (float4)(P.plo));
        p = select(p, (float4)(TI_P_MIN_F32), p < (float4)(TI_P_MIN_F32));
        p = select(p, (float4)(TI_P_MAX_F32), p > (float4)(TI_P_MAX_F32));
        y = fma(ti_ndtri4_f32(p) * (float4)(P.sign), (float4)(P.scale), (float4)(P.offset));
    } else if (kind == TI_KIND_LOG_OF_UNIFORM) {
        y = fma(ti_uniform4_f32(word), (float4)(P.scale), (float4)(P.offset));
        y = select(y, (float4)(P.lo), y < (float4)(P.lo));
        return ti_log4_f32(select(y, (float4)(P.hi), y > (float4)(P.hi)));
    } else {
        return (float4)(P.offset);
    }
    y = select(y, (float4)(P.lo), y < (float4)(P.lo));
    return select(y, (float4)(P.hi), y > (float4)(P.hi));
}
#endif

/* Writes the values v0..v3 of the block whose first global index is gb that lie in [rowFirst, rowEnd). */
#define TI_WRITE_VALUES(T, T4, CONV, e0, e1, e2, e3, gb)                                               \
    {                                                                                                  \
        float v0 = (e0), v1 = (e1), v2 = (e2), v3 = (e3);                                              \
        ulong g = (gb);                                                                                \
        if (g >= rowFirst && g + 4 <= rowEnd) {                                                        \
            vstore4((T4)(CONV(v0), CONV(v1), CONV(v2), CONV(v3)), 0, dst + (g - rowFirst));            \
        } else { /* the block straddles the row's head or tail: write only its elements in the row */  \
            if (g >= rowFirst && g < rowEnd) dst[g - rowFirst] = CONV(v0);                             \
            if (g + 1 >= rowFirst && g + 1 < rowEnd) dst[g + 1 - rowFirst] = CONV(v1);                 \
            if (g + 2 >= rowFirst && g + 2 < rowEnd) dst[g + 2 - rowFirst] = CONV(v2);                 \
            if (g + 3 >= rowFirst && g + 3 < rowEnd) dst[g + 3 - rowFirst] = CONV(v3);                 \
        }                                                                                              \
    }

#if TI_BPI == 4
/* Work-item `slot` of a row computes blocks (rowFirst >> 2) + 4*slot .. + 3. */
#define TI_BLOCKS_OF_ITEM(T, T4, CONV)                                                                 \
    ulong b0 = (rowFirst >> 2) + slot * 4;                                                             \
    if (slot >= slots || (b0 << 2) >= rowEnd) return;                                                  \
    uint4 c0 = (uint4)(0u), c1 = (uint4)(0u), c2 = (uint4)(0u), c3 = (uint4)(0u);                      \
    if (kind != TI_KIND_CONSTANT) ti_philox4(b0, stream, seed, &c0, &c1, &c2, &c3);                    \
    /* aK holds word K of blocks b0..b0+3, so block j's values are (a0.sj, a1.sj, a2.sj, a3.sj) */     \
    float4 a0 = ti_value4_f32(kind, P, c0), a1 = ti_value4_f32(kind, P, c1);                           \
    float4 a2 = ti_value4_f32(kind, P, c2), a3 = ti_value4_f32(kind, P, c3);                           \
    TI_WRITE_VALUES(T, T4, CONV, a0.s0, a1.s0, a2.s0, a3.s0, b0 << 2)                                  \
    TI_WRITE_VALUES(T, T4, CONV, a0.s1, a1.s1, a2.s1, a3.s1, (b0 + 1) << 2)                            \
    TI_WRITE_VALUES(T, T4, CONV, a0.s2, a1.s2, a2.s2, a3.s2, (b0 + 2) << 2)                            \
    TI_WRITE_VALUES(T, T4, CONV, a0.s3, a1.s3, a2.s3, a3.s3, (b0 + 3) << 2)
#else
/* Work-item `slot` of a row computes block (rowFirst >> 2) + slot. */
#define TI_BLOCKS_OF_ITEM(T, T4, CONV)                                                                 \
    ulong b0 = (rowFirst >> 2) + slot;                                                                 \
    if (slot >= slots || (b0 << 2) >= rowEnd) return;                                                  \
    ti_words w;                                                                                        \
    if (kind == TI_KIND_CONSTANT) { w.x0 = 0u; w.x1 = 0u; w.x2 = 0u; w.x3 = 0u; }                      \
    else { w = ti_philox(b0, stream, seed); }                                                          \
    TI_WRITE_VALUES(T, T4, CONV, ti_value_f32(kind, P, w.x0), ti_value_f32(kind, P, w.x1),             \
                    ti_value_f32(kind, P, w.x2), ti_value_f32(kind, P, w.x3), b0 << 2)
#endif

/*
 * f32-family kernels (f32, bf16, f16): element g uses word (g & 3) of block (g >> 2).
 * Arguments: out, dst0, first, rowStride, width, slots (work-items per row), seed, stream, kind,
 * then the parameter block scale, offset, lo, hi, plo, pspan, sign.
 */
#define TI_F32_FAMILY_KERNEL(NAME, T, T4, CONV)                                                        \
__kernel void NAME(__global T* out, ulong dst0, ulong first, ulong rowStride, ulong width, ulong slots, \
                   ulong seed, ulong stream, int kind,                                                 \
                   float scale, float offset, float lo, float hi, float plo, float pspan, float sign) { \
    ulong slot = get_global_id(0);                                                                     \
    ulong r = get_global_id(1);                                                                        \
    ulong rowFirst = first + r * rowStride;                                                            \
    ulong rowEnd = rowFirst + width;                                                                   \
    __global T* dst = out + (dst0 + r * width);                                                        \
    ti_params_f32 P;                                                                                   \
    P.scale = scale; P.offset = offset; P.lo = lo; P.hi = hi; P.plo = plo; P.pspan = pspan; P.sign = sign; \
    TI_BLOCKS_OF_ITEM(T, T4, CONV)                                                                     \
}

TI_F32_FAMILY_KERNEL(ti_fill_f32, float, float4, ti_identity)
TI_F32_FAMILY_KERNEL(ti_fill_bf16, ushort, ushort4, ti_to_bf16)
TI_F32_FAMILY_KERNEL(ti_fill_f16, ushort, ushort4, ti_to_f16)

#ifdef TI_FP64
/* f64: element g uses words (2j, 2j+1), j = g & 1, of block (g >> 1). Same arguments, double parameters. */
__kernel void ti_fill_f64(__global double* out, ulong dst0, ulong first, ulong rowStride, ulong width, ulong slots,
                          ulong seed, ulong stream, int kind,
                          double scale, double offset, double lo, double hi, double plo, double pspan, double sign) {
    ulong slot = get_global_id(0);
    ulong r = get_global_id(1);
    ulong rowFirst = first + r * rowStride;
    ulong rowEnd = rowFirst + width;
    ulong g0 = ((rowFirst >> 1) + slot) << 1;
    if (slot >= slots || g0 >= rowEnd) return;
    ti_params_f64 P;
    P.scale = scale; P.offset = offset; P.lo = lo; P.hi = hi; P.plo = plo; P.pspan = pspan; P.sign = sign;
    ti_words w;
    if (kind == TI_KIND_CONSTANT) { w.x0 = 0u; w.x1 = 0u; w.x2 = 0u; w.x3 = 0u; }
    else { w = ti_philox(g0 >> 1, stream, seed); }
    double v0 = ti_value_f64(kind, P, w.x0, w.x1);
    double v1 = ti_value_f64(kind, P, w.x2, w.x3);
    __global double* dst = out + (dst0 + r * width);
    if (g0 >= rowFirst && g0 + 2 <= rowEnd) {
        vstore2((double2)(v0, v1), 0, dst + (g0 - rowFirst));
    } else {
        if (g0 >= rowFirst && g0 < rowEnd) dst[g0 - rowFirst] = v0;
        if (g0 + 1 >= rowFirst && g0 + 1 < rowEnd) dst[g0 + 1 - rowFirst] = v1;
    }
}
#endif
