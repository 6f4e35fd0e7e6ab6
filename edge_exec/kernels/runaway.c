/* Misbehaving kernels for limit tests: they must be stopped by the executor's limits.
 * Same calling convention as checksum.c (alloc + kernel(ptr, size)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("alloc")))
uint8_t *alloc(uint32_t size) { return malloc(size ? size : 1); }

/* Never returns; `volatile` keeps clang from proving the loop has no effect. */
__attribute__((export_name("spin")))
uint32_t spin(uint8_t *data, uint32_t size) {
    volatile uint32_t counter = 0;
    for (;;) { counter += size; }
    return counter;
}

/* Allocates and touches 1 MiB blocks until malloc fails; the touched memory keeps -O2 from
 * deleting the allocations (PLATFORM: an unused malloc loop became an infinite loop).
 * Returns the MiB obtained, so the host can tell "stopped by the limit" from a crash. */
__attribute__((export_name("blowup")))
uint32_t blowup(uint8_t *data, uint32_t size) {
    uint32_t mib = 0;
    for (;;) {
        uint8_t *block = malloc(1u << 20);
        if (!block) { return mib; }
        memset(block, (int)(mib + size), 1u << 20);
        data[0] ^= block[mib % (1u << 20)];
        mib++;
    }
}
