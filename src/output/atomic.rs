//! Every file salesops writes (`--output FILE`, `backup FILE`, a rejects file beside an input). A
//! regular file, or a new one, is written through a temporary file created exclusively beside it
//! (`.NAME.tmp-XXXXXX`) and renamed over it: a reader never sees half a file, a failure leaves nothing
//! behind, and a symlink at the target is replaced, never written through. A pipe or a device (a FIFO,
//! `/dev/null`, a terminal, or a link to one such as `/dev/stdout`) is written straight into, as a shell
//! redirection would.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, ErrorKind, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::{NamedTempFile, TempPath};

/// The folder a file named by `target` lives in ("." for a bare name).
fn folder_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An exclusive, empty temporary file beside `target`, named `.NAME.tmp-XXXXXX`, deleted when dropped
/// unless persisted. Its mode is `mode` exactly when given (a backup gets the database's, a replaced
/// file keeps its own), else what a plain `File::create` would give (0666 less the umask).
fn beside(target: &Path, mode: Option<u32>) -> Result<NamedTempFile> {
    let cannot = || format!("cannot write {}", target.display());
    let dir = folder_of(target);
    match std::fs::metadata(&dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            anyhow::bail!("{}: the folder {} does not exist", cannot(), dir.display())
        }
        Ok(m) if !m.is_dir() => {
            anyhow::bail!("{}: {} is not a folder", cannot(), dir.display())
        }
        _ => {}
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .permissions(std::fs::Permissions::from_mode(mode.unwrap_or(0o666)))
        .tempfile_in(&dir)
        .with_context(cannot)?;
    if let Some(mode) = mode {
        // The umask took bits off at creation; the file's own handle gets them back.
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(cannot)?;
    }
    Ok(temp)
}

/// The path of an empty temporary file beside `target` with the given mode, for a writer that needs a
/// path (SQLite's backup); `persist_over` renames it over the target.
pub fn temp_path_beside(target: &Path, mode: u32) -> Result<TempPath> {
    Ok(beside(target, Some(mode))?.into_temp_path())
}

/// Rename a finished temporary file over `target` (a symlink there is replaced, not followed).
pub fn persist_over(temp: TempPath, target: &Path) -> Result<()> {
    temp.persist(target)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), e.error))
}

/// Whether two paths name one file: the same file when both exist (a hard link, a symlink, another
/// spelling), else the same name in the same folder once the folders are resolved (a file not made
/// yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let resolved = |p: &Path| -> Option<PathBuf> {
        let name = p.file_name()?;
        Some(std::fs::canonicalize(folder_of(p)).ok()?.join(name))
    };
    matches!((resolved(a), resolved(b)), (Some(x), Some(y)) if x == y)
}

/// For a writer that only makes regular files (a backup): `target` is absent, a regular file, or a
/// symlink to neither a folder, a pipe nor a device (the link is then replaced); else a usage error.
pub fn check_replaceable(target: &Path) -> Result<()> {
    let kind = match std::fs::metadata(target) {
        Ok(m) => m.file_type(),
        Err(_) => return Ok(()),
    };
    if kind.is_dir() {
        crate::bail_usage!("{} is a folder: name the file to write", target.display());
    }
    if !kind.is_file() {
        crate::bail_usage!(
            "{} is not a regular file (a pipe or a device): name a file to write",
            target.display()
        );
    }
    Ok(())
}

fn is_stream(t: &std::fs::FileType) -> bool {
    t.is_fifo() || t.is_char_device() || t.is_block_device()
}

/// The pipe or device at `target`, open for writing; None when the target is (or is to become) a
/// regular file, replaced through a temporary file.
fn open_stream(target: &Path) -> Result<Option<File>> {
    let cannot = || format!("cannot write {}", target.display());
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(cannot),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(None);
    }
    if kind.is_dir() {
        anyhow::bail!("{}: it is a folder", cannot());
    }
    if kind.is_symlink() {
        // A link is replaced, unless it leads to a pipe or a device (`/dev/stdout` is a link to one).
        match std::fs::metadata(target) {
            Ok(m) if is_stream(&m.file_type()) => {}
            _ => return Ok(None),
        }
    }
    // Opened without creating or truncating anything, and checked again on what was opened: a regular
    // file put there meanwhile is replaced like any other, never written into.
    let file = OpenOptions::new()
        .write(true)
        .open(target)
        .with_context(cannot)?;
    let opened = file.metadata().with_context(cannot)?.file_type();
    if is_stream(&opened) {
        Ok(Some(file))
    } else if opened.is_file() {
        Ok(None)
    } else {
        anyhow::bail!("{}: not a file, a pipe or a device", cannot())
    }
}

enum Sink {
    /// A temporary file beside the target, renamed over it by `commit`.
    Temp(BufWriter<NamedTempFile>),
    /// A pipe or a device, written as it goes.
    Stream(BufWriter<File>),
}

/// A file being written: created (or opened, for a pipe or device) before anything else happens, so a
/// target that cannot be written fails first; only `commit` makes a regular file appear, whole.
pub struct OutputFile {
    target: PathBuf,
    sink: Option<Sink>,
}

impl OutputFile {
    pub fn create(target: &Path) -> Result<OutputFile> {
        let sink = match open_stream(target)? {
            Some(file) => Sink::Stream(BufWriter::new(file)),
            None => {
                // A file that is replaced keeps its mode (a private report stays private).
                let mode = std::fs::symlink_metadata(target)
                    .ok()
                    .filter(|m| m.file_type().is_file())
                    .map(|m| m.permissions().mode() & 0o777);
                Sink::Temp(BufWriter::new(beside(target, mode)?))
            }
        };
        Ok(OutputFile {
            target: target.to_path_buf(),
            sink: Some(sink),
        })
    }

    /// Flush; a regular file is synced and renamed over the target.
    pub fn commit(mut self) -> Result<()> {
        let cannot = || format!("cannot write {}", self.target.display());
        match self.sink.take() {
            None => Ok(()),
            Some(Sink::Stream(mut w)) => w.flush().with_context(cannot),
            Some(Sink::Temp(w)) => {
                let file = w
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(cannot)?;
                file.as_file().sync_all().with_context(cannot)?;
                persist_over(file.into_temp_path(), &self.target)
            }
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.sink.as_mut() {
            Some(Sink::Temp(w)) => w.write(buf),
            Some(Sink::Stream(w)) => w.write(buf),
            None => Err(std::io::Error::other("output already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.sink.as_mut() {
            Some(Sink::Temp(w)) => w.flush(),
            Some(Sink::Stream(w)) => w.flush(),
            None => Ok(()),
        }
    }
}
