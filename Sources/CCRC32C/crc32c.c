// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI, ext4 and LevelDB.
#include "ccrc32c.h"
#include <string.h>

static uint32_t table[8][256];
static int table_ready = 0;

static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = table[0][n];
        for (int k = 1; k < 8; k++) { c = table[0][c & 0xff] ^ (c >> 8); table[k][n] = c; }
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

static uint32_t software(uint32_t crc, const unsigned char *p, size_t n) {
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE)) build_table();
    while (n >= 8) {
        uint64_t w; memcpy(&w, p, 8);
        w ^= crc;
        crc = table[7][w & 0xff] ^ table[6][(w >> 8) & 0xff] ^ table[5][(w >> 16) & 0xff] ^ table[4][(w >> 24) & 0xff]
            ^ table[3][(w >> 32) & 0xff] ^ table[2][(w >> 40) & 0xff] ^ table[1][(w >> 48) & 0xff] ^ table[0][w >> 56];
        p += 8; n -= 8;
    }
    while (n--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

// No compiler flags on this target (an outside package may not use a dependency with unsafe flags): the hardware
// function alone is compiled for the instruction with a target attribute and chosen at run time.
#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t hardware(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) { uint64_t w; memcpy(&w, p, 8); c = __builtin_ia32_crc32di(c, w); p += 8; n -= 8; }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}
static int has_hardware(void) { return __builtin_cpu_supports("sse4.2"); }
#elif defined(__aarch64__)
// The ARMv8 CRC instructions, compiled for this one function (no -march flag on the target), chosen at run time.
#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
static int has_hardware(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }
#elif defined(__APPLE__)
static int has_hardware(void) { return 1; } // every Apple arm64 processor has the CRC instructions
#else
static int has_hardware(void) { return 0; }
#endif
__attribute__((target("crc")))
static uint32_t hardware(uint32_t crc, const unsigned char *p, size_t n) {
    while (n >= 8) { uint64_t w; memcpy(&w, p, 8); crc = __builtin_arm_crc32cd(crc, w); p += 8; n -= 8; }
    while (n--) crc = __builtin_arm_crc32cb(crc, *p++);
    return crc;
}
#else
static uint32_t hardware(uint32_t crc, const unsigned char *p, size_t n) { return software(crc, p, n); }
static int has_hardware(void) { return 0; }
#endif

static int mode = -1; // -1 unknown, 0 software, 1 hardware

int ccrc32c_is_hardware(void) {
    int m = __atomic_load_n(&mode, __ATOMIC_RELAXED);
    if (m < 0) { m = has_hardware() ? 1 : 0; __atomic_store_n(&mode, m, __ATOMIC_RELAXED); }
    return m;
}

uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t c = ~crc;
    c = ccrc32c_is_hardware() ? hardware(c, p, length) : software(c, p, length);
    return ~c;
}
