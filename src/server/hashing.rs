//! Password hashing bounded to one at a time per core, with a wait that
//! ends in 503 rather than a queue without end.

use crate::error::AppError;

/// How long a request waits for a free hashing slot before it is answered
/// 503 (try again).
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Limits password hashing to one at a time per core: each argon2id run takes
/// 19 MiB and a core for tens of milliseconds, so unbounded parallel requests
/// would take all memory and every core.
#[derive(Clone)]
pub struct HashingSlots {
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl Default for HashingSlots {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashingSlots::new(cores, HASH_WAIT)
    }
}

impl HashingSlots {
    /// `slots` hashes at once; a request waits at most `wait` for one.
    pub fn new(slots: usize, wait: std::time::Duration) -> Self {
        HashingSlots {
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(slots)),
            wait,
        }
    }

    /// Runs `work` on a blocking thread once a slot is free; `Busy` when none
    /// frees up in time.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy {
                retry_after_secs: 1,
            })?
            .map_err(AppError::unexpected)?;
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(AppError::unexpected)?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn hashing_beyond_its_slots_is_answered_busy_not_queued_for_ever() {
        let slots = HashingSlots::new(1, Duration::from_millis(50));
        let (started_tx, started) = std::sync::mpsc::channel();
        let (release, release_rx) = std::sync::mpsc::channel::<()>();
        let busy = slots.clone();
        let holder = tokio::spawn(async move {
            busy.run(move || {
                started_tx.send(()).unwrap();
                release_rx.recv().unwrap();
            })
            .await
        });
        tokio::task::spawn_blocking(move || started.recv().unwrap())
            .await
            .unwrap();
        let refused = slots.run(|| ()).await.unwrap_err();
        assert_eq!(
            refused,
            AppError::Busy {
                retry_after_secs: 1
            }
        );
        assert_eq!(refused.http_status(), 503);
        release.send(()).unwrap();
        holder.await.unwrap().unwrap();
        slots.run(|| ()).await.expect("a slot is free again");
    }
}
