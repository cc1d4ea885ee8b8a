// SHA-256 (FIPS 180-4) for the log's chain hashes: one call per record, no allocation, the SHA extensions where
// the processor has them. Checked against swift-crypto's SHA256 in Tests/EventLogTests/SHA256ChainTests.swift.
#include "csha256.h"
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static inline uint32_t load_be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void software(uint32_t h[8], const unsigned char *p, size_t blocks) {
    for (; blocks > 0; blocks--, p += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) w[t] = load_be32(p + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
// No compiler flags on this target (as in CCRC32C): the hardware function alone is compiled for the instructions
// with a target attribute and chosen at run time.

// Four rounds: the message words of group g (computed from the four before it from g = 4 on), plus the constants.
#define SHA_GROUP(g)                                                                                              \
    do {                                                                                                         \
        if ((g) < 4) {                                                                                           \
            m[(g) & 3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (g))), swap);              \
        } else {                                                                                                 \
            __m128i x = _mm_sha256msg1_epu32(m[(g) & 3], m[((g) + 1) & 3]);                                     \
            x = _mm_add_epi32(x, _mm_alignr_epi8(m[((g) + 3) & 3], m[((g) + 2) & 3], 4));                         \
            m[(g) & 3] = _mm_sha256msg2_epu32(x, m[((g) + 3) & 3]);                                              \
        }                                                                                                        \
        __m128i k = _mm_add_epi32(m[(g) & 3], _mm_loadu_si128((const __m128i *)(K + 4 * (g))));                   \
        state1 = _mm_sha256rnds2_epu32(state1, state0, k);                                                       \
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(k, 0x0E));                              \
    } while (0)

__attribute__((target("sha,ssse3,sse4.1")))
static void hardware(uint32_t h[8], const unsigned char *p, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);       // DCBA
    __m128i state1 = _mm_loadu_si128((const __m128i *)&h[4]);    // HGFE
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                          // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);                    // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);            // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);                 // CDGH
    for (; blocks > 0; blocks--, p += 64) {
        __m128i save0 = state0, save1 = state1;
        __m128i m[4];
        SHA_GROUP(0); SHA_GROUP(1); SHA_GROUP(2); SHA_GROUP(3);
        SHA_GROUP(4); SHA_GROUP(5); SHA_GROUP(6); SHA_GROUP(7);
        SHA_GROUP(8); SHA_GROUP(9); SHA_GROUP(10); SHA_GROUP(11);
        SHA_GROUP(12); SHA_GROUP(13); SHA_GROUP(14); SHA_GROUP(15);
        state0 = _mm_add_epi32(state0, save0);
        state1 = _mm_add_epi32(state1, save1);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);                       // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);                    // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);                 // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);                    // HGFE
    _mm_storeu_si128((__m128i *)&h[0], state0);
    _mm_storeu_si128((__m128i *)&h[4], state1);
}
// Two independent messages at once: one message's rounds are a chain of dependent `sha256rnds2`, bound by their
// latency; interleaving a second message's rounds fills the gaps (1.85x the throughput of one at a time, measured).
#define SHA_GROUP2(g)                                                                                             \
    do {                                                                                                         \
        if ((g) < 4) {                                                                                           \
            a[(g) & 3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * (g))), swap);              \
            b[(g) & 3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(q + 16 * (g))), swap);              \
        } else {                                                                                                 \
            __m128i x = _mm_sha256msg1_epu32(a[(g) & 3], a[((g) + 1) & 3]);                                     \
            __m128i y = _mm_sha256msg1_epu32(b[(g) & 3], b[((g) + 1) & 3]);                                     \
            x = _mm_add_epi32(x, _mm_alignr_epi8(a[((g) + 3) & 3], a[((g) + 2) & 3], 4));                         \
            y = _mm_add_epi32(y, _mm_alignr_epi8(b[((g) + 3) & 3], b[((g) + 2) & 3], 4));                         \
            a[(g) & 3] = _mm_sha256msg2_epu32(x, a[((g) + 3) & 3]);                                              \
            b[(g) & 3] = _mm_sha256msg2_epu32(y, b[((g) + 3) & 3]);                                              \
        }                                                                                                        \
        __m128i kk = _mm_loadu_si128((const __m128i *)(K + 4 * (g)));                                            \
        __m128i ka = _mm_add_epi32(a[(g) & 3], kk), kb = _mm_add_epi32(b[(g) & 3], kk);                          \
        a1 = _mm_sha256rnds2_epu32(a1, a0, ka);                                                                  \
        b1 = _mm_sha256rnds2_epu32(b1, b0, kb);                                                                  \
        a0 = _mm_sha256rnds2_epu32(a0, a1, _mm_shuffle_epi32(ka, 0x0E));                                         \
        b0 = _mm_sha256rnds2_epu32(b0, b1, _mm_shuffle_epi32(kb, 0x0E));                                         \
    } while (0)

__attribute__((target("sha,ssse3,sse4.1")))
static inline void load_state(const uint32_t h[8], __m128i *s0, __m128i *s1) {
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);
    __m128i t1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);
    *s0 = _mm_alignr_epi8(tmp, t1, 8);
    *s1 = _mm_blend_epi16(t1, tmp, 0xF0);
}

__attribute__((target("sha,ssse3,sse4.1")))
static inline void store_state(uint32_t h[8], __m128i s0, __m128i s1) {
    __m128i tmp = _mm_shuffle_epi32(s0, 0x1B);
    s1 = _mm_shuffle_epi32(s1, 0xB1);
    _mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(tmp, s1, 0xF0));
    _mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(s1, tmp, 8));
}

/// `blocks` blocks of each of two messages, interleaved.
__attribute__((target("sha,ssse3,sse4.1")))
static void hardware2(uint32_t h[8], const unsigned char *p, uint32_t k[8], const unsigned char *q, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i a0, a1, b0, b1;
    load_state(h, &a0, &a1);
    load_state(k, &b0, &b1);
    for (; blocks > 0; blocks--, p += 64, q += 64) {
        __m128i sa0 = a0, sa1 = a1, sb0 = b0, sb1 = b1;
        __m128i a[4], b[4];
        SHA_GROUP2(0); SHA_GROUP2(1); SHA_GROUP2(2); SHA_GROUP2(3);
        SHA_GROUP2(4); SHA_GROUP2(5); SHA_GROUP2(6); SHA_GROUP2(7);
        SHA_GROUP2(8); SHA_GROUP2(9); SHA_GROUP2(10); SHA_GROUP2(11);
        SHA_GROUP2(12); SHA_GROUP2(13); SHA_GROUP2(14); SHA_GROUP2(15);
        a0 = _mm_add_epi32(a0, sa0); a1 = _mm_add_epi32(a1, sa1);
        b0 = _mm_add_epi32(b0, sb0); b1 = _mm_add_epi32(b1, sb1);
    }
    store_state(h, a0, a1);
    store_state(k, b0, b1);
}

static int has_hardware(void) {
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}
#else
static void hardware(uint32_t h[8], const unsigned char *p, size_t blocks) { software(h, p, blocks); }
static void hardware2(uint32_t h[8], const unsigned char *p, uint32_t k[8], const unsigned char *q, size_t blocks) {
    software(h, p, blocks); software(k, q, blocks);
}
static int has_hardware(void) { return 0; }
#endif

static int mode = -1;    // -1 unknown, 0 software, 1 hardware
static int allowed = 1;

int csha256_is_hardware(void) {
    int m = __atomic_load_n(&mode, __ATOMIC_RELAXED);
    if (m < 0) { m = has_hardware() ? 1 : 0; __atomic_store_n(&mode, m, __ATOMIC_RELAXED); }
    return m && __atomic_load_n(&allowed, __ATOMIC_RELAXED);
}

void csha256_allow_hardware(int allow) { __atomic_store_n(&allowed, allow ? 1 : 0, __ATOMIC_RELAXED); }

typedef struct {
    uint32_t h[8];
    uint64_t length;
    unsigned char buffer[64];
    size_t used;
    void (*compress)(uint32_t h[8], const unsigned char *p, size_t blocks);
} context;

static void update(context *c, const unsigned char *p, size_t n) {
    c->length += n;
    if (c->used > 0) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->buffer + c->used, p, take);
        c->used += take; p += take; n -= take;
        if (c->used < 64) return;
        c->compress(c->h, c->buffer, 1);
        c->used = 0;
    }
    if (n >= 64) { c->compress(c->h, p, n / 64); p += n & ~(size_t)63; n &= 63; }
    if (n > 0) { memcpy(c->buffer, p, n); c->used = n; }
}

void csha256_digest3(const void *a, size_t a_length, const void *b, size_t b_length, const void *cc, size_t c_length,
                     void *digest) {
    context c = {
        .h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
        .length = 0, .used = 0,
        .compress = csha256_is_hardware() ? hardware : software,
    };
    if (a_length) update(&c, a, a_length);
    if (b_length) update(&c, b, b_length);
    if (c_length) update(&c, cc, c_length);
    uint64_t bits = c.length * 8;
    c.buffer[c.used++] = 0x80;
    if (c.used > 56) { memset(c.buffer + c.used, 0, 64 - c.used); c.compress(c.h, c.buffer, 1); c.used = 0; }
    memset(c.buffer + c.used, 0, 56 - c.used);
    for (int i = 0; i < 8; i++) c.buffer[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    c.compress(c.h, c.buffer, 1);
    unsigned char *out = digest;
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c.h[i] >> 24); out[4 * i + 1] = (unsigned char)(c.h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c.h[i] >> 8); out[4 * i + 3] = (unsigned char)c.h[i];
    }
}

/// Messages up to this many bytes are hashed in pairs (assembled and padded on the stack); longer ones one by one.
#define PAIR_LIMIT 4096

/// The three parts, assembled and padded to whole blocks in `out`; returns the number of blocks.
static size_t assemble(const void *a, size_t al, const void *b, size_t bl, const void *c, size_t cl, unsigned char *out) {
    size_t n = al + bl + cl;
    if (al) memcpy(out, a, al);
    if (bl) memcpy(out + al, b, bl);
    if (cl) memcpy(out + al + bl, c, cl);
    size_t blocks = (n + 9 + 63) / 64;
    out[n] = 0x80;
    memset(out + n + 1, 0, blocks * 64 - n - 1);
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++) out[blocks * 64 - 8 + i] = (unsigned char)(bits >> (56 - 8 * i));
    return blocks;
}

static void store_digest(const uint32_t h[8], void *digest) {
    unsigned char *out = digest;
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h[i] >> 24); out[4 * i + 1] = (unsigned char)(h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h[i] >> 8); out[4 * i + 3] = (unsigned char)h[i];
    }
}

void csha256_digest3x2(const void *a1, size_t a1_length, const void *b1, size_t b1_length, const void *c1, size_t c1_length,
                       void *digest1,
                       const void *a2, size_t a2_length, const void *b2, size_t b2_length, const void *c2, size_t c2_length,
                       void *digest2) {
    size_t n1 = a1_length + b1_length + c1_length, n2 = a2_length + b2_length + c2_length;
    if (!csha256_is_hardware() || n1 > PAIR_LIMIT || n2 > PAIR_LIMIT) {
        csha256_digest3(a1, a1_length, b1, b1_length, c1, c1_length, digest1);
        csha256_digest3(a2, a2_length, b2, b2_length, c2, c2_length, digest2);
        return;
    }
    unsigned char m1[PAIR_LIMIT + 128], m2[PAIR_LIMIT + 128];
    size_t k1 = assemble(a1, a1_length, b1, b1_length, c1, c1_length, m1);
    size_t k2 = assemble(a2, a2_length, b2, b2_length, c2, c2_length, m2);
    uint32_t h1[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint32_t h2[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t both = k1 < k2 ? k1 : k2;
    hardware2(h1, m1, h2, m2, both);
    if (k1 > both) hardware(h1, m1 + 64 * both, k1 - both);
    if (k2 > both) hardware(h2, m2 + 64 * both, k2 - both);
    store_digest(h1, digest1);
    store_digest(h2, digest2);
}
