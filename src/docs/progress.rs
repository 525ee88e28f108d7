//! How far reading a source got, for whoever watches a refresh (the command line's bar, the
//! admin page through the source's lease).

/// Pages (or files) read, of how many; the total is unknown until the source is listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadProgress {
    pub done: usize,
    pub total: Option<usize>,
}

/// Readers send on it as they go; the refresh watches the other end.
pub type ProgressSender = tokio::sync::watch::Sender<ReadProgress>;

/// Says that `done` of `total` are read.
pub fn report(progress: &ProgressSender, done: usize, total: usize) {
    progress.send_replace(ReadProgress {
        done,
        total: Some(total),
    });
}
