/* Plate-frame preprocessing as a WASI reactor: decode a binary PNM (P6 colour or P5 grey),
 * convert to grey (BT.601 integer luma), resize to a fixed height (bilinear, half-pixel
 * centres), stretch contrast between the 1st and 99th percentile, and write a binary PGM.
 * The Python step dp_agents.plates.preprocess computes the same arithmetic, so both runtimes
 * give the same pixels (within one grey level of rounding).
 *
 * Host protocol: p = alloc(n); copy the frame to p; need = preprocess_capacity(p, n, h);
 * q = alloc(need); len = preprocess(p, n, h, q, need); len < 0 is an error code below.
 * The edge executor's in-place protocol: p = alloc(n); copy; len = plate_preprocess(p, n); the
 * PGM is then at p (len bytes; len <= 0 means the frame was rejected).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ERR_HEADER -1
#define ERR_SIZE -2
#define ERR_CAPACITY -3
#define ERR_MEMORY -4
#define MAX_SIDE 8192
#define PLATE_HEIGHT 96
#define WASM_PAGE 65536

typedef struct {
    int width, height, channels;
    const uint8_t *pixels;
} frame_t;

__attribute__((export_name("alloc"))) void *alloc(int32_t size) { return malloc((size_t)size); }

__attribute__((export_name("release"))) void release(void *ptr) { free(ptr); }

static int skip_space_and_comments(const uint8_t *buf, int len, int pos) {
    while (pos < len) {
        if (buf[pos] == '#') {
            while (pos < len && buf[pos] != '\n') pos++;
        } else if (buf[pos] == ' ' || buf[pos] == '\n' || buf[pos] == '\r' || buf[pos] == '\t') {
            pos++;
        } else {
            break;
        }
    }
    return pos;
}

static int read_number(const uint8_t *buf, int len, int *pos, int *value) {
    int p = skip_space_and_comments(buf, len, *pos), v = 0, digits = 0;
    while (p < len && buf[p] >= '0' && buf[p] <= '9' && digits < 6) {
        v = v * 10 + (buf[p] - '0');
        p++;
        digits++;
    }
    if (digits == 0) return 0;
    *value = v;
    *pos = p;
    return 1;
}

static int parse_pnm(const uint8_t *buf, int len, frame_t *frame) {
    int pos = 2, maxval = 0;
    if (len < 3 || buf[0] != 'P' || (buf[1] != '6' && buf[1] != '5')) return ERR_HEADER;
    frame->channels = buf[1] == '6' ? 3 : 1;
    if (!read_number(buf, len, &pos, &frame->width) || !read_number(buf, len, &pos, &frame->height) ||
        !read_number(buf, len, &pos, &maxval) || maxval != 255)
        return ERR_HEADER;
    if (frame->width < 1 || frame->height < 1 || frame->width > MAX_SIDE || frame->height > MAX_SIDE)
        return ERR_SIZE;
    pos++; /* exactly one whitespace byte separates the header from the pixels */
    if ((int64_t)len - pos < (int64_t)frame->width * frame->height * frame->channels) return ERR_SIZE;
    frame->pixels = buf + pos;
    return 0;
}

static int output_width(const frame_t *frame, int target_h) {
    int w = (int)(((int64_t)frame->width * target_h * 2 + frame->height) / (2 * (int64_t)frame->height));
    return w < 1 ? 1 : w;
}

static int header_length(int width, int height, char *out) {
    /* "P5\n<w> <h>\n255\n" written by hand: no printf in a 10 KB reactor */
    char digits[24];
    int n = 0, k;
    out[n++] = 'P'; out[n++] = '5'; out[n++] = '\n';
    for (int pass = 0; pass < 2; pass++) {
        int v = pass == 0 ? width : height;
        k = 0;
        do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v > 0);
        while (k > 0) out[n++] = digits[--k];
        out[n++] = pass == 0 ? ' ' : '\n';
    }
    out[n++] = '2'; out[n++] = '5'; out[n++] = '5'; out[n++] = '\n';
    return n;
}

__attribute__((export_name("preprocess_capacity")))
int32_t preprocess_capacity(const uint8_t *buf, int32_t len, int32_t target_h) {
    frame_t frame;
    char header[32];
    int rc = parse_pnm(buf, len, &frame);
    if (rc < 0) return rc;
    if (target_h < 1 || target_h > MAX_SIDE) return ERR_SIZE;
    int width = output_width(&frame, target_h);
    if (width > MAX_SIDE) return ERR_SIZE;
    return header_length(width, target_h, header) + width * target_h;
}

static uint8_t *to_grey(const frame_t *frame) {
    int n = frame->width * frame->height;
    uint8_t *grey = malloc((size_t)n);
    if (!grey) return NULL;
    for (int i = 0; i < n; i++) {
        if (frame->channels == 1) {
            grey[i] = frame->pixels[i];
        } else {
            const uint8_t *p = frame->pixels + 3 * i;
            grey[i] = (uint8_t)((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
        }
    }
    return grey;
}

/* Source coordinate of an output pixel centre, in 1/1024 pixels, clamped to the image. */
static int source_fixed(int dst, int src_size, int dst_size) {
    int64_t s = ((int64_t)(2 * dst + 1) * src_size * 1024) / (2 * dst_size) - 512;
    if (s < 0) s = 0;
    if (s > (int64_t)(src_size - 1) * 1024) s = (int64_t)(src_size - 1) * 1024;
    return (int)s;
}

static void resize_bilinear(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh) {
    for (int y = 0; y < dh; y++) {
        int fy = source_fixed(y, sh, dh), y0 = fy >> 10, wy = fy & 1023;
        int y1 = y0 + 1 < sh ? y0 + 1 : y0;
        for (int x = 0; x < dw; x++) {
            int fx = source_fixed(x, sw, dw), x0 = fx >> 10, wx = fx & 1023;
            int x1 = x0 + 1 < sw ? x0 + 1 : x0;
            int64_t top = (int64_t)src[y0 * sw + x0] * (1024 - wx) + (int64_t)src[y0 * sw + x1] * wx;
            int64_t bottom = (int64_t)src[y1 * sw + x0] * (1024 - wx) + (int64_t)src[y1 * sw + x1] * wx;
            dst[y * dw + x] = (uint8_t)((top * (1024 - wy) + bottom * wy + (1 << 19)) >> 20);
        }
    }
}

static void stretch_contrast(uint8_t *pixels, int n) {
    int histogram[256] = {0}, low = 0, high = 255, seen = 0;
    for (int i = 0; i < n; i++) histogram[pixels[i]]++;
    int cut = n / 100; /* 1st and 99th percentile */
    for (low = 0; low < 255; low++) { seen += histogram[low]; if (seen > cut) break; }
    seen = 0;
    for (high = 255; high > 0; high--) { seen += histogram[high]; if (seen > cut) break; }
    if (high <= low) return;
    for (int i = 0; i < n; i++) {
        int v = ((pixels[i] - low) * 255 + (high - low) / 2) / (high - low);
        pixels[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

__attribute__((export_name("preprocess")))
int32_t preprocess(const uint8_t *buf, int32_t len, int32_t target_h, uint8_t *out, int32_t cap) {
    frame_t frame;
    int need = preprocess_capacity(buf, len, target_h);
    if (need < 0) return need;
    if (cap < need) return ERR_CAPACITY;
    parse_pnm(buf, len, &frame);
    int width = output_width(&frame, target_h);
    uint8_t *grey = to_grey(&frame);
    if (!grey) return ERR_MEMORY;
    int header = header_length(width, target_h, (char *)out);
    resize_bilinear(grey, frame.width, frame.height, out + header, width, target_h);
    free(grey);
    stretch_contrast(out + header, width * target_h);
    return header + width * target_h;
}

/* Make sure linear memory reaches `end`: the in-place result may be longer than the frame. */
static int reserve_until(uintptr_t end) {
    uintptr_t have = __builtin_wasm_memory_size(0) * (uintptr_t)WASM_PAGE;
    if (end <= have) return 1;
    return __builtin_wasm_memory_grow(0, (end - have + WASM_PAGE - 1) / WASM_PAGE) != (size_t)-1;
}

__attribute__((export_name("plate_preprocess")))
int32_t plate_preprocess(uint8_t *buf, int32_t len) {
    int need = preprocess_capacity(buf, len, PLATE_HEIGHT);
    if (need < 0) return need;
    uint8_t *out = malloc((size_t)need);
    if (!out) return ERR_MEMORY;
    int written = preprocess(buf, len, PLATE_HEIGHT, out, need);
    /* nothing allocates after this point, so growing memory behind malloc's back is safe */
    if (written > 0 && !reserve_until((uintptr_t)buf + (uintptr_t)written)) written = ERR_MEMORY;
    if (written > 0) memmove(buf, out, (size_t)written);
    return written;
}
