#ifndef TRIAGE_CMIMALLOC_SHIM_H
#define TRIAGE_CMIMALLOC_SHIM_H

// mimalloc replaces malloc/free for the whole process (Debian's libmimalloc-dev): linked into the
// executable, its shared library comes before libc in the search order, so every allocation (Swift,
// SQLite, zstd) goes through it. Nothing needs to be called: importing this module links it.
// Why: ingest frees on the writer what the decode queue allocated, and glibc's arenas serialise
// those cross-thread frees behind a lock (BENCHMARKS.md, ninth and tenth sessions).
#include <mimalloc.h>

#endif
