/**
 * email_internal.h: the MIME building blocks behind fs_email_write, exposed for the tests.
 *
 * All functions append to a caller-owned fs_strbuf and return FS_ERR_NOMEM when it cannot grow.
 */
#ifndef FRAMESCOPE_EMAIL_INTERNAL_H
#define FRAMESCOPE_EMAIL_INTERNAL_H

#include <stddef.h>
#include "framescope/error.h"
#include "framescope/strbuf.h"

/** Longest header line we write, excluding CRLF (RFC 5322 section 2.1.1 "SHOULD"). */
#define FS_EMAIL_LINE_MAX 78
/** Longest quoted-printable line, excluding CRLF (RFC 2045 section 6.7 rule 5). */
#define FS_EMAIL_QP_LINE_MAX 76

/** Quoted-printable body encoding of `len` bytes of UTF-8 text. '\n' (or "\r\n") in the text
 *  become hard CRLF line breaks; longer lines get soft breaks ("=" CRLF); '=', non-ASCII bytes,
 *  controls, whitespace before a line break, and a '.' or "From " at the start of a line (which
 *  some mail transports treat specially) are written as =XX. The result ends in CRLF when the
 *  text is not empty. */
fs_status fs_email_qp_encode(fs_strbuf *out, const char *text, size_t len);

/** Appends the header `name: text` with CRLF, folded to FS_EMAIL_LINE_MAX. Unstructured `text`
 *  that is not plain printable ASCII (or holds "=?", or a word too long to fold) is written as
 *  RFC 2047 "Q" encoded-words in UTF-8, each at most 75 characters and never splitting a
 *  character, so CR/LF in `text` can never start a new header. */
fs_status fs_email_put_text_header(fs_strbuf *out, const char *name, const char *text);

#endif
