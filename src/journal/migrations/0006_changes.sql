-- socctl journal, schema 6: a change counter, so that a server can tell whether the journal
-- changed since it last looked with one cheap read (`socctl serve` keeps the views it
-- rendered while it has not). Never edit a shipped migration: add the next numbered file.
--
-- One row. `journal` goes up with every change to what the views are computed from
-- (records, retractions, cover records, cancellations, the journal's meta data); `access`
-- with every change to accounts and API tokens. Bumped by triggers, in the writing
-- transaction, so every writer counts: this socctl, another process, an older socctl, the
-- sqlite3 shell. Only whether the number differs matters, never its value.
CREATE TABLE changes (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    journal INTEGER NOT NULL,
    access  INTEGER NOT NULL
) STRICT;
INSERT INTO changes (id, journal, access) VALUES (1, 0, 0);

CREATE TRIGGER records_insert_counted AFTER INSERT ON records
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER records_update_counted AFTER UPDATE ON records
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER records_delete_counted AFTER DELETE ON records
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER retractions_insert_counted AFTER INSERT ON retractions
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER retractions_update_counted AFTER UPDATE ON retractions
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER retractions_delete_counted AFTER DELETE ON retractions
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER covers_insert_counted AFTER INSERT ON covers
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER covers_update_counted AFTER UPDATE ON covers
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER covers_delete_counted AFTER DELETE ON covers
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER cancellations_insert_counted AFTER INSERT ON cancellations
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER cancellations_update_counted AFTER UPDATE ON cancellations
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER cancellations_delete_counted AFTER DELETE ON cancellations
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER meta_insert_counted AFTER INSERT ON meta
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER meta_update_counted AFTER UPDATE ON meta
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER meta_delete_counted AFTER DELETE ON meta
    BEGIN UPDATE changes SET journal = journal + 1; END;
CREATE TRIGGER accounts_insert_counted AFTER INSERT ON accounts
    BEGIN UPDATE changes SET access = access + 1; END;
CREATE TRIGGER accounts_update_counted AFTER UPDATE ON accounts
    BEGIN UPDATE changes SET access = access + 1; END;
CREATE TRIGGER accounts_delete_counted AFTER DELETE ON accounts
    BEGIN UPDATE changes SET access = access + 1; END;
CREATE TRIGGER api_tokens_insert_counted AFTER INSERT ON api_tokens
    BEGIN UPDATE changes SET access = access + 1; END;
CREATE TRIGGER api_tokens_update_counted AFTER UPDATE ON api_tokens
    BEGIN UPDATE changes SET access = access + 1; END;
CREATE TRIGGER api_tokens_delete_counted AFTER DELETE ON api_tokens
    BEGIN UPDATE changes SET access = access + 1; END;
