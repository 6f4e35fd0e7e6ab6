/* The executor's host inference interface (edge_exec.runtimes.inference), wasi-nn style: the
 * module keeps its tensors in linear memory, the host runs the declared neural network. Every
 * size is in bytes, tensors are row-major float32, dims are uint32 arrays. Misuse traps. */
#ifndef AAAS_NN_H
#define AAAS_NN_H
#include <stdint.h>

#define NN_IMPORT(name) __attribute__((import_module("aaas_nn"), import_name(name)))

NN_IMPORT("load") int32_t nn_load(const char *name, int32_t name_len);
NN_IMPORT("set_input") int32_t nn_set_input(int32_t graph, int32_t index, const float *data, int32_t bytes,
                                            const uint32_t *dims, int32_t rank);
NN_IMPORT("compute") int32_t nn_compute(int32_t graph);
NN_IMPORT("output_dims") int32_t nn_output_dims(int32_t graph, int32_t index, uint32_t *dims, int32_t max_rank);
NN_IMPORT("get_output") int32_t nn_get_output(int32_t graph, int32_t index, float *out, int32_t cap);
NN_IMPORT("label") int32_t nn_label(int32_t graph, int32_t index, char *out, int32_t cap);

/* A declared codec model: decode JPEG/PNG to u8 pixels (dims: height, width, channels) or encode
 * pixels to PNG; the result is held by the host until read_blob copies it out. */
NN_IMPORT("decode_image") int32_t nn_decode_image(int32_t graph, const uint8_t *data, int32_t len, uint32_t dims[3]);
NN_IMPORT("encode_image") int32_t nn_encode_image(int32_t graph, const uint8_t *pixels, int32_t width, int32_t height,
                                                  int32_t channels);
NN_IMPORT("read_blob") int32_t nn_read_blob(int32_t graph, uint8_t *out, int32_t cap);

#endif
