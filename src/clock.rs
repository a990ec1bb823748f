//! The clock, injected: production reads the system time, tests set it by hand so that every
//! time-dependent behaviour (releases, open windows, streaks) can be asserted exactly.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// A source of the current instant.
#[derive(Clone)]
pub enum Clock {
    System,
    /// A clock that only moves when told to; shared by clones.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(time) => *time.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a manual clock to `time`; the system clock cannot be set and ignores it.
    pub fn set(&self, time: DateTime<Utc>) {
        if let Clock::Manual(current) = self {
            *current.lock().unwrap_or_else(|e| e.into_inner()) = time;
        }
    }

    pub fn advance(&self, by: Duration) {
        self.set(self.now() + by);
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Clock::System => write!(f, "Clock::System"),
            Clock::Manual(_) => write!(f, "Clock::Manual({})", self.now()),
        }
    }
}
