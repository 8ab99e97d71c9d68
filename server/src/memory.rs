//! How the process holds memory. glibc's malloc keeps freed memory for reuse: large blocks
//! (an Argon2id slot's 19 MiB, a photo being cleaned, an export) once one has been freed, and
//! one heap per thread up to eight per core. Left alone, a burst of hashing or uploads raises
//! the resident size for good; set here, large blocks go back to the system as soon as they
//! are freed and the threads share a few heaps, so the resident size follows the work in hand
//! (README, "Memory").

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

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

/// The most bytes of a response body handed to a connection's write buffer at a time.
const BODY_SLICE: usize = 8 * 1024;

/// The bytes a connection's write buffer collects before writing to the socket (actix's
/// default is 32 KiB); with [`BODY_SLICE`], the buffer stays near 16 KiB.
pub const WRITE_BUFFER: usize = 8 * 1024;

/// A complete response body handed out in [`BODY_SLICE`] pieces (each a view of the same
/// bytes, no copy), with its length known up front.
struct Sliced {
    rest: Bytes,
    total: u64,
}

impl MessageBody for Sliced {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.total)
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        let n = this.rest.len().min(BODY_SLICE);
        Poll::Ready(Some(Ok(this.rest.split_to(n))))
    }
}

/// Hands complete bodies larger than [`BODY_SLICE`] to the connection in slices. actix copies
/// a body into the connection's write buffer and keeps that buffer's capacity (up to 128 KiB)
/// for as long as the connection is kept alive: 256 idle connections that once fetched a
/// 100 KiB inbox page hold 25 MiB. Sliced, a buffer grows to about [`WRITE_BUFFER`] twice.
pub async fn slice_large_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?;
    Ok(response.map_body(|_, body| match body.try_into_bytes() {
        Ok(bytes) if bytes.len() > BODY_SLICE => BoxBody::new(Sliced {
            total: bytes.len() as u64,
            rest: bytes,
        }),
        Ok(bytes) => BoxBody::new(bytes),
        Err(body) => body.boxed(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_sliced_body_is_the_same_bytes_in_pieces_of_at_most_a_slice() {
        let original = Bytes::from((0..50_000u32).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
        let mut body = Sliced {
            total: original.len() as u64,
            rest: original.clone(),
        };
        assert_eq!(body.size(), BodySize::Sized(50_000));
        let mut joined = Vec::new();
        let mut pieces = 0;
        while let Some(piece) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
            let piece = piece.unwrap_or_default();
            assert!(!piece.is_empty() && piece.len() <= BODY_SLICE);
            joined.extend_from_slice(&piece);
            pieces += 1;
        }
        assert_eq!(pieces, 50_000usize.div_ceil(BODY_SLICE));
        assert_eq!(joined, original);
    }
}
