/* Plate OCR as a WASI reactor: the pre- and post-processing of PP-OCR in C, the two neural
 * networks (text detector, text recogniser) run by the host through aaas_nn (wasi-nn style).
 *
 * Input pack({"image": PGM}) (the preprocessing step's output, binary P5 or P6); output
 * pack({"plate", "raw", "score", "format_ok"}) like dp_agents.plates.ocr.read_plate. The steps
 * follow rapidocr's pipeline at the project's settings (detection at most 320 px a side,
 * DB threshold 0.3, box threshold 0.5, unclip 1.6, recogniser height 48, CTC greedy decoding,
 * lines under 0.5 confidence dropped), with axis-aligned text boxes: plates reach this step
 * already cropped and levelled by preprocessing. Then the tallest line with >= 4 letters or
 * digits is the plate, folded to the California layout.
 */
#include <math.h>

#include "aaas_nn.h"
#include "json.h"
#include "wire.h"

#define ERR_INPUT -1
#define ERR_MEMORY -4
#define DET_LIMIT 320
#define DET_THRESH 0.3f
#define BOX_THRESH 0.5f
#define UNCLIP 1.6f
#define MIN_BOX 3
#define REC_HEIGHT 48
#define REC_MIN_WIDTH 320
#define TEXT_SCORE 0.5f
#define MAX_BOXES 64
#define MAX_TEXT 256
#define MAX_SIDE 4096

typedef struct { int width, height; uint8_t *pixels; } grey_t;
typedef struct { int x0, y0, x1, y1; } box_t;
typedef struct { char text[MAX_TEXT]; int len; float score; int height; } line_t;

static int read_int(const uint8_t *buf, int len, int *pos) {
    int v = 0, digits = 0;
    while (*pos < len && (buf[*pos] == ' ' || buf[*pos] == '\n' || buf[*pos] == '\r' || buf[*pos] == '\t')) (*pos)++;
    while (*pos < len && buf[*pos] >= '0' && buf[*pos] <= '9' && digits < 6) { v = v * 10 + buf[*pos] - '0'; (*pos)++; digits++; }
    return digits ? v : -1;
}

static int decode_pnm(const uint8_t *buf, int len, grey_t *out) {
    int pos = 2;
    if (len < 3 || buf[0] != 'P' || (buf[1] != '5' && buf[1] != '6')) return ERR_INPUT;
    int channels = buf[1] == '6' ? 3 : 1;
    int w = read_int(buf, len, &pos), h = read_int(buf, len, &pos), maxval = read_int(buf, len, &pos);
    if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || maxval != 255) return ERR_INPUT;
    pos++;
    if ((int64_t)len - pos < (int64_t)w * h * channels) return ERR_INPUT;
    out->pixels = malloc((size_t)w * h);
    if (!out->pixels) return ERR_MEMORY;
    for (int i = 0; i < w * h; i++) {
        const uint8_t *p = buf + pos + (size_t)i * channels;
        out->pixels[i] = channels == 1 ? p[0] : (uint8_t)((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
    }
    out->width = w;
    out->height = h;
    return 0;
}

/* Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR), normalised to (v/255-0.5)/0.5
 * and written three times (the networks take BGR; a grey image has equal channels). */
static void resize_normalised(const uint8_t *src, int sw, int sh, int sx0, int sy0, int cw, int ch,
                              float *dst, int dw, int dh, int stride) {
    for (int y = 0; y < dh; y++) {
        float fy = ((float)y + 0.5f) * (float)ch / (float)dh - 0.5f;
        if (fy < 0) fy = 0;
        int y0 = (int)fy, y1 = y0 + 1 < ch ? y0 + 1 : ch - 1;
        float wy = fy - (float)y0;
        for (int x = 0; x < dw; x++) {
            float fx = ((float)x + 0.5f) * (float)cw / (float)dw - 0.5f;
            if (fx < 0) fx = 0;
            int x0 = (int)fx, x1 = x0 + 1 < cw ? x0 + 1 : cw - 1;
            float wx = fx - (float)x0;
            const uint8_t *r0 = src + (size_t)(sy0 + y0) * sw + sx0, *r1 = src + (size_t)(sy0 + y1) * sw + sx0;
            float v = (r0[x0] * (1 - wx) + r0[x1] * wx) * (1 - wy) + (r1[x0] * (1 - wx) + r1[x1] * wx) * wy;
            float n = (v / 255.0f - 0.5f) / 0.5f;
            for (int c = 0; c < 3; c++) dst[(size_t)c * dh * stride + (size_t)y * stride + x] = n;
        }
    }
    (void)sh;
}

static int round_to_32(int v) { return (int)rintf((float)v / 32.0f) * 32; }

/* Run a network on one NCHW tensor; returns the first output (malloc'ed) and its dims. */
static float *infer(const char *model, const float *input, const uint32_t dims[4], uint32_t *out_dims, int *rank) {
    int32_t graph = nn_load(model, (int32_t)strlen(model));
    size_t count = (size_t)dims[0] * dims[1] * dims[2] * dims[3];
    nn_set_input(graph, 0, input, (int32_t)(count * sizeof(float)), dims, 4);
    nn_compute(graph);
    *rank = nn_output_dims(graph, 0, out_dims, 4);
    size_t n = 1;
    for (int i = 0; i < *rank; i++) n *= out_dims[i];
    float *out = malloc(n * sizeof(float));
    if (out) nn_get_output(graph, 0, out, (int32_t)(n * sizeof(float)));
    return out;
}

/* Text boxes: the DB probability map thresholded, dilated 2x2, split into 8-connected regions;
 * each region's box is scored, unclipped and mapped back to image pixels. */
static int find_boxes(const float *prob, int mw, int mh, int iw, int ih, box_t *boxes) {
    size_t n = (size_t)mw * mh;
    uint8_t *bits = calloc(n, 1);
    int32_t *label = calloc(n, sizeof(int32_t)), *stack = malloc(n * sizeof(int32_t));
    int found = 0;
    if (!bits || !label || !stack) { free(bits); free(label); free(stack); return ERR_MEMORY; }
    for (int y = 0; y < mh; y++)
        for (int x = 0; x < mw; x++) {
            int on = 0;
            for (int dy = -1; dy <= 0 && !on; dy++)
                for (int dx = -1; dx <= 0 && !on; dx++)
                    on = y + dy >= 0 && x + dx >= 0 && prob[(size_t)(y + dy) * mw + x + dx] > DET_THRESH;
            bits[(size_t)y * mw + x] = (uint8_t)on;
        }
    int next = 0;
    for (size_t start = 0; start < n && found < MAX_BOXES; start++) {
        if (!bits[start] || label[start]) continue;
        int top = 0, x0 = mw, y0 = mh, x1 = -1, y1 = -1;
        label[start] = ++next;
        stack[top++] = (int32_t)start;
        while (top) {
            int p = stack[--top], px = p % mw, py = p / mw;
            x0 = px < x0 ? px : x0; x1 = px > x1 ? px : x1; y0 = py < y0 ? py : y0; y1 = py > y1 ? py : y1;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int qx = px + dx, qy = py + dy;
                    if (qx < 0 || qy < 0 || qx >= mw || qy >= mh) continue;
                    size_t q = (size_t)qy * mw + qx;
                    if (bits[q] && !label[q]) { label[q] = next; stack[top++] = (int32_t)q; }
                }
        }
        float w = (float)(x1 - x0), h = (float)(y1 - y0);
        if (w < MIN_BOX || h < MIN_BOX) continue;
        double sum = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) sum += prob[(size_t)y * mw + x];
        if (sum / ((double)(x1 - x0 + 1) * (y1 - y0 + 1)) < BOX_THRESH) continue;
        float d = w * h * UNCLIP / (2 * (w + h));
        if (w + 2 * d < MIN_BOX + 2 || h + 2 * d < MIN_BOX + 2) continue;
        float sx = (float)iw / (float)mw, sy = (float)ih / (float)mh;
        box_t b = {(int)rintf((x0 - d) * sx), (int)rintf((y0 - d) * sy), (int)rintf((x1 + d) * sx),
                   (int)rintf((y1 + d) * sy)};
        b.x0 = b.x0 < 0 ? 0 : b.x0; b.y0 = b.y0 < 0 ? 0 : b.y0;
        b.x1 = b.x1 > iw - 1 ? iw - 1 : b.x1; b.y1 = b.y1 > ih - 1 ? ih - 1 : b.y1;
        if (b.x1 - b.x0 <= 3 || b.y1 - b.y0 <= 3) continue;
        boxes[found++] = b;
    }
    free(bits); free(label); free(stack);
    return found;
}

static int detect(const grey_t *image, box_t *boxes) {
    int h = image->height, w = image->width;
    float ratio = (h > DET_LIMIT || w > DET_LIMIT) ? (float)DET_LIMIT / (float)(h > w ? h : w) : 1.0f;
    int rh = round_to_32((int)((float)h * ratio)), rw = round_to_32((int)((float)w * ratio));
    if (rh <= 0 || rw <= 0) return 0;
    float *input = malloc((size_t)3 * rh * rw * sizeof(float));
    if (!input) return ERR_MEMORY;
    resize_normalised(image->pixels, w, h, 0, 0, w, h, input, rw, rh, rw);
    uint32_t dims[4] = {1, 3, (uint32_t)rh, (uint32_t)rw}, out_dims[4];
    int rank;
    float *prob = infer("plate_det", input, dims, out_dims, &rank);
    free(input);
    if (!prob) return ERR_MEMORY;
    int found = rank == 4 ? find_boxes(prob, (int)out_dims[3], (int)out_dims[2], w, h, boxes) : ERR_INPUT;
    free(prob);
    return found;
}

/* Recognise one box: resize to height 48, pad to at least 320 wide, CTC greedy decode. */
static int recognise(const grey_t *image, const box_t *box, line_t *line) {
    int cw = box->x1 - box->x0, ch = box->y1 - box->y0;
    float ratio = (float)cw / (float)ch, widest = ratio > (float)REC_MIN_WIDTH / REC_HEIGHT ? ratio : (float)REC_MIN_WIDTH / REC_HEIGHT;
    int width = (int)(REC_HEIGHT * widest), resized = (int)ceilf(REC_HEIGHT * ratio);
    if (resized > width) resized = width;
    float *input = calloc((size_t)3 * REC_HEIGHT * width, sizeof(float));
    if (!input) return ERR_MEMORY;
    resize_normalised(image->pixels, image->width, image->height, box->x0, box->y0, cw, ch, input, resized,
                      REC_HEIGHT, width);
    uint32_t dims[4] = {1, 3, REC_HEIGHT, (uint32_t)width}, out_dims[4];
    int rank;
    float *probs = infer("plate_rec", input, dims, out_dims, &rank);
    free(input);
    if (!probs) return ERR_MEMORY;
    int steps = (int)out_dims[1], classes = (int)out_dims[2], previous = -1, kept = 0;
    int32_t graph = nn_load("plate_rec", 9);
    double confidence = 0;
    line->len = 0;
    for (int t = 0; t < steps && rank == 3; t++) {
        const float *row = probs + (size_t)t * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) best = row[c] > row[best] ? c : best;
        if (best != 0 && best != previous && line->len < MAX_TEXT - 8) {
            line->len += nn_label(graph, best, line->text + line->len, 8);
            confidence += row[best];
            kept++;
        }
        previous = best;
    }
    free(probs);
    line->score = kept ? (float)(confidence / kept) : 0.0f;
    line->height = box->y1 - box->y0;
    return 0;
}

/* The letters and digits of a line, upper case (ASCII only, as the Python step keeps). */
static int alnum_upper(const line_t *line, char *out) {
    int n = 0;
    for (int i = 0; i < line->len; i++) {
        char c = line->text[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out[n++] = c;
    }
    out[n] = 0;
    return n;
}

/* California layout DLLLDDD: look-alikes folded to a digit or a letter by position. */
static void fold_to_layout(char *plate, int n) {
    static const char *layout = "DLLLDDD", *digit_from = "OQDILZSGBT", *digit_to = "0001125687",
                      *letter_from = "012568OIQ", *letter_to = "DLZSGBDLD";
    if (n != 7) return;
    for (int i = 0; i < 7; i++) {
        const char *from = layout[i] == 'D' ? digit_from : letter_from, *to = layout[i] == 'D' ? digit_to : letter_to;
        const char *hit = strchr(from, plate[i]);
        if (hit && plate[i]) plate[i] = to[hit - from];
    }
}

static int plate_format_ok(const char *p, int n) {
    if (n != 7 || p[0] < '1' || p[0] > '9') return 0;
    for (int i = 1; i < 4; i++)
        if (p[i] < 'A' || p[i] > 'Z' || p[i] == 'I' || p[i] == 'O' || p[i] == 'Q') return 0;
    for (int i = 4; i < 7; i++)
        if (p[i] < '0' || p[i] > '9') return 0;
    return 1;
}

__attribute__((export_name("plate_ocr")))
int32_t plate_ocr(uint8_t *buf, int32_t len) {
    int32_t image_len;
    const uint8_t *pgm = wire_single_blob(buf, len, "image", &image_len);
    grey_t image;
    box_t boxes[MAX_BOXES];
    line_t line;
    char best[MAX_TEXT] = "", alnum[MAX_TEXT];
    int best_height = -1, best_len = 0;
    float best_score = 0;
    if (!pgm) return ERR_INPUT;
    int rc = decode_pnm(pgm, image_len, &image);
    if (rc < 0) return rc;
    int found = detect(&image, boxes);
    for (int i = 0; i < found; i++) {
        if (recognise(&image, &boxes[i], &line) < 0) { found = ERR_MEMORY; break; }
        int n = alnum_upper(&line, alnum);
        if (line.score < TEXT_SCORE || n < 4) continue;
        int cmp = line.height != best_height ? line.height - best_height : strcmp(alnum, best);
        if (cmp > 0 || (cmp == 0 && line.score > best_score)) {
            memcpy(best, alnum, (size_t)n + 1);
            best_len = n, best_height = line.height, best_score = line.score;
        }
    }
    free(image.pixels);
    if (found < 0) return found;
    char plate[MAX_TEXT];
    memcpy(plate, best, (size_t)best_len + 1);
    fold_to_layout(plate, best_len);
    writer_t w = {0};
    wr(&w, "{\"value\":{\"plate\":");
    wr_string(&w, plate, (size_t)best_len);
    wr(&w, ",\"raw\":");
    wr_string(&w, best, (size_t)best_len);
    wr(&w, ",\"score\":%.4f,\"format_ok\":%s},\"blobs\":[]}", best_len ? best_score : 0.0f,
       plate_format_ok(plate, best_len) ? "true" : "false");
    return wire_finish(&w, buf, NULL, NULL, 0);
}

/* ---- plate_lookup: pack({"reading": OCR output}) -> pack({"plate", "known", "vehicle", "match",
 * "score"}), like dp_agents.plates.registry.lookup_plate, against the host's registry table. */

#define MAX_ENTRY 4096

/* The registry entry of `plate` ("PLATE\tJSON"), binary search; its JSON length or -1. */
static int find_vehicle(int32_t table, int entries, const char *plate, char *entry) {
    int low = 0, high = entries - 1, n = (int)strlen(plate);
    while (low <= high) {
        int mid = (low + high) / 2, got = nn_label(table, mid, entry, MAX_ENTRY - 1);
        entry[got] = 0;
        char *tab = strchr(entry, '\t');
        if (!tab) return -1;
        int key = (int)(tab - entry), c = memcmp(entry, plate, (size_t)(key < n ? key : n));
        if (c == 0) c = key - n;
        if (c == 0) { memmove(entry, tab + 1, strlen(tab + 1) + 1); return (int)strlen(entry); }
        if (c < 0) low = mid + 1; else high = mid - 1;
    }
    return -1;
}

__attribute__((export_name("plate_lookup")))
int32_t plate_lookup(uint8_t *buf, int32_t len) {
    int32_t header_len;
    const char *header = wire_header(buf, len, &header_len);
    jdoc_t d;
    static char entry[MAX_ENTRY];
    if (!header || header_len + WIRE_HEAD != len) return ERR_INPUT;
    int reading = j_get(&d, j_get(&d, j_parse(&d, header, header_len), "value"), "reading");
    int plate_node = j_get(&d, reading, "plate"), score = j_get(&d, reading, "score");
    if (plate_node < 0 || d.nodes[plate_node].type != J_STR || d.nodes[plate_node].str_len >= MAX_TEXT) {
        free(d.nodes);
        return ERR_INPUT;
    }
    char plate[MAX_TEXT], folded[MAX_TEXT];
    int n = d.nodes[plate_node].str_len;
    for (int i = 0; i < n; i++) {
        char c = d.nodes[plate_node].str[i];
        plate[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    plate[n] = 0;
    int32_t table = nn_load("plate_registry", 14);
    float entries = 0;
    nn_compute(table);
    nn_get_output(table, 0, &entries, sizeof entries);
    const char *match = "exact";
    int found = find_vehicle(table, (int)entries, plate, entry);
    if (found < 0) {
        memcpy(folded, plate, (size_t)n + 1);
        fold_to_layout(folded, n);
        match = "folded";
        found = find_vehicle(table, (int)entries, folded, entry);
    }
    writer_t w = {0};
    wr(&w, "{\"value\":{\"plate\":");
    wr_string(&w, plate, (size_t)n);
    wr(&w, ",\"known\":%s,\"vehicle\":", found >= 0 ? "true" : "false");
    if (found >= 0) wr_raw(&w, entry, (size_t)found); else wr(&w, "null");
    wr(&w, ",\"match\":");
    if (found >= 0) wr(&w, "\"%s\"", match); else wr(&w, "null");
    wr(&w, ",\"score\":");
    if (score >= 0) wr_raw(&w, d.nodes[score].raw, (size_t)d.nodes[score].raw_len); else wr(&w, "null");
    wr(&w, "},\"blobs\":[]}");
    free(d.nodes);
    return wire_finish(&w, buf, NULL, NULL, 0);
}
