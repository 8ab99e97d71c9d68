//! Keys derived from the deployment secret, and the bounded Argon2id pool.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::{Algorithm, Argon2, Block, Params, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use blake2::Blake2bMac512;
use blake2::digest::{KeyInit, Mac};
use chacha20poly1305::ChaCha20Poly1305;
use chacha20poly1305::aead::Aead;
use rand::RngExt;
use tokio::sync::Semaphore;

use crate::config::Secret;
use crate::hash_threads::HashThreads;

/// Purpose-bound keys derived from the deployment secret.
#[derive(Clone)]
pub struct Keys {
    /// Signs staff JWTs (HS256).
    pub jwt: [u8; 32],
    /// The Argon2id secret for receipt hashes.
    pub receipt: [u8; 32],
    /// The fixed Argon2id salt for receipt hashes (per deployment, so look-ups work).
    pub receipt_salt: [u8; 16],
    /// Keys the short receipt tags that turn away wrong codes before any Argon2 work.
    pub receipt_tag: [u8; 32],
    /// Keys CSRF tokens of staff forms.
    pub csrf: [u8; 32],
    /// Keys the hashes of appraisal slips and change keys.
    pub appraisal: [u8; 32],
    /// Keys the hashes of submission keys and the seals of their receipts.
    pub submission: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

impl Keys {
    /// Derives every key from the secret, one label each.
    pub fn derive(secret: &Secret) -> Self {
        let mut receipt_salt = [0u8; 16];
        receipt_salt.copy_from_slice(&mac(secret.expose(), b"mashangshuo receipt salt")[..16]);
        Keys {
            jwt: mac32(secret.expose(), b"mashangshuo staff jwt"),
            receipt: mac32(secret.expose(), b"mashangshuo receipt key"),
            receipt_salt,
            receipt_tag: mac32(secret.expose(), b"mashangshuo receipt tag"),
            csrf: mac32(secret.expose(), b"mashangshuo csrf"),
            appraisal: mac32(secret.expose(), b"mashangshuo appraisal"),
            submission: mac32(secret.expose(), b"mashangshuo submission"),
        }
    }

    /// The stored form of a slip code. A keyed hash is enough here: the code has 80 random bits,
    /// so there is nothing to guess, and printing 2,000 slips must not take 2,000 Argon2 runs.
    pub fn slip_hash(&self, code: &str) -> String {
        hex::encode(&mac(&self.appraisal, format!("slip {code}").as_bytes())[..32])
    }

    /// The stored form of an appraisal change key (128 random bits).
    pub fn change_hash(&self, key: &str) -> String {
        hex::encode(&mac(&self.appraisal, format!("change {key}").as_bytes())[..32])
    }
}

impl Keys {
    /// The 32-bit tag of a receipt code (a keyed BLAKE2b cut short), stored beside its Argon2id
    /// hash: a code whose tag no opinion has is unknown without hashing it. Many codes share a
    /// tag, so the tag narrows a guess by 2^32 at most and never names an opinion by itself.
    pub fn receipt_tag(&self, code: &str) -> i64 {
        let full = mac(&self.receipt_tag, code.as_bytes());
        i64::from(u32::from_be_bytes([full[0], full[1], full[2], full[3]]))
    }

    /// The stored form of a phone's submission key (128 random bits).
    pub fn submission_hash(&self, key: &str) -> String {
        hex::encode(&mac(&self.submission, format!("hash {key}").as_bytes())[..32])
    }

    /// The cipher that seals what only the holder of `key` may read back.
    fn sealer(&self, key: &str) -> ChaCha20Poly1305 {
        let derived = mac32(&self.submission, format!("seal {key}").as_bytes());
        <ChaCha20Poly1305 as chacha20poly1305::KeyInit>::new(&chacha20poly1305::Key::from(derived))
    }

    /// Seals `plain` (a receipt) under the submission key: base64 of nonce and ciphertext.
    pub fn seal(&self, key: &str, plain: &[u8]) -> Option<String> {
        let nonce: [u8; 12] = rand::rng().random();
        let sealed = self
            .sealer(key)
            .encrypt(&chacha20poly1305::Nonce::from(nonce), plain)
            .ok()?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Some(base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// Opens what [`Keys::seal`] sealed under the same key; `None` for any other key.
    pub fn open(&self, key: &str, sealed: &str) -> Option<Vec<u8>> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .ok()?;
        let (nonce, body) = bytes.split_at_checked(12)?;
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        self.sealer(key)
            .decrypt(&chacha20poly1305::Nonce::from(nonce), body)
            .ok()
    }
}

/// Keyed BLAKE2b of `data`; keys longer than BLAKE2b allows are hashed first.
pub fn mac(key: &[u8], data: &[u8]) -> [u8; 64] {
    let mut m = if key.len() <= 64 {
        <Blake2bMac512 as KeyInit>::new_from_slice(key)
    } else {
        <Blake2bMac512 as KeyInit>::new_from_slice(&mac(b"long key", key))
    }
    .expect("BLAKE2b accepts keys up to 64 bytes");
    m.update(data);
    m.finalize().into_bytes().into()
}

fn mac32(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&mac(key, data)[..32]);
    out
}

/// Argon2id parameters: OWASP's 19 MiB, 2 passes, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, Some(32)).expect("static Argon2 parameters are valid")
}

/// Failures of the hashing pool.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Argon2 rejected its input.
    #[error("argon2: {0}")]
    Argon2(String),
    /// The blocking task died.
    #[error("hashing task failed")]
    Task,
}

/// Runs Argon2id on at most `slots` hashes at a time. A slot's 19 MiB block is handed on to the
/// next hash while hashes queue, and freed when none is waiting, so an idle server does not
/// keep it (large blocks go back to the system at once: see `memory`).
#[derive(Clone)]
pub struct HashPool {
    permits: Arc<Semaphore>,
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Hashes queued or running.
    busy: Arc<AtomicUsize>,
    slots: usize,
    /// One thread per slot, apart from the request threads.
    threads: HashThreads,
    keys: Keys,
    /// Argon2id runs started since the pool was made (an aggregate, for tests and benchmarks).
    runs: Arc<AtomicU64>,
    /// Memory blocks allocated since the pool was made (the rest were handed on).
    blocks: Arc<AtomicU64>,
}

impl HashPool {
    /// A pool of `slots` (at least one) concurrent hashes.
    pub fn new(keys: Keys, slots: usize) -> Self {
        let slots = slots.max(1);
        HashPool {
            permits: Arc::new(Semaphore::new(slots)),
            buffers: Arc::new(Mutex::new(Vec::with_capacity(slots))),
            busy: Arc::new(AtomicUsize::new(0)),
            slots,
            threads: HashThreads::start(slots),
            keys,
            runs: Arc::new(AtomicU64::new(0)),
            blocks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many memory blocks the pool has allocated (a hash that found none kept).
    pub fn blocks_allocated(&self) -> u64 {
        self.blocks.load(Ordering::Relaxed)
    }

    /// How many hashes may run at once; each holds 19 MiB while it runs.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// How many slots' memory blocks are kept for the next hash right now.
    pub fn kept_buffers(&self) -> usize {
        lock(&self.buffers).len()
    }

    /// The kernel ids of the hashing threads (kept at normal priority: `hash_threads`).
    pub fn thread_ids(&self) -> Vec<i32> {
        self.threads.thread_ids()
    }

    /// The keys the pool was built with.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// How many Argon2id runs the pool has started.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    /// Runs `job` on a hashing thread while holding one slot and its memory.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vec<Block>) -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let _busy = Busy::enter(self);
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Task)?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        let (buffers, busy, blocks) =
            (self.buffers.clone(), self.busy.clone(), self.blocks.clone());
        self.threads
            .run(move || {
                let kept = lock(&buffers).pop();
                let mut memory = kept.unwrap_or_else(|| {
                    blocks.fetch_add(1, Ordering::Relaxed);
                    Vec::new()
                });
                let result = job(&mut memory);
                // Kept only for a hash that is already queued or running beside this one.
                if busy.load(Ordering::SeqCst) > 1 {
                    lock(&buffers).push(memory);
                }
                result
            })
            .await
            .map_err(|_| HashError::Task)?
    }

    /// The keyed, deterministic Argon2id hash of a receipt code (hex), used to look it up.
    pub async fn receipt_hash(&self, code: &str) -> Result<String, HashError> {
        let keys = self.keys.clone();
        let code = code.to_string();
        self.run(move |memory| {
            let params = params();
            memory.resize(params.block_count(), Block::default());
            let argon =
                Argon2::new_with_secret(&keys.receipt, Algorithm::Argon2id, Version::V0x13, params)
                    .map_err(|e| HashError::Argon2(e.to_string()))?;
            let mut out = [0u8; 32];
            argon
                .hash_password_into_with_memory(
                    code.as_bytes(),
                    &keys.receipt_salt,
                    &mut out,
                    memory.as_mut_slice(),
                )
                .map_err(|e| HashError::Argon2(e.to_string()))?;
            Ok(hex::encode(out))
        })
        .await
    }

    /// A salted Argon2id PHC string for a staff password.
    pub async fn hash_password(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_string();
        self.run(move |_| {
            Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| HashError::Argon2(e.to_string()))
        })
        .await
    }

    /// Whether `password` matches the stored PHC string.
    pub async fn verify_password(&self, password: &str, phc: &str) -> Result<bool, HashError> {
        let password = password.to_string();
        let phc = phc.to_string();
        self.run(move |_| {
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), phc.as_str())
                .is_ok())
        })
        .await
    }
}

/// Counts a hash as queued or running for as long as it lives; the last one out frees the
/// blocks kept for hashes that no longer come.
struct Busy {
    count: Arc<AtomicUsize>,
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl Busy {
    fn enter(pool: &HashPool) -> Busy {
        pool.busy.fetch_add(1, Ordering::SeqCst);
        Busy {
            count: pool.busy.clone(),
            buffers: pool.buffers.clone(),
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            lock(&self.buffers).clear();
        }
    }
}

/// Locks the buffer list; a panic elsewhere cannot poison a list of plain memory.
fn lock(buffers: &Mutex<Vec<Vec<Block>>>) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
    buffers
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> HashPool {
        HashPool::new(Keys::derive(&Secret::new(vec![7; 32])), 2)
    }

    #[actix_web::test]
    async fn receipt_hash_is_deterministic_and_keyed() {
        let a = pool().receipt_hash("1234567812345678").await.expect("hash");
        let b = pool().receipt_hash("1234567812345678").await.expect("hash");
        let other_key = HashPool::new(Keys::derive(&Secret::new(vec![8; 32])), 2);
        let c = other_key
            .receipt_hash("1234567812345678")
            .await
            .expect("hash");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(!a.contains("1234567812345678"));
    }

    #[test]
    fn receipt_tags_are_keyed_32_bit_and_spread() {
        let keys = Keys::derive(&Secret::new(vec![7; 32]));
        let other = Keys::derive(&Secret::new(vec![8; 32]));
        let code = "1234567812345678";
        assert_eq!(keys.receipt_tag(code), keys.receipt_tag(code));
        assert_ne!(keys.receipt_tag(code), other.receipt_tag(code));
        let tags: std::collections::HashSet<i64> = (0..10_000u64)
            .map(|n| keys.receipt_tag(&format!("{n:016}")))
            .collect();
        assert!(tags.iter().all(|t| (0..=i64::from(u32::MAX)).contains(t)));
        // 10,000 codes in 2^32 tags: a collision is rare (expected 0.01).
        assert!(tags.len() >= 9_998, "{}", tags.len());
    }

    #[actix_web::test]
    async fn passwords_verify_only_when_right() {
        let pool = pool();
        let phc = pool.hash_password("correct horse").await.expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(
            pool.verify_password("correct horse", &phc)
                .await
                .expect("verify")
        );
        assert!(!pool.verify_password("wrong", &phc).await.expect("verify"));
    }

    #[actix_web::test]
    async fn slot_memory_is_handed_on_while_hashes_queue_and_freed_when_none_waits() {
        let pool = HashPool::new(Keys::derive(&Secret::new(vec![7; 32])), 1);
        assert_eq!(pool.slots(), 1);
        pool.receipt_hash("1").await.expect("hash");
        assert_eq!(
            pool.kept_buffers(),
            0,
            "nothing waited: the block was freed"
        );
        let codes: Vec<String> = (0..4).map(|n| n.to_string()).collect();
        let hashes = codes.iter().map(|code| pool.receipt_hash(code));
        let results = futures_util::future::join_all(hashes).await;
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(pool.runs(), 5);
        assert_eq!(
            pool.blocks_allocated(),
            2,
            "one for the first hash, one for the queue"
        );
        assert_eq!(
            pool.kept_buffers(),
            0,
            "the last one out freed what was kept"
        );
    }
}
