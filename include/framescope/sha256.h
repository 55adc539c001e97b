/**
 * sha256.h: SHA-256 (FIPS 180-4) for document provenance hashes.
 *
 * Incremental (init/update/final) or one call; no allocation, so nothing to free.
 */
#ifndef FRAMESCOPE_SHA256_H
#define FRAMESCOPE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct fs_sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    unsigned char buf[64];   /* pending partial block */
    size_t fill;
} fs_sha256;

void fs_sha256_init(fs_sha256 *s);
void fs_sha256_update(fs_sha256 *s, const void *data, size_t len);
/** Writes the 32-byte digest; `s` must be re-initialised before reuse. */
void fs_sha256_final(fs_sha256 *s, unsigned char digest[32]);

/** Digest of `data[0..len)` as 64 lower-case hex digits and a NUL. */
void fs_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
