/* sha256.c: SHA-256 through libcrypto's EVP interface (see sha256.h). EVP rather than the
 * deprecated SHA256_* calls: it is the interface OpenSSL 3 keeps, and it still dispatches to the
 * SHA-NI / ARMv8 code paths. */
#include "framescope/sha256.h"

#include <openssl/evp.h>
#include <string.h>

void fs_sha256_init(fs_sha256 *s)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    s->evp = c;
    s->ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
}

void fs_sha256_update(fs_sha256 *s, const void *data, size_t len)
{
    if (s->ok && len)
        s->ok = EVP_DigestUpdate(s->evp, data, len) == 1;
}

bool fs_sha256_final(fs_sha256 *s, unsigned char digest[32])
{
    unsigned int n = 0;
    bool ok = s->ok && EVP_DigestFinal_ex(s->evp, digest, &n) == 1 && n == 32;
    if (!ok)
        memset(digest, 0, 32);
    EVP_MD_CTX_free(s->evp);
    s->evp = NULL;
    s->ok = false;
    return ok;
}

bool fs_sha256_hex(const void *data, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, len, d, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        hex[0] = '\0';
        return false;
    }
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
    return true;
}
