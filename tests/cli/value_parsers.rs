//! Values with a grammar, `--shard I/N` and `--param NAME=LO:HI:STEPS`, are parsed by clap
//! with the value's own parser: a bad one is clap's usage error (exit 2), naming the flag,
//! the value (escaped, `raw_values.rs`) and what is wrong with it.

use std::ffi::OsStr;

use crate::common::{data, exits};

/// Defect (issue 20, 6): `--shard` and `--param` were taken as any text and parsed by hand
/// once clap was done, in messages of their own (`--shard 0/3: ...`), beside clap's for
/// every other flag. Now clap refuses them as it refuses `-n x`, and the reason stays as
/// specific as it was.
#[test]
fn shard_and_sweep_parameters_were_parsed_by_hand_after_clap() {
    let small = data("small.ron");
    let small = small.as_os_str();
    let cases: [(&[&str], &str, &str); 8] = [
        (
            &["--shard", "0/3"],
            "'--shard <I/N>'",
            "I must be between 1 and N",
        ),
        (
            &["--shard", "4/3"],
            "'--shard <I/N>'",
            "I must be between 1 and N",
        ),
        (&["--shard", "1"], "'--shard <I/N>'", "no `/`"),
        (
            &["--shard", "a/3"],
            "'--shard <I/N>'",
            "I \"a\" is not a whole number",
        ),
        (
            &["sweep", "--param", "lambda"],
            "'--param <NAME=LO:HI:STEPS>'",
            "no `=`",
        ),
        (
            &["sweep", "--param", "lambda=0:1"],
            "'--param <NAME=LO:HI:STEPS>'",
            "three parts",
        ),
        (
            &["sweep", "--param", "lambda=1:0:3"],
            "'--param <NAME=LO:HI:STEPS>'",
            "LO is above HI",
        ),
        (
            &["sweep", "--param", "lambda=x:1:3"],
            "'--param <NAME=LO:HI:STEPS>'",
            "LO \"x\" is not a finite number",
        ),
    ];
    for (flags, flag, fault) in cases {
        let mut args: Vec<&dyn AsRef<OsStr>> = Vec::new();
        if flags[0] == "sweep" {
            args.extend([&"sweep" as &dyn AsRef<OsStr>, &small]);
            args.extend(flags[1..].iter().map(|f| f as &dyn AsRef<OsStr>));
        } else {
            args.push(&small);
            args.extend(flags.iter().map(|f| f as &dyn AsRef<OsStr>));
        }
        let err = exits(2, &args);
        assert!(err.starts_with("error: invalid value"), "{flags:?}: {err}");
        assert!(err.contains(&format!("for {flag}: ")), "{flags:?}: {err}");
        assert!(err.contains(fault), "{flags:?}: {err}");
        assert!(err.contains("e.g. --"), "{flags:?}: no example: {err}");
    }
}
