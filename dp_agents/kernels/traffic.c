/* The traffic-flow-prediction steps as a WASI reactor, one export per step, computing what
 * dp_agents/traffic/steps.py computes (see there for the meaning of each step):
 *
 *   traffic_prep_road      pack({"readings"}) -> pack({"at", "slot", "sensors", "window"})
 *   traffic_prep_corridor  pack({"readings"}) -> pack({"sensor", "at", "speed", "occupancy"})
 *   traffic_predict        pack({"road", "corridor"}) -> pack({"road", "corridor"}) predicted speeds;
 *                          the trained lag models run on the host (aaas_nn "traffic_road",
 *                          "traffic_corridor_<sensor>"), as the project's own numpy code
 *   traffic_report         pack({"prediction"}) -> pack(operator report)
 *
 * Times are naive ISO 8601 ("YYYY-MM-DDTHH:MM[:SS[.ffffff]]"), as the readings carry them.
 * A negative return is an error code: the input is not what the step takes.
 */
#include <math.h>

#include "aaas_nn.h"
#include "json.h"
#include "wire.h"

#define ERR_INPUT -1
#define ERR_SHAPE -2
#define ERR_DEAD -3
#define ERR_MEMORY -4
#define ROAD_LAGS 12
#define CORRIDOR_LAGS 6
#define FILL_BINS 6
#define BIN_S 300
#define STEP_MINUTES 5
#define STEPS_PER_DAY 288
#define MAX_MPH 100.0
#define CONGESTED_MPH 35.0
#define HORIZONS 3

static const int horizon_minutes[HORIZONS] = {15, 30, 60};

typedef struct { int year, month, day, hour, minute, second, micro; } when_t;

static int digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + s[i] - '0';
    }
    *out = v;
    return 1;
}

static int parse_when(const jnode_t *node, when_t *t) {
    if (!node || node->type != J_STR) return 0;
    const char *s = node->str;
    int n = node->str_len;
    memset(t, 0, sizeof *t);
    if (n < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return 0;
    if (!digits(s, 4, &t->year) || !digits(s + 5, 2, &t->month) || !digits(s + 8, 2, &t->day) ||
        !digits(s + 11, 2, &t->hour) || !digits(s + 14, 2, &t->minute))
        return 0;
    int at = 16;
    if (at < n) {
        if (s[at] != ':' || at + 3 > n || !digits(s + at + 1, 2, &t->second)) return 0;
        at += 3;
        if (at < n) {
            int len = n - at - 1;
            if (s[at] != '.' || len < 1 || len > 6 || !digits(s + at + 1, len, &t->micro)) return 0;
            for (int k = len; k < 6; k++) t->micro *= 10;
        }
    }
    return t->month >= 1 && t->month <= 12 && t->day >= 1 && t->day <= 31 && t->hour < 24 && t->minute < 60 &&
           t->second < 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static double epoch_seconds(const when_t *t) {
    return (double)(days_from_civil(t->year, t->month, t->day) * 86400 + t->hour * 3600 + t->minute * 60 +
                    t->second) + t->micro / 1e6;
}

static void write_when(writer_t *w, const when_t *t) {
    wr(w, "\"%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month, t->day, t->hour, t->minute, t->second);
    if (t->micro) wr(w, ".%06d", t->micro);
    wr(w, "\"");
}

static double round_to(double v, double scale) { return rint(v * scale) / scale; }

/* A rounded value printed with exactly its decimals parses back to the same double as
 * Python's round(): both are the double nearest to k / 10^decimals. */
static void wr_rounded(writer_t *w, double v, int decimals) {
    wr(w, "%.*f", decimals, round_to(v, decimals == 3 ? 1000.0 : 100.0));
}

static void write_numbers(writer_t *w, const double *v, int n, int stride, int decimals) {
    wr(w, "[");
    for (int i = 0; i < n; i++) {
        if (i) wr(w, ",");
        wr_rounded(w, v[(size_t)i * stride], decimals);
    }
    wr(w, "]");
}

/* The value of the payload's pack({name: value, ...}) header, parsed; -1 if malformed. */
static int payload_value(jdoc_t *d, const uint8_t *buf, int32_t len) {
    int32_t header_len;
    const char *header = wire_header(buf, len, &header_len);
    memset(d, 0, sizeof *d);
    if (!header || header_len + WIRE_HEAD != len) return -1; /* these steps carry no blobs */
    int root = j_parse(d, header, header_len);
    return j_get(d, root, "value");
}

/* Linear interpolation of NaNs down a column; nearest value beyond the ends (np.interp). */
static int fill_column(double *v, int rows, int stride) {
    int known[ROAD_LAGS], k = 0;
    for (int r = 0; r < rows; r++)
        if (!isnan(v[(size_t)r * stride])) known[k++] = r;
    if (k == 0) return 0;
    for (int r = 0; r < rows; r++) {
        if (!isnan(v[(size_t)r * stride])) continue;
        int before = -1, after = -1;
        for (int i = 0; i < k; i++) {
            if (known[i] < r) before = known[i];
            if (known[i] > r && after < 0) after = known[i];
        }
        if (before < 0) v[(size_t)r * stride] = v[(size_t)after * stride];
        else if (after < 0) v[(size_t)r * stride] = v[(size_t)before * stride];
        else {
            double a = v[(size_t)before * stride], b = v[(size_t)after * stride];
            v[(size_t)r * stride] = a + (b - a) * (r - before) / (double)(after - before);
        }
    }
    return 1;
}

__attribute__((export_name("traffic_prep_road")))
int32_t traffic_prep_road(uint8_t *buf, int32_t len) {
    jdoc_t d;
    int road = j_get(&d, payload_value(&d, buf, len), "readings");
    int sensors = j_get(&d, road, "sensors"), speeds = j_get(&d, road, "speeds");
    when_t at;
    if (road < 0 || sensors < 0 || speeds < 0 || !parse_when(j_at(&d, j_get(&d, road, "at")), &at) ||
        d.nodes[sensors].type != J_ARR || d.nodes[speeds].type != J_ARR) { free(d.nodes); return ERR_INPUT; }
    int n = d.nodes[sensors].count;
    if (d.nodes[speeds].count != ROAD_LAGS || n < 1) { free(d.nodes); return ERR_SHAPE; }
    double *window = malloc((size_t)ROAD_LAGS * n * sizeof(double));
    if (!window) { free(d.nodes); return ERR_MEMORY; }
    int rc = 0;
    for (int r = 0; r < ROAD_LAGS && rc == 0; r++) {
        int row = j_item(&d, speeds, r);
        if (d.nodes[row].type != J_ARR || d.nodes[row].count != n) { rc = ERR_SHAPE; break; }
        int c = 0;
        for (int item = d.nodes[row].child; item >= 0; item = d.nodes[item].next, c++) {
            jnode_t *v = &d.nodes[item];
            if (v->type != J_NUM && v->type != J_NULL) { rc = ERR_INPUT; break; }
            double mph = v->type == J_NULL ? NAN : v->num;
            window[(size_t)r * n + c] = (mph <= 0 || mph > MAX_MPH) ? NAN : mph; /* a stuck loop reports 0 */
        }
    }
    for (int c = 0; c < n && rc == 0; c++)
        if (!fill_column(window + c, ROAD_LAGS, n)) rc = ERR_DEAD;
    writer_t w = {0};
    if (rc == 0) {
        int slot = (at.hour * 60 + at.minute) / STEP_MINUTES % STEPS_PER_DAY;
        wr(&w, "{\"value\":{\"at\":");
        write_when(&w, &at);
        wr(&w, ",\"slot\":%d,\"sensors\":", slot);
        wr_raw(&w, d.nodes[sensors].raw, (size_t)d.nodes[sensors].raw_len);
        wr(&w, ",\"window\":[");
        for (int r = 0; r < ROAD_LAGS; r++) {
            if (r) wr(&w, ",");
            write_numbers(&w, window + (size_t)r * n, n, 1, 3);
        }
        wr(&w, "]},\"blobs\":[]}");
    }
    free(window);
    free(d.nodes);
    return rc < 0 ? rc : wire_finish(&w, buf, NULL, NULL, 0);
}

__attribute__((export_name("traffic_prep_corridor")))
int32_t traffic_prep_corridor(uint8_t *buf, int32_t len) {
    enum { BINS = CORRIDOR_LAGS + FILL_BINS };
    jdoc_t d;
    int corridor = j_get(&d, payload_value(&d, buf, len), "readings");
    int samples = j_get(&d, corridor, "samples"), sensor = j_get(&d, corridor, "sensor");
    when_t at, t;
    if (samples < 0 || sensor < 0 || d.nodes[sensor].type != J_STR || d.nodes[samples].type != J_ARR ||
        !parse_when(j_at(&d, j_get(&d, corridor, "at")), &at)) { free(d.nodes); return ERR_INPUT; }
    double sums[BINS][2] = {{0}}, counts[BINS] = {0}, grid[BINS][2];
    int64_t first = (int64_t)floor(epoch_seconds(&at) / BIN_S) - BINS + 1;
    for (int s = d.nodes[samples].child; s >= 0; s = d.nodes[s].next) {
        int time = j_item(&d, s, 0), speed = j_item(&d, s, 1), occupancy = j_item(&d, s, 2);
        if (speed < 0 || occupancy < 0 || d.nodes[speed].type != J_NUM || d.nodes[occupancy].type != J_NUM ||
            !parse_when(j_at(&d, time), &t)) { free(d.nodes); return ERR_INPUT; }
        int64_t bin = (int64_t)floor(epoch_seconds(&t) / BIN_S) - first;
        if (bin < 0 || bin >= BINS) continue;
        sums[bin][0] += d.nodes[speed].num, sums[bin][1] += d.nodes[occupancy].num, counts[bin] += 1;
    }
    for (int k = 0; k < 2; k++) { /* bin means, an empty bin carrying the last one for FILL_BINS bins */
        double last = NAN;
        int age = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) grid[b][k] = last = sums[b][k] / counts[b], age = 0;
            else grid[b][k] = ++age <= FILL_BINS ? last : NAN;
        }
    }
    for (int b = FILL_BINS; b < BINS; b++)
        if (isnan(grid[b][0]) || isnan(grid[b][1])) { free(d.nodes); return ERR_DEAD; }
    at.second = at.micro = 0;
    at.minute -= at.minute % STEP_MINUTES;
    writer_t w = {0};
    wr(&w, "{\"value\":{\"sensor\":");
    wr_raw(&w, d.nodes[sensor].raw, (size_t)d.nodes[sensor].raw_len);
    wr(&w, ",\"at\":");
    write_when(&w, &at);
    wr(&w, ",\"speed\":");
    write_numbers(&w, &grid[FILL_BINS][0], CORRIDOR_LAGS, 2, 3);
    wr(&w, ",\"occupancy\":");
    write_numbers(&w, &grid[FILL_BINS][1], CORRIDOR_LAGS, 2, 3);
    wr(&w, "},\"blobs\":[]}");
    free(d.nodes);
    return wire_finish(&w, buf, NULL, NULL, 0);
}

/* The numbers of a JSON array (or array of arrays, flattened) as float32; count or -1. */
static int to_floats(jdoc_t *d, int node, float *out, int cap) {
    int n = 0;
    if (node < 0 || d->nodes[node].type != J_ARR) return -1;
    for (int c = d->nodes[node].child; c >= 0; c = d->nodes[c].next) {
        if (d->nodes[c].type == J_ARR) {
            int got = to_floats(d, c, out + n, cap - n);
            if (got < 0) return -1;
            n += got;
        } else if (d->nodes[c].type == J_NUM && n < cap) {
            out[n++] = (float)d->nodes[c].num;
        } else {
            return -1;
        }
    }
    return n;
}

/* Run host model `name` on the given 1-D/2-D inputs; the output (malloc'ed) and its size. */
static float *run_model(const char *name, int inputs, float *const *data, const uint32_t (*dims)[2],
                        const int *ranks, int *count) {
    int32_t graph = nn_load(name, (int32_t)strlen(name));
    for (int i = 0; i < inputs; i++) {
        size_t n = ranks[i] == 2 ? (size_t)dims[i][0] * dims[i][1] : dims[i][0];
        nn_set_input(graph, i, data[i], (int32_t)(n * sizeof(float)), dims[i], ranks[i]);
    }
    nn_compute(graph);
    uint32_t out_dims[4];
    int rank = nn_output_dims(graph, 0, out_dims, 4);
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= out_dims[i];
    float *out = malloc(n * sizeof(float) + 1);
    if (out) nn_get_output(graph, 0, out, (int32_t)(n * sizeof(float)));
    *count = (int)n;
    return out;
}

__attribute__((export_name("traffic_predict")))
int32_t traffic_predict(uint8_t *buf, int32_t len) {
    jdoc_t d;
    int value = payload_value(&d, buf, len);
    int road = j_get(&d, value, "road"), corridor = j_get(&d, value, "corridor");
    int window = j_get(&d, road, "window"), slot = j_get(&d, road, "slot"), sensors = j_get(&d, road, "sensors");
    int speed = j_get(&d, corridor, "speed"), occupancy = j_get(&d, corridor, "occupancy");
    int sensor = j_get(&d, corridor, "sensor");
    if (window < 0 || slot < 0 || sensors < 0 || speed < 0 || occupancy < 0 || sensor < 0 ||
        d.nodes[sensor].type != J_STR || d.nodes[slot].type != J_NUM || d.nodes[sensors].type != J_ARR ||
        d.nodes[window].type != J_ARR) { free(d.nodes); return ERR_INPUT; }
    int n = d.nodes[sensors].count, road_n, corridor_n;
    float *lags = malloc((size_t)ROAD_LAGS * n * sizeof(float) + 1), slot_f = (float)d.nodes[slot].num;
    float corridor_in[2][CORRIDOR_LAGS];
    if (!lags) { free(d.nodes); return ERR_MEMORY; }
    if (d.nodes[window].count != ROAD_LAGS || to_floats(&d, window, lags, ROAD_LAGS * n) != ROAD_LAGS * n ||
        to_floats(&d, speed, corridor_in[0], CORRIDOR_LAGS) != CORRIDOR_LAGS ||
        to_floats(&d, occupancy, corridor_in[1], CORRIDOR_LAGS) != CORRIDOR_LAGS) {
        free(lags); free(d.nodes); return ERR_SHAPE;
    }
    uint32_t road_dims[2][2] = {{ROAD_LAGS, (uint32_t)n}, {1, 0}}, corridor_dims[2][2] = {{CORRIDOR_LAGS, 0}, {CORRIDOR_LAGS, 0}};
    int road_ranks[2] = {2, 1}, corridor_ranks[2] = {1, 1};
    float *road_data[2] = {lags, &slot_f}, *corridor_data[2] = {corridor_in[0], corridor_in[1]};
    char model[96];
    snprintf(model, sizeof model, "traffic_corridor_%.*s", d.nodes[sensor].str_len < 64 ? d.nodes[sensor].str_len : 64,
             d.nodes[sensor].str);
    float *road_out = run_model("traffic_road", 2, road_data, road_dims, road_ranks, &road_n);
    float *corridor_out = run_model(model, 2, corridor_data, corridor_dims, corridor_ranks, &corridor_n);
    free(lags);
    if (!road_out || !corridor_out || road_n != HORIZONS * n || corridor_n != HORIZONS) {
        free(road_out); free(corridor_out); free(d.nodes); return ERR_SHAPE;
    }
    writer_t w = {0};
    wr(&w, "{\"value\":{\"road\":{\"at\":");
    wr_raw(&w, d.nodes[j_get(&d, road, "at")].raw, (size_t)d.nodes[j_get(&d, road, "at")].raw_len);
    wr(&w, ",\"sensors\":");
    wr_raw(&w, d.nodes[sensors].raw, (size_t)d.nodes[sensors].raw_len);
    wr(&w, ",\"speed_mph\":{");
    for (int h = 0; h < HORIZONS; h++) {
        wr(&w, "%s\"%d\":", h ? "," : "", horizon_minutes[h]);
        double *speeds = malloc((size_t)n * sizeof(double) + 1);
        for (int i = 0; i < n && speeds; i++) speeds[i] = (double)road_out[(size_t)h * n + i];
        if (speeds) write_numbers(&w, speeds, n, 1, 2); else w.failed = 1;
        free(speeds);
    }
    wr(&w, "}},\"corridor\":{\"at\":");
    wr_raw(&w, d.nodes[j_get(&d, corridor, "at")].raw, (size_t)d.nodes[j_get(&d, corridor, "at")].raw_len);
    wr(&w, ",\"sensor\":");
    wr_raw(&w, d.nodes[sensor].raw, (size_t)d.nodes[sensor].raw_len);
    wr(&w, ",\"speed_mph\":{");
    for (int h = 0; h < HORIZONS; h++) {
        wr(&w, "%s\"%d\":", h ? "," : "", horizon_minutes[h]);
        wr_rounded(&w, (double)corridor_out[h], 2);
    }
    wr(&w, "}}},\"blobs\":[]}");
    free(road_out); free(corridor_out); free(d.nodes);
    return wire_finish(&w, buf, NULL, NULL, 0);
}

typedef struct { double speed; const char *sensor; int len; } slow_t;

static int slower(const void *a, const void *b) {
    const slow_t *x = a, *y = b;
    if (x->speed != y->speed) return x->speed < y->speed ? -1 : 1;
    int n = x->len < y->len ? x->len : y->len, c = memcmp(x->sensor, y->sensor, (size_t)n);
    return c ? c : x->len - y->len;
}

__attribute__((export_name("traffic_report")))
int32_t traffic_report(uint8_t *buf, int32_t len) {
    jdoc_t d;
    int prediction = j_get(&d, payload_value(&d, buf, len), "prediction");
    int road = j_get(&d, prediction, "road"), corridor = j_get(&d, prediction, "corridor");
    int sensors = j_get(&d, road, "sensors"), speeds = j_get(&d, road, "speed_mph"), at = j_get(&d, road, "at");
    if (corridor < 0 || sensors < 0 || speeds < 0 || at < 0 || d.nodes[speeds].type != J_OBJ ||
        d.nodes[sensors].type != J_ARR) { free(d.nodes); return ERR_INPUT; }
    int n = d.nodes[sensors].count;
    slow_t *slow = malloc((size_t)(n + 1) * sizeof(slow_t));
    writer_t w = {0};
    if (!slow) { free(d.nodes); return ERR_MEMORY; }
    wr(&w, "{\"value\":{\"horizons_min\":[15,30,60],\"road_at\":");
    wr_raw(&w, d.nodes[at].raw, (size_t)d.nodes[at].raw_len);
    for (int pass = 0; pass < 2; pass++) { /* pass 0: mean speeds, pass 1: congested sensors */
        wr(&w, pass ? ",\"road_congested\":{" : ",\"road_mean_speed_mph\":{");
        for (int h = d.nodes[speeds].child; h >= 0; h = d.nodes[h].next) {
            jnode_t *horizon = &d.nodes[h];
            if (horizon->type != J_ARR || horizon->count != n) { free(slow); free(d.nodes); return ERR_SHAPE; }
            wr(&w, "%s", h == d.nodes[speeds].child ? "" : ",");
            wr_string(&w, horizon->key, (size_t)horizon->key_len);
            wr(&w, ":");
            double total = 0;
            int k = 0, i = 0;
            for (int s = horizon->child, name = d.nodes[sensors].child; s >= 0; s = d.nodes[s].next, name = d.nodes[name].next, i++) {
                if (d.nodes[s].type != J_NUM || d.nodes[name].type != J_STR) { free(slow); free(d.nodes); return ERR_INPUT; }
                total += d.nodes[s].num;
                if (d.nodes[s].num < CONGESTED_MPH)
                    slow[k++] = (slow_t){d.nodes[s].num, d.nodes[name].str, d.nodes[name].str_len};
            }
            if (!pass) { wr_rounded(&w, total / (n ? n : 1), 2); continue; }
            qsort(slow, (size_t)k, sizeof(slow_t), slower);
            wr(&w, "[");
            for (int j = 0; j < k; j++) {
                wr(&w, "%s{\"sensor\":", j ? "," : "");
                wr_string(&w, slow[j].sensor, (size_t)slow[j].len);
                wr(&w, ",\"speed_mph\":");
                wr_number(&w, slow[j].speed);
                wr(&w, "}");
            }
            wr(&w, "]");
        }
        wr(&w, "}");
    }
    wr(&w, ",\"corridor\":");
    wr_raw(&w, d.nodes[corridor].raw, (size_t)d.nodes[corridor].raw_len);
    wr(&w, "},\"blobs\":[]}");
    free(slow);
    free(d.nodes);
    return wire_finish(&w, buf, NULL, NULL, 0);
}
