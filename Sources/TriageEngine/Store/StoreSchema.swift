import GRDB

/// The store's migrations: named, append-only, registered in one place. Never edit a shipped one.
enum StoreSchema {
    /// The schema this triage writes, as `--version` and the upgrade notice name it ("v11", say).
    static var version: String { String((migrator.migrations.last ?? "v0").prefix { $0 != ":" }) }

    /// The newest schema's name ("v9") when a store that already holds groups is behind it; nil for a
    /// new store or one up to date.
    static func pendingUpgrade(_ db: Database) throws -> String? {
        let applied = try migrator.appliedIdentifiers(db)
        guard !applied.isEmpty, try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM groups LIMIT 1)") == 1,
              let newest = migrator.migrations.last, !applied.contains(newest),
              slowMigrations.contains(where: { !applied.contains($0) }) else { return nil }
        return String(newest.prefix { $0 != ":" })
    }

    /// Migrations that rewrite a table, which takes minutes on a large store: worth a notice.
    private static let slowMigrations = ["v9: one index of every occurrence id, retitled groups noted by the writer",
                                         "v13: one- and two-character grams for free-text search"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: groups, occurrences, history, ingest ledger") { db in
            try db.execute(sql: """
                CREATE TABLE groups (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL,
                    type_id INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    subtitle TEXT NOT NULL,
                    culprit TEXT NOT NULL,
                    level TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    substatus INTEGER,
                    priority INTEGER NOT NULL,
                    priority_locked INTEGER NOT NULL DEFAULT 0,
                    first_seen REAL NOT NULL,
                    last_seen REAL NOT NULL,
                    times_seen INTEGER NOT NULL,
                    important_name TEXT,
                    important_value TEXT,
                    assignee TEXT,
                    -- title, subtitle and culprit folded to lower case (Unicode-aware) for free-text search.
                    search_text TEXT NOT NULL,
                    UNIQUE (project_id, fingerprint)
                );
                CREATE INDEX groups_by_last_seen ON groups (last_seen);

                -- Occurrences below a type's noise limit are held here until their group exists.
                CREATE TABLE noise_keys (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    fingerprint TEXT NOT NULL,
                    type_id INTEGER NOT NULL,
                    window INTEGER NOT NULL,
                    window_count INTEGER NOT NULL,
                    window_last_time REAL NOT NULL,
                    group_id INTEGER REFERENCES groups (id),
                    UNIQUE (project_id, fingerprint)
                );

                CREATE TABLE occurrences (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    group_id INTEGER REFERENCES groups (id),
                    type_id INTEGER NOT NULL,
                    detection_time REAL NOT NULL,
                    event_id BLOB NOT NULL,
                    noise_key INTEGER REFERENCES noise_keys (id),
                    noise_window INTEGER,
                    payload BLOB NOT NULL
                );
                CREATE INDEX occurrences_by_group ON occurrences (group_id, detection_time);
                CREATE INDEX occurrences_held ON occurrences (noise_key, noise_window) WHERE group_id IS NULL;

                CREATE TABLE status_history (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    at REAL NOT NULL,
                    from_status INTEGER,
                    from_substatus INTEGER,
                    to_status INTEGER NOT NULL,
                    to_substatus INTEGER,
                    cause TEXT NOT NULL,
                    actor TEXT
                );
                CREATE INDEX status_history_by_group ON status_history (group_id, at);

                -- The condition an IGNORED/UNTIL_CONDITION_MET group waits for, with the counts when it was ignored.
                CREATE TABLE ignore_conditions (
                    group_id INTEGER PRIMARY KEY REFERENCES groups (id),
                    ignored_at REAL NOT NULL,
                    until_time REAL,
                    count INTEGER,
                    count_window REAL,
                    users INTEGER,
                    user_window REAL,
                    times_seen_at_ignore INTEGER NOT NULL
                );

                -- One row per spool file claimed; progress is committed with the rows it produced,
                -- which is what makes a killed ingest resume without losing or doubling anything.
                CREATE TABLE ingest_files (
                    id INTEGER PRIMARY KEY,
                    name BLOB NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    byte_offset INTEGER NOT NULL DEFAULT 0,
                    line INTEGER NOT NULL DEFAULT 0,
                    outcome TEXT,
                    accepted INTEGER NOT NULL DEFAULT 0,
                    duplicates INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    noise_held INTEGER NOT NULL DEFAULT 0,
                    status_changes INTEGER NOT NULL DEFAULT 0,
                    claimed_at REAL NOT NULL,
                    finished_at REAL
                );
                CREATE UNIQUE INDEX ingest_files_identity ON ingest_files (name, device, inode, size, mtime_ns);

                CREATE TABLE rejections (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES ingest_files (id),
                    line INTEGER,
                    byte_offset INTEGER NOT NULL,
                    byte_length INTEGER NOT NULL,
                    field TEXT,
                    reason TEXT NOT NULL
                );
                CREATE INDEX rejections_by_file ON rejections (file_id);
                """)
        }
        migrator.registerMigration("v2: lifecycle: hourly counts, users, state start, ignore snapshots") { db in
            try db.execute(sql: """
                -- Occurrences per group per hour of detection time (hour = floor(time / 3600)), kept for
                -- eight days: the escalation forecast reads the last seven.
                CREATE TABLE group_hours (
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    hour INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (group_id, hour)
                ) WITHOUT ROWID;

                -- Distinct users per group, with the occurrence sequence numbers that first and last
                -- brought them, so "N more users since ignoring" and "N users within a window" are exact.
                CREATE TABLE group_users (
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    user TEXT NOT NULL,
                    first_seq INTEGER NOT NULL,
                    last_seq INTEGER NOT NULL,
                    last_seen REAL NOT NULL,
                    PRIMARY KEY (group_id, user)
                ) WITHOUT ROWID;

                -- When the group entered NEW, REGRESSED or ESCALATING: the "ongoing after 7 days" clock.
                ALTER TABLE groups ADD COLUMN substatus_since REAL;
                UPDATE groups SET substatus_since = first_seen;
                CREATE INDEX groups_by_status ON groups (status, substatus);

                -- The last occurrence sequence number when the group was ignored: conditions count
                -- only what arrived after it.
                ALTER TABLE ignore_conditions ADD COLUMN seq_at_ignore INTEGER NOT NULL DEFAULT 0;

                -- Why a rule fired, in words.
                ALTER TABLE status_history ADD COLUMN detail TEXT;
                """)
        }
        migrator.registerMigration("v3: notifications outbox") { db in
            try db.execute(sql: """
                -- Post-processing's output (spec §6), written in the same transaction as the change that
                -- caused it, so none is lost; notifiers deliver from here and record each delivery.
                CREATE TABLE notifications (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    reason TEXT NOT NULL,
                    at REAL NOT NULL,
                    detail TEXT
                );
                CREATE TABLE notification_deliveries (
                    notification_id INTEGER NOT NULL REFERENCES notifications (id),
                    notifier TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL DEFAULT 0,
                    delivered_at REAL,
                    last_error TEXT,
                    PRIMARY KEY (notification_id, notifier)
                ) WITHOUT ROWID;
                -- A notifier delivers what was recorded after it was first configured, not the past.
                CREATE TABLE notifiers (
                    name TEXT PRIMARY KEY,
                    after_id INTEGER NOT NULL
                );
                -- 0 when the group was created while its type's post-process flag was off: it never
                -- sends a "new issue" notification, even after the flag is turned on.
                ALTER TABLE groups ADD COLUMN post_processed INTEGER NOT NULL DEFAULT 1;
                """)
        }
        migrator.registerMigration("v4: issue-tracker links, metric counters") { db in
            try db.execute(sql: """
                -- One external issue per tracker per group (as Sentry's integrations keep it).
                CREATE TABLE group_links (
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    tracker TEXT NOT NULL,
                    external_id TEXT NOT NULL,
                    url TEXT,
                    title TEXT,
                    linked_by TEXT NOT NULL,
                    linked_at REAL NOT NULL,
                    PRIMARY KEY (group_id, tracker)
                ) WITHOUT ROWID;

                -- Counter totals, so `triage metrics` and a restarted exporter carry on from where the
                -- last process stopped. Labels are the Prometheus label set, sorted, as text.
                CREATE TABLE metric_counters (
                    name TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY (name, labels)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v5: list indexes by status") { db in
            try db.execute(sql: """
                -- The default stream is `is:unresolved`, newest first. With only (status) and
                -- (last_seen) indexes SQLite took the status one and sorted every unresolved group for
                -- each page: 750 ms a page at a million groups (scripts/bench-ui). This gives the page
                -- in order, and the count from the index alone.
                CREATE INDEX groups_by_status_last_seen ON groups (status, last_seen);
                CREATE INDEX groups_by_status_type ON groups (status, type_id);
                """)
        }
        migrator.registerMigration("v6: compressed payloads") { db in
            try db.execute(sql: """
                -- zstd dictionaries trained on the store's first payloads (PayloadCompression).
                CREATE TABLE payload_dictionaries (
                    id INTEGER PRIMARY KEY,
                    dictionary BLOB NOT NULL,
                    created_at REAL NOT NULL
                );
                -- NULL: the payload is stored verbatim; otherwise the dictionary its zstd frame needs.
                ALTER TABLE occurrences ADD COLUMN payload_dictionary INTEGER REFERENCES payload_dictionaries (id);
                """)
        }
        migrator.registerMigration("v7: trigram index for free-text search") { db in
            try db.execute(sql: """
                -- Free text is a substring of search_text. Scanning a million groups for a needle that
                -- matches few of them took 250-700 ms a keystroke (scripts/bench-ui); this index gives
                -- the candidates in ~1 ms. detail=none keeps it small (~90 bytes a group): it answers
                -- "which rows hold every trigram of the needle", and instr() confirms the substring.
                -- case_sensitive 1: search_text is lower-cased already, as every needle is.
                CREATE VIRTUAL TABLE groups_search USING fts5 (
                    search_text, content = 'groups', content_rowid = 'id',
                    tokenize = 'trigram case_sensitive 1', detail = none
                );
                INSERT INTO groups_search (groups_search) VALUES ('rebuild');

                -- Groups whose search_text the index does not have yet, with the text it has (NULL: none).
                -- Triggers only note them; FreeTextIndex.sync brings the index up to date in two
                -- statements before each commit. Triggers writing the index itself cost ~80 µs a group
                -- at ingest: every statement touching an FTS5 table flushes its pending terms.
                CREATE TABLE groups_search_pending (id INTEGER PRIMARY KEY, indexed_text TEXT);
                CREATE TRIGGER groups_search_insert AFTER INSERT ON groups BEGIN
                    INSERT INTO groups_search_pending (id, indexed_text) VALUES (new.id, NULL) ON CONFLICT (id) DO NOTHING;
                END;
                CREATE TRIGGER groups_search_update AFTER UPDATE OF search_text ON groups
                WHEN old.search_text IS NOT new.search_text BEGIN
                    INSERT INTO groups_search_pending (id, indexed_text) VALUES (old.id, old.search_text) ON CONFLICT (id) DO NOTHING;
                END;
                CREATE TRIGGER groups_search_delete AFTER DELETE ON groups BEGIN
                    INSERT INTO groups_search_pending (id, indexed_text) VALUES (old.id, old.search_text) ON CONFLICT (id) DO NOTHING;
                END;
                """)
        }
        migrator.registerMigration("v8: occurrence retention") { db in
            try db.execute(sql: """
                -- Ids of occurrences that retention removed (OccurrenceRetention), so that a re-sent
                -- one is still a duplicate. 16 bytes each, against ~300 for a compressed occurrence.
                CREATE TABLE retired_occurrences (id BLOB PRIMARY KEY) WITHOUT ROWID;
                -- How many of the group's occurrences retention removed: times_seen - retired are kept.
                ALTER TABLE groups ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
                -- Groups over their limit, noted in the transaction that put them over: a pass killed
                -- before it pruned leaves them here for the next one.
                CREATE TABLE retention_pending (group_id INTEGER PRIMARY KEY);
                """)
        }
        migrator.registerMigration("v9: one index of every occurrence id, retitled groups noted by the writer") { db in
            // Occurrence ids, kept and retired alike, in one index: deduplication is one insert into
            // it, and retention deletes a row from two B-trees instead of writing four (the row, its
            // id in the UNIQUE index, its group index entry, the retired id). Before, each occurrence
            // also probed retired_occurrences. SQLite cannot drop a UNIQUE constraint, hence the rebuild.
            try db.execute(sql: """
                CREATE TABLE occurrence_ids (id BLOB PRIMARY KEY) WITHOUT ROWID;
                INSERT INTO occurrence_ids (id)
                    SELECT id FROM occurrences UNION SELECT id FROM retired_occurrences ORDER BY 1;
                DROP TABLE retired_occurrences;

                CREATE TABLE new_occurrences (
                    seq INTEGER PRIMARY KEY,
                    id BLOB NOT NULL,
                    group_id INTEGER REFERENCES groups (id),
                    type_id INTEGER NOT NULL,
                    detection_time REAL NOT NULL,
                    event_id BLOB NOT NULL,
                    noise_key INTEGER REFERENCES noise_keys (id),
                    noise_window INTEGER,
                    payload BLOB NOT NULL,
                    payload_dictionary INTEGER REFERENCES payload_dictionaries (id)
                );
                INSERT INTO new_occurrences
                    SELECT seq, id, group_id, type_id, detection_time, event_id, noise_key, noise_window, payload, payload_dictionary
                    FROM occurrences;
                DROP TABLE occurrences;
                ALTER TABLE new_occurrences RENAME TO occurrences;
                CREATE INDEX occurrences_by_group ON occurrences (group_id, detection_time);
                CREATE INDEX occurrences_held ON occurrences (noise_key, noise_window) WHERE group_id IS NULL;

                -- The ingest writer notes retitled groups itself (IngestWriter.flush): with this trigger,
                -- SQLite kept a statement journal for every group update.
                DROP TRIGGER IF EXISTS groups_search_update;
                """)
        }
        migrator.registerMigration("v10: new groups noted for the trigram index by their writers") { db in
            // As with v9's trigger: a trigger made every group INSERT keep a statement journal
            // (~70,000 instructions a new group at ingest, a fifth of the writer's work).
            try db.execute(sql: "DROP TRIGGER IF EXISTS groups_search_insert")
        }
        migrator.registerMigration("v11: one record per commit of the files it finished") { db in
            try db.execute(sql: """
                -- Files begun and finished within one transaction have no ingest_files row: each commit
                -- lists them here (PendingMoves), until they have left the spool. Rows of a spool
                -- (its directory's device and inode) are only ever read by that spool's ingester.
                CREATE TABLE ingest_moves (
                    id INTEGER PRIMARY KEY,
                    spool_device INTEGER NOT NULL,
                    spool_inode INTEGER NOT NULL,
                    files BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12: the change time of each file in the ingest ledger") { db in
            // It tells a file that never left the spool from one moved out and back (FileIdentity).
            // Rows from before have none and are taken as stale: their files are read again, from
            // the start, and the occurrence id index keeps that from storing anything twice.
            try db.execute(sql: "ALTER TABLE ingest_files ADD COLUMN ctime_ns INTEGER")
        }
        migrator.registerMigration("v13: one- and two-character grams for free-text search") { db in
            try db.execute(sql: """
                -- How many groups' search_text holds each gram of one or two characters, which have no
                -- trigram: an absent gram answers "no matches" without a scan (ShortGramIndex). gram is
                -- the first character's code point << 22 | (the second's + 1, or 0 for one character).
                -- posted 1: every group holding it is in groups_gram_postings (grams fewer than 1,000
                -- groups hold); 0: too common for postings, scanned in list order.
                CREATE TABLE groups_grams (gram INTEGER PRIMARY KEY, groups INTEGER NOT NULL, posted INTEGER NOT NULL);
                CREATE TABLE groups_gram_postings (
                    gram INTEGER NOT NULL,
                    group_id INTEGER NOT NULL,
                    PRIMARY KEY (gram, group_id)
                ) WITHOUT ROWID;
                """)
            try ShortGramIndex.build(db)
        }
        migrator.registerMigration("v14: assignment history and notes") { db in
            try db.execute(sql: """
                -- Each change of a group's assignee (groups.assignee holds the current one), by whom and
                -- when; NULL is nobody. Kept apart from status_history, whose rows are state changes.
                CREATE TABLE group_assignments (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    from_assignee TEXT,
                    to_assignee TEXT
                );
                CREATE INDEX group_assignments_by_group ON group_assignments (group_id, id);

                -- Notes people leave on a group (handoffs happen here), oldest first by id.
                CREATE TABLE group_notes (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    at REAL NOT NULL,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL
                );
                CREATE INDEX group_notes_by_group ON group_notes (group_id, id);

                -- assigned:NAME, is:assigned and the names the UI completes read the assigned groups
                -- only; most groups have nobody, and they are left out of the index.
                CREATE INDEX groups_by_assignee ON groups (assignee) WHERE assignee IS NOT NULL;
                """)
        }
        migrator.registerMigration("v15: priority history") { db in
            try db.execute(sql: """
                -- Each priority set by hand, or handed back to occurrences (NULL: automatic), by whom and when.
                CREATE TABLE group_priorities (
                    id INTEGER PRIMARY KEY,
                    group_id INTEGER NOT NULL REFERENCES groups (id),
                    at REAL NOT NULL,
                    actor TEXT NOT NULL,
                    from_priority INTEGER,
                    to_priority INTEGER
                );
                CREATE INDEX group_priorities_by_group ON group_priorities (group_id, id);
                """)
        }
        return migrator
    }
}
