//! The board in Redis: one sorted set per board, updated by a Lua script so that an increment is
//! atomic however many servers write at once (no read-modify-write race).
//!
//! A sorted-set score is a double, exact for integers up to 2^53. Each score packs the points and
//! the tie-break: `points × 2^32 + (2^32 − 1 − seconds since 2020)`, so a higher score means more
//! points, or equal points reached earlier; points stay exact up to about two million.

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};

use super::{BoardError, Key, Score, Standing, View};

const SHIFT: f64 = 4_294_967_296.0;
/// 2020-01-01T00:00:00Z: tie-break seconds count from here, so they fit in 32 bits until 2156.
const EPOCH: i64 = 1_577_836_800;

fn encode(score: Score) -> f64 {
    score.points as f64 * SHIFT + (SHIFT - 1.0 - (score.reached - EPOCH) as f64)
}

fn decode(value: f64) -> Score {
    let points = (value / SHIFT).floor();
    let tie = value - points * SHIFT;
    Score {
        points: points as i64,
        reached: EPOCH + (SHIFT - 1.0 - tie) as i64,
    }
}

/// Adds ARGV[1] points to each member ARGV[2+i] of sorted set KEYS[i], keeping the later of the
/// two "reached" moments (the smaller tie-break, ARGV[2]), and notes each key in the cohort's
/// key list (the last KEYS entry).
const ADD: &str = r"
local delta = tonumber(ARGV[1])
local tie = tonumber(ARGV[2])
local index = KEYS[#KEYS]
for i = 1, #KEYS - 1 do
  local key = KEYS[i]
  local member = ARGV[2 + i]
  local current = redis.call('ZSCORE', key, member)
  local points = 0
  local keep = tie
  if current then
    current = tonumber(current)
    points = math.floor(current / 4294967296)
    local old = current - points * 4294967296
    if old < keep then keep = old end
  end
  redis.call('ZADD', key, (points + delta) * 4294967296 + keep, member)
  redis.call('SADD', index, key)
end
return 1
";

pub struct Redis {
    connection: ConnectionManager,
    prefix: String,
    add: Script,
}

impl Redis {
    pub async fn connect(url: &str, prefix: &str) -> Result<Redis, BoardError> {
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(std::time::Duration::from_secs(1)))
            .set_response_timeout(Some(std::time::Duration::from_secs(1)))
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(client, config).await?;
        Ok(Redis {
            connection,
            prefix: prefix.to_string(),
            add: Script::new(ADD),
        })
    }

    fn key(&self, cohort: i64, key: &Key) -> String {
        format!("{}:{cohort}:{}", self.prefix, key.name())
    }

    /// The set of a cohort's board keys, so a rebuild can remove boards the ledger no longer has.
    fn index(&self, cohort: i64) -> String {
        format!("{}:{cohort}:keys", self.prefix)
    }

    pub async fn add(
        &self,
        cohort: i64,
        targets: &[(Key, i64)],
        points: i64,
        at: i64,
    ) -> Result<(), BoardError> {
        let tie = encode(Score {
            points: 0,
            reached: at,
        });
        let mut invocation = self.add.prepare_invoke();
        for (key, _) in targets {
            invocation.key(self.key(cohort, key));
        }
        invocation.key(self.index(cohort)).arg(points).arg(tie);
        for (_, member) in targets {
            invocation.arg(*member);
        }
        let mut connection = self.connection.clone();
        let _: i64 = invocation.invoke_async(&mut connection).await?;
        Ok(())
    }

    pub async fn complete(
        &self,
        cohort: i64,
        day: u32,
        member: i64,
        at: i64,
    ) -> Result<(), BoardError> {
        let key = self.key(cohort, &Key::Day(day));
        let score = encode(Score {
            points: 0,
            reached: at,
        });
        let mut connection = self.connection.clone();
        let _: () = redis::pipe()
            .atomic()
            .cmd("ZADD")
            .arg(&key)
            .arg("NX")
            .arg(score)
            .arg(member)
            .ignore()
            .sadd(self.index(cohort), &key)
            .ignore()
            .query_async(&mut connection)
            .await?;
        Ok(())
    }

    pub async fn range(
        &self,
        cohort: i64,
        key: &Key,
        start: usize,
        count: usize,
    ) -> Result<Vec<Standing>, BoardError> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let stop = start.saturating_add(count - 1).min(isize::MAX as usize) as isize;
        let mut connection = self.connection.clone();
        let members: Vec<(i64, f64)> = connection
            .zrevrange_withscores(self.key(cohort, key), start as isize, stop)
            .await?;
        Ok(members
            .into_iter()
            .enumerate()
            .map(|(i, (member, value))| Standing {
                rank: start + i + 1,
                member,
                score: decode(value),
            })
            .collect())
    }

    pub async fn position(
        &self,
        cohort: i64,
        key: &Key,
        member: i64,
    ) -> Result<Option<usize>, BoardError> {
        let mut connection = self.connection.clone();
        let rank: Option<usize> = connection.zrevrank(self.key(cohort, key), member).await?;
        Ok(rank)
    }

    /// Replaces all of a cohort's boards in one MULTI/EXEC, so readers see the old or the new.
    pub async fn replace(&self, cohort: i64, view: &View) -> Result<(), BoardError> {
        let mut connection = self.connection.clone();
        let index = self.index(cohort);
        let old: Vec<String> = connection.smembers(&index).await?;
        let mut pipe = redis::pipe();
        pipe.atomic();
        for key in &old {
            pipe.del(key).ignore();
        }
        pipe.del(&index).ignore();
        for (key, members) in &view.boards {
            let name = self.key(cohort, key);
            pipe.del(&name).ignore();
            for chunk in members.chunks(1000) {
                let items: Vec<(f64, i64)> = chunk.iter().map(|(m, s)| (encode(*s), *m)).collect();
                pipe.zadd_multiple(&name, &items).ignore();
            }
            pipe.sadd(&index, &name).ignore();
        }
        pipe.set(self.verified_key(cohort), 1).ignore();
        let _: () = pipe.query_async(&mut connection).await?;
        Ok(())
    }

    /// The key that says a cohort's boards were found equal to the ledger, or rebuilt from it.
    /// Point updates never write it, so after a FLUSHALL it stays missing even while new
    /// submissions recreate the boards they touch.
    fn verified_key(&self, cohort: i64) -> String {
        format!("{}:{cohort}:verified", self.prefix)
    }

    pub async fn is_verified(&self, cohort: i64) -> Result<bool, BoardError> {
        let mut connection = self.connection.clone();
        Ok(connection.exists(self.verified_key(cohort)).await?)
    }

    pub async fn set_verified(&self, cohort: i64) -> Result<(), BoardError> {
        let mut connection = self.connection.clone();
        let _: () = connection.set(self.verified_key(cohort), 1).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), BoardError> {
        let mut connection = self.connection.clone();
        let _: String = redis::cmd("PING").query_async(&mut connection).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_pack_points_and_tie_break_exactly() {
        for (points, reached) in [
            (0, EPOCH),
            (17, 1_799_000_000),
            (2_000_000, 1_800_000_000),
            (-3, 1_799_999_999),
        ] {
            let score = Score { points, reached };
            assert_eq!(decode(encode(score)), score);
        }
        let earlier = encode(Score {
            points: 10,
            reached: 1_799_000_000,
        });
        let later = encode(Score {
            points: 10,
            reached: 1_799_000_001,
        });
        assert!(earlier > later, "equal points: reached first ranks higher");
        assert!(
            encode(Score {
                points: 11,
                reached: 1_799_999_999
            }) > earlier
        );
    }
}
