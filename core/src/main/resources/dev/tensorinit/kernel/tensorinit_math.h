/*
 * tensorinit_math.h - the determinism contract's device math, written once for OpenCL C 1.2 and CUDA.
 * It mirrors dev.tensorinit.kernel.{Philox, F32Math, F64Math, Reference} operation for operation;
 * docs/determinism.md is the definition. Only +, -, *, /, sqrt and explicit fma appear, each
 * correctly rounded, so the results are the same bits on every IEEE-754 device. Build with
 * contraction off (OpenCL: #pragma OPENCL FP_CONTRACT OFF; nvcc: --fmad=false).
 *
 * The includer defines, before including:
 *   TI_FN                    function qualifier (OpenCL: inline; CUDA: static __device__ __forceinline__)
 *   ti_u32 ti_i32 ti_u64 ti_i64 ti_u16   integer types of exactly that width
 *   TI_FMAF(a,b,c) TI_SQRTF(x) TI_DIVF(a,b)      correctly rounded f32 fma / sqrt / divide
 *   TI_AS_FLOAT(u32) TI_AS_U32(float)            bit casts
 *   and, with TI_ENABLE_F64: TI_FMA TI_SQRT TI_DIV TI_AS_DOUBLE(u64) TI_AS_U64(double)
 */
#ifndef TENSORINIT_MATH_H
#define TENSORINIT_MATH_H

#define TI_KIND_UNIFORM 0
#define TI_KIND_NORMAL 1
#define TI_KIND_TRUNC_NORMAL 2
#define TI_KIND_CONSTANT 3
#define TI_KIND_LOG_OF_UNIFORM 4

/* Philox4x32-10 constants (Random123). */
#define TI_PHILOX_M0 0xD2511F53u
#define TI_PHILOX_M1 0xCD9E8D57u
#define TI_PHILOX_W0 0x9E3779B9u
#define TI_PHILOX_W1 0xBB67AE85u

typedef struct { ti_u32 x0, x1, x2, x3; } ti_words;

/* The kernel parameter block (KernelArgs): one per fill, identical for every backend. */
typedef struct { float scale, offset, lo, hi, plo, pspan, sign; } ti_params_f32;

/* Block `block` of stream `stream` under `seed`: counter (block lo, block hi, stream lo, stream hi), key (seed lo, seed hi). */
TI_FN ti_words ti_philox(ti_u64 block, ti_u64 stream, ti_u64 seed) {
    ti_u32 c0 = (ti_u32)block, c1 = (ti_u32)(block >> 32), c2 = (ti_u32)stream, c3 = (ti_u32)(stream >> 32);
    ti_u32 k0 = (ti_u32)seed, k1 = (ti_u32)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        /* A 32x32->64 product: on PoCL this was 3x faster than mul_hi, and GPUs compile it to mul.wide / mul.hi. */
        ti_u64 p0 = (ti_u64)TI_PHILOX_M0 * (ti_u64)c0;
        ti_u64 p1 = (ti_u64)TI_PHILOX_M1 * (ti_u64)c2;
        ti_u32 n0 = (ti_u32)(p1 >> 32) ^ c1 ^ k0;
        ti_u32 n2 = (ti_u32)(p0 >> 32) ^ c3 ^ k1;
        c1 = (ti_u32)p1;
        c3 = (ti_u32)p0;
        c0 = n0;
        c2 = n2;
        k0 += TI_PHILOX_W0;
        k1 += TI_PHILOX_W1;
    }
    ti_words w;
    w.x0 = c0; w.x1 = c1; w.x2 = c2; w.x3 = c3;
    return w;
}

TI_FN ti_u32 ti_word(ti_words w, int j) {
    return j == 0 ? w.x0 : j == 1 ? w.x1 : j == 2 ? w.x2 : w.x3;
}

/* ---- f32 ---------------------------------------------------------------------------------- */

/* (k + 1/2) * 2^-23 for the top 23 bits k, exactly: never 0 or 1. */
TI_FN float ti_uniform_f32(ti_u32 word) {
    return (TI_AS_FLOAT(0x3F800000u | (word >> 9)) - 1.0f) + 0x1p-24f;
}

/* log x for positive normal x: x = 2^e * m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m-1)/(m+1)). */
TI_FN float ti_log_f32(float x) {
    ti_u32 bits = TI_AS_U32(x);
    /* floor((bits - bits(sqrt(1/2))) / 2^23) without signed shifts: bias by 2^31 first. */
    ti_i32 e = (ti_i32)((bits - 0x3f3504f3u + 0x80000000u) >> 23) - 256;
    float m = TI_AS_FLOAT(bits - ((ti_u32)e << 23));
    float f = m - 1.0f;
    float s = TI_DIVF(f, m + 1.0f);
    float s2 = s * s;
    float p = TI_FMAF(s2, 0x1.745d18p-3f, 0x1.c71c72p-3f);
    p = TI_FMAF(p, s2, 0x1.24924ap-2f);
    p = TI_FMAF(p, s2, 0x1.99999ap-2f);
    p = TI_FMAF(p, s2, 0x1.555556p-1f);
    float lm = TI_FMAF(s * s2, p, s + s);
    float ef = (float)e;
    return TI_FMAF(ef, 0x1.63p-1f, TI_FMAF(ef, -0x1.bd0106p-13f, lm));
}

#define TI_P_MIN_F32 0x1p-26f
#define TI_P_MAX_F32 0x1.fffffep-1f

/* Standard normal quantile sqrt(2) * erfinv(2p - 1), Giles (2010) single precision, p in [P_MIN, P_MAX]. */
TI_FN float ti_ndtri_f32(float p) {
    float q = 1.0f - p;
    float x = p - q;
    float w = -ti_log_f32((4.0f * p) * q);
    float r;
    if (w < 5.0f) {
        float t = w - 2.5f;
        r = 0x1.e2cb1p-26f;
        r = TI_FMAF(r, t, 0x1.70966cp-22f);
        r = TI_FMAF(r, t, -0x1.d8e6aep-19f);
        r = TI_FMAF(r, t, -0x1.26b582p-18f);
        r = TI_FMAF(r, t, 0x1.ca65b6p-13f);
        r = TI_FMAF(r, t, -0x1.48a81p-10f);
        r = TI_FMAF(r, t, -0x1.11c9dep-8f);
        r = TI_FMAF(r, t, 0x1.f91ec6p-3f);
        r = TI_FMAF(r, t, 0x1.805c5ep+0f);
    } else {
        float t = TI_SQRTF(w) - 3.0f;
        r = -0x1.a3e136p-13f;
        r = TI_FMAF(r, t, 0x1.a76ad6p-14f);
        r = TI_FMAF(r, t, 0x1.61b8e4p-10f);
        r = TI_FMAF(r, t, -0x1.e17bcep-9f);
        r = TI_FMAF(r, t, 0x1.7824f6p-8f);
        r = TI_FMAF(r, t, -0x1.f38baep-8f);
        r = TI_FMAF(r, t, 0x1.354afcp-7f);
        r = TI_FMAF(r, t, 0x1.006db6p+0f);
        r = TI_FMAF(r, t, 0x1.6a9efcp+1f);
    }
    return (r * x) * 0x1.6a09e6p+0f;
}

/* Compare-and-select, not fmin/fmax: identical handling of signed zeros everywhere. */
TI_FN float ti_clamp_f32(float y, float lo, float hi) {
    y = y < lo ? lo : y;
    return y > hi ? hi : y;
}

/* The f32 value of an element whose Philox word is `word` (Reference.f32). */
TI_FN float ti_value_f32(int kind, ti_params_f32 P, ti_u32 word) {
    float y;
    if (kind == TI_KIND_UNIFORM) {
        y = TI_FMAF(ti_uniform_f32(word), P.scale, P.offset);
    } else if (kind == TI_KIND_NORMAL) {
        y = TI_FMAF(ti_ndtri_f32(ti_uniform_f32(word)), P.scale, P.offset);
    } else if (kind == TI_KIND_TRUNC_NORMAL) {
        float p = TI_FMAF(ti_uniform_f32(word), P.pspan, P.plo);
        p = p < TI_P_MIN_F32 ? TI_P_MIN_F32 : p;
        p = p > TI_P_MAX_F32 ? TI_P_MAX_F32 : p;
        y = TI_FMAF(ti_ndtri_f32(p) * P.sign, P.scale, P.offset);
    } else if (kind == TI_KIND_LOG_OF_UNIFORM) {
        /* The uniform's clamp, then the log: the result itself is not clamped. */
        return ti_log_f32(ti_clamp_f32(TI_FMAF(ti_uniform_f32(word), P.scale, P.offset), P.lo, P.hi));
    } else {
        return P.offset;
    }
    return ti_clamp_f32(y, P.lo, P.hi);
}

/* The value of global element `index` in f32 (for f32, bf16 and f16): word (index & 3) of block (index >> 2). */
TI_FN float ti_element_f32(int kind, ti_params_f32 P, ti_u64 seed, ti_u64 stream, ti_u64 index) {
    if (kind == TI_KIND_CONSTANT) return P.offset;
    ti_words w = ti_philox(index >> 2, stream, seed);
    return ti_value_f32(kind, P, ti_word(w, (int)(index & 3u)));
}

/* bfloat16, round to nearest even (finite input). */
TI_FN ti_u16 ti_to_bf16(float v) {
    ti_u32 b = TI_AS_U32(v);
    return (ti_u16)((b + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
}

/* IEEE binary16, round to nearest even, subnormals included (same bits as Java's Float.floatToFloat16). */
TI_FN ti_u16 ti_to_f16(float v) {
    ti_u32 b = TI_AS_U32(v);
    ti_u32 sign = (b >> 16) & 0x8000u;
    ti_u32 a = b & 0x7FFFFFFFu;
    if (a >= 0x477FF000u) {                 /* >= 65520 rounds to infinity; NaN stays NaN */
        return (ti_u16)(sign | (a > 0x7F800000u ? 0x7E00u : 0x7C00u));
    }
    if (a < 0x38800000u) {                  /* below 2^-14: binary16 subnormal or zero */
        if (a <= 0x33000000u) return (ti_u16)sign;   /* <= 2^-25 rounds to zero (the tie goes to even 0) */
        ti_u32 s = 126u - (a >> 23);        /* value = m * 2^(e-150); in units of 2^-24 that is m >> (126 - e) */
        ti_u32 m = (a & 0x7FFFFFu) | 0x800000u;
        ti_u32 q = m >> s;
        ti_u32 rem = m & ((1u << s) - 1u);
        ti_u32 halfway = 1u << (s - 1u);  /* not "half": a type name in OpenCL C */
        q += (rem > halfway || (rem == halfway && (q & 1u))) ? 1u : 0u;
        return (ti_u16)(sign | q);
    }
    ti_u32 r = a - 0x38000000u;             /* rebias the exponent from 127 to 15 */
    ti_u32 q = r >> 13;
    ti_u32 rem = r & 0x1FFFu;
    q += (rem > 0x1000u || (rem == 0x1000u && (q & 1u))) ? 1u : 0u;  /* a carry rolls into the exponent, as it should */
    return (ti_u16)(sign | q);
}

/* ---- f64 ---------------------------------------------------------------------------------- */
#ifdef TI_ENABLE_F64

typedef struct { double scale, offset, lo, hi, plo, pspan, sign; } ti_params_f64;

/* (k + 1/2) * 2^-52 with k = 26 high bits of w0, then 26 high bits of w1. */
TI_FN double ti_uniform_f64(ti_u32 w0, ti_u32 w1) {
    ti_u64 k = ((ti_u64)(w0 >> 6) << 26) | (ti_u64)(w1 >> 6);
    return (TI_AS_DOUBLE(0x3FF0000000000000ul | k) - 1.0) + 0x1p-53;
}

TI_FN double ti_log_f64(double x) {
    ti_u64 bits = TI_AS_U64(x);
    ti_i64 e = (ti_i64)((bits - 0x3fe6a09e667f3bcdul + 0x8000000000000000ul) >> 52) - 2048;
    double m = TI_AS_DOUBLE(bits - ((ti_u64)e << 52));
    double f = m - 1.0;
    double s = TI_DIV(f, m + 1.0);
    double s2 = s * s;
    double p = 0x1.642c8590b2164p-4;
    p = TI_FMA(p, s2, 0x1.8618618618618p-4);
    p = TI_FMA(p, s2, 0x1.af286bca1af28p-4);
    p = TI_FMA(p, s2, 0x1.e1e1e1e1e1e1ep-4);
    p = TI_FMA(p, s2, 0x1.1111111111111p-3);
    p = TI_FMA(p, s2, 0x1.3b13b13b13b14p-3);
    p = TI_FMA(p, s2, 0x1.745d1745d1746p-3);
    p = TI_FMA(p, s2, 0x1.c71c71c71c71cp-3);
    p = TI_FMA(p, s2, 0x1.2492492492492p-2);
    p = TI_FMA(p, s2, 0x1.999999999999ap-2);
    p = TI_FMA(p, s2, 0x1.5555555555555p-1);
    double lm = TI_FMA(s * s2, p, s + s);
    double ef = (double)e;
    return TI_FMA(ef, 0x1.62e42feep-1, TI_FMA(ef, 0x1.a39ef35793c76p-33, lm));
}

#define TI_P_MIN_F64 0x1p-54
#define TI_P_MAX_F64 0x1.fffffffffffffp-1

/* Giles (2010) double precision: w < 6.25, w < 16, else. */
TI_FN double ti_ndtri_f64(double p) {
    double q = 1.0 - p;
    double x = p - q;
    double w = -ti_log_f64((4.0 * p) * q);
    double r, t;
    if (w < 6.25) {
        t = w - 3.125;
        r = -0x1.135d2e746e627p-68;
        r = TI_FMA(r, t, -0x1.8ddf93324d327p-63);
        r = TI_FMA(r, t, 0x1.7b83eef0b7c9fp-60);
        r = TI_FMA(r, t, 0x1.9ba72cd589b91p-57);
        r = TI_FMA(r, t, -0x1.33689090a6b96p-53);
        r = TI_FMA(r, t, 0x1.82e11898132e0p-56);
        r = TI_FMA(r, t, 0x1.de4acfd9e26bap-48);
        r = TI_FMA(r, t, -0x1.6d33eed66c487p-45);
        r = TI_FMA(r, t, -0x1.6f2167040d8e2p-44);
        r = TI_FMA(r, t, 0x1.72a22c2d77e20p-39);
        r = TI_FMA(r, t, -0x1.c8859c4e5c0afp-37);
        r = TI_FMA(r, t, -0x1.dc583d118a561p-35);
        r = TI_FMA(r, t, 0x1.20f47ccf46b3cp-30);
        r = TI_FMA(r, t, -0x1.1a9e38dc84d60p-28);
        r = TI_FMA(r, t, -0x1.f36cd6d3d46a9p-26);
        r = TI_FMA(r, t, 0x1.c6b4f5d03b787p-22);
        r = TI_FMA(r, t, -0x1.6e8a5434ae8a2p-20);
        r = TI_FMA(r, t, -0x1.d1d1f7b8736f6p-17);
        r = TI_FMA(r, t, 0x1.879c2a212f024p-13);
        r = TI_FMA(r, t, -0x1.845769484fca8p-11);
        r = TI_FMA(r, t, -0x1.8b6c33114f909p-8);
        r = TI_FMA(r, t, 0x1.ebd80d9b13e28p-3);
        r = TI_FMA(r, t, 0x1.a755e7c99ae86p+0);
    } else if (w < 16.0) {
        t = TI_SQRT(w) - 3.25;
        r = 0x1.3040f87dbd932p-29;
        r = TI_FMA(r, t, 0x1.85cbe52878635p-24);
        r = TI_FMA(r, t, -0x1.2777453dd3955p-22);
        r = TI_FMA(r, t, 0x1.395abcd554c6cp-26);
        r = TI_FMA(r, t, 0x1.936388a3790adp-20);
        r = TI_FMA(r, t, -0x1.0d5db812b5083p-18);
        r = TI_FMA(r, t, 0x1.8860cd5d652f6p-19);
        r = TI_FMA(r, t, 0x1.a29a0cacdfb23p-17);
        r = TI_FMA(r, t, -0x1.8cef1f80281f2p-15);
        r = TI_FMA(r, t, 0x1.1e684d0b9188ap-14);
        r = TI_FMA(r, t, 0x1.932cd54c8a222p-16);
        r = TI_FMA(r, t, -0x1.7448a89ef8aa3p-12);
        r = TI_FMA(r, t, 0x1.f3cc55ad40c25p-11);
        r = TI_FMA(r, t, -0x1.ba924132f38b1p-10);
        r = TI_FMA(r, t, 0x1.468eeca533cf8p-9);
        r = TI_FMA(r, t, -0x1.ebadabb891bbdp-9);
        r = TI_FMA(r, t, 0x1.5ffcfe5b76afcp-8);
        r = TI_FMA(r, t, 0x1.0158a6d641d39p+0);
        r = TI_FMA(r, t, 0x1.8abcc380d5a48p+1);
    } else {
        t = TI_SQRT(w) - 5.0;
        r = -0x1.dcec3a7785389p-36;
        r = TI_FMA(r, t, -0x1.18feec0e38727p-32);
        r = TI_FMA(r, t, 0x1.9e6bf2dda45e3p-30);
        r = TI_FMA(r, t, -0x1.0468fb24e2f5fp-28);
        r = TI_FMA(r, t, 0x1.05ac6a8fba182p-27);
        r = TI_FMA(r, t, -0x1.0102e495fb9c0p-26);
        r = TI_FMA(r, t, 0x1.f4c20e1334af8p-26);
        r = TI_FMA(r, t, -0x1.22d220fdf9c3ep-24);
        r = TI_FMA(r, t, 0x1.ebc8bb824cb54p-23);
        r = TI_FMA(r, t, -0x1.0a8d40ea372ccp-20);
        r = TI_FMA(r, t, 0x1.2fbd29d093d2bp-18);
        r = TI_FMA(r, t, -0x1.4a3497e1e0facp-16);
        r = TI_FMA(r, t, 0x1.3ebf4eb00938fp-14);
        r = TI_FMA(r, t, -0x1.c2f36a8fc5d53p-13);
        r = TI_FMA(r, t, -0x1.22ea5df04047cp-13);
        r = TI_FMA(r, t, 0x1.02a30d1fba0dcp+0);
        r = TI_FMA(r, t, 0x1.3664ddd1ad7fbp+2);
    }
    return (r * x) * 0x1.6a09e667f3bcdp+0;
}

TI_FN double ti_clamp_f64(double y, double lo, double hi) {
    y = y < lo ? lo : y;
    return y > hi ? hi : y;
}

TI_FN double ti_value_f64(int kind, ti_params_f64 P, ti_u32 w0, ti_u32 w1) {
    double y;
    if (kind == TI_KIND_UNIFORM) {
        y = TI_FMA(ti_uniform_f64(w0, w1), P.scale, P.offset);
    } else if (kind == TI_KIND_NORMAL) {
        y = TI_FMA(ti_ndtri_f64(ti_uniform_f64(w0, w1)), P.scale, P.offset);
    } else if (kind == TI_KIND_TRUNC_NORMAL) {
        double p = TI_FMA(ti_uniform_f64(w0, w1), P.pspan, P.plo);
        p = p < TI_P_MIN_F64 ? TI_P_MIN_F64 : p;
        p = p > TI_P_MAX_F64 ? TI_P_MAX_F64 : p;
        y = TI_FMA(ti_ndtri_f64(p) * P.sign, P.scale, P.offset);
    } else if (kind == TI_KIND_LOG_OF_UNIFORM) {
        return ti_log_f64(ti_clamp_f64(TI_FMA(ti_uniform_f64(w0, w1), P.scale, P.offset), P.lo, P.hi));
    } else {
        return P.offset;
    }
    return ti_clamp_f64(y, P.lo, P.hi);
}

/* The f64 value of global element `index`: words (2j, 2j+1), j = index & 1, of block (index >> 1). */
TI_FN double ti_element_f64(int kind, ti_params_f64 P, ti_u64 seed, ti_u64 stream, ti_u64 index) {
    if (kind == TI_KIND_CONSTANT) return P.offset;
    ti_words w = ti_philox(index >> 1, stream, seed);
    return (index & 1u) ? ti_value_f64(kind, P, w.x2, w.x3) : ti_value_f64(kind, P, w.x0, w.x1);
}

#endif /* TI_ENABLE_F64 */
#endif /* TENSORINIT_MATH_H */
