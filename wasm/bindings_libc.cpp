// snprintf for the WebAssembly module, linked only into it (the native build, and the Catch2
// suite in wasm, keep their C library): musl's printf family would otherwise be a large share
// of the module, for the few integer and string conversions nlohmann's messages need. Plain
// C++, no emscripten: the module's other C library function, strtod, is in bindings.cpp.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace {

/// Writes v in `base` backwards, ending just before `end`, with at least min_digits digits;
/// returns where it starts.
char* digitsBefore(char* end, unsigned long long v, unsigned base, bool upper, size_t min_digits) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char* q = end;
  for (; v; v /= base) *--q = digits[v % base];
  while (static_cast<size_t>(end - q) < min_digits) *--q = '0';
  return q;
}

/// The digits of an integer conversion (d i u x X) of an argument of length `longs` (hh -2,
/// h -1, none 0, l 1, ll 2), written before `end`; sets `negative` for a negative d or i.
char* integerBefore(char* end, char c, int longs, int precision, va_list& args, bool& negative) {
  // Arguments narrower than int arrive as int; h and hh cut them back.
  unsigned long long v = longs >= 2 ? va_arg(args, unsigned long long)
                         : longs == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned);
  if (c == 'd' || c == 'i') {
    long long sv = longs >= 2 ? static_cast<long long>(v)
                   : longs == 1 ? static_cast<long>(v) : static_cast<int>(v);
    if (longs == -1) sv = static_cast<short>(sv);
    if (longs <= -2) sv = static_cast<signed char>(sv);
    negative = sv < 0;
    v = negative ? 0 - static_cast<unsigned long long>(sv) : static_cast<unsigned long long>(sv);
  } else {
    if (longs == -1) v = static_cast<unsigned short>(v);
    if (longs <= -2) v = static_cast<unsigned char>(v);
  }
  const size_t min_digits = precision >= 0 ? static_cast<size_t>(precision) : 1;
  return digitsBefore(end, v, c == 'x' || c == 'X' ? 16 : 10, c == 'X', min_digits);
}

}  // namespace

extern "C" {

// snprintf for nlohmann's "\u%04x" escapes and "<U+%.4X>" in parse errors: integers, characters,
// strings and pointers with the flags '-' and '0', a width and a precision. Any other conversion
// (the floating-point ones above all) writes nothing and returns -1 rather than a wrong text.
int vsnprintf(char* out, size_t size, const char* format, va_list args) {
  size_t len = 0;
  const auto put = [&](char c) {
    if (len + 1 < size) out[len] = c;
    ++len;
  };
  for (const char* p = format; *p; ++p) {
    if (*p != '%') {
      put(*p);
      continue;
    }
    bool left = false, zero = false;
    for (++p; *p == '-' || *p == '0'; ++p) (*p == '-' ? left : zero) = true;
    int width = 0, precision = -1;
    if (*p == '*') width = va_arg(args, int), ++p;
    else while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    if (*p == '.') {
      precision = 0;
      if (*++p == '*') precision = va_arg(args, int), ++p;
      else while (*p >= '0' && *p <= '9') precision = precision * 10 + (*p++ - '0');
    }
    int longs = 0;
    for (; *p == 'h' || *p == 'l' || *p == 'z'; ++p) longs += *p == 'l' ? 1 : *p == 'z' ? 0 : -1;
    char buffer[24];  // the digits of any 64-bit integer, or 0x and those of a pointer
    char* const end = buffer + sizeof buffer;
    const char* text = buffer;
    bool negative = false;
    const char c = *p;
    if (c == 'p') {
      // Only embind's name for a type it was never told about ("%p" of its type id).
      char* q = digitsBefore(end, reinterpret_cast<uintptr_t>(va_arg(args, void*)), 16, false, 1);
      *--q = 'x';
      *--q = '0';
      text = q;
    } else if (c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X') {
      text = integerBefore(end, c, longs, precision, args, negative);
      if (precision >= 0) zero = false;
    } else if (c == 'c' || c == '%') {
      buffer[sizeof buffer - 1] = c == 'c' ? static_cast<char>(va_arg(args, int)) : '%';
      text = end - 1;
    } else if (c != 's') {
      if (size) out[0] = '\0';
      return -1;
    }
    size_t n = static_cast<size_t>(end - text);
    if (c == 's') {
      text = va_arg(args, const char*);
      for (n = 0; text[n] && (precision < 0 || n < static_cast<size_t>(precision));) ++n;
    }
    const size_t body = n + (negative ? 1 : 0);
    const size_t pad = static_cast<size_t>(width) > body ? static_cast<size_t>(width) - body : 0;
    if (!left && !zero) for (size_t i = 0; i < pad; ++i) put(' ');
    if (negative) put('-');
    if (!left && zero) for (size_t i = 0; i < pad; ++i) put('0');
    for (size_t i = 0; i < n; ++i) put(text[i]);
    if (left) for (size_t i = 0; i < pad; ++i) put(' ');
  }
  if (size) out[len < size ? len : size - 1] = '\0';
  return static_cast<int>(len);
}

int snprintf(char* out, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int n = vsnprintf(out, size, format, args);
  va_end(args);
  return n;
}

// embind's own sprintf, which the compiler turns into this integer-only variant.
int siprintf(char* out, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int n = vsnprintf(out, SIZE_MAX, format, args);
  va_end(args);
  return n;
}

}  // extern "C"
