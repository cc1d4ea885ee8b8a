#ifndef CCRC32C_H
#define CCRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Extends a CRC-32C (Castagnoli) over `length` bytes. Start with crc = 0.
/// Uses the SSE 4.2 `crc32` instruction on x86_64 and the ARMv8 CRC instructions on aarch64 when the CPU has them,
/// and a slicing-by-8 table otherwise.
uint32_t ccrc32c_extend(uint32_t crc, const void *data, size_t length);

/// 1 when the hardware instruction is used, 0 for the table fallback.
int ccrc32c_is_hardware(void);

#endif
