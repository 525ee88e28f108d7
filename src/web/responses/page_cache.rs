//! Rendered pages kept in memory until what they show changes. An entry is current while the
//! change count it was rendered under (a [`Stamp`] from the bus) is unchanged, so a change
//! committed through this instance is never followed by its old page; changes another instance
//! makes arrive by the bus's relay. Entries also age out after [`MAX_AGE`], which bounds how long
//! a change made outside any server (a `faqtory` command on SQLite) or a relative time ("3
//! minutes ago") stays old. Requests that find no current entry wait for one render together
//! instead of each rendering the same page.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use crate::bus::Stamp;

pub const MAX_AGE: Duration = Duration::from_secs(5);

pub struct PageCache<K, V> {
    slots: Mutex<HashMap<K, Slot<V>>>,
    /// More kept pages than this, and the old ones go first (then all): addresses are the
    /// visitors' to make up, memory is ours.
    capacity: usize,
}

struct Slot<V> {
    stamp: Stamp,
    made: Instant,
    value: Arc<OnceCell<Arc<V>>>,
}

/// How a page was served (for `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// From memory.
    Hit,
    /// Rendered for this request (and kept).
    Miss,
    /// From memory, with one reader's own part put in.
    Personal,
}

impl Lookup {
    pub fn as_str(self) -> &'static str {
        match self {
            Lookup::Hit => "hit",
            Lookup::Miss => "miss",
            Lookup::Personal => "personal",
        }
    }
}

impl<K: Eq + Hash + Clone, V> PageCache<K, V> {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, Slot<V>>> {
        // A map of finished values stays usable after a panic elsewhere.
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The page for `key` rendered under `stamp`, rendering it now if there is none. `stamp` must
    /// be read before `render` reads the database, so a change that lands in between makes the
    /// result old at once rather than keeping it.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: K,
        stamp: Stamp,
        render: F,
    ) -> Result<(Arc<V>, Lookup), E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        let cell = self.cell_for(key, stamp);
        if let Some(value) = cell.get() {
            return Ok((value.clone(), Lookup::Hit));
        }
        let mut rendered_here = false;
        let value = cell
            .get_or_try_init(|| async {
                rendered_here = true;
                render().await.map(Arc::new)
            })
            .await?;
        let lookup = if rendered_here {
            Lookup::Miss
        } else {
            Lookup::Hit
        };
        Ok((value.clone(), lookup))
    }

    fn cell_for(&self, key: K, stamp: Stamp) -> Arc<OnceCell<Arc<V>>> {
        let now = Instant::now();
        let mut slots = self.lock();
        if let Some(slot) = slots.get(&key) {
            if slot.stamp == stamp && now.duration_since(slot.made) < MAX_AGE {
                return slot.value.clone();
            }
        }
        if slots.len() >= self.capacity {
            slots.retain(|_, slot| now.duration_since(slot.made) < MAX_AGE);
            if slots.len() >= self.capacity {
                slots.clear();
            }
        }
        let value = Arc::new(OnceCell::new());
        slots.insert(
            key,
            Slot {
                stamp,
                made: now,
                value: value.clone(),
            },
        );
        value
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::bus::{Bus, Notice, NoticeKind};

    #[tokio::test]
    async fn readers_who_arrive_together_wait_for_one_render() {
        let cache: PageCache<&str, String> = PageCache::with_capacity(10);
        let bus = Bus::in_process();
        let renders = AtomicUsize::new(0);
        let render = || async {
            renders.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok::<_, ()>("page".to_owned())
        };
        let stamp = bus.stamp_of_event(1);
        let (first, second) = tokio::join!(
            cache.get_or_render("e", stamp, render),
            cache.get_or_render("e", stamp, render)
        );
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        let lookups = [first.unwrap().1, second.unwrap().1];
        assert!(lookups.contains(&Lookup::Miss) && lookups.contains(&Lookup::Hit));
    }

    #[tokio::test]
    async fn a_change_renders_anew_and_a_failure_is_not_kept() {
        let cache: PageCache<&str, u32> = PageCache::with_capacity(10);
        let bus = Bus::in_process();
        let version = AtomicUsize::new(0);
        let render = || async { Ok::<_, ()>(version.fetch_add(1, Ordering::SeqCst) as u32) };
        let (page, _) = cache
            .get_or_render("e", bus.stamp_of_event(1), render)
            .await
            .unwrap();
        assert_eq!(*page, 0);
        let (page, lookup) = cache
            .get_or_render("e", bus.stamp_of_event(1), render)
            .await
            .unwrap();
        assert_eq!((*page, lookup), (0, Lookup::Hit));
        bus.publish(Notice::question(1, 7, NoticeKind::Voted));
        let (page, lookup) = cache
            .get_or_render("e", bus.stamp_of_event(1), render)
            .await
            .unwrap();
        assert_eq!((*page, lookup), (1, Lookup::Miss));

        let stamp = bus.stamp_of_event(2);
        let failed = cache
            .get_or_render("f", stamp, || async { Err::<u32, _>("down") })
            .await;
        assert!(failed.is_err());
        let (page, _) = cache.get_or_render("f", stamp, render).await.unwrap();
        assert_eq!(*page, 2);
    }

    #[tokio::test]
    async fn past_its_capacity_the_cache_forgets_rather_than_grows() {
        let cache: PageCache<u32, u32> = PageCache::with_capacity(3);
        let bus = Bus::in_process();
        for key in 0..10 {
            let _ = cache
                .get_or_render(key, bus.stamp_of_event(1), || async { Ok::<_, ()>(key) })
                .await;
        }
        assert!(cache.lock().len() <= 3);
    }
}
