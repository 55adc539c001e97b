/**
 * sha256.h: SHA-256 (FIPS 180-4) for document provenance hashes, computed by OpenSSL's libcrypto
 * (EVP interface), which uses the CPU's SHA instructions where there are some: hashing every
 * document was the largest single cost of reading a corpus with a portable implementation.
 *
 * Incremental (init/update/final) or one call. The incremental form holds a libcrypto context:
 * every fs_sha256_init must be paired with one fs_sha256_final, which releases it.
 */
#ifndef FRAMESCOPE_SHA256_H
#define FRAMESCOPE_SHA256_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fs_sha256 {
    void *evp;   /* EVP_MD_CTX, NULL when libcrypto could not allocate one */
    bool ok;     /* false once any step failed: final then reports the failure */
} fs_sha256;

void fs_sha256_init(fs_sha256 *s);
void fs_sha256_update(fs_sha256 *s, const void *data, size_t len);
/** Writes the 32-byte digest and releases the context; `s` must be re-initialised before reuse.
 *  False (digest zeroed) when libcrypto failed at any step (out of memory). */
bool fs_sha256_final(fs_sha256 *s, unsigned char digest[32]);

/** Digest of `data[0..len)` as 64 lower-case hex digits and a NUL. False, with `hex` the empty
 *  string, when libcrypto failed (out of memory). */
bool fs_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
