/* base64.c: RFC 4648 base64 encoder with optional MIME line breaking. */
#include "framescope/base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t fs_base64_encoded_len(size_t len)
{
    return (len / 3 + (len % 3 != 0)) * 4;
}

fs_status fs_base64_encode(fs_strbuf *out, const void *data, size_t len, size_t line_len)
{
    const unsigned char *p = data;
    size_t enc = fs_base64_encoded_len(len);
    /* Lines hold whole quanta so that a decoder never sees a group split by a line break. */
    line_len -= line_len % 4;
    size_t lines = line_len ? enc / line_len + (enc % line_len != 0) : 0;
    if (fs_strbuf_reserve(out, enc + 2 * lines) != FS_OK)
        return FS_ERR_NOMEM;
    char *w = out->data + out->len;
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        size_t rest = len - i;
        unsigned v = (unsigned)p[i] << 16;
        if (rest > 1)
            v |= (unsigned)p[i + 1] << 8;
        if (rest > 2)
            v |= p[i + 2];
        *w++ = alphabet[(v >> 18) & 63];
        *w++ = alphabet[(v >> 12) & 63];
        *w++ = rest > 1 ? alphabet[(v >> 6) & 63] : '=';
        *w++ = rest > 2 ? alphabet[v & 63] : '=';
        col += 4;
        if (line_len && (col == line_len || rest <= 3)) {
            *w++ = '\r';
            *w++ = '\n';
            col = 0;
        }
    }
    *w = '\0';
    out->len = (size_t)(w - out->data);
    return FS_OK;
}
