//! The PostgreSQL journal: one database shared by every analyst's socctl and the host that
//! runs the cron jobs. Numbered migrations run under an advisory lock; the single
//! settlement of an occurrence is a unique key, so the database, not socctl, decides who
//! was first; imports go through COPY. Reaching the server is [`connect`]'s (the URL, the
//! password, with [`pgpass`], and time-outs) and [`tls`]'s.

mod accounts;
mod connect;
mod pgpass;
mod session;
mod tls;

pub use connect::{PgEnv, PgTarget, is_postgres_url, redact};

use std::io::Write;
use std::sync::mpsc;
use std::time::Instant;

use jiff::civil::Date;
use postgres::Client;

use session::Session;

use super::sqlite::{cover_fields, timestamp_text};
use super::{Action, Appended, CoverKind, CoverRecord, JournalError, Record, RecordFilter, Store};

/// The migrations, in order; migration N takes the schema from version N-1 to N.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_records.sql"),
    include_str!("../migrations/postgres/0002_teams_and_retractions.sql"),
    include_str!("../migrations/postgres/0003_people_and_cover.sql"),
    include_str!("../migrations/postgres/0004_notifications.sql"),
    include_str!("../migrations/postgres/0005_accounts.sql"),
    include_str!("../migrations/postgres/0006_changes.sql"),
];

/// The newest PostgreSQL journal schema this socctl knows (the same records as SQLite's
/// [`super::SCHEMA_VERSION`]).
pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock migrations hold: "socctl" in ASCII.
const MIGRATION_LOCK: i64 = 0x0073_6f63_746c;

use connect::BULK_STATEMENT_TIMEOUT;

/// How many 1 MiB pieces of COPY data an import hands the connection before it waits for
/// the server to take them.
const COPY_PIECES_IN_FLIGHT: usize = 4;

/// The class of the advisory locks recording takes, one per occurrence: "soc" in ASCII.
const OCCURRENCE_LOCK: i32 = 0x0073_6f63;

const COLUMNS: &str = "id, task, occurrence, action, happened_on, by_whom, recorded_at, note, reference, undoes, team, assignee";

/// The class of the advisory lock cover recording takes (one for the whole journal):
/// "cov" in ASCII.
const COVER_LOCK: i32 = 0x0063_6f76;

const COVER_COLUMNS: &str = "id, kind, person, from_date, to_date, cover, task, occurrence, team, cancels, by_whom, recorded_at, note";

/// A journal in a PostgreSQL database.
pub struct PostgresStore {
    session: Session,
    target: PgTarget,
}

impl PostgresStore {
    /// Opens an existing journal for reading, or `None` when the database holds none yet
    /// (no socctl schema, as with a missing SQLite file). Never creates anything.
    pub fn open_existing(target: &PgTarget) -> Result<Option<Self>, JournalError> {
        // A server that cannot be reached leaves the journal unread, not wrong: `due` and
        // `mail` still send the checklist.
        let store = Self {
            session: target.connect().map_err(JournalError::unavailable)?,
            target: target.clone(),
        };
        let version = store.journal_version()?;
        match version {
            0 => Ok(None),
            v if v > PG_SCHEMA_VERSION => Err(store.too_new(v)),
            v if v < PG_SCHEMA_VERSION => Err(JournalError::Outdated {
                path: target.to_string(),
                found: v,
                known: PG_SCHEMA_VERSION,
            }),
            _ => Ok(Some(store)),
        }
    }

    /// Opens the journal for writing, creating or upgrading its schema when needed; `today`
    /// is recorded as the day tracking starts.
    pub fn open_for_writing(target: &PgTarget, today: Date) -> Result<Self, JournalError> {
        let store = Self {
            session: target.connect()?,
            target: target.clone(),
        };
        let version = store.journal_version()?;
        if version > PG_SCHEMA_VERSION {
            return Err(store.too_new(version));
        }
        if version < PG_SCHEMA_VERSION {
            store.migrate(today)?;
        }
        Ok(store)
    }

    fn too_new(&self, found: i64) -> JournalError {
        JournalError::TooNew {
            path: self.target.to_string(),
            found,
            known: PG_SCHEMA_VERSION,
        }
    }

    /// Runs `job` on the connection within the statement limit; `job` gets the target to
    /// word its errors.
    fn run<R, F>(&self, job: F) -> Result<R, JournalError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Client, &PgTarget) -> Result<R, JournalError> + Send + 'static,
    {
        let limit = self.target.statement_limit();
        let target = self.target.clone();
        self.session
            .run(limit, move |client| job(client, &target))
            .map_err(|stalled| self.target.stalled(&stalled, limit).unavailable())?
    }

    /// The version found, or the refusal of a schema that is not socctl's.
    fn journal_version(&self) -> Result<i64, JournalError> {
        match self.run(|client, target| schema_version(client).map_err(|e| target.query_error(&e)))? {
            Found::Version(version) => Ok(version),
            Found::Foreign => Err(JournalError::NotAJournal {
                path: self.target.to_string(),
                reason: "its schema `socctl` has no socctl.schema_migrations table, so another program made it".to_owned(),
            }),
        }
    }

    /// Applies the missing migrations in one transaction under an advisory lock, so two
    /// processes starting at once on an empty database migrate it once, one after the other.
    fn migrate(&self, today: Date) -> Result<(), JournalError> {
        match self.run(move |client, target| migrate(client, target, today))? {
            Some(found) => Err(self.too_new(found)),
            None => Ok(()),
        }
    }
}

/// Migrates on `client` (see [`PostgresStore::migrate`]); `Some(version)` when the
/// database turns out newer than this socctl.
fn migrate(
    client: &mut Client,
    target: &PgTarget,
    today: Date,
) -> Result<Option<i64>, JournalError> {
    let mut transaction = client.transaction().map_err(|e| target.query_error(&e))?;
    transaction
        .batch_execute(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK});
             CREATE SCHEMA IF NOT EXISTS socctl;
             CREATE TABLE IF NOT EXISTS socctl.schema_migrations (
                 version    integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now()
             );"
        ))
        .map_err(|e| target.query_error(&e))?;
    // Another process may have migrated while we waited for the lock.
    let current: i64 = transaction
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM socctl.schema_migrations",
            &[],
        )
        .map_err(|e| target.query_error(&e))?
        .get(0);
    if current > PG_SCHEMA_VERSION {
        return Ok(Some(current));
    }
    for (index, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        transaction
            .batch_execute(migration)
            .map_err(|e| target.query_error(&e))?;
        transaction
            .execute(
                "INSERT INTO socctl.schema_migrations (version) VALUES ($1)",
                &[&(index as i32 + 1)],
            )
            .map_err(|e| target.query_error(&e))?;
    }
    transaction
        .execute(
            "INSERT INTO socctl.meta (key, value) VALUES ('created_on', $1) ON CONFLICT DO NOTHING",
            &[&today.to_string()],
        )
        .map_err(|e| target.query_error(&e))?;
    transaction.commit().map_err(|e| target.query_error(&e))?;
    Ok(None)
}

/// An import on `client`, in one transaction: the completion records' COPY data arrives in
/// `pieces`, each acknowledged on `taken` once written, and `covers` are checked with
/// [`super::batch_clashes`] and inserted beside them; the records and the cover records
/// added.
fn import_copy(
    client: &mut Client,
    target: &PgTarget,
    set_timeout: &str,
    pieces: &mpsc::Receiver<Vec<u8>>,
    taken: &mpsc::Sender<()>,
    covers: &[CoverRecord],
    tracking_since: Option<Date>,
) -> Result<(u64, u64), JournalError> {
    let error = |e: postgres::Error| target.query_error(&e);
    let mut transaction = client.transaction().map_err(error)?;
    // Imports are rare and large: one at a time, and recordings of the same moment
    // wait for it rather than race its settlement bookkeeping.
    transaction
        .batch_execute(&format!(
            "{set_timeout}
             LOCK TABLE socctl.settlements IN SHARE ROW EXCLUSIVE MODE;
             CREATE TEMPORARY TABLE socctl_import (LIKE socctl.records) ON COMMIT DROP;"
        ))
        .map_err(error)?;
    if !covers.is_empty() {
        // The cover lock `append_cover` takes: the check and the inserts below are one step
        // for every other cover recording. Checked before the COPY, so that a refused
        // import sends nothing.
        transaction
            .execute("SELECT pg_advisory_xact_lock($1, 0)", &[&COVER_LOCK])
            .map_err(error)?;
        let existing = read_covers(&mut transaction)
            .map_err(error)?
            .iter()
            .map(read_cover)
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((index, reason)) = super::batch_clashes(covers, &existing).into_iter().next() {
            return Err(JournalError::CoverClash { index, reason });
        }
    }
    {
        let mut writer = transaction
            .copy_in(&format!("COPY socctl_import ({COLUMNS}) FROM STDIN"))
            .map_err(error)?;
        for piece in pieces {
            writer.write_all(&piece).map_err(|e| target.lost(&e))?;
            let _ = taken.send(());
        }
        writer.finish().map_err(error)?;
    }
    let added = transaction
        .execute(
            &format!(
                // In occurrence order, so that the rows `due` reads (an occurrence range)
                // sit together on disk, as records made day by day do anyway.
                "INSERT INTO socctl.records ({COLUMNS}) SELECT {COLUMNS} FROM socctl_import ORDER BY occurrence, task ON CONFLICT (id) DO NOTHING"
            ),
            &[],
        )
        .map_err(error)?;
    // The first retraction of each record is the one in force; a second one (journals from
    // before schema 2 could hold them) is kept as history.
    transaction
        .batch_execute(
            "INSERT INTO socctl.retractions (undoes, record_id)
             SELECT DISTINCT ON (undoes) undoes, id FROM socctl_import
              WHERE action = 'undone' AND undoes IS NOT NULL
              ORDER BY undoes, recorded_at, id
             ON CONFLICT DO NOTHING;",
        )
        .map_err(error)?;
    transaction
        .batch_execute(&resettle_sql("socctl_import"))
        .map_err(error)?;
    let mut covered = 0;
    for record in covers {
        covered += insert_cover(&mut transaction, record).map_err(error)?;
    }
    if let Some(date) = tracking_since {
        // ISO dates compare correctly as text.
        transaction
            .execute(
                "UPDATE socctl.meta SET value = $1 WHERE key = 'created_on' AND value > $1",
                &[&date.to_string()],
            )
            .map_err(error)?;
    }
    transaction.commit().map_err(error)?;
    Ok((added, covered))
}

/// Records `record` on `client` unless it clashes with what the occurrence already holds
/// (returned): one recording of an occurrence at a time, under a transaction-scoped
/// advisory lock; the settlement and retraction keys back the rule up.
fn settle_or_clash(
    client: &mut Client,
    target: &PgTarget,
    record: &Record,
) -> Result<Option<Record>, JournalError> {
    let error = |e: postgres::Error| target.query_error(&e);
    let mut transaction = client.transaction().map_err(error)?;
    // One recording of an occurrence at a time: the second waits here for the first to
    // commit, then reads what it wrote (each statement sees the latest commits).
    transaction
        .execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))",
            &[
                &OCCURRENCE_LOCK,
                &format!("{} {}", record.task, record.occurrence),
            ],
        )
        .map_err(error)?;
    let existing = transaction
        .query(
            &format!("SELECT {COLUMNS} FROM socctl.records WHERE task = $1 AND occurrence = $2 ORDER BY recorded_at, id"),
            &[&record.task, &record.occurrence],
        )
        .map_err(error)?
        .iter()
        .map(read_record)
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(clash) = super::clash(record, &existing) {
        return Ok(Some(clash));
    }
    insert(&mut transaction, record).map_err(error)?;
    if let Some(undoes) = &record.undoes {
        // The key decides: a retraction of a record already retracted takes nothing.
        let claimed = transaction
            .execute(
                "INSERT INTO socctl.retractions (undoes, record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[undoes, &record.id],
            )
            .map_err(error)?;
        if claimed == 0 {
            let row = transaction
                .query_one(
                    &format!("SELECT {COLUMNS} FROM socctl.records WHERE id = (SELECT record_id FROM socctl.retractions WHERE undoes = $1)"),
                    &[undoes],
                )
                .map_err(error)?;
            let found = read_record(&row)?;
            transaction.rollback().map_err(error)?;
            return Ok(Some(found));
        }
    }
    if let Some(kind) = kind(record.action) {
        // The key, not only the read, decides: a settlement already taken for the team
        // stops this one.
        let claimed = transaction
            .execute(
                "INSERT INTO socctl.settlements (task, occurrence, team, kind, record_id)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                &[
                    &record.task,
                    &record.occurrence,
                    &record.team.as_deref().unwrap_or(""),
                    &kind,
                    &record.id,
                ],
            )
            .map_err(error)?;
        if claimed == 0 {
            // Taken by a record the read found retracted: recompute from the records.
            transaction
                .batch_execute(&resettle_sql(&format!(
                    "(SELECT {}::text AS task, {}::date AS occurrence) AS one",
                    quote(&record.task),
                    quote(&record.occurrence.to_string())
                )))
                .map_err(error)?;
        }
    } else {
        // A retraction releases what the retracted record settled.
        transaction
            .batch_execute(&resettle_sql(&format!(
                "(SELECT {}::text AS task, {}::date AS occurrence) AS one",
                quote(&record.task),
                quote(&record.occurrence.to_string())
            )))
            .map_err(error)?;
    }
    transaction.commit().map_err(error)?;
    Ok(None)
}

/// What the database holds.
enum Found {
    /// A socctl journal of this schema version (0: none yet).
    Version(i64),
    /// A schema named `socctl` that socctl did not create.
    Foreign,
}

/// The schema version, 0 when the database holds no socctl journal. Reads only: a
/// migration in progress elsewhere is invisible until it commits, all of it at once.
fn schema_version(client: &mut Client) -> Result<Found, postgres::Error> {
    let row = client.query_one(
        "SELECT to_regnamespace('socctl') IS NOT NULL, to_regclass('socctl.schema_migrations') IS NOT NULL",
        &[],
    )?;
    let (schema, migrations): (bool, bool) = (row.get(0), row.get(1));
    if !migrations {
        return Ok(if schema {
            Found::Foreign
        } else {
            Found::Version(0)
        });
    }
    Ok(Found::Version(
        client
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM socctl.schema_migrations",
                &[],
            )?
            .get(0),
    ))
}

fn read_record(row: &postgres::Row) -> Result<Record, JournalError> {
    let id: String = row.get(0);
    let action: String = row.get(3);
    let recorded_at: String = row.get(6);
    let parsed = (|| {
        Ok(Record {
            task: row.get(1),
            occurrence: row.get(2),
            action: Action::parse(&action).ok_or_else(|| format!("bad action `{action}`"))?,
            on: row.get(4),
            by: row.get(5),
            recorded_at: recorded_at
                .parse()
                .map_err(|_| format!("bad time `{recorded_at}`"))?,
            note: row.get(7),
            reference: row.get(8),
            undoes: row.get(9),
            team: row.get(10),
            assignee: row.get(11),
            id: id.clone(),
        })
    })();
    parsed.map_err(|e: String| JournalError::Invalid(format!("journal record {id}: {e}")))
}

/// PostgreSQL text cannot hold NUL; such a record is refused before anything is written.
fn refuse_nul(records: &[Record]) -> Result<(), JournalError> {
    for record in records {
        let fields = [
            Some(&record.id),
            Some(&record.task),
            Some(&record.by),
            record.note.as_ref(),
            record.reference.as_ref(),
            record.undoes.as_ref(),
            record.team.as_ref(),
            record.assignee.as_ref(),
        ];
        if fields.into_iter().flatten().any(|f| f.contains('\0')) {
            return Err(JournalError::Invalid(format!(
                "record {} of `{}` contains a NUL character, which PostgreSQL cannot store; nothing was written",
                record.id.replace('\0', "\\0"),
                record.task.replace('\0', "\\0")
            )));
        }
    }
    Ok(())
}

/// One field in COPY's text format.
fn copy_field(out: &mut Vec<u8>, value: Option<&str>) {
    let Some(value) = value else {
        out.extend_from_slice(b"\\N");
        return;
    };
    for byte in value.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.push(byte),
        }
    }
}

fn copy_line(out: &mut Vec<u8>, record: &Record) {
    let fields = [
        Some(record.id.clone()),
        Some(record.task.clone()),
        Some(record.occurrence.to_string()),
        Some(record.action.as_str().to_owned()),
        Some(record.on.to_string()),
        Some(record.by.clone()),
        Some(timestamp_text(record.recorded_at)),
        record.note.clone(),
        record.reference.clone(),
        record.undoes.clone(),
        record.team.clone(),
        record.assignee.clone(),
    ];
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(b'\t');
        }
        copy_field(out, field.as_deref());
    }
    out.push(b'\n');
}

/// Recomputes the settlements of the occurrences named in `keys` (a table or subquery with
/// `task` and `occurrence`) from the records in force: the latest effective `done`/`skipped`
/// and the latest effective `triggered` of each.
fn resettle_sql(keys: &str) -> String {
    format!(
        "DELETE FROM socctl.settlements s USING (SELECT DISTINCT task, occurrence FROM {keys}) k
           WHERE s.task = k.task AND s.occurrence = k.occurrence;
         INSERT INTO socctl.settlements (task, occurrence, team, kind, record_id)
         SELECT DISTINCT ON (r.task, r.occurrence, coalesce(r.team, ''), kind) r.task, r.occurrence,
                coalesce(r.team, ''),
                CASE WHEN r.action = 'triggered' THEN 'triggered' ELSE 'settled' END AS kind, r.id
           FROM socctl.records r
           JOIN (SELECT DISTINCT task, occurrence FROM {keys}) k
             ON r.task = k.task AND r.occurrence = k.occurrence
          WHERE r.action IN ('done', 'skipped', 'triggered')
            AND NOT EXISTS (SELECT 1 FROM socctl.records u
                             WHERE u.undoes = r.id AND u.action = 'undone')
          ORDER BY r.task, r.occurrence, coalesce(r.team, ''), kind, r.recorded_at DESC, r.id DESC
         ON CONFLICT DO NOTHING;"
    )
}

fn kind(action: Action) -> Option<&'static str> {
    match action {
        Action::Done | Action::Skipped => Some("settled"),
        Action::Triggered => Some("triggered"),
        Action::Undone => None,
    }
}

const INSERT: &str = "INSERT INTO socctl.records (id, task, occurrence, action, happened_on, by_whom, recorded_at, note, reference, undoes, team, assignee)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING";

fn insert(
    transaction: &mut postgres::Transaction<'_>,
    record: &Record,
) -> Result<u64, postgres::Error> {
    transaction.execute(
        INSERT,
        &[
            &record.id,
            &record.task,
            &record.occurrence,
            &record.action.as_str(),
            &record.on,
            &record.by,
            &timestamp_text(record.recorded_at),
            &record.note,
            &record.reference,
            &record.undoes,
            &record.team,
            &record.assignee,
        ],
    )
}

fn read_cover(row: &postgres::Row) -> Result<CoverRecord, JournalError> {
    let id: String = row.get(0);
    let kind: String = row.get(1);
    let parsed = (|| {
        let text = |index: usize, name: &str| -> Result<String, String> {
            row.get::<_, Option<String>>(index)
                .ok_or_else(|| format!("`{kind}` without `{name}`"))
        };
        let date = |index: usize, name: &str| -> Result<Date, String> {
            row.get::<_, Option<Date>>(index)
                .ok_or_else(|| format!("`{kind}` without `{name}`"))
        };
        let what = match kind.as_str() {
            "away" => CoverKind::Away {
                person: text(2, "person")?,
                from: date(3, "from_date")?,
                to: date(4, "to_date")?,
                cover: row.get(5),
            },
            "swap" => CoverKind::Swap {
                task: text(6, "task")?,
                occurrence: date(7, "occurrence")?,
                team: text(8, "team")?,
                to: text(2, "person")?,
            },
            "cancel" => CoverKind::Cancel {
                cancels: text(9, "cancels")?,
            },
            other => return Err(format!("bad kind `{other}`")),
        };
        let recorded_at: String = row.get(11);
        Ok(CoverRecord {
            id: id.clone(),
            kind: what,
            by: row.get(10),
            recorded_at: recorded_at
                .parse()
                .map_err(|_| format!("bad time `{recorded_at}`"))?,
            note: row.get(12),
        })
    })();
    parsed.map_err(|e: String| JournalError::Invalid(format!("journal cover record {id}: {e}")))
}

fn read_covers(
    client: &mut impl postgres::GenericClient,
) -> Result<Vec<postgres::Row>, postgres::Error> {
    client.query(
        &format!("SELECT {COVER_COLUMNS} FROM socctl.covers ORDER BY recorded_at, id"),
        &[],
    )
}

/// Inserts a cover record (and, for a cancellation, its key); the rows added.
fn insert_cover(
    transaction: &mut postgres::Transaction<'_>,
    record: &CoverRecord,
) -> Result<u64, postgres::Error> {
    let fields = cover_fields(record);
    let date =
        |index: usize| -> Option<Date> { fields[index].as_deref().and_then(|d| d.parse().ok()) };
    let added = transaction.execute(
        &format!(
            "INSERT INTO socctl.covers ({COVER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &fields[0], &fields[1], &fields[2], &date(3), &date(4), &fields[5], &fields[6],
            &date(7), &fields[8], &fields[9], &fields[10], &fields[11], &fields[12],
        ],
    )?;
    if added == 1
        && let CoverKind::Cancel { cancels } = &record.kind
    {
        transaction.execute(
            "INSERT INTO socctl.cancellations (cancels, record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[cancels, &record.id],
        )?;
    }
    Ok(added)
}

fn refuse_nul_cover(record: &CoverRecord) -> Result<(), JournalError> {
    if cover_fields(record)
        .iter()
        .flatten()
        .any(|f| f.contains('\0'))
    {
        return Err(JournalError::Invalid(format!(
            "cover record {} contains a NUL character, which PostgreSQL cannot store; nothing was written",
            record.id.replace('\0', "\\0")
        )));
    }
    Ok(())
}

impl Store for PostgresStore {
    fn still_current(&self) -> Result<(), JournalError> {
        match self.journal_version()? {
            PG_SCHEMA_VERSION => Ok(()),
            found if found > PG_SCHEMA_VERSION => Err(self.too_new(found)),
            found => Err(JournalError::Outdated {
                path: self.target.to_string(),
                found,
                known: PG_SCHEMA_VERSION,
            }),
        }
    }

    fn changes(&self) -> Result<super::Changes, JournalError> {
        // The simple protocol: one round trip (a prepared query takes two).
        let counts = self.run(|client, target| {
            let messages = client
                .simple_query("SELECT journal, access FROM socctl.changes WHERE id = 1")
                .map_err(|e| target.query_error(&e))?;
            Ok(messages.iter().find_map(|message| match message {
                postgres::SimpleQueryMessage::Row(row) => Some((
                    row.get(0).and_then(|n| n.parse().ok()),
                    row.get(1).and_then(|n| n.parse().ok()),
                )),
                _ => None,
            }))
        })?;
        match counts {
            Some((Some(journal), Some(access))) => Ok(super::Changes { journal, access }),
            _ => Err(JournalError::Invalid(format!(
                "{}: socctl.changes has no counters; run a socctl command that writes to the journal once",
                self.target
            ))),
        }
    }

    fn claim_notification(
        &mut self,
        key: &super::NotificationKey,
        by: &str,
        now: jiff::Timestamp,
        stale_after: std::time::Duration,
    ) -> Result<super::Claim, JournalError> {
        let (key, by) = (key.clone(), by.to_owned());
        self.run(move |client, target| {
            claim_notification(client, &key, (&by, now), stale_after)
                .map_err(|e| target.query_error(&e))
        })
    }

    fn finish_notification(
        &mut self,
        key: &super::NotificationKey,
        claim: &str,
        delivery: &super::Delivery,
        now: jiff::Timestamp,
    ) -> Result<(), JournalError> {
        let (key, claim, delivery) = (key.clone(), claim.to_owned(), delivery.clone());
        self.run(move |client, target| {
            finish_notification(client, &key, &claim, &delivery, now)
                .map_err(|e| target.query_error(&e))
        })
    }

    fn notification(
        &self,
        key: &super::NotificationKey,
    ) -> Result<Option<super::NotificationState>, JournalError> {
        let key = key.clone();
        self.run(move |client, target| {
            read_notification(client, &key, false).map_err(|e| target.query_error(&e))
        })
    }

    fn covers(&self) -> Result<Vec<CoverRecord>, JournalError> {
        let rows =
            self.run(|client, target| read_covers(client).map_err(|e| target.query_error(&e)))?;
        rows.iter().map(read_cover).collect()
    }

    fn append_cover(&mut self, record: &CoverRecord) -> Result<Option<String>, JournalError> {
        refuse_nul_cover(record)?;
        let owned = record.clone();
        self.run(move |client, target| {
            let error = |e: postgres::Error| target.query_error(&e);
            let mut transaction = client.transaction().map_err(error)?;
            // One cover recording at a time in the whole journal: the second waits here for
            // the first to commit, then reads what it wrote.
            transaction
                .execute("SELECT pg_advisory_xact_lock($1, 0)", &[&COVER_LOCK])
                .map_err(error)?;
            let existing = read_covers(&mut transaction)
                .map_err(error)?
                .iter()
                .map(read_cover)
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(clash) = super::cover_clash(&owned, &existing) {
                return Ok(Some(clash));
            }
            insert_cover(&mut transaction, &owned).map_err(error)?;
            transaction.commit().map_err(error)?;
            Ok(None)
        })
    }

    fn tracking_start(&self) -> Result<Date, JournalError> {
        let row = self.run(|client, target| {
            client
                .query_opt(
                    "SELECT value FROM socctl.meta WHERE key = 'created_on'",
                    &[],
                )
                .map(|row| row.map(|r| r.get::<_, String>(0)))
                .map_err(|e| target.query_error(&e))
        })?;
        let text: String = row.ok_or_else(|| {
            JournalError::Invalid(format!("{} has no creation date", self.target))
        })?;
        text.parse().map_err(|_| {
            JournalError::Invalid(format!("{}: bad creation date `{text}`", self.target))
        })
    }

    fn import(
        &mut self,
        records: &[Record],
        covers: &[CoverRecord],
        tracking_since: Option<Date>,
    ) -> Result<Appended, JournalError> {
        refuse_nul(records)?;
        for record in covers {
            refuse_nul_cover(record)?;
        }
        let covers_len = covers.len();
        let covers = covers.to_vec();
        // One deadline for the whole import. The COPY data goes to the connection's thread
        // in pieces, a few at a time, so memory stays flat and a server that stops taking
        // them is noticed at the deadline rather than never.
        let limit = self.target.bulk_limit();
        let deadline = Instant::now() + limit;
        let (pieces_to, pieces) = mpsc::channel::<Vec<u8>>();
        let (taken_to, taken) = mpsc::channel::<()>();
        let set_timeout = if self.target.own_statement_timeout() {
            String::new()
        } else {
            format!("SET LOCAL statement_timeout = '{BULK_STATEMENT_TIMEOUT}';")
        };
        let target = self.target.clone();
        let pending = self
            .session
            .submit(move |client| {
                import_copy(
                    client,
                    &target,
                    &set_timeout,
                    &pieces,
                    &taken_to,
                    &covers,
                    tracking_since,
                )
            })
            .map_err(|s| self.target.stalled(&s, limit))?;
        let mut in_flight = 0;
        let mut buffer = Vec::with_capacity(1 << 20);
        let mut rest = records.iter();
        loop {
            let last = match rest.next() {
                Some(record) => {
                    copy_line(&mut buffer, record);
                    if buffer.len() < 1 << 20 {
                        continue;
                    }
                    false
                }
                None => true,
            };
            if in_flight == COPY_PIECES_IN_FLIGHT {
                match taken.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(()) => in_flight -= 1,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.session.abandon();
                        return Err(self.target.stalled(&session::Stalled::Timeout, limit));
                    }
                    // The import ended early; its answer says why.
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            let piece = std::mem::replace(&mut buffer, Vec::with_capacity(1 << 20));
            if pieces_to.send(piece).is_err() || last {
                break;
            }
            in_flight += 1;
        }
        drop(pieces_to);
        let (added, covered) = pending
            .wait(deadline)
            .map_err(|s| self.target.stalled(&s, limit))??;
        let added = usize::try_from(added + covered).unwrap_or_default();
        Ok(Appended {
            added,
            present: records.len() + covers_len - added,
        })
    }

    fn append_unless_settled(&mut self, record: &Record) -> Result<Option<Record>, JournalError> {
        refuse_nul(std::slice::from_ref(record))?;
        let owned = record.clone();
        self.run(move |client, target| settle_or_clash(client, target, &owned))
    }

    fn task_counts(&self) -> Result<Vec<(String, usize)>, JournalError> {
        let rows = self.run(|client, target| {
            client
                .query(
                    "SELECT task, count(*) FROM socctl.records GROUP BY task ORDER BY task",
                    &[],
                )
                .map_err(|e| target.query_error(&e))
        })?;
        Ok(rows
            .iter()
            .map(|row| {
                (
                    row.get::<_, String>(0),
                    usize::try_from(row.get::<_, i64>(1)).unwrap_or_default(),
                )
            })
            .collect())
    }

    fn records(&self, filter: &RecordFilter) -> Result<Vec<Record>, JournalError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Box<dyn postgres::types::ToSql + Sync + Send>> = Vec::new();
        if !filter.tasks.is_empty() {
            values.push(Box::new(filter.tasks.clone()));
            conditions.push(format!("task = ANY(${})", values.len()));
        }
        for (column, operator, date) in [
            ("occurrence", ">=", filter.occurrences_from),
            ("happened_on", ">=", filter.since),
            ("happened_on", "<=", filter.until),
        ] {
            if let Some(date) = date {
                values.push(Box::new(date));
                conditions.push(format!("{column} {operator} ${}", values.len()));
            }
        }
        let mut sql = format!("SELECT {COLUMNS} FROM socctl.records");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        let mut records = self.run(move |client, target| {
            let parameters: Vec<&(dyn postgres::types::ToSql + Sync)> = values
                .iter()
                .map(|value| -> &(dyn postgres::types::ToSql + Sync) { value.as_ref() })
                .collect();
            let rows = client
                .query(&sql, &parameters)
                .map_err(|e| target.query_error(&e))?;
            rows.iter().map(read_record).collect::<Result<Vec<_>, _>>()
        })?;
        // Sorting here rather than in the server: no index serves this order, and a server
        // sort of a large read spills to disk at the default work_mem. Fixed-width UTC text
        // and byte-order ids sort exactly as SQLite's ORDER BY recorded_at, id.
        records.sort_unstable_by(|a, b| {
            (a.recorded_at, a.id.as_bytes()).cmp(&(b.recorded_at, b.id.as_bytes()))
        });
        Ok(records)
    }
}

/// A string literal for SQL (only for values socctl made itself: task ids and dates).
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

// The sent-log of `socctl notify` (migration 4).

fn read_notification(
    client: &mut impl postgres::GenericClient,
    key: &super::NotificationKey,
    for_update: bool,
) -> Result<Option<super::NotificationState>, postgres::Error> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let row = client.query_opt(
        &format!(
            "SELECT state, claimed_by, claimed_at, attempts::bigint, error FROM socctl.notifications
             WHERE task = $1 AND occurrence = $2 AND team = $3 AND kind = $4 AND channel = $5{lock}"
        ),
        &[
            &key.task,
            &key.occurrence,
            &key.team,
            &key.kind,
            &key.channel,
        ],
    )?;
    Ok(row.map(|row| super::NotificationState {
        state: row.get(0),
        claimed_by: row.get(1),
        claimed_at: row.get(2),
        attempts: row.get(3),
        error: row.get(4),
    }))
}

/// Claims `key`: an insert that the primary key lets only one transaction make, else the
/// row locked (FOR UPDATE) while the decision is made, so two runs at once decide one
/// after the other.
fn claim_notification(
    client: &mut Client,
    key: &super::NotificationKey,
    (by, now): (&str, jiff::Timestamp),
    stale_after: std::time::Duration,
) -> Result<super::Claim, postgres::Error> {
    use super::notifications::{Decision, decide};
    let mut transaction = client.transaction()?;
    let claim = uuid::Uuid::new_v4().to_string();
    let at = timestamp_text(now);
    let inserted = transaction.execute(
        "INSERT INTO socctl.notifications (task, occurrence, team, kind, channel, state, claim, claimed_by, claimed_at)
         VALUES ($1, $2, $3, $4, $5, 'claimed', $6, $7, $8) ON CONFLICT DO NOTHING",
        &[&key.task, &key.occurrence, &key.team, &key.kind, &key.channel, &claim, &by, &at],
    )?;
    if inserted == 1 {
        transaction.commit()?;
        return Ok(super::Claim::Mine {
            claim,
            previous: None,
        });
    }
    let existing = read_notification(&mut transaction, key, true)?;
    match decide(existing.clone(), now, stale_after) {
        Decision::Leave(outcome) => Ok(outcome),
        // The row was there a moment ago; a row gone since (nothing deletes them) is taken
        // over like a failed one.
        Decision::Insert | Decision::TakeOver => {
            transaction.execute(
                "UPDATE socctl.notifications SET state = 'claimed', claim = $6, claimed_by = $7, claimed_at = $8,
                     finished_at = NULL, attempts = attempts + 1
                 WHERE task = $1 AND occurrence = $2 AND team = $3 AND kind = $4 AND channel = $5",
                &[&key.task, &key.occurrence, &key.team, &key.kind, &key.channel, &claim, &by, &at],
            )?;
            transaction.commit()?;
            Ok(super::Claim::Mine {
                claim,
                previous: existing,
            })
        }
    }
}

fn finish_notification(
    client: &mut Client,
    key: &super::NotificationKey,
    claim: &str,
    delivery: &super::Delivery,
    now: jiff::Timestamp,
) -> Result<(), postgres::Error> {
    let (state, error) = match delivery {
        super::Delivery::Sent => ("sent", None),
        super::Delivery::Failed(why) => ("failed", Some(why.as_str())),
    };
    client.execute(
        "UPDATE socctl.notifications SET state = $1, error = $2, finished_at = $3
         WHERE task = $4 AND occurrence = $5 AND team = $6 AND kind = $7 AND channel = $8 AND claim = $9",
        &[&state, &error, &timestamp_text(now), &key.task, &key.occurrence, &key.team, &key.kind, &key.channel, &claim],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_would_misread() {
        let mut out = Vec::new();
        copy_field(&mut out, Some("a\\b\tc\nd\re 'x' \"y\""));
        out.push(b'|');
        copy_field(&mut out, None);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\\\b\\tc\\nd\\re 'x' \"y\"|\\N"
        );
    }
}
