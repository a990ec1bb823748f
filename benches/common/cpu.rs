//! CPU time by process, from /proc (Linux): where a load test's cores went (the machine, the
//! `muster` server, PostgreSQL, Redis, and the process driving the load). Shared by
//! `benches/http.rs` and `examples/loadgen.rs`, which include it by path.

use std::collections::BTreeMap;

/// CPU time by process from /proc (Linux), in clock ticks.
#[derive(Clone)]
pub struct CpuSnapshot {
    busy: u64,
    total: u64,
    /// Ticks by (process name, pid).
    processes: BTreeMap<(String, u32), u64>,
}

/// Where the CPU went between two snapshots, in cores (1.0 is one core busy throughout):
/// `server` is every `muster` process, `client` this process.
#[derive(Debug, Clone, Copy)]
pub struct CpuUse {
    pub machine: f64,
    pub server: f64,
    pub postgres: f64,
    pub redis: f64,
    pub client: f64,
}

impl CpuSnapshot {
    pub fn take() -> Option<CpuSnapshot> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let ticks: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .filter_map(|t| t.parse().ok())
            .collect();
        let total: u64 = ticks.iter().take(8).sum();
        let idle = ticks.get(3)? + ticks.get(4).copied().unwrap_or(0);
        let mut processes = BTreeMap::new();
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
            let busy = fields
                .get(11)
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(0)
                + fields
                    .get(12)
                    .and_then(|t| t.parse::<u64>().ok())
                    .unwrap_or(0);
            processes.insert((stat[open + 1..close].to_string(), pid), busy);
        }
        Some(CpuSnapshot {
            busy: total - idle,
            total,
            processes,
        })
    }

    pub fn since(&self) -> Option<CpuUse> {
        let now = CpuSnapshot::take()?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let total = (now.total - self.total).max(1) as f64 / cores;
        let me = std::process::id();
        let used = |wanted: &dyn Fn(&str, u32) -> bool| {
            now.processes
                .iter()
                .filter(|((name, pid), _)| wanted(name, *pid))
                .map(|(k, t)| t - self.processes.get(k).copied().unwrap_or(0).min(*t))
                .sum::<u64>() as f64
                / total
        };
        Some(CpuUse {
            machine: (now.busy - self.busy) as f64 / total,
            server: used(&|name, _| name == "muster"),
            postgres: used(&|name, _| name == "postgres"),
            redis: used(&|name, _| name.starts_with("redis-server")),
            client: used(&|_, pid| pid == me),
        })
    }
}
