-- The workbench's database, version 1. Reports and findings belong to a batch (one import);
-- decisions belong to a finding's fingerprint, so they re-attach in any later batch.
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,              -- UTC, YYYY-MM-DD HH:MM:SS
    origin TEXT NOT NULL,               -- upload, paths (serve PATH…), cli (audit --db)
    status TEXT NOT NULL,               -- running, done
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    setup TEXT NOT NULL                 -- JSON: packs (name, version, sha256), config, plugins, scoring
);

CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    stored TEXT NOT NULL                -- file name under the database's files folder
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL REFERENCES batches(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,                 -- the file as uploaded or given
    sha256 TEXT REFERENCES files(sha256),
    organ TEXT,
    organ_key TEXT,
    year INTEGER,
    level TEXT,
    error TEXT,                         -- why the file could not be audited
    unscored TEXT,                      -- why it was read but not scored
    report TEXT,                        -- JSON: the parsed report (no narrative)
    lines TEXT                          -- JSON: the source lines findings point at
);
CREATE INDEX reports_batch ON reports(batch, position);
CREATE INDEX reports_organ ON reports(organ_key, year);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    report INTEGER NOT NULL REFERENCES reports(id),
    position INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    finding TEXT NOT NULL               -- JSON: the finding
);
CREATE INDEX findings_report ON findings(report, position);
CREATE INDEX findings_fingerprint ON findings(fingerprint);

CREATE TABLE decisions (
    fingerprint TEXT PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed', 'misread')),
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided TEXT NOT NULL,
    organ_key TEXT,                     -- whose report, to show a decision whose finding is gone
    year INTEGER,
    rule TEXT NOT NULL,
    message TEXT NOT NULL
);

CREATE TABLE decision_log (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    decided TEXT NOT NULL,
    rule TEXT NOT NULL,
    organ TEXT,
    year INTEGER
);
