#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Sets SQLite's process-wide options before its first connection opens; sqlite3_config is
/// variadic, which Swift cannot call. Returns 0 when both options took effect.
int triage_sqlite_configure(void);

#endif
