//! Giving memory back to the system after the few requests that need a lot of it, once
//! they are over, without making each of them fault its memory in again. Measured on the
//! 10,000-action plan, XLSX report one after another (2 cores, where a page fault costs
//! 6 µs): memory returned after each report and a fixed 1 MiB mmap threshold, 19,800
//! faults and 714 ms of CPU per report; one arena per core and memory returned after a
//! quiet second, 3,100 faults and 654 ms, and 73 MB of RSS once quiet (a PDF report).

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long no large answer must have been built before the freed memory goes back: a
/// burst of reports keeps its memory warm (returned after each one, the next faulted
/// ~80 MB in again).
const QUIET_BEFORE_TRIM: Duration = Duration::from_secs(1);

/// When the last large answer ended, while its freed memory has not been given back.
static FREED_AT: Mutex<Option<Instant>> = Mutex::new(None);

/// One allocator arena per core instead of glibc's eight: the blocks a large answer
/// freed are found again by the next one instead of sitting in another thread's arena.
/// No fixed mmap threshold any more: argon2's blocks are kept for the next hash, and the
/// trim gives back what the arenas hold.
pub fn configure_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets allocator parameters, under glibc's own lock.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// A large answer is built: its memory is freed, to be given back once all is quiet.
pub fn heavy_work_ended() {
    *FREED_AT.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
}

/// Whether the freed memory should go back now: nothing large is being built, and some
/// was freed (`since_freed`) no less than `quiet` ago.
fn due_for_trim(busy: bool, since_freed: Option<Duration>, quiet: Duration) -> bool {
    !busy && since_freed.is_some_and(|elapsed| elapsed >= quiet)
}

/// A thread that looks twice a second whether the freed memory can go back; `busy` says
/// whether a large answer is being built (the server's turns, `AppState::heavy_work`).
pub fn spawn_trimmer(busy: impl Fn() -> bool + Send + 'static) {
    let spawned = std::thread::Builder::new().name("memory-trim".into()).spawn(move || {
        loop {
            std::thread::sleep(QUIET_BEFORE_TRIM / 2);
            let mut freed_at = FREED_AT.lock().unwrap_or_else(PoisonError::into_inner);
            if due_for_trim(busy(), freed_at.map(|at| at.elapsed()), QUIET_BEFORE_TRIM) {
                *freed_at = None;
                drop(freed_at);
                return_free_memory();
            }
        }
    });
    if let Err(error) = spawned {
        tracing::warn!(%error, "freed memory will not be given back to the system");
    }
}

/// A report of the 10,000-action plan leaves ~100 MB of freed blocks in the arenas:
/// given back to the system (1–5 ms).
fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory, under glibc's own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: Duration = Duration::from_secs(1);

    #[test]
    fn memory_goes_back_only_when_freed_and_quiet() {
        let long_ago = Some(Duration::from_secs(5));
        assert!(due_for_trim(false, long_ago, QUIET));
        assert!(!due_for_trim(false, None, QUIET), "nothing freed");
        assert!(!due_for_trim(true, long_ago, QUIET), "a report is being built");
        assert!(
            !due_for_trim(false, Some(Duration::from_millis(200)), QUIET),
            "the next one of a burst would fault it in again"
        );
    }
}
