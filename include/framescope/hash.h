/**
 * hash.h: the project's one byte-string hash (64-bit, word at a time, 128-bit multiply mixing),
 * inline so that hot loops (every line and word of the clean stage) pay no call. fs_hash_bytes
 * (intern.h) is the same function out of line. Its values decide which lines repeat and which
 * documents are near-duplicate candidates, so they must never change between versions.
 */
#ifndef FRAMESCOPE_HASH_H
#define FRAMESCOPE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 fs_u128;

static inline uint64_t fs_hash_mix(uint64_t a, uint64_t b)
{
    fs_u128 r = (fs_u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t fs_hash_inline(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xA0761D6478BD642Full);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = fs_hash_mix(h ^ w, 0xE7037ED1A0B428DBull);
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, len);
    return fs_hash_mix(h ^ tail ^ ((uint64_t)len << 56), 0x8EBC6AF09C88C6E3ull);
}

#endif
