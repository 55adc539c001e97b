/* config_syntax.c: JSON text -> cJSON tree, or an error at FILE:LINE:COL that says what the
 * parser expected and what it found.
 *
 * cJSON reports only a byte position. To turn it into a useful sentence we re-scan the text up
 * to that position with a tiny state machine (inside a string? inside an object or an array?
 * expecting a key, a colon, a value, or a comma?). cJSON accepted everything before the
 * position, so the light scan sees a valid prefix and its state is exact enough.
 */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef enum scan_expect { EXPECT_VALUE, EXPECT_KEY, EXPECT_COLON, EXPECT_COMMA } scan_expect;

typedef struct scan_state {
    bool in_string, escaped;
    size_t string_start;
    scan_expect expect;
    size_t depth;
    char open[CFG_MAX_DEPTH + 1];        /* '{' or '[' per level */
    size_t open_at[CFG_MAX_DEPTH + 1];   /* byte offset of each opener */
} scan_state;

/* Scans s[0, stop). Returns the offset of the first opener nested deeper than CFG_MAX_DEPTH,
 * or `stop` when there is none. */
static size_t scan(const char *s, size_t stop, scan_state *st)
{
    memset(st, 0, sizeof *st);
    st->expect = EXPECT_VALUE;
    for (size_t i = 0; i < stop; i++) {
        char c = s[i];
        if (st->in_string) {
            if (st->escaped)
                st->escaped = false;
            else if (c == '\\')
                st->escaped = true;
            else if (c == '"') {
                st->in_string = false;
                st->expect = st->expect == EXPECT_KEY ? EXPECT_COLON : EXPECT_COMMA;
            }
            continue;
        }
        switch (c) {
        case '"':
            st->in_string = true;
            st->string_start = i;
            break;
        case '{':
        case '[':
            if (st->depth == CFG_MAX_DEPTH)
                return i;
            st->open[st->depth] = c;
            st->open_at[st->depth++] = i;
            st->expect = c == '{' ? EXPECT_KEY : EXPECT_VALUE;
            break;
        case '}':
        case ']':
            if (st->depth)
                st->depth--;
            st->expect = EXPECT_COMMA;
            break;
        case ':':
            st->expect = EXPECT_VALUE;
            break;
        case ',':
            st->expect = st->depth && st->open[st->depth - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
            break;
        case ' ': case '\t': case '\r': case '\n':
            break;
        default: /* part of a number or a literal */
            st->expect = EXPECT_COMMA;
        }
    }
    return stop;
}

/* "NAME:LINE:COL" for byte `pos`; columns count code points, as editors show them. */
static void locate(const char *s, size_t pos, const char *name, char *out, size_t n)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    snprintf(out, n, "%s:%zu:%zu", name, line, col);
}

static void describe_char(const char *s, size_t len, size_t pos, char *out, size_t n)
{
    unsigned char c = pos < len ? (unsigned char)s[pos] : 0;
    if (pos >= len)
        snprintf(out, n, "the end of the file");
    else if (c == '\'')
        snprintf(out, n, "a single quote");
    else if (c >= 0x80)
        snprintf(out, n, "a non-ASCII character");
    else if (c > ' ' && c < 0x7f)
        snprintf(out, n, "'%c'", c);
    else
        snprintf(out, n, "byte 0x%02X", c);
}

static fs_status syntax_error(const char *s, size_t len, size_t pos, const char *name,
                              fs_error *err)
{
    scan_state st;
    char where[sizeof err->where], found[32];
    scan(s, pos < len ? pos : len, &st);
    locate(s, pos, name, where, sizeof where);
    describe_char(s, len, pos, found, sizeof found);
    const char *hint = "";
    char c = pos < len ? s[pos] : '\0';
    if (c == '\'')
        hint = " (JSON strings and keys need double quotes)";
    else if (c == '/' || c == '#')
        hint = " (JSON does not allow comments)";

    if (pos >= len && st.in_string) {
        locate(s, st.string_start, name, where, sizeof where);
        return fs_error_set(err, FS_ERR_CONFIG, where, "string is never closed (missing '\"')");
    }
    if (st.in_string) {
        /* cJSON stops inside a string for a bad escape, or at its start when it never ends. */
        if (c == '\\')
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "invalid escape sequence in a string (allowed: \\\" \\\\ \\/ "
                                "\\b \\f \\n \\r \\t \\uXXXX)");
        locate(s, st.string_start, name, where, sizeof where);
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "string is never closed, or holds an invalid \\u escape");
    }
    if (pos >= len) {
        if (st.depth) {
            char open = st.open[st.depth - 1], at[sizeof err->where];
            locate(s, st.open_at[st.depth - 1], name, at, sizeof at);
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "unexpected end of file: expected '%c' to close the %s opened at %s",
                                open == '{' ? '}' : ']', open == '{' ? "object" : "array", at);
        }
        return fs_error_set(err, FS_ERR_CONFIG, where, "unexpected end of file: expected a value");
    }
    bool in_object = st.depth && st.open[st.depth - 1] == '{';
    switch (st.expect) {
    case EXPECT_KEY:
        if (c == '}')
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "expected a quoted key after ',', found '}' (JSON does not allow "
                                "a trailing comma)");
        return fs_error_set(err, FS_ERR_CONFIG, where, "expected a quoted key, found %s%s", found,
                            hint);
    case EXPECT_COLON:
        return fs_error_set(err, FS_ERR_CONFIG, where, "expected ':' after the key, found %s%s",
                            found, hint);
    case EXPECT_COMMA:
        if (in_object)
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "expected ',' or '}' after object member, found %s%s", found,
                                c == '"' ? " (missing comma?)" : hint);
        if (st.depth)
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "expected ',' or ']' after array element, found %s%s", found,
                                c == '"' ? " (missing comma?)" : hint);
        return fs_error_set(err, FS_ERR_CONFIG, where, "unexpected %s after the end of the JSON "
                            "document", found);
    case EXPECT_VALUE:
        if (c == ']')
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                "expected a value, found ']' (JSON does not allow a trailing comma)");
        break;
    }
    return fs_error_set(err, FS_ERR_CONFIG, where,
                        "expected a value (a string, number, object, array, true, false or "
                        "null), found %s%s",
                        found, hint);
}

fs_status cfg_json_parse(const char *json, size_t len, const char *name, cJSON **out,
                         fs_error *err)
{
    *out = NULL;
    if (!name)
        name = "<config>";
    if (len > CFG_MAX_BYTES)
        return fs_error_set(err, FS_ERR_CONFIG, name,
                            "config is %zu bytes; the limit is %zu (16 MiB)", len, CFG_MAX_BYTES);
    /* Editors on some systems start UTF-8 files with a byte-order mark; JSON parsers do not. */
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3;
        len -= 3;
    }
    size_t first = 0;
    while (first < len && strchr(" \t\r\n", json[first]) && json[first])
        first++;
    if (first == len)
        return fs_error_set(err, FS_ERR_CONFIG, name, "the file is empty: expected a JSON object");

    char where[sizeof err->where];
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)json + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0) {
            locate(json, i, name, where, sizeof where);
            return fs_error_set(err, FS_ERR_CONFIG, where,
                                n <= 0 ? "invalid UTF-8 (byte 0x%02X); save the file as UTF-8"
                                       : "NUL byte (0x%02X) in the config text",
                                (unsigned char)json[i]);
        }
        i += (size_t)n;
    }

    scan_state st;
    size_t deep = scan(json, len, &st);
    if (deep < len) {
        locate(json, deep, name, where, sizeof where);
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "nested deeper than %d levels", CFG_MAX_DEPTH);
    }

    /* A trailing space makes cJSON report an early end of file at `len` instead of on the last
     * byte, so truncation and a bad last character can be told apart. */
    char *buf = malloc(len + 2);
    if (!buf)
        return fs_error_set(err, FS_ERR_NOMEM, name, "out of memory");
    memcpy(buf, json, len);
    buf[len] = ' ';
    buf[len + 1] = '\0'; /* cJSON's string parser peeks one byte past the end it was given */
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
    size_t pos = end ? (size_t)(end - buf) : len;
    free(buf);
    if (!root) {
        /* cJSON parses a key by calling its string parser on whatever character comes, and on
         * a non-quote it reports the byte after it. Point at the character itself. */
        scan(json, pos > 0 && pos - 1 < len ? pos - 1 : 0, &st);
        if (pos > 0 && pos - 1 < len && st.expect == EXPECT_KEY && !st.in_string &&
            !strchr(" \t\r\n\"", json[pos - 1]))
            pos--;
        return syntax_error(json, len, pos, name, err);
    }
    while (pos < len && strchr(" \t\r\n", json[pos]) && json[pos])
        pos++;
    if (pos < len) {
        cJSON_Delete(root);
        return syntax_error(json, len, pos, name, err);
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        locate(json, first, name, where, sizeof where);
        return fs_error_set(err, FS_ERR_CONFIG, where,
                            "the config must be a JSON object ({...}) at the top level");
    }
    *out = root;
    return FS_OK;
}
