/* Small compute kernels exported by a WASI reactor module.
 * The host copies its payload into memory obtained from `alloc`, calls a kernel, and reads
 * the result back from the same buffer (in-place kernels keep the calling convention to
 * two integers, which every runtime can pass without marshalling). */
#include <stdint.h>
#include <stdlib.h>

__attribute__((export_name("alloc")))
uint8_t *alloc(uint32_t size) { return malloc(size ? size : 1); }

__attribute__((export_name("release")))
void release(uint8_t *ptr) { free(ptr); }

/* Adler-32 over the buffer: cheap, order-sensitive, easy to verify from Python (zlib). */
__attribute__((export_name("checksum")))
uint32_t checksum(const uint8_t *data, uint32_t size) {
    uint32_t a = 1, b = 0;
    for (uint32_t i = 0; i < size; i++) {
        a = (a + data[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

/* RGB (3 bytes per pixel) to luma, written in place at the start of the buffer;
 * returns the number of output bytes. ITU-R BT.601 integer weights. */
__attribute__((export_name("grayscale")))
uint32_t grayscale(uint8_t *rgb, uint32_t size) {
    uint32_t pixels = size / 3;
    for (uint32_t i = 0; i < pixels; i++) {
        uint32_t r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
        rgb[i] = (uint8_t)((77u * r + 150u * g + 29u * b) >> 8);
    }
    return pixels;
}
