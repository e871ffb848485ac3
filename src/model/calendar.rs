//! Calendar time: the date each step stands for, when a scenario gives its `start`.
//!
//! Step 1 is the start's period (the shipped files' convention: "step 1 is Q3 2018"), step
//! `s` the period `s - 1` after it, and step 0, the world as it stands before the first
//! step, the period before the start. The scenario parses dates (`scenario::calendar`);
//! the outputs write them beside each step.

/// The periods a calendar counts in: the step units that have a written date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year,
    Quarter,
    Month,
}

impl Period {
    pub fn per_year(self) -> i64 {
        match self {
            Period::Year => 1,
            Period::Quarter => 4,
            Period::Month => 12,
        }
    }

    /// The date of the `index`-th period counted from year 0 (`2018 * 4 + 2` is 2018Q3), as
    /// a file writes it: `2018`, `2018Q3`, `2018-07`; a year before 1000 with its leading
    /// zeros (`0099Q4`), as a file must write it to be read back.
    pub fn written(self, index: i64) -> String {
        let (year, within) = (
            index.div_euclid(self.per_year()),
            index.rem_euclid(self.per_year()),
        );
        match self {
            Period::Year => format!("{year:04}"),
            Period::Quarter => format!("{year:04}Q{}", within + 1),
            Period::Month => format!("{year:04}-{:02}", within + 1),
        }
    }
}

/// Which period step 1 is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub period: Period,
    /// Step 1's period, counted from year 0 (`Period::written`).
    pub first: i64,
}

impl Calendar {
    /// The date of `step`, as a file writes it.
    pub fn date(&self, step: i64) -> String {
        self.period.written(self.first + step - 1)
    }

    /// The step of the period `index` (counted from year 0): 1 for the start's.
    pub fn step(&self, index: i64) -> i64 {
        index - self.first + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_one_is_the_start_and_step_zero_the_period_before() {
        let c = Calendar {
            period: Period::Quarter,
            first: 2018 * 4 + 2,
        };
        assert_eq!(c.date(1), "2018Q3");
        assert_eq!(c.date(0), "2018Q2");
        assert_eq!(c.date(3), "2019Q1");
        assert_eq!(c.step(2019 * 4), 3);
        let m = Calendar {
            period: Period::Month,
            first: 2018 * 12 + 11,
        };
        assert_eq!((m.date(1), m.date(2)), ("2018-12".into(), "2019-01".into()));
        let y = Calendar {
            period: Period::Year,
            first: 1907,
        };
        assert_eq!(y.date(0), "1906");
    }
}
