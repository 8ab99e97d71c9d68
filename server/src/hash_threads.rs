//! The threads Argon2id runs on: one per hashing slot, started with the pool and named
//! `argon2-N`. Apart from the request threads, they keep the process's normal priority when a
//! serving process lowers everything else ([`lower_other_threads`]), so a flood of cheap
//! requests (wrong receipt codes from many addresses) cannot take the CPU that villagers'
//! hashes wait for.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};

/// Work handed to a hashing thread.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// The hashing threads have stopped (a job panicked, or the pool is being dropped).
#[derive(Debug, thiserror::Error)]
#[error("the hashing thread did not finish the job")]
pub struct ThreadGone;

/// A fixed set of threads, each running the next job handed to the set. The threads end when
/// the last clone of the set is dropped.
#[derive(Clone)]
pub struct HashThreads {
    jobs: mpsc::Sender<Job>,
    ids: Arc<Vec<i32>>,
}

impl HashThreads {
    /// Starts `count` threads (at least one).
    pub fn start(count: usize) -> HashThreads {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let (started_tx, started_rx) = mpsc::channel();
        let mut running = 0;
        for n in 0..count.max(1) {
            let (queue, started_tx) = (queue.clone(), started_tx.clone());
            let started = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let _ = started_tx.send(thread_id());
                    drop(started_tx);
                    loop {
                        // The lock is held only while waiting, so each job goes to one idle thread.
                        let next = lock(&queue).recv();
                        let Ok(job) = next else { return };
                        // A panicking job drops its reply channel; the thread stays for the next.
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                    }
                });
            match started {
                Ok(_) => running += 1,
                Err(e) => tracing::error!(error = %e, "a hashing thread could not be started"),
            }
        }
        // Each thread reports its id before it waits for work: microseconds.
        let ids: Vec<i32> = started_rx.iter().take(running).collect();
        HashThreads {
            jobs,
            ids: Arc::new(ids),
        }
    }

    /// Runs `job` on the first free hashing thread and waits for its result.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ThreadGone> {
        let (reply, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = reply.send(job());
            }))
            .map_err(|_| ThreadGone)?;
        result.await.map_err(|_| ThreadGone)
    }

    /// The kernel's ids of the threads.
    pub fn thread_ids(&self) -> Vec<i32> {
        self.ids.as_ref().clone()
    }
}

/// Raises the nice value of every thread of this process but `keep` to `nice` (0 to 19; 0
/// leaves them as they are); threads started later inherit it from the thread that starts
/// them. Returns how many threads were changed. Lowering one's own priority needs no
/// privilege, and nothing but the scheduler's share of the CPU changes.
pub fn lower_other_threads(keep: &[i32], nice: i32) -> usize {
    let nice = nice.clamp(0, 19);
    if nice == 0 {
        return 0;
    }
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    let mut changed = 0;
    for task in tasks.flatten() {
        let Some(tid) = task
            .file_name()
            .to_str()
            .and_then(|t| t.parse::<i32>().ok())
        else {
            continue;
        };
        if keep.contains(&tid) {
            continue;
        }
        // SAFETY: setpriority only changes a thread's scheduling weight.
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, nice) } == 0 {
            changed += 1;
        }
    }
    changed
}

/// The calling thread's kernel id.
fn thread_id() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

/// Locks a mutex whose data a panic cannot leave half-written.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn jobs_run_on_the_named_threads_and_a_panic_loses_only_its_job() {
        let threads = HashThreads::start(2);
        let name = threads
            .run(|| std::thread::current().name().map(str::to_owned))
            .await
            .expect("ran");
        assert!(name.is_some_and(|n| n.starts_with("argon2-")));
        let panicked = threads.run(|| -> u8 { panic!("a broken job") }).await;
        assert!(panicked.is_err());
        let sums = futures_util::future::join_all((0..6u64).map(|n| threads.run(move || n * 2)));
        let sums: Vec<u64> = sums.await.into_iter().map(|r| r.expect("ran")).collect();
        assert_eq!(sums, vec![0, 2, 4, 6, 8, 10]);
        assert_eq!(threads.thread_ids().len(), 2);
    }

    #[test]
    fn only_the_threads_not_kept_are_lowered() {
        let threads = HashThreads::start(1);
        let kept = threads.thread_ids();
        assert_eq!(kept.len(), 1);
        // SAFETY: getpriority only reads a thread's nice value.
        let priority =
            |tid: i32| unsafe { libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t) };
        let normal = priority(kept[0]);
        assert_eq!(lower_other_threads(&kept, 0), 0, "0 changes nothing");
        // A thread of this test's own is the only one lowered, so other tests keep their priority.
        let (tid_tx, tid_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let worker = std::thread::spawn(move || {
            tid_tx.send(thread_id()).expect("sent");
            let _ = go_rx.recv();
            priority(0)
        });
        let tid = tid_rx.recv().expect("tid");
        let all_but: Vec<i32> = std::fs::read_dir("/proc/self/task")
            .expect("tasks")
            .flatten()
            .filter_map(|t| t.file_name().to_str().and_then(|s| s.parse().ok()))
            .filter(|&t| t != tid)
            .collect();
        assert_eq!(lower_other_threads(&all_but, 7), 1);
        go_tx.send(()).expect("go");
        assert_eq!(worker.join().expect("joined"), 7);
        assert_eq!(priority(kept[0]), normal, "the hashing thread is untouched");
    }
}
