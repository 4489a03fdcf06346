//! A compiled copy of a validated catalog, so that a command does not parse YAML on every run.
//!
//! Parsing and validating a 100,000-task catalog takes seconds; reading its compiled form
//! takes milliseconds. The cache is only ever a shortcut: it is keyed by a BLAKE3 hash of
//! both catalog files' bytes and of the socctl binary that wrote it, so any edit to either
//! file (or a new socctl) makes it miss, and a missing, unreadable, foreign or damaged
//! cache file is simply ignored and rewritten. Only catalogs without errors are cached;
//! `socctl check` always reads the YAML, to report every problem.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::diagnostic::Diagnostics;
use super::load::{MAX_FILE_BYTES, load_sources, load_valid, read_both};
use super::model::Catalog;

/// The first bytes of a cache file; the digit is the layout version. Layout: magic, the
/// 32-byte key, a 32-byte BLAKE3 hash of the payload keyed by that key, the payload.
const MAGIC: &[u8; 8] = b"socctlc2";

/// Where compiled catalogs are kept, and who wrote them.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// The directory holding the cache files (created on first write, mode 0700).
    pub directory: PathBuf,
    /// What identifies the program writing the cache, beyond its version (the CLI passes
    /// the executable's size and modification time), so that a rebuilt socctl never reads
    /// a cache written by an older build.
    pub build: String,
}

/// Loads and validates the catalog like [`super::load_valid`], through the cache in
/// `settings` when given: a hit skips parsing, a miss parses and then stores the result.
pub fn load_valid_cached(
    tasks_path: &Path,
    roles_path: &Path,
    today: Date,
    settings: Option<&CacheSettings>,
) -> Result<Catalog, Diagnostics> {
    let Some(settings) = settings else {
        return load_valid(tasks_path, roles_path, today);
    };
    // A hit needs only the files' hash: hashing as they are read keeps a large catalog's
    // text out of memory while its compiled copy is decoded.
    let Some(key) = content_key(&settings.build, tasks_path, roles_path) else {
        return load_valid(tasks_path, roles_path, today);
    };
    let file = settings.directory.join(file_name(tasks_path, roles_path));
    if let Some(mut catalog) = read_cache(&file, &key) {
        tasks_path.clone_into(&mut catalog.tasks_path);
        roles_path.clone_into(&mut catalog.roles_path);
        return Ok(catalog);
    }
    // A miss: read the files once, and key what is stored by the bytes actually validated,
    // so a file edited between the hash above and this read can never be stored under
    // the other version's key.
    let (tasks, roles) = read_both(tasks_path, roles_path)?;
    let catalog = load_sources(tasks_path, &tasks, roles_path, &roles, today).into_valid()?;
    let key = key_of(
        &settings.build,
        [tasks.as_bytes(), roles.as_bytes()].map(|bytes| (bytes.len() as u64, blake3::hash(bytes))),
    );
    // Holiday files are more input than the two files the key covers: a catalog that
    // names one is read from its files every time.
    let names_other_files = [&tasks, &roles]
        .iter()
        .any(|text| text.contains("holidays_ics"));
    drop((tasks, roles));
    if names_other_files {
        return Ok(catalog);
    }
    // A cache that cannot be written only costs speed; the command goes on.
    let _ = write_cache(&settings.directory, &file, &key, &catalog);
    Ok(catalog)
}

/// The hash a cache entry must carry to be used, from the files as they are on disk:
/// `None` when a file cannot be read as a regular catalog file (the YAML path then says
/// why). Hashing while reading keeps a large catalog's text out of memory.
fn content_key(build: &str, tasks_path: &Path, roles_path: &Path) -> Option<[u8; 32]> {
    let mut files = [(0, blake3::Hash::from_bytes([0; 32])); 2];
    for (digest, path) in files.iter_mut().zip([tasks_path, roles_path]) {
        let metadata = std::fs::metadata(path).ok()?;
        if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
            return None;
        }
        let mut file = std::fs::File::open(path).ok()?;
        let mut hasher = blake3::Hasher::new();
        let length = std::io::copy(&mut file, &mut hasher).ok()?;
        *digest = (length, hasher.finalize());
    }
    Some(key_of(build, files))
}

/// The key for two files given as (length, BLAKE3 digest), written by `build`.
fn key_of(build: &str, files: [(u64, blake3::Hash); 2]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for part in [
        MAGIC.as_slice(),
        env!("CARGO_PKG_VERSION").as_bytes(),
        build.as_bytes(),
    ] {
        // Length-prefixed, so that moving bytes from one part to the next changes the key.
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    for (length, digest) in files {
        hasher.update(&length.to_le_bytes());
        hasher.update(digest.as_bytes());
    }
    *hasher.finalize().as_bytes()
}

/// One cache file per pair of catalog locations, named by a hash of the two paths.
fn file_name(tasks_path: &Path, roles_path: &Path) -> String {
    let absolute = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut hasher = blake3::Hasher::new();
    hasher.update(absolute(tasks_path).as_os_str().as_encoded_bytes());
    hasher.update(b"\0");
    hasher.update(absolute(roles_path).as_os_str().as_encoded_bytes());
    let hex = hasher.finalize().to_hex();
    format!("catalog-{}.bin", &hex[..32])
}

fn read_cache(file: &Path, key: &[u8; 32]) -> Option<Catalog> {
    use std::io::Read;
    let mut file = std::fs::File::open(file).ok()?;
    // Only a file that is the user's own and that nobody else can write: a cache directory
    // on shared ground (`SOCCTL_CACHE_DIR=/tmp/…`) must not let another user plant a catalog.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = file.metadata().ok()?;
        if metadata.uid() != rustix::process::geteuid().as_raw() || metadata.mode() & 0o022 != 0 {
            return None;
        }
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (stored_key, rest) = rest.split_at_checked(key.len())?;
    if stored_key != key {
        return None;
    }
    // A damaged payload can still decode, into a different catalog: believe only the bytes
    // that were written.
    let (digest, payload) = rest.split_at_checked(blake3::OUT_LEN)?;
    if blake3::Hash::from_slice(digest).ok()? != payload_digest(key, payload) {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// The hash that vouches for a payload stored under `key` (compared in constant time).
fn payload_digest(key: &[u8; 32], payload: &[u8]) -> blake3::Hash {
    blake3::keyed_hash(key, payload)
}

fn write_cache(
    directory: &Path,
    file: &Path,
    key: &[u8; 32],
    catalog: &Catalog,
) -> std::io::Result<()> {
    let payload = postcard::to_stdvec(catalog).map_err(std::io::Error::other)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(directory)?;
    // Written whole to a temporary file and renamed: a reader sees the old file or the new.
    let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
    temporary.write_all(MAGIC)?;
    temporary.write_all(key)?;
    temporary.write_all(payload_digest(key, &payload).as_bytes())?;
    temporary.write_all(&payload)?;
    temporary.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> (PathBuf, PathBuf) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        (root.join("tasks.yaml"), root.join("roles.yaml"))
    }

    const TODAY: Date = jiff::civil::date(2026, 11, 23);

    #[test]
    fn a_cached_catalog_is_the_catalog_parsed_from_yaml() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = CacheSettings {
            directory: directory.path().join("cache"),
            build: "test".to_owned(),
        };
        let parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let first = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let files: Vec<_> = std::fs::read_dir(&settings.directory).unwrap().collect();
        assert_eq!(files.len(), 1, "one cache file written");
        let cached = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        // Debug output covers every field, cron rules and time zones included.
        assert_eq!(format!("{parsed:?}"), format!("{first:?}"));
        assert_eq!(format!("{parsed:?}"), format!("{cached:?}"));
    }

    #[test]
    fn an_edited_catalog_misses_the_cache() {
        let directory = tempfile::tempdir().unwrap();
        let (shipped_tasks, shipped_roles) = shipped();
        let tasks = directory.path().join("tasks.yaml");
        let roles = directory.path().join("roles.yaml");
        std::fs::copy(&shipped_tasks, &tasks).unwrap();
        std::fs::copy(&shipped_roles, &roles).unwrap();
        let settings = CacheSettings {
            directory: directory.path().join("cache"),
            build: "test".to_owned(),
        };
        let before = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let text = std::fs::read_to_string(&tasks).unwrap();
        let edited = text.replacen(
            "Update SOC escalation tickets",
            "Update the SOC escalation tickets",
            1,
        );
        assert!(
            text != edited,
            "the shipped catalog has the title this test edits"
        );
        std::fs::write(&tasks, edited).unwrap();
        let after = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert!(
            before
                .tasks
                .iter()
                .any(|t| t.title == "Update SOC escalation tickets")
        );
        assert!(
            after
                .tasks
                .iter()
                .any(|t| t.title == "Update the SOC escalation tickets")
        );
        // A broken edit is reported, never hidden by the cached good copy.
        std::fs::write(&tasks, "version: 1\ntasks: [").unwrap();
        assert!(load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).is_err());
    }

    /// One flipped bit anywhere in the file (200 positions spread over header and payload)
    /// never changes the catalog a command sees: the file is ignored and rewritten.
    #[test]
    fn a_flipped_byte_is_never_believed() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = CacheSettings {
            directory: directory.path().to_owned(),
            build: "test".to_owned(),
        };
        let parsed = format!(
            "{:?}",
            load_valid_cached(&tasks, &roles, TODAY, None).unwrap()
        );
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let good = std::fs::read(&file).unwrap();
        let positions: Vec<usize> = (0..200).map(|i| i * (good.len() - 1) / 199).collect();
        for (round, &position) in positions.iter().enumerate() {
            let mut damaged = good.clone();
            damaged[position] ^= 1 << (round % 8);
            std::fs::write(&file, &damaged).unwrap();
            let loaded = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
            assert_eq!(parsed, format!("{loaded:?}"), "byte {position} flipped");
            assert_eq!(
                std::fs::read(&file).unwrap(),
                good,
                "byte {position}: rewritten"
            );
        }
    }

    #[test]
    fn a_damaged_or_foreign_cache_file_is_ignored_and_replaced() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = CacheSettings {
            directory: directory.path().to_owned(),
            build: "test".to_owned(),
        };
        let parsed = load_valid_cached(&tasks, &roles, TODAY, None).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        let mut truncated = MAGIC.to_vec();
        truncated.extend_from_slice(&key);
        truncated.extend_from_slice(&[0xff; 7]);
        let mut unvouched = MAGIC.to_vec();
        unvouched.extend_from_slice(&key);
        unvouched.extend_from_slice(&[0; 32]);
        unvouched.extend_from_slice(&postcard::to_stdvec(&parsed).unwrap());
        for damage in [
            b"not a cache".to_vec(),
            Vec::new(),
            MAGIC.to_vec(),
            truncated,
            unvouched,
        ] {
            std::fs::write(&file, &damage).unwrap();
            let loaded = load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
            assert_eq!(format!("{parsed:?}"), format!("{loaded:?}"));
            assert_ne!(
                std::fs::read(&file).unwrap(),
                damage,
                "the file was rewritten"
            );
        }
        // A cache written by another build of socctl is not read.
        let other = CacheSettings {
            build: "other".to_owned(),
            ..settings.clone()
        };
        assert!(read_cache(&file, &content_key("other", &tasks, &roles).unwrap()).is_none());
        load_valid_cached(&tasks, &roles, TODAY, Some(&other)).unwrap();
    }

    #[test]
    fn the_key_of_the_files_on_disk_is_the_key_of_their_bytes() {
        let (tasks, roles) = shipped();
        let bytes = [
            std::fs::read(&tasks).unwrap(),
            std::fs::read(&roles).unwrap(),
        ];
        let from_bytes = key_of(
            "b",
            bytes.each_ref().map(|b| (b.len() as u64, blake3::hash(b))),
        );
        assert_eq!(content_key("b", &tasks, &roles), Some(from_bytes));
        assert_ne!(content_key("other build", &tasks, &roles), Some(from_bytes));
        // The two files' roles matter, not only their bytes.
        assert_ne!(content_key("b", &roles, &tasks), Some(from_bytes));
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_file_others_can_write_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let settings = CacheSettings {
            directory: directory.path().to_owned(),
            build: "test".to_owned(),
        };
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        let file = directory.path().join(file_name(&tasks, &roles));
        let key = content_key("test", &tasks, &roles).unwrap();
        assert!(
            read_cache(&file, &key).is_some(),
            "the user's own 0600 file is read"
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        for mode in [0o666, 0o620, 0o602] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
            assert!(
                read_cache(&file, &key).is_none(),
                "mode {mode:o} is refused"
            );
        }
        // The next load misses and writes a private file in its place.
        load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn an_unwritable_cache_directory_only_costs_speed() {
        let (tasks, roles) = shipped();
        let directory = tempfile::tempdir().unwrap();
        let blocker = directory.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let settings = CacheSettings {
            // A directory inside a regular file can never be created.
            directory: blocker.join("cache"),
            build: "test".to_owned(),
        };
        assert!(load_valid_cached(&tasks, &roles, TODAY, Some(&settings)).is_ok());
    }
}
