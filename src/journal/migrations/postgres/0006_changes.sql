-- socctl journal on PostgreSQL, schema 6: a change counter, so that a server can tell
-- whether the journal changed since it last looked with one cheap read (`socctl serve`
-- keeps the views it rendered while it has not). Never edit a shipped migration: add the
-- next numbered file.
--
-- One row. `journal` goes up with every change to what the views are computed from
-- (records, retractions, settlements, cover records, cancellations, meta), `access` with
-- every change to accounts and API tokens; only whether the number differs matters.
--
-- Bumped once per writing transaction, as it commits: a statement trigger on each table
-- leaves one mark per transaction (a transaction-local setting says it already did), and a
-- deferred trigger on the mark updates the counter at commit. So the counter's row lock is
-- the last lock a writer takes, held only while it commits: writers of different
-- occurrences still work side by side up to their commits and cannot deadlock on it (a
-- counter updated mid-transaction would be taken before `settlements` by a recording and
-- after it by an import). A reader sees the new number exactly when the change is visible.
CREATE TABLE socctl.changes (
    id      integer PRIMARY KEY CHECK (id = 1),
    journal bigint NOT NULL,
    access  bigint NOT NULL
);
INSERT INTO socctl.changes (id, journal, access) VALUES (1, 0, 0);

-- The marks: a row lives from a transaction's first change of its kind to its commit.
CREATE TABLE socctl.change_marks (
    kind text NOT NULL CHECK (kind IN ('journal', 'access'))
);

CREATE FUNCTION socctl.mark_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('socctl.changed_' || TG_ARGV[0], true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('socctl.changed_' || TG_ARGV[0], 'yes', true);
        INSERT INTO socctl.change_marks (kind) VALUES (TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION socctl.count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'journal' THEN
        UPDATE socctl.changes SET journal = journal + 1;
    ELSE
        UPDATE socctl.changes SET access = access + 1;
    END IF;
    -- Only this transaction's own marks are visible to it: every other one deletes its own.
    DELETE FROM socctl.change_marks WHERE kind = NEW.kind;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER count_change AFTER INSERT ON socctl.change_marks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION socctl.count_change();

CREATE TRIGGER records_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.records
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER retractions_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.retractions
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER settlements_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.settlements
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER covers_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.covers
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER cancellations_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.cancellations
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER meta_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.meta
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('journal');
CREATE TRIGGER accounts_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.accounts
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('access');
CREATE TRIGGER api_tokens_counted AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON socctl.api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION socctl.mark_change('access');
