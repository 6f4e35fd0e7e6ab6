/* The toolbox's step wire (dp_agents/payload.py) as the C kernels meet it:
 *   "AAP1" | u32 LE header length | header JSON {"value": ..., "blobs": [len, ...]} | blobs
 * Readers here accept the exact headers pack() writes for a kernel's inputs; writers build an
 * output buffer that the in-place protocol copies back over the payload. Header-only. */
#ifndef AAAS_WIRE_H
#define AAAS_WIRE_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_HEAD 8
#define WASM_PAGE 65536

__attribute__((export_name("alloc"))) void *alloc(int32_t size) { return malloc((size_t)size); }

static inline uint32_t wire_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The header JSON of a pack() buffer; NULL if the buffer is not one. */
static inline const char *wire_header(const uint8_t *buf, int32_t len, int32_t *header_len) {
    if (len < WIRE_HEAD || memcmp(buf, "AAP1", 4) != 0) return NULL;
    uint32_t n = wire_u32(buf + 4);
    if (n > (uint32_t)(len - WIRE_HEAD)) return NULL;
    *header_len = (int32_t)n;
    return (const char *)buf + WIRE_HEAD;
}

/* The one blob of pack({name: bytes}): the header must be exactly what pack() writes. */
static inline const uint8_t *wire_single_blob(const uint8_t *buf, int32_t len, const char *name, int32_t *blob_len) {
    int32_t header_len;
    const char *header = wire_header(buf, len, &header_len);
    char expected[128];
    if (!header) return NULL;
    int32_t blob = len - WIRE_HEAD - header_len;
    int n = snprintf(expected, sizeof expected, "{\"value\":{\"%s\":{\"$blob\":0}},\"blobs\":[%d]}", name, (int)blob);
    if (n != header_len || memcmp(header, expected, (size_t)n) != 0) return NULL;
    *blob_len = blob;
    return buf + WIRE_HEAD + header_len;
}

/* A growable output buffer holding the header JSON; the blobs follow it when written out. */
typedef struct {
    char *text;
    size_t len, cap;
    int failed;
} writer_t;

static inline void wr_reserve(writer_t *w, size_t more) {
    if (w->failed || w->len + more + 1 <= w->cap) return;
    size_t cap = (w->cap ? w->cap * 2 : 1024);
    while (cap < w->len + more + 1) cap *= 2;
    char *grown = realloc(w->text, cap);
    if (!grown) { w->failed = 1; return; }
    w->text = grown;
    w->cap = cap;
}

static inline void wr_raw(writer_t *w, const char *s, size_t n) {
    wr_reserve(w, n);
    if (w->failed) return;
    memcpy(w->text + w->len, s, n);
    w->len += n;
    w->text[w->len] = 0;
}

static inline void wr(writer_t *w, const char *fmt, ...) {
    char small[256];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(small, sizeof small, fmt, args);
    va_end(args);
    if (n < 0) { w->failed = 1; return; }
    if ((size_t)n < sizeof small) { wr_raw(w, small, (size_t)n); return; }
    wr_reserve(w, (size_t)n);
    if (w->failed) return;
    va_start(args, fmt);
    vsnprintf(w->text + w->len, (size_t)n + 1, fmt, args);
    va_end(args);
    w->len += (size_t)n;
}

/* A JSON string (the kernels only write ASCII and UTF-8 they were given). */
static inline void wr_string(writer_t *w, const char *s, size_t n) {
    wr_raw(w, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { char esc[2] = {'\\', (char)c}; wr_raw(w, esc, 2); }
        else if (c < 0x20) wr(w, "\\u%04x", c);
        else wr_raw(w, (const char *)&c, 1);
    }
    wr_raw(w, "\"", 1);
}

/* A float the way Python's json reads back the same double (shortest round-trip is not needed:
 * 17 significant digits always parse to the same value). */
static inline void wr_number(writer_t *w, double v) {
    if (v == (double)(int64_t)v && v > -1e15 && v < 1e15) wr(w, "%lld.0", (long long)v);
    else wr(w, "%.17g", v);
}

/* Make sure linear memory reaches `end`: the in-place result may be longer than the payload. */
static inline int wire_reserve_until(uintptr_t end) {
    uintptr_t have = __builtin_wasm_memory_size(0) * (uintptr_t)WASM_PAGE;
    if (end <= have) return 1;
    return __builtin_wasm_memory_grow(0, (end - have + WASM_PAGE - 1) / WASM_PAGE) != (size_t)-1;
}

/* Write pack(value) over the payload at `out`: header `w`, then the blobs. Returns its length
 * or -1. Assembled in one buffer first (blobs may sit anywhere on the heap), then moved. */
static inline int32_t wire_finish(writer_t *w, uint8_t *out, const uint8_t *const *blobs, const int32_t *blob_lens,
                           int blobs_n) {
    if (w->failed) return -1;
    size_t total = WIRE_HEAD + w->len;
    for (int i = 0; i < blobs_n; i++) total += (size_t)blob_lens[i];
    if (total > 0x7FFFFFFF) return -1;
    uint8_t *whole = malloc(total);
    if (!whole) return -1;
    uint8_t head[WIRE_HEAD] = {'A', 'A', 'P', '1', (uint8_t)w->len, (uint8_t)(w->len >> 8),
                               (uint8_t)(w->len >> 16), (uint8_t)(w->len >> 24)};
    memcpy(whole, head, WIRE_HEAD);
    memcpy(whole + WIRE_HEAD, w->text, w->len);
    size_t at = WIRE_HEAD + w->len;
    for (int i = 0; i < blobs_n; i++) { memcpy(whole + at, blobs[i], (size_t)blob_lens[i]); at += (size_t)blob_lens[i]; }
    /* nothing allocates after this point, so growing memory behind malloc's back is safe */
    if (!wire_reserve_until((uintptr_t)out + total)) return -1;
    memmove(out, whole, total);
    return (int32_t)total;
}

#endif
