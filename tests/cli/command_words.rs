//! A word meant as a command where the scenario file goes (issue 24, item 6).

use crate::common;

use common::simulate;

/// `simulate ARGS` in `dir`, which must exit 2: its stderr.
fn refused_in(dir: &std::path::Path, args: &[&str]) -> String {
    let done = simulate().current_dir(dir).args(args).assert().code(2);
    common::stderr_of(&done)
}

/// Regression: `simulate init x.ron` was answered as a file ("the subcommand 'x.ron' cannot
/// be used with '<SCENARIO>'", or that no file `init` could be read). Now a word that is
/// not a file and names a command under another name is answered as that command.
#[test]
fn a_command_word_that_is_not_a_file_is_answered_as_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let init = refused_in(dir.path(), &["init", "x.ron"]);
    assert!(
        init.contains("did you mean `simulate new x.ron`?"),
        "{init}"
    );
    assert!(!init.contains("cannot"), "{init}");
    let alone = refused_in(dir.path(), &["init"]);
    assert!(alone.contains("did you mean `simulate new`?"), "{alone}");
    let validate = refused_in(dir.path(), &["validate", "x.ron"]);
    assert!(validate.contains("`simulate check x.ron`"), "{validate}");
    let typo = refused_in(dir.path(), &["compre", "a.ron", "b.ron"]);
    assert!(typo.contains("`simulate compare a.ron b.ron`"), "{typo}");
    let help = refused_in(dir.path(), &["help", "x.ron"]);
    assert!(help.contains("`simulate check x.ron`"), "{help}");
    assert!(!dir.path().join("x.ron").exists());
    // A file of that name is the user's scenario, read as one.
    common::write(dir.path(), "init", "not a scenario");
    let file = refused_in(dir.path(), &["init"]);
    assert!(!file.contains("did you mean"), "{file}");
    assert!(file.contains("init:1:"), "{file}");
}
