#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks for the cache line at `address` to be loaded, without waiting for it (a hint: never faults, may be dropped).
/// Unlike a load, the instruction retires at once, so a loop of them keeps many misses in flight: the replay's
/// staged look-ahead (Sources/RegistryProjections/Fold/RegistryFold.swift) issues one per person-index slot, person
/// record and ledger case of a run of records before folding them.
static inline __attribute__((always_inline)) void cprefetch_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
