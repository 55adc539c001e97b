/**
 * utf8.h: UTF-8 validation and repair, NFC normalization (utf8proc) and code-point helpers.
 *
 * Repair follows the Unicode "maximal subpart" practice: each maximal ill-formed subsequence
 * (a lone continuation byte, a truncated sequence, an overlong or surrogate lead) becomes one
 * U+FFFD, and the number of input bytes replaced is reported. Valid input is copied unchanged.
 *
 * Ownership: functions that return text return a malloc'd, NUL-terminated buffer the caller frees.
 */
#ifndef FRAMESCOPE_UTF8_H
#define FRAMESCOPE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "framescope/error.h"

/** Length of the longest valid UTF-8 prefix of `s[0..len)` (== len when all valid). */
size_t fs_utf8_valid_prefix(const char *s, size_t len);

/** Copies `s[0..len)` into a new buffer, replacing ill-formed subsequences by U+FFFD.
 *  *n_invalid: input bytes replaced (0 when valid); *first_bad: byte offset of the first
 *  replaced byte (len when none). Either may be NULL. FS_ERR_NOMEM on OOM (*out NULL). */
fs_status fs_utf8_repair(const char *s, size_t len, char **out, size_t *out_len,
                         size_t *n_invalid, size_t *first_bad);

/** NFC of valid UTF-8 `s[0..len)` into a new buffer. FS_ERR_NOMEM on OOM, FS_ERR_ENCODING when
 *  utf8proc rejects the input (not valid UTF-8: repair it first). */
fs_status fs_utf8_nfc(const char *s, size_t len, char **out, size_t *out_len);

/** True when valid UTF-8 `s[0..len)` is certainly in NFC already (every code point is one that
 *  normalization neither changes nor combines: ASCII, Latin up to U+02FF, Cyrillic, most
 *  General Punctuation, CJK Unified Ideographs, Hangul syllables, U+FFFD). False means "ask
 *  utf8proc", not "not NFC". Lets callers skip the normalizing copy. */
bool fs_utf8_nfc_quick(const char *s, size_t len);

/** Code points in valid UTF-8 `s[0..len)` (bytes that are not continuation bytes). */
size_t fs_utf8_count(const char *s, size_t len);

/** Decodes one code point at `s` (len > 0). Returns the bytes consumed (1..4); an ill-formed
 *  sequence yields U+FFFD and consumes one byte. */
size_t fs_utf8_decode(const char *s, size_t len, int32_t *cp);

/** Encodes `cp` (<= 0x10FFFF, not a surrogate) into `out` (4 bytes room); returns bytes written,
 *  0 for an invalid code point. */
size_t fs_utf8_encode(int32_t cp, char *out);

/** True for letters and digits (Unicode general categories L* and N*). */
int fs_utf8_is_alnum(int32_t cp);

#endif
