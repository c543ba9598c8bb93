//! Giving memory back to the system after the few requests that need a lot of it, once
//! they are over, without making each of them fault its memory in again. Measured on the
//! 10,000-action plan, XLSX report one after another (2 cores, where a page fault costs
//! 6 µs): memory returned after each report and a fixed 1 MiB mmap threshold, 19,800
//! faults and 714 ms of CPU per report; one arena per core and memory returned after a
//! quiet second, 3,100 faults and 654 ms, and 73 MB of RSS once quiet (a PDF report).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long no large answer must have been built before the freed memory goes back: a
/// burst of reports keeps its memory warm (returned after each one, the next faulted
/// ~80 MB in again).
pub const QUIET_BEFORE_TRIM: Duration = Duration::from_secs(1);

/// Large answers being built now.
static BUSY: AtomicUsize = AtomicUsize::new(0);
/// Memory was freed by a large answer and not yet given back.
static DIRTY: AtomicBool = AtomicBool::new(false);
/// When the last large answer ended.
static LAST_END: Mutex<Option<Instant>> = Mutex::new(None);

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

/// A large answer starts being built.
pub fn heavy_work_started() {
    BUSY.fetch_add(1, Ordering::SeqCst);
}

/// A large answer is built: its memory is freed, to be given back once all is quiet.
pub fn heavy_work_ended() {
    *LAST_END.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    DIRTY.store(true, Ordering::SeqCst);
    BUSY.fetch_sub(1, Ordering::SeqCst);
}

/// Whether the freed memory should go back now: some was freed, nothing large is being
/// built, and nothing large ended within `quiet`.
pub fn due_for_trim(busy: usize, dirty: bool, since_last_end: Option<Duration>, quiet: Duration) -> bool {
    dirty && busy == 0 && since_last_end.is_none_or(|elapsed| elapsed >= quiet)
}

/// Gives the freed memory back when `due_for_trim`; called by `spawn_trimmer`'s thread.
pub fn trim_if_quiet() -> bool {
    let since = LAST_END
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .map(|at| at.elapsed());
    let due = due_for_trim(
        BUSY.load(Ordering::SeqCst),
        DIRTY.load(Ordering::SeqCst),
        since,
        QUIET_BEFORE_TRIM,
    );
    if due {
        DIRTY.store(false, Ordering::SeqCst);
        return_free_memory();
    }
    due
}

/// A thread that looks twice a second whether the freed memory can go back.
pub fn spawn_trimmer() {
    let spawned = std::thread::Builder::new().name("memory-trim".into()).spawn(|| {
        loop {
            std::thread::sleep(QUIET_BEFORE_TRIM / 2);
            trim_if_quiet();
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
        assert!(due_for_trim(0, true, long_ago, QUIET));
        assert!(!due_for_trim(0, false, long_ago, QUIET), "nothing freed");
        assert!(!due_for_trim(1, true, long_ago, QUIET), "a report is being built");
        assert!(
            !due_for_trim(0, true, Some(Duration::from_millis(200)), QUIET),
            "the next one of a burst would fault it in again"
        );
        assert!(due_for_trim(0, true, None, QUIET));
    }
}
