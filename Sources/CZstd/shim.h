#ifndef TRIAGE_CZSTD_SHIM_H
#define TRIAGE_CZSTD_SHIM_H

// zstd compresses stored payloads with a dictionary trained on the store's own first payloads
// (Debian's libzstd-dev). Training with fixed fastCover parameters needs zdict.h's "static
// linking only" part; libzstd has exported it, unchanged, since 1.3.6.
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

#endif
