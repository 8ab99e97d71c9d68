//! File work of backups and restores: checksums, private copies, empty folders, synced writes.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::OpsError;

/// The SHA-256 (hex) and size of a file, read in pieces.
pub fn sha256_of(path: &Path) -> Result<(String, u64), OpsError> {
    let mut file = File::open(path).map_err(OpsError::io(path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let read = file.read(&mut buffer).map_err(OpsError::io(path))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        bytes += read as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// Opens a new file readable by its owner only (0600); fails when it exists.
pub fn create_private(path: &Path) -> Result<File, OpsError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(OpsError::io(path))
}

/// Writes `bytes` to a new private file and syncs it.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), OpsError> {
    let mut file = create_private(path)?;
    file.write_all(bytes).map_err(OpsError::io(path))?;
    file.sync_all().map_err(OpsError::io(path))
}

/// Copies `from` to a new private file `to` and syncs it.
pub fn copy_private(from: &Path, to: &Path) -> Result<u64, OpsError> {
    let mut source = File::open(from).map_err(OpsError::io(from))?;
    let mut target = create_private(to)?;
    let copied = io::copy(&mut source, &mut target).map_err(OpsError::io(to))?;
    target.sync_all().map_err(OpsError::io(to))?;
    Ok(copied)
}

/// Makes sure a rename or a new file in `dir` survives a power cut.
pub fn sync_dir(dir: &Path) -> Result<(), OpsError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(OpsError::io(dir))?;
    Ok(())
}

/// The names in `dir`, sorted; none when it does not exist.
pub fn entries(dir: &Path) -> Result<Vec<String>, OpsError> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(OpsError::io(dir)(e)),
    };
    let mut names = Vec::new();
    for entry in listing {
        let entry = entry.map_err(OpsError::io(dir))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// Creates the backup folder (0700); it must not exist or be empty.
pub fn empty_backup_dir(dir: &Path) -> Result<(), OpsError> {
    if dir.exists() && !entries(dir)?.is_empty() {
        return Err(OpsError::NotEmpty(format!(
            "{} is not empty: back up into a new folder (e.g. one named by the day)",
            dir.display()
        )));
    }
    crate::files::create_private_dir(dir).map_err(OpsError::io(dir))
}

/// The QR images of a data directory (`qr/*.png`, plain names only), sorted.
pub fn qr_images(data_dir: &Path) -> Result<Vec<PathBuf>, OpsError> {
    let dir = data_dir.join(super::manifest::QR_DIR);
    Ok(entries(&dir)?
        .into_iter()
        .filter(|name| super::manifest::is_qr_name(name))
        .map(|name| dir.join(name))
        .filter(|path| path.is_file())
        .collect())
}

/// Removes a file if it is there.
pub fn remove_if_present(path: &Path) -> Result<(), OpsError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(OpsError::io(path)(e)),
        _ => Ok(()),
    }
}
