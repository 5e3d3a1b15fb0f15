//! `--output FILE` and `backup FILE`: write a temporary file beside the target and rename it over the
//! target, so a reader (or a cron job killed half-way) never sees a half-written file. The temporary
//! file comes from `tempfile`: created exclusively (never an existing file or a symlink's target) and
//! removed when the write fails.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::{NamedTempFile, TempPath};

/// An exclusive, empty temporary file beside `target`, named `.NAME.tmp-XXXXXX`, with the mode a plain
/// `File::create` would give (0666 less the umask); it is deleted when dropped unless persisted.
fn beside(target: &Path) -> Result<NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .with_context(|| format!("cannot write {}", target.display()))
}

/// The path of an empty temporary file beside `target`, for a writer that needs a path (SQLite's
/// backup); `persist_over` renames it over the target.
pub fn temp_path_beside(target: &Path) -> Result<TempPath> {
    Ok(beside(target)?.into_temp_path())
}

/// Rename a finished temporary file over `target`.
pub fn persist_over(temp: TempPath, target: &Path) -> Result<()> {
    temp.persist(target)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), e.error))
}

pub struct AtomicFile {
    target: PathBuf,
    writer: Option<BufWriter<NamedTempFile>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<AtomicFile> {
        Ok(AtomicFile {
            target: target.to_path_buf(),
            writer: Some(BufWriter::new(beside(target)?)),
        })
    }

    /// Flush, sync and rename over the target.
    pub fn commit(mut self) -> Result<()> {
        let Some(w) = self.writer.take() else {
            return Ok(());
        };
        let cannot = || format!("cannot write {}", self.target.display());
        let file = w
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        file.as_file().sync_all().with_context(cannot)?;
        persist_over(file.into_temp_path(), &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.writer.as_mut() {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("output already committed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}
