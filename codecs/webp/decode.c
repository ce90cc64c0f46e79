/*
 * The WebP decoder the browser worker runs: libwebp's own decoder (the one sharp's libvips calls in Node, same
 * release) compiled to WebAssembly, with libvips' settings (fancy upsampling, straight RGB or RGBA output), so
 * that both give the same bytes. Animated WebPs are left to the host (their first frame is composited onto a
 * canvas, which libvips does its own way). The host reads the result from the memory this module exports.
 */
#include "../host.h"

#include "webp/decode.h"


typedef struct {
  uint32_t width;
  uint32_t height;
  uint32_t channels;
  uint8_t *pixels;
} decode_result;

static decode_result result;

static void fail_with_status(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA: host_fail(FAILURE_TRUNCATED, "not enough data"); break;
    case VP8_STATUS_UNSUPPORTED_FEATURE: host_fail(FAILURE_UNSUPPORTED, "unsupported feature"); break;
    case VP8_STATUS_OUT_OF_MEMORY: host_fail(FAILURE_DAMAGED, "out of memory"); break;
    default: host_fail(FAILURE_DAMAGED, "bitstream error"); break;
  }
  __builtin_unreachable();
}

__attribute__((export_name("result")))
decode_result *result_pointer(void) { return &result; }

/*
 * Decodes `size` bytes at `input`. Returns 0 with the pixels in `result` (the caller releases them), -1 when the
 * picture has more than max_pixels, -2 when it is animated.
 */
__attribute__((export_name("decode")))
int decode(const uint8_t *input, uint32_t size, double max_pixels) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) host_fail(FAILURE_DAMAGED, "libwebp version mismatch");
  VP8StatusCode status = WebPGetFeatures(input, size, &config.input);
  if (status != VP8_STATUS_OK) fail_with_status(status);
  if (config.input.has_animation) return -2;
  const uint32_t width = (uint32_t)config.input.width, height = (uint32_t)config.input.height;
  if ((double)width * (double)height > max_pixels) return -1;
  const uint32_t channels = config.input.has_alpha ? 4 : 3;
  const size_t bytes = (size_t)width * height * channels;
  uint8_t *pixels = malloc(bytes);
  if (!pixels) host_fail(FAILURE_DAMAGED, "out of memory");
  config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = pixels;
  config.output.u.RGBA.stride = (int)(width * channels);
  config.output.u.RGBA.size = bytes;
  status = WebPDecode(input, size, &config);
  if (status != VP8_STATUS_OK) {
    free(pixels);
    fail_with_status(status);
  }
  result.width = width;
  result.height = height;
  result.channels = channels;
  result.pixels = pixels;
  return 0;
}
