/*
 * What every decoder module shares with its host (src/decode/codecs/codec-instance.ts): the kinds of failure the
 * host tells a person about, the `host.fail` import that throws in JavaScript (WebAssembly without exception
 * handling has no longjmp, so a fatal error unwinds to the host, which then drops the instance), and the heap
 * exports the host copies files in and pixels out with. Included by exactly one file of each module.
 */
#include <stdint.h>
#include <stdlib.h>

enum failure { FAILURE_DAMAGED = 0, FAILURE_TRUNCATED = 1, FAILURE_UNSUPPORTED = 2 };

__attribute__((import_module("host"), import_name("fail")))
void host_fail(int failure, const char *message);

__attribute__((export_name("alloc")))
uint8_t *alloc(uint32_t size) { return malloc(size); }

__attribute__((export_name("release")))
void release(void *pointer) { free(pointer); }
