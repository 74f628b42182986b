// The JSON splitter's byte scanner (src/plan/splitter.ts), compiled to WebAssembly by scripts/scan-core-wasm.mjs into
// src/plan/scan-core-wasm.ts. src/plan/scan-core.ts holds the same scanner in TypeScript (used where WebAssembly is
// not available, and by the tests as this file's oracle) and documents the contract; keep the two in step.
//
// Why WebAssembly: the splitter passes over every byte of a plan, and in JavaScript that loop runs cold (a 10k plan is
// read once, before V8 has optimised it) and calls a native indexOf per string. Compiled ahead, this loop passes over
// strings 16 bytes at a time: gen-120k (256 MiB) in ~0.2 s against ~1.1 s for the JavaScript loop.
//
// The scanner passes over the inside of one value (a string or a container): strings (with their escapes), and
// brackets, matched on a stack. It stops at the value's end, at the chunk's end, at a bracket that does not match or
// nests too deep, and, at depth <= `stop` (1 or 2 in an object whose members the splitter may drop), at the bytes the
// splitter's prune logic reads: keys it has asked for (KEY1, KEY2; with KEY_END, where the key ends), the ':' after a key it matched (KEY_AT), every
// token at the top level of a member it is dropping or comparing (OPEN_AT), and a bracket opening at depth 1. Between
// those it keeps KEY1 and KEY2 up to date itself (a ',' in an object at depth 1 or 2 means a key comes next).

#include <stdint.h>
#include <wasm_simd128.h>

#define CHUNK_BYTES (4 << 20)
#define STACK_BYTES (1 << 20)

enum { CHUNK_END = 0, VALUE_END = 1, STOP = 2, MISMATCH = 3, TOO_DEEP = 4 };
enum { DEPTH = 0, IN_STRING = 1, ESCAPE = 2, REASON = 3, OPEN_AT = 4, KEY_AT = 5, KEY1 = 6, KEY2 = 7, IN_PARENT = 8, KEY_END = 9 };

static uint8_t chunk[CHUNK_BYTES];
// Open brackets, as their closing byte.
static uint8_t stack[STACK_BYTES];
static int32_t state[10];

uint8_t *chunk_ptr(void) { return chunk; }
int32_t chunk_bytes(void) { return CHUNK_BYTES; }
uint8_t *stack_ptr(void) { return stack; }
int32_t stack_bytes(void) { return STACK_BYTES; }
int32_t *state_ptr(void) { return state; }

static inline int is_ws(uint8_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The first '"' or '\\' in p[j..n), or n: 16 bytes at a time.
static inline int32_t quote_or_backslash(const uint8_t *p, int32_t j, int32_t n) {
  const v128_t quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\');
  while (j + 16 <= n) {
    v128_t v = wasm_v128_load(p + j);
    uint32_t m = wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash)));
    if (m != 0) return j + __builtin_ctz(m);
    j += 16;
  }
  while (j < n && p[j] != '"' && p[j] != '\\') j++;
  return j;
}

// Scans chunk[j..n) and returns where it stopped; state[REASON] says why. `limit`: the depth a bracket may not open at.
int32_t scan(int32_t j, int32_t n, int32_t stop, int32_t limit) {
  const uint8_t *p = chunk;
  int32_t d = state[DEPTH], s = state[IN_STRING], e = state[ESCAPE], reason = CHUNK_END;
  while (j < n) {
    if (s) {
      if (e) {
        e = 0;
        j++;
        continue;
      }
      j = quote_or_backslash(p, j, n);
      if (j == n) break;
      if (p[j] == '\\') {
        e = 1;
        j++;
        continue;
      }
      s = 0;
      j++;
      if (d == 0) {
        reason = VALUE_END;
        break;
      }
      continue;
    }
    uint8_t c = p[j];
    if (d <= stop && !is_ws(c)) {
      int open = d == state[OPEN_AT];
      if (c == '"') {
        int key = (d == 1 && state[KEY1]) || (d == 2 && state[KEY2]);
        if (open || key) {
          // A key: where its closing quote is, or -1 when an escape comes first or the chunk ends first.
          if (key) {
            int32_t q = quote_or_backslash(p, j + 1, n);
            state[KEY_END] = q < n && p[q] == '"' ? q : -1;
          }
          reason = STOP;
          break;
        }
      } else if (c == '{' || c == '[') {
        if (open || d == 1) {
          reason = STOP;
          break;
        }
      } else if (c == ',') {
        if (open) {
          reason = STOP;
          break;
        }
        if (stack[d - 1] == '}') {
          if (d == 1) state[KEY1] = 1;
          else state[KEY2] = state[IN_PARENT];
        }
      } else if (c == ':') {
        if (open || d == state[KEY_AT]) {
          reason = STOP;
          break;
        }
      } else if (c == '}' || c == ']') {
        if (open) {
          reason = STOP;
          break;
        }
      } else if (open) {
        reason = STOP;
        break;
      }
    }
    if (c == '"') {
      s = 1;
    } else if (c == '{' || c == '[') {
      if (d >= limit) {
        reason = TOO_DEEP;
        break;
      }
      stack[d++] = c + 2;  // '{' + 2 == '}', '[' + 2 == ']'
    } else if (c == '}' || c == ']') {
      if (d == 0 || stack[d - 1] != c) {
        reason = MISMATCH;
        break;
      }
      d--;
      if (d == 0) {
        j++;
        reason = VALUE_END;
        break;
      }
    }
    j++;
  }
  state[DEPTH] = d;
  state[IN_STRING] = s;
  state[ESCAPE] = e;
  state[REASON] = reason;
  return j;
}
