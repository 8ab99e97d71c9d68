//! The fuzz targets, one module each: what it feeds, through which public function, and which
//! invariants it checks beyond "does not panic".

mod codes;
mod forwarded;
mod import;
mod jwt;
mod multipart;
mod photo;
mod query;
mod redact;
mod urlencoded;

use rand::RngExt;
use rand::rngs::SmallRng;

use crate::engine::Target;

/// Every target, in the order they run.
pub fn all() -> Vec<Target> {
    vec![
        redact::target(),
        urlencoded::target(),
        multipart::target(),
        codes::target(),
        import::target(),
        photo::target(),
        jwt::target(),
        query::target(),
        forwarded::target(),
    ]
}

/// One of `items`, at random.
pub fn pick<'a, T: ?Sized>(rng: &mut SmallRng, items: &[&'a T]) -> &'a T {
    items[rng.random_range(0..items.len())]
}

/// A short random string of printable ASCII, CJK and tricky characters.
pub fn random_text(rng: &mut SmallRng, max_chars: usize) -> String {
    const ALPHABETS: [&str; 4] = [
        "abcxyzABCXYZ0123456789 -_.,:;/+=&%@#?!'\"<>",
        "的是村组号路灯补贴书记主任张王李赵老镇乡县意见反映",
        "０１２３４５６７８９Ｘ＠－　，。：（）【】",
        "\u{0}\t\r\n\u{7f}\u{85}\u{200b}\u{202e}\u{fffd}\u{feff}😀",
    ];
    let n = rng.random_range(0..=max_chars);
    (0..n)
        .map(|_| {
            let alphabet: Vec<char> = ALPHABETS[rng.random_range(0..ALPHABETS.len())]
                .chars()
                .collect();
            alphabet[rng.random_range(0..alphabet.len())]
        })
        .collect()
}

/// Polls `future` to its end on this thread. Every input is in memory, so a future that is
/// pending without having asked to be polled again can never finish: that is `Err`, a hang
/// found without waiting for a timeout.
pub fn drive<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Wake, Waker};

    struct Woken(AtomicBool);
    impl Wake for Woken {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    let woken = Arc::new(Woken(AtomicBool::new(false)));
    let waker = Waker::from(woken.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        woken.0.store(false, Ordering::SeqCst);
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return Ok(out),
            Poll::Pending if woken.0.load(Ordering::SeqCst) => {}
            Poll::Pending => {
                return Err(
                    "stalled: pending with all its input read and nothing to wake it".into(),
                );
            }
        }
    }
}
