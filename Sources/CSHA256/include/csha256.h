#ifndef CSHA256_H
#define CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// SHA-256 of `a` (`a_length` bytes), then `b`, then `c`, written as 32 bytes to `digest`: one call for a record's
/// chain hash (the previous hash, the body before its hash field, the body after it), with no allocation.
/// Uses the x86 SHA extensions when the CPU has them, and portable C otherwise.
void csha256_digest3(const void *a, size_t a_length, const void *b, size_t b_length, const void *c, size_t c_length,
                     void *digest);

/// Two independent digests as ``csha256_digest3`` computes them, interleaved where the SHA instructions are used
/// (the second message's rounds fill the latency of the first's): for checking two records' chain hashes at once.
void csha256_digest3x2(const void *a1, size_t a1_length, const void *b1, size_t b1_length, const void *c1, size_t c1_length,
                       void *digest1,
                       const void *a2, size_t a2_length, const void *b2, size_t b2_length, const void *c2, size_t c2_length,
                       void *digest2);

/// 1 when the SHA instructions are used, 0 for the portable code.
int csha256_is_hardware(void);

/// For tests: 0 forces the portable code, 1 uses the instructions if the CPU has them (the default).
void csha256_allow_hardware(int allow);

#endif
