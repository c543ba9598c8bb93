//! Giving memory back to the system after the few requests that need a lot of it.

/// glibc's allocator raises its mmap threshold after each large free (up to 32 MB); from
/// then on argon2's 19 MiB blocks, the tree's 7 MB of JSON and the report buffers come
/// from arenas that keep them when freed (1.3 GB after a burst of sign-ins). A fixed
/// threshold keeps blocks of 1 MiB and more mapped on their own, returned when freed.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters, under glibc's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// A report of the 10,000-action plan leaves ~50 MB of small freed blocks in the arenas
/// (the tree's rows, the cells): given back once the last large answer is built.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory, under glibc's own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
