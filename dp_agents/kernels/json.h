/* A small JSON reader for the kernels whose step wire carries JSON (dp_agents/payload.py
 * headers): the document becomes an array of nodes; strings stay as raw spans of the input
 * (the steps' keys, sensor ids and ISO times carry no escapes), and every node keeps its raw
 * text so a kernel can copy a value through unchanged. Header-only. */
#ifndef AAAS_JSON_H
#define AAAS_JSON_H
#include <stdlib.h>
#include <string.h>

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
#define J_MAX_DEPTH 32

typedef struct {
    int type, child, next, count;  /* child/next: node indices, -1 for none */
    double num;
    const char *str, *key, *raw;  /* str: inside the quotes; raw: the whole value */
    int str_len, key_len, raw_len;
} jnode_t;

typedef struct {
    const char *text;
    int len, pos, used, cap;
    jnode_t *nodes;
} jdoc_t;

static inline void j_space(jdoc_t *d) {
    while (d->pos < d->len && (d->text[d->pos] == ' ' || d->text[d->pos] == '\n' || d->text[d->pos] == '\r' ||
                               d->text[d->pos] == '\t'))
        d->pos++;
}

static inline int j_new(jdoc_t *d) {
    if (d->used == d->cap) {
        int cap = d->cap ? d->cap * 2 : 256;
        jnode_t *grown = realloc(d->nodes, (size_t)cap * sizeof(jnode_t));
        if (!grown) return -1;
        d->nodes = grown, d->cap = cap;
    }
    memset(&d->nodes[d->used], 0, sizeof(jnode_t));
    d->nodes[d->used].child = d->nodes[d->used].next = -1;
    return d->used++;
}

static inline int j_string(jdoc_t *d, const char **s, int *n) {
    if (d->pos >= d->len || d->text[d->pos] != '"') return -1;
    int start = ++d->pos;
    while (d->pos < d->len && d->text[d->pos] != '"') d->pos += d->text[d->pos] == '\\' ? 2 : 1;
    if (d->pos >= d->len) return -1;
    *s = d->text + start, *n = d->pos - start;
    d->pos++;
    return 0;
}

static inline int j_value(jdoc_t *d, int depth);

static inline int j_items(jdoc_t *d, int node, int depth, int object) {
    char close = object ? '}' : ']';
    int last = -1;
    d->pos++;
    j_space(d);
    if (d->pos < d->len && d->text[d->pos] == close) { d->pos++; return 0; }
    for (;;) {
        const char *key = NULL;
        int key_len = 0;
        j_space(d);
        if (object) {
            if (j_string(d, &key, &key_len) < 0) return -1;
            j_space(d);
            if (d->pos >= d->len || d->text[d->pos++] != ':') return -1;
        }
        int item = j_value(d, depth + 1);
        if (item < 0) return -1;
        d->nodes[item].key = key, d->nodes[item].key_len = key_len;
        if (last < 0) d->nodes[node].child = item; else d->nodes[last].next = item;
        last = item;
        d->nodes[node].count++;
        j_space(d);
        if (d->pos < d->len && d->text[d->pos] == ',') { d->pos++; continue; }
        if (d->pos < d->len && d->text[d->pos] == close) { d->pos++; return 0; }
        return -1;
    }
}

static inline int j_value(jdoc_t *d, int depth) {
    j_space(d);
    if (depth > J_MAX_DEPTH || d->pos >= d->len) return -1;
    int node = j_new(d), start = d->pos, rc = 0;
    if (node < 0) return -1;
    char c = d->text[d->pos];
    if (c == '{' || c == '[') {
        d->nodes[node].type = c == '{' ? J_OBJ : J_ARR;
        rc = j_items(d, node, depth, c == '{');
    } else if (c == '"') {
        d->nodes[node].type = J_STR;
        rc = j_string(d, &d->nodes[node].str, &d->nodes[node].str_len);
    } else if (!strncmp(d->text + d->pos, "null", 4) && d->pos + 4 <= d->len) {
        d->nodes[node].type = J_NULL, d->pos += 4;
    } else if (!strncmp(d->text + d->pos, "true", 4) && d->pos + 4 <= d->len) {
        d->nodes[node].type = J_BOOL, d->nodes[node].num = 1, d->pos += 4;
    } else if (!strncmp(d->text + d->pos, "false", 5) && d->pos + 5 <= d->len) {
        d->nodes[node].type = J_BOOL, d->pos += 5;
    } else {
        char number[40];
        int n = 0;
        while (d->pos < d->len && n < 39 && strchr("+-0123456789.eE", d->text[d->pos]) && d->text[d->pos])
            number[n++] = d->text[d->pos++];
        number[n] = 0;
        char *end;
        d->nodes[node].type = J_NUM;
        d->nodes[node].num = strtod(number, &end);
        rc = n == 0 || *end ? -1 : 0;
    }
    d->nodes[node].raw = d->text + start, d->nodes[node].raw_len = d->pos - start;
    return rc < 0 ? -1 : node;
}

/* Parse `text`; returns the root node or -1. Free d->nodes when done. */
static inline int j_parse(jdoc_t *d, const char *text, int len) {
    memset(d, 0, sizeof *d);
    d->text = text, d->len = len;
    int root = j_value(d, 0);
    j_space(d);
    return root >= 0 && d->pos == d->len ? root : -1;
}

static inline jnode_t *j_at(jdoc_t *d, int node) { return node >= 0 ? &d->nodes[node] : NULL; }

/* Member `key` of an object node, or -1. */
static inline int j_get(jdoc_t *d, int node, const char *key) {
    if (node < 0 || d->nodes[node].type != J_OBJ) return -1;
    int n = (int)strlen(key);
    for (int c = d->nodes[node].child; c >= 0; c = d->nodes[c].next)
        if (d->nodes[c].key_len == n && !memcmp(d->nodes[c].key, key, (size_t)n)) return c;
    return -1;
}

/* Item i of an array node, or -1. */
static inline int j_item(jdoc_t *d, int node, int i) {
    if (node < 0 || d->nodes[node].type != J_ARR) return -1;
    int c = d->nodes[node].child;
    while (c >= 0 && i-- > 0) c = d->nodes[c].next;
    return c;
}

#endif
