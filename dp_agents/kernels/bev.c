/* Blind-zone completion as a WASI reactor, computing what dp_agents/bev/steps.py computes:
 *
 *   bev_prep_camera  pack({"frame": JPEG/PNG, "camera": calibration}) -> pack({"camera", "image": PNG})
 *                    undo lens distortion (OpenCV's k1 k2 p1 p2 k3 model, bilinear) and exposure gain
 *   bev_fuse         pack({car: prep output, ...}) -> pack({"bev_png", "coverage", "cameras", ...})
 *                    inverse-warp every view onto the ground plane, weight 1/distance^4, average
 *
 * The pixel arithmetic is C; JPEG/PNG decoding and PNG encoding are borrowed from the host's
 * declared "image_codec" (aaas_nn decode_image / encode_image), since WASI has no image codec.
 */
#include <math.h>

#include "aaas_nn.h"
#include "json.h"
#include "wire.h"

#define ERR_INPUT -1
#define ERR_SHAPE -2
#define ERR_MEMORY -4
#define BEV_SIZE 400
#define BEV_EXTENT_M 20.0
#define MAX_RANGE_M 24.0
#define MIN_DEPTH_M 0.5
#define MAX_VIEWS 16
#define PI 3.14159265358979323846

typedef struct {
    int width, height;
    double fx, fy, cx, cy, k[5], position[3], yaw, pitch, gain, rotation[3][3];
} camera_t;

typedef struct { int width, height; uint8_t *rgb; } image_t;

static int number(jdoc_t *d, int node, const char *key, double *out) {
    int v = j_get(d, node, key);
    if (v < 0 || d->nodes[v].type != J_NUM) return 0;
    *out = d->nodes[v].num;
    return 1;
}

static int numbers(jdoc_t *d, int node, const char *key, double *out, int n) {
    int v = j_get(d, node, key);
    if (v < 0 || d->nodes[v].type != J_ARR || d->nodes[v].count != n) return 0;
    int i = 0;
    for (int c = d->nodes[v].child; c >= 0; c = d->nodes[c].next, i++) {
        if (d->nodes[c].type != J_NUM) return 0;
        out[i] = d->nodes[c].num;
    }
    return 1;
}

static int read_camera(jdoc_t *d, int node, camera_t *cam) {
    double width, height;
    cam->gain = 1.0;
    if (!number(d, node, "width", &width) || !number(d, node, "height", &height) || !number(d, node, "fx", &cam->fx) ||
        !number(d, node, "fy", &cam->fy) || !number(d, node, "cx", &cam->cx) || !number(d, node, "cy", &cam->cy) ||
        !numbers(d, node, "distortion", cam->k, 5) || !numbers(d, node, "position", cam->position, 3) ||
        !number(d, node, "yaw_deg", &cam->yaw) || !number(d, node, "pitch_deg", &cam->pitch))
        return 0;
    if (j_get(d, node, "gain") >= 0 && !number(d, node, "gain", &cam->gain)) return 0;
    cam->width = (int)width, cam->height = (int)height;
    if (cam->width < 1 || cam->height < 1 || cam->width > 8192 || cam->height > 8192 || cam->gain <= 0) return 0;
    double yaw = cam->yaw * PI / 180, pitch = cam->pitch * PI / 180;
    double f[3] = {cos(yaw) * cos(pitch), sin(yaw) * cos(pitch), -sin(pitch)}, r[3] = {sin(yaw), -cos(yaw), 0};
    double dn[3] = {f[1] * r[2] - f[2] * r[1], f[2] * r[0] - f[0] * r[2], f[0] * r[1] - f[1] * r[0]};
    for (int i = 0; i < 3; i++) cam->rotation[0][i] = r[i], cam->rotation[1][i] = dn[i], cam->rotation[2][i] = f[i];
    return 1;
}

static int32_t codec(void) { return nn_load("image_codec", 11); }

static int decode(const uint8_t *data, int32_t len, image_t *out) {
    uint32_t dims[3];
    int32_t graph = codec(), size = nn_decode_image(graph, data, len, dims);
    if (dims[2] != 3 || (int64_t)dims[0] * dims[1] * 3 != size) return ERR_SHAPE;
    out->height = (int)dims[0], out->width = (int)dims[1];
    out->rgb = malloc((size_t)size);
    if (!out->rgb) return ERR_MEMORY;
    nn_read_blob(graph, out->rgb, size);
    return 0;
}

/* PNG of pixels, malloc'ed. */
static uint8_t *encode_png(const uint8_t *pixels, int width, int height, int channels, int32_t *len) {
    int32_t graph = codec();
    *len = nn_encode_image(graph, pixels, width, height, channels);
    uint8_t *png = malloc((size_t)*len + 1);
    if (png) nn_read_blob(graph, png, *len);
    return png;
}

/* Bilinear sample of the three channels at (x, y), zero outside (OpenCV BORDER_CONSTANT), each
 * rounded to u8 as cv2.remap writes it. */
static void sample(const image_t *im, double x, double y, double out[3]) {
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double wx = x - x0, wy = y - y0;
    out[0] = out[1] = out[2] = 0;
    for (int dy = 0; dy <= 1; dy++)
        for (int dx = 0; dx <= 1; dx++) {
            int px = x0 + dx, py = y0 + dy;
            if (px < 0 || py < 0 || px >= im->width || py >= im->height) continue;
            const uint8_t *p = im->rgb + ((size_t)py * im->width + px) * 3;
            double weight = (dx ? wx : 1 - wx) * (dy ? wy : 1 - wy);
            out[0] += p[0] * weight, out[1] += p[1] * weight, out[2] += p[2] * weight;
        }
    for (int c = 0; c < 3; c++) out[c] = floor(out[c] + 0.5);
}

/* Undistort (for every output pixel, where the lens put it; bilinear, rounded to u8 as cv2.remap
 * writes it) and undo the exposure gain (truncated to u8 as the Python step's astype does).
 * Single precision with per-column terms precomputed: the hot loop of the step. */
static void undistort(const image_t *frame, const camera_t *cam, uint8_t *out) {
    float k1 = (float)cam->k[0], k2 = (float)cam->k[1], p1 = (float)cam->k[2], p2 = (float)cam->k[3];
    float k3 = (float)cam->k[4], fx = (float)cam->fx, fy = (float)cam->fy, cx = (float)cam->cx, cy = (float)cam->cy;
    float *xs = malloc((size_t)cam->width * sizeof(float)), inv_gain = (float)(1.0 / cam->gain);
    if (!xs) return;
    for (int u = 0; u < cam->width; u++) xs[u] = ((float)u - cx) / fx;
    const int w = frame->width, h = frame->height;
    for (int v = 0; v < cam->height; v++) {
        float y = ((float)v - cy) / fy, y2 = y * y;
        uint8_t *row = out + (size_t)v * cam->width * 3;
        for (int u = 0; u < cam->width; u++) {
            float x = xs[u], r2 = x * x + y2, radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
            float sx = fx * (x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x)) + cx;
            float sy = fy * (y * radial + p1 * (r2 + 2 * y2) + 2 * p2 * x * y) + cy;
            float rgb[3];
            int x0 = (int)floorf(sx), y0 = (int)floorf(sy);
            if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
                float wx = sx - (float)x0, wy = sy - (float)y0;
                const uint8_t *a = frame->rgb + ((size_t)y0 * w + x0) * 3, *b = a + (size_t)w * 3;
                for (int c = 0; c < 3; c++) {
                    float top = a[c] + (a[c + 3] - a[c]) * wx, bottom = b[c] + (b[c + 3] - b[c]) * wx;
                    rgb[c] = floorf(top + (bottom - top) * wy + 0.5f);
                }
            } else {
                double edge[3];
                sample(frame, sx, sy, edge);
                rgb[0] = (float)edge[0], rgb[1] = (float)edge[1], rgb[2] = (float)edge[2];
            }
            for (int c = 0; c < 3; c++) {
                float corrected = rgb[c] * inv_gain;
                row[u * 3 + c] = (uint8_t)(corrected > 255 ? 255 : corrected);
            }
        }
    }
    free(xs);
}

__attribute__((export_name("bev_prep_camera")))
int32_t bev_prep_camera(uint8_t *buf, int32_t len) {
    int32_t header_len;
    const char *header = wire_header(buf, len, &header_len);
    jdoc_t d;
    camera_t cam;
    image_t frame;
    if (!header) return ERR_INPUT;
    int value = j_get(&d, j_parse(&d, header, header_len), "value");
    int camera = j_get(&d, value, "camera"), blob = j_get(&d, j_get(&d, value, "frame"), "$blob");
    int32_t frame_len = len - WIRE_HEAD - header_len;
    if (camera < 0 || blob < 0 || !read_camera(&d, camera, &cam)) { free(d.nodes); return ERR_INPUT; }
    int rc = decode(buf + WIRE_HEAD + header_len, frame_len, &frame);
    if (rc == 0 && (frame.width != cam.width || frame.height != cam.height)) rc = ERR_SHAPE;
    uint8_t *out = rc == 0 ? malloc((size_t)cam.width * cam.height * 3) : NULL;
    if (rc == 0 && !out) rc = ERR_MEMORY;
    if (rc == 0) undistort(&frame, &cam, out);
    if (rc == 0) free(frame.rgb);
    int32_t png_len = 0;
    uint8_t *png = rc == 0 ? encode_png(out, cam.width, cam.height, 3, &png_len) : NULL;
    free(out);
    if (rc == 0 && !png) rc = ERR_MEMORY;
    writer_t w = {0};
    if (rc == 0) {
        wr(&w, "{\"value\":{\"camera\":");
        wr_raw(&w, d.nodes[camera].raw, (size_t)d.nodes[camera].raw_len);
        wr(&w, ",\"image\":{\"$blob\":0}},\"blobs\":[%d]}", (int)png_len);
    }
    free(d.nodes);
    if (rc < 0) return rc;
    const uint8_t *blobs[1] = {png};
    int32_t lens[1] = {png_len};
    return wire_finish(&w, buf, blobs, lens, 1);
}

/* Accumulate one view's weighted samples on the BEV grid. */
static void warp_view(const image_t *im, const camera_t *cam, double *total, double *weights) {
    double step = 2 * BEV_EXTENT_M / BEV_SIZE;
    for (int i = 0; i < BEV_SIZE; i++)
        for (int j = 0; j < BEV_SIZE; j++) {
            double x = (j + 0.5) * step - BEV_EXTENT_M, y = -((i + 0.5) * step - BEV_EXTENT_M);
            double rel[3] = {x - cam->position[0], y - cam->position[1], -cam->position[2]}, p[3];
            for (int r = 0; r < 3; r++)
                p[r] = cam->rotation[r][0] * rel[0] + cam->rotation[r][1] * rel[1] + cam->rotation[r][2] * rel[2];
            double depth = p[2], safe = depth > 1e-6 ? depth : 1e-6;
            double u = cam->fx * p[0] / safe + cam->cx, v = cam->fy * p[1] / safe + cam->cy;
            double distance = hypot(x - cam->position[0], y - cam->position[1]);
            if (!(depth > MIN_DEPTH_M && u >= 0 && v >= 0 && u <= cam->width - 1 && v <= cam->height - 1 &&
                  distance <= MAX_RANGE_M))
                continue;
            double far = distance > 1 ? distance : 1, weight = 1 / (far * far * far * far);
            size_t cell = (size_t)i * BEV_SIZE + j;
            double rgb[3];
            sample(im, u, v, rgb);
            for (int c = 0; c < 3; c++) total[cell * 3 + c] += rgb[c] * weight;
            weights[cell] += weight;
        }
}

typedef struct { const char *name; int len, node; } view_t;

static int by_name(const void *a, const void *b) {
    const view_t *x = a, *y = b;
    int n = x->len < y->len ? x->len : y->len, c = memcmp(x->name, y->name, (size_t)n);
    return c ? c : x->len - y->len;
}

__attribute__((export_name("bev_fuse")))
int32_t bev_fuse(uint8_t *buf, int32_t len) {
    int32_t header_len;
    const char *header = wire_header(buf, len, &header_len);
    jdoc_t d;
    view_t views[MAX_VIEWS];
    int32_t offsets[MAX_VIEWS + 1] = {0};
    if (!header) return ERR_INPUT;
    int root = j_parse(&d, header, header_len), value = j_get(&d, root, "value"), sizes = j_get(&d, root, "blobs");
    int n = value >= 0 ? d.nodes[value].count : 0, k = 0, rc = 0;
    if (value < 0 || sizes < 0 || n < 1 || n > MAX_VIEWS || d.nodes[sizes].count != n) { free(d.nodes); return ERR_INPUT; }
    for (int c = d.nodes[sizes].child; c >= 0; c = d.nodes[c].next, k++) {
        offsets[k + 1] = offsets[k] + (int32_t)d.nodes[c].num;
        if (d.nodes[c].type != J_NUM || d.nodes[c].num < 0 || offsets[k + 1] > len - WIRE_HEAD - header_len) rc = ERR_INPUT;
    }
    k = 0;
    for (int c = d.nodes[value].child; c >= 0; c = d.nodes[c].next, k++) views[k] = (view_t){d.nodes[c].key, d.nodes[c].key_len, c};
    qsort(views, (size_t)n, sizeof(view_t), by_name);
    double *total = calloc((size_t)BEV_SIZE * BEV_SIZE * 3, sizeof(double)), *weights = calloc((size_t)BEV_SIZE * BEV_SIZE, sizeof(double));
    if (!total || !weights) rc = ERR_MEMORY;
    for (int v = 0; v < n && rc == 0; v++) {
        camera_t cam;
        image_t im;
        int blob = j_get(&d, j_get(&d, views[v].node, "image"), "$blob");
        if (blob < 0 || d.nodes[blob].type != J_NUM || d.nodes[blob].num < 0 || d.nodes[blob].num >= n ||
            !read_camera(&d, j_get(&d, views[v].node, "camera"), &cam)) { rc = ERR_INPUT; break; }
        int b = (int)d.nodes[blob].num;
        rc = decode(buf + WIRE_HEAD + header_len + offsets[b], offsets[b + 1] - offsets[b], &im);
        if (rc < 0) break;
        warp_view(&im, &cam, total, weights);
        free(im.rgb);
    }
    uint8_t *rgba = rc == 0 ? malloc((size_t)BEV_SIZE * BEV_SIZE * 4) : NULL;
    if (rc == 0 && !rgba) rc = ERR_MEMORY;
    int known = 0;
    for (size_t cell = 0; rc == 0 && cell < (size_t)BEV_SIZE * BEV_SIZE; cell++) {
        int seen = weights[cell] > 0;
        known += seen;
        for (int c = 0; c < 3; c++) {
            double mean = seen ? rint(total[cell * 3 + c] / weights[cell]) : 0;
            rgba[cell * 4 + c] = (uint8_t)(mean < 0 ? 0 : mean > 255 ? 255 : mean);
        }
        rgba[cell * 4 + 3] = seen ? 255 : 0;
    }
    free(total);
    free(weights);
    int32_t png_len = 0;
    uint8_t *png = rc == 0 ? encode_png(rgba, BEV_SIZE, BEV_SIZE, 4, &png_len) : NULL;
    free(rgba);
    if (rc == 0 && !png) rc = ERR_MEMORY;
    writer_t w = {0};
    if (rc == 0) {
        wr(&w, "{\"value\":{\"bev_png\":{\"$blob\":0},\"coverage\":%.4f,\"cameras\":[",
           rint((double)known / (BEV_SIZE * BEV_SIZE) * 10000) / 10000);
        for (int v = 0; v < n; v++) {
            if (v) wr(&w, ",");
            wr_string(&w, views[v].name, (size_t)views[v].len);
        }
        wr(&w, "],\"size_px\":%d,\"extent_m\":%.1f},\"blobs\":[%d]}", BEV_SIZE, BEV_EXTENT_M, (int)png_len);
    }
    free(d.nodes);
    if (rc < 0) return rc;
    const uint8_t *blobs[1] = {png};
    int32_t lens[1] = {png_len};
    return wire_finish(&w, buf, blobs, lens, 1);
}
