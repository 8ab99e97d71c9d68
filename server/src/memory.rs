//! How the process holds memory. glibc's malloc keeps freed memory for reuse: large blocks
//! (an Argon2id slot's 19 MiB, a photo being cleaned, an export) once one has been freed, and
//! one heap per thread up to eight per core. Left alone, a burst of hashing or uploads raises
//! the resident size for good; set here, large blocks go back to the system as soon as they
//! are freed and the threads share a few heaps, so the resident size follows the work in hand
//! (README, "Memory").

/// Blocks of this size and larger are mapped on their own and unmapped when freed (glibc's
/// starting threshold, which it would otherwise raise to the largest block freed so far).
const LARGE_BLOCK: i32 = 256 * 1024;
/// Heaps the threads share (glibc's default is eight per core).
const HEAPS: i32 = 2;

/// Sets glibc's malloc to return large blocks at once and share a few heaps, unless the
/// operator set `MALLOC_MMAP_THRESHOLD_` or `MALLOC_ARENA_MAX` (theirs wins). Called first
/// thing at start-up, before any thread; does nothing on other C libraries.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let set = |name: &str| std::env::var_os(name).is_some();
        // SAFETY: mallopt only changes malloc's tuning; called before any other thread starts.
        unsafe {
            if !set("MALLOC_MMAP_THRESHOLD_") {
                libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK);
            }
            if !set("MALLOC_ARENA_MAX") {
                libc::mallopt(libc::M_ARENA_MAX, HEAPS);
            }
        }
    }
}

/// How often a serving process hands memory freed inside its heaps back to the system.
const TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Every second, gives back to the system the pages freed inside malloc's heaps (a burst
/// of requests leaves its freed buffers scattered there, where glibc keeps them), so the
/// resident size falls back after a burst instead of staying at its peak. A walk over the
/// heaps' free lists on a blocking thread, well under a millisecond of CPU.
pub fn spawn_trimmer() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    actix_web::rt::spawn(async {
        let mut ticks = actix_web::rt::time::interval(TRIM_EVERY);
        loop {
            ticks.tick().await;
            // SAFETY: malloc_trim only returns free pages; it is safe from any thread.
            let _ = actix_web::web::block(|| unsafe { libc::malloc_trim(0) }).await;
        }
    });
}
