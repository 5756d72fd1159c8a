//! Writing generated files: only those whose content changed, each through a temporary file in
//! its own directory renamed over the old one, and every file of a run staged before any is
//! replaced, so a run that fails or is killed leaves the previous outputs whole.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::Error;

/// Writes `contents` to `path` unless it already holds exactly that, so that unchanged output
/// keeps its modification time and triggers no rebuild. The file is replaced atomically.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, Error> {
    Ok(write_all([(path, contents)])?[0])
}

/// Writes a run's files, all or none: each changed file is written in full to a temporary file
/// beside it first, and only when every one of them is written are they renamed into place.
/// Returns, per file, whether it changed. On error no file has been replaced and no temporary
/// file is left behind.
pub fn write_all<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Result<Vec<bool>, Error> {
    let mut changed = Vec::new();
    let mut staged = Vec::new();
    for (path, contents) in files {
        if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
            changed.push(false);
            continue;
        }
        changed.push(true);
        staged.push((stage(path, contents)?, path));
    }
    // A rename within one directory is atomic; the staged files drop (and are removed) if one
    // of these fails, which leaves the earlier ones replaced, as a rename cannot be undone.
    for (temp, path) in staged {
        temp.persist(path).map_err(|err| Error::Io {
            path: path.to_owned(),
            source: err.error,
        })?;
    }
    Ok(changed)
}

/// `contents` in a new temporary file in `path`'s directory, created if missing.
fn stage(path: &Path, contents: &str) -> Result<tempfile::NamedTempFile, Error> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |at: &Path| {
        let at = at.to_owned();
        move |source| Error::Io { path: at, source }
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".errspec-").suffix(".tmp");
    // The output keeps the mode of the file it replaces; a new one gets the mode any new file
    // gets (0666 less the umask), not the temporary file's private 0600.
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o7777)
    };
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(mode));
    let mut temp = builder.tempfile_in(parent).map_err(io(parent))?;
    temp.write_all(contents.as_bytes()).map_err(io(path))?;
    temp.flush().map_err(io(path))?;
    Ok(temp)
}
