//! Numbered parameters (`$1, $2, ...`) for statements whose length depends on the data: many
//! rows in one INSERT, a list for IN. Both backends take `$n` through the `Any` driver.

/// `$first, $first+1, ...` for a list of `n` values.
pub fn placeholders(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($s, $s+1, ...), (...)` for `rows` rows of `width` parameters, numbered from `first`.
pub fn values_list(rows: usize, width: usize, first: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(width, first + r * width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn parameters_are_numbered_in_order() {
        assert_eq!(super::placeholders(3, 2), "$2, $3, $4");
        assert_eq!(super::values_list(2, 3, 3), "($3, $4, $5), ($6, $7, $8)");
        assert_eq!(super::values_list(1, 1, 1), "($1)");
    }
}
