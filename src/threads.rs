//! Background work (embedding, transcription) runs on threads of its own that yield to the
//! threads answering requests.

/// Below requests: the scheduler gives these threads what the site leaves over.
const BACKGROUND_NICENESS: i32 = 10;

/// Lowers the priority of the calling thread (Linux; elsewhere nothing).
#[cfg(target_os = "linux")]
pub fn lower_this_threads_priority() {
    // SAFETY: plain system calls on this thread's own id; no memory is shared.
    let result = unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, BACKGROUND_NICENESS)
    };
    if result != 0 {
        tracing::debug!("could not lower a background thread's priority");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn lower_this_threads_priority() {}
