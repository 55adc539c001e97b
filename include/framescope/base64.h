/**
 * base64.h: RFC 4648 base64 encoding (standard alphabet, '=' padding), optionally broken into
 * CRLF-terminated lines for MIME bodies (RFC 2045 section 6.8: at most 76 characters a line).
 *
 * Ownership: output is appended to a caller-owned fs_strbuf.
 */
#ifndef FRAMESCOPE_BASE64_H
#define FRAMESCOPE_BASE64_H

#include <stddef.h>
#include "framescope/error.h"
#include "framescope/strbuf.h"

/** Appends the base64 encoding of `len` bytes of `data` to `out`. With `line_len` 0 the result is
 *  one unbroken string; otherwise every line (including the last, non-empty one) is at most
 *  `line_len` characters (rounded down to a multiple of 4) and ends in CRLF. Empty input adds
 *  nothing. Returns FS_ERR_NOMEM when `out` cannot grow. */
fs_status fs_base64_encode(fs_strbuf *out, const void *data, size_t len, size_t line_len);

/** Length of the unbroken encoding of `len` bytes (4 * ceil(len / 3)). */
size_t fs_base64_encoded_len(size_t len);

#endif
