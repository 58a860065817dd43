#ifndef TRIAGE_CZSTD_SHIM_H
#define TRIAGE_CZSTD_SHIM_H

// zstd compresses stored payloads with a dictionary trained on the store's own first payloads
// (Debian's libzstd-dev). ZDICT_trainFromBuffer is in the stable part of zdict.h.
#include <zstd.h>
#include <zdict.h>

#endif
