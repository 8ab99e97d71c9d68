//! The deployment secret's fingerprint: stored in the database on the first start, checked on
//! every start, so a server given another secret refuses to run instead of silently failing
//! every receipt look-up.

use crate::config::Secret;
use crate::db::DbConnection;
use crate::db::DbError;
use crate::db::deployment::{DeploymentFact, SECRET_FINGERPRINT};

/// The label the fingerprint is a keyed hash of; it keys nothing else.
const FINGERPRINT_LABEL: &[u8] = b"mashangshuo deployment secret fingerprint v1";

/// What stops working when a database is served under another secret than its own.
pub const WHAT_BREAKS: &str = "every receipt code handed out so far stops resolving (villagers \
    can no longer read their replies or answer questions with it), every staff member is signed \
    out, appraisal slips printed and not yet used and the change keys of given answers stop \
    working, and box pages open on phones must be reloaded; staff passwords, opinions, photos \
    and the audit trail are not affected";

/// The fingerprint of a secret: 64 hex digits of a keyed BLAKE2b of a fixed label under it.
/// It tells two secrets apart and gives nothing of the secret away.
pub fn fingerprint(secret: &Secret) -> String {
    hex::encode(&crate::crypto::mac(secret.expose(), FINGERPRINT_LABEL)[..32])
}

/// The configured secret is not the one the database was made with.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The fingerprints differ.
    #[error(
        "MASHANGSHUO_SECRET does not match this database: the database was set up with the \
         secret whose fingerprint is {stored}, the secret configured now has the fingerprint \
         {configured}. Served with it, {WHAT_BREAKS}. Set MASHANGSHUO_SECRET (or the data \
         directory's secret.key) back to the secret this database was made with (a backup's \
         manifest.json records its fingerprint). If that secret is lost for good, see \
         docs/deploy.md, \"Losing the secret\": old receipts can then never be looked up again"
    )]
    Mismatch {
        /// The database's fingerprint.
        stored: String,
        /// The configured secret's fingerprint.
        configured: String,
    },
    /// The database could not be read or written.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Stores the secret's fingerprint when the database has none yet (a new database, or one
/// from before fingerprints), and refuses a secret whose fingerprint differs from the stored.
pub fn verify_or_store(conn: &mut DbConnection, secret: &Secret) -> Result<(), SecretError> {
    let configured = fingerprint(secret);
    let stored = DeploymentFact::keep_first(conn, SECRET_FINGERPRINT, &configured)?;
    if stored == configured {
        Ok(())
    } else {
        Err(SecretError::Mismatch { stored, configured })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_secrets_apart_and_hide_them() {
        let a = Secret::new(vec![7; 32]);
        let b = Secret::new(vec![8; 32]);
        assert_eq!(fingerprint(&a), fingerprint(&Secret::new(vec![7; 32])));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 64);
        assert!(!fingerprint(&a).contains(&hex::encode(a.expose())));
        // Not any key the server uses: those are derived under other labels.
        let keys = crate::crypto::Keys::derive(&a);
        assert_ne!(fingerprint(&a), hex::encode(keys.jwt));
        assert_ne!(fingerprint(&a), hex::encode(keys.receipt));
    }
}
