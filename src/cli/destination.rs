//! Where `-o FILE` output goes, and how it gets there without damaging anything.
//!
//! - A regular file, or a path that does not exist yet, is replaced atomically: the output is
//!   written beside it under a temporary name and renamed over it only when complete, so a
//!   failed run leaves the old file as it was. The new file keeps the old one's permissions
//!   (and, for root, its owner and group); a new file gets 0644.
//! - A symbolic link is followed (the link stays a link) and its target replaced that way.
//! - A FIFO or a device (`/dev/null`, a terminal, `/dev/full`) is written to in place: it is
//!   never turned into a regular file.
//! - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` write to socctl's own
//!   descriptor N, so `-o /dev/stdout >>log` appends as the shell asked.
//! - A directory, a socket and a missing parent directory are refused with a plain reason.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

/// How many symbolic links one path may go through (as Linux's `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Why `-o` could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    /// `-o` names a directory.
    #[error("cannot write {path}: it is a directory; give a file name, e.g. {}", .path.join("out.txt").display())]
    Directory {
        /// The path as given.
        path: PathBuf,
    },
    /// `-o` names something that cannot be opened for writing (a socket).
    #[error("cannot write {path}: it is a socket; -o takes a file, a FIFO or a device")]
    Socket {
        /// The path as given.
        path: PathBuf,
    },
    /// Symbolic links that loop or go too deep.
    #[error("cannot write {path}: it goes through more than {MAX_LINKS} symbolic links (a loop?)")]
    LinkLoop {
        /// The path as given.
        path: PathBuf,
    },
    /// An I/O error, in plain words.
    #[error("cannot write {}: {}", .path.display(), describe(.cause))]
    Io {
        /// The file being written (the link's target when a link was followed).
        path: PathBuf,
        /// What the system said (in the message, in words: not a separate cause).
        cause: io::Error,
    },
}

impl DestinationError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> Self + '_ {
        move |cause| Self::Io {
            path: path.to_owned(),
            cause,
        }
    }

    /// Whether the error is the reader of a pipe going away (not an error for socctl).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Io { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// An I/O error in words an operator reads at 3 a.m., without "(os error 28)".
pub fn describe(error: &io::Error) -> String {
    use io::ErrorKind as K;
    match error.kind() {
        K::StorageFull => "no space left on the device (the disk is full)".to_owned(),
        K::PermissionDenied => "permission denied".to_owned(),
        K::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        K::NotFound => "its directory does not exist".to_owned(),
        K::NotADirectory => "a part of the path is not a directory".to_owned(),
        K::IsADirectory => "it is a directory".to_owned(),
        K::QuotaExceeded => "the disk quota is exceeded".to_owned(),
        K::BrokenPipe => "the reader closed the pipe".to_owned(),
        K::CrossesDevices => "it is on another file system than its temporary copy".to_owned(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_owned(),
                None => text,
            }
        }
    }
}

/// Writes what `write` produces to `path` by the rules in the module documentation, and
/// returns its result. Nothing is replaced unless `write` succeeded and all of it reached
/// the disk.
pub fn write_to<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match resolve(path)? {
        Target::Descriptor(fd) => {
            let file = own_descriptor(fd).map_err(DestinationError::io(path))?;
            write_in_place(path, file, write)
        }
        Target::InPlace(target) => {
            let file = OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(DestinationError::io(&target))?;
            write_in_place(&target, file, write)
        }
        Target::Replace(target) => replace(&target, write),
    }
}

/// What a path turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// One of socctl's own descriptors (`/dev/stdout`, `/proc/self/fd/1`).
    Descriptor(i32),
    /// A FIFO or device, opened and written.
    InPlace(PathBuf),
    /// A regular file or a new path, replaced atomically.
    Replace(PathBuf),
}

/// Follows `path` through its symbolic links and decides how to write it.
fn resolve(path: &Path) -> Result<Target, DestinationError> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        if let Some(fd) = own_descriptor_number(&current) {
            return Ok(Target::Descriptor(fd));
        }
        let metadata = match fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Target::Replace(current));
            }
            Err(error) => return Err(DestinationError::io(&current)(error)),
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&current).map_err(DestinationError::io(&current))?;
            current = match current.parent() {
                Some(parent) if link.is_relative() => parent.join(link),
                _ => link,
            };
            continue;
        }
        if kind.is_dir() {
            return Err(DestinationError::Directory {
                path: path.to_owned(),
            });
        }
        if kind.is_file() {
            return Ok(Target::Replace(current));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if kind.is_socket() {
                return Err(DestinationError::Socket {
                    path: path.to_owned(),
                });
            }
        }
        // A FIFO, a character or a block device.
        return Ok(Target::InPlace(current));
    }
    Err(DestinationError::LinkLoop {
        path: path.to_owned(),
    })
}

/// The descriptor number when `path` names one of this process's own descriptors.
fn own_descriptor_number(path: &Path) -> Option<i32> {
    let parts: Vec<&str> = path
        .components()
        .map(|c| match c {
            Component::RootDir => Some("/"),
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        ["/", "dev", "stdout"] => Some(1),
        ["/", "dev", "stderr"] => Some(2),
        ["/", "dev", "fd", n] | ["/", "proc", "self" | "thread-self", "fd", n] => n.parse().ok(),
        ["/", "proc", pid, "fd", n] if pid.parse() == Ok(std::process::id()) => n.parse().ok(),
        _ => None,
    }
}

/// A new handle on this process's descriptor `fd`, sharing its offset and append mode.
#[cfg(unix)]
fn own_descriptor(fd: i32) -> io::Result<File> {
    use std::os::fd::BorrowedFd;
    if fd < 0 {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    // The descriptor must be open: fcntl(F_GETFD) through a duplicate that fails cleanly.
    // SAFETY: `fd` is only borrowed long enough to duplicate it; the duplicate fails with
    // EBADF when `fd` is not open, and nothing else uses the borrow.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    Ok(File::from(borrowed.try_clone_to_owned()?))
}

#[cfg(not(unix))]
fn own_descriptor(_fd: i32) -> io::Result<File> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn write_in_place<T>(
    path: &Path,
    file: File,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut out = BufWriter::new(file);
    let value = write(&mut out).map_err(|error| in_words(path, error))?;
    out.flush().map_err(DestinationError::io(path))?;
    Ok(value)
}

/// An I/O error from rendering, said as a failure to write `path`.
fn in_words(path: &Path, error: anyhow::Error) -> anyhow::Error {
    match error.downcast::<io::Error>() {
        Ok(cause) => DestinationError::Io {
            path: path.to_owned(),
            cause,
        }
        .into(),
        Err(error) => error,
    }
}

fn replace<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy());
    // Named after the file, so a copy left by a killed run says what it was.
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{name}.socctl-"))
        .tempfile_in(directory)
        .map_err(DestinationError::io(path))?;
    let value = {
        let mut out = BufWriter::new(temporary.as_file_mut());
        let value = write(&mut out).map_err(|error| in_words(path, error))?;
        out.flush().map_err(DestinationError::io(path))?;
        value
    };
    temporary
        .as_file()
        .sync_all()
        .map_err(DestinationError::io(path))?;
    keep_attributes(path, temporary.as_file()).map_err(DestinationError::io(path))?;
    temporary
        .persist(path)
        .map_err(|error| DestinationError::io(path)(error.error))?;
    Ok(value)
}

/// Gives the new file the old one's permissions (and owner, when allowed), or 0644.
#[cfg(unix)]
fn keep_attributes(path: &Path, file: &File) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    match fs::metadata(path) {
        Ok(old) => {
            file.set_permissions(old.permissions())?;
            if rustix::process::geteuid().is_root() {
                std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))?;
            }
            Ok(())
        }
        Err(_) => file.set_permissions(fs::Permissions::from_mode(0o644)),
    }
}

#[cfg(not(unix))]
fn keep_attributes(_path: &Path, _file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_descriptors_are_recognised_by_name() {
        let pid = std::process::id();
        let cases = [
            ("/dev/stdout", Some(1)),
            ("/dev/stderr", Some(2)),
            ("/dev/fd/7", Some(7)),
            ("/proc/self/fd/1", Some(1)),
            ("/proc/thread-self/fd/3", Some(3)),
            (&format!("/proc/{pid}/fd/4"), Some(4)),
            ("/proc/1/fd/1", None),
            ("/dev/null", None),
            ("dev/stdout", None),
            ("/dev/fd/x", None),
        ];
        for (path, expected) in cases {
            assert_eq!(own_descriptor_number(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn io_errors_read_as_words() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(
            describe(&full),
            "no space left on the device (the disk is full)"
        );
        let other = io::Error::from_raw_os_error(5);
        assert!(
            !describe(&other).contains("os error"),
            "{}",
            describe(&other)
        );
    }

    #[test]
    fn links_are_followed_and_kinds_decided() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        assert_eq!(resolve(&file).unwrap(), Target::Replace(file.clone()));
        let new = dir.path().join("new");
        assert_eq!(resolve(&new).unwrap(), Target::Replace(new.clone()));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink("file", &link).unwrap();
            assert_eq!(resolve(&link).unwrap(), Target::Replace(file.clone()));
            let dangling = dir.path().join("dangling");
            std::os::unix::fs::symlink("sub/../later", &dangling).unwrap();
            assert_eq!(
                resolve(&dangling).unwrap(),
                Target::Replace(dir.path().join("sub/../later"))
            );
            let a = dir.path().join("a");
            let b = dir.path().join("b");
            std::os::unix::fs::symlink(&b, &a).unwrap();
            std::os::unix::fs::symlink(&a, &b).unwrap();
            assert!(matches!(
                resolve(&a),
                Err(DestinationError::LinkLoop { .. })
            ));
            let stdout_link = dir.path().join("out");
            std::os::unix::fs::symlink("/dev/stdout", &stdout_link).unwrap();
            assert_eq!(resolve(&stdout_link).unwrap(), Target::Descriptor(1));
        }
        assert!(matches!(
            resolve(dir.path()),
            Err(DestinationError::Directory { .. })
        ));
    }
}
