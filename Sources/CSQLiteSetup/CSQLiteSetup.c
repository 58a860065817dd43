#include "CSQLiteSetup.h"
#include <sqlite3.h>

int triage_sqlite_configure(void) {
    // Multi-thread mode: no mutex per connection. GRDB gives each connection to one thread at a
    // time (and the ingest writer's raw statements live inside its write closure), which is all
    // this mode asks. Serialized mode locked the connection on every bind and step.
    int threading = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    // No allocation statistics: they take a global mutex on every allocation, and nothing reads them.
    int memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return threading == SQLITE_OK && memstatus == SQLITE_OK ? 0 : 1;
}
