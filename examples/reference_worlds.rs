//! Writes the large reference worlds (benches/README.md) into `benches/generated/`, which git
//! ignores (1.3 to 15.9 MB each, so they are not checked in):
//!
//!     cargo run --release --example reference_worlds
//!
//! writes `benches/generated/reference_n{6,15,30,60,100,200}.ron`, which `simulate` runs as
//! they are (`simulate benches/generated/reference_n100.ron`). An existing file is rewritten
//! only if it differs from what the formulas give, and only inside `benches/generated/`.
//! 6, 15 and 30 are for scripts/scaling.sh's table.

use std::path::Path;
use std::process::ExitCode;

// The generator is shared with the benches and tests.
#[path = "../benches/reference_world.rs"]
mod reference_world;
use reference_world::reference_text;

fn main() -> ExitCode {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join("generated");
    match generate(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    for n in [6, 15, 30, 60, 100, 200] {
        let text = reference_text(n, 4, 40);
        let path = dir.join(format!("reference_n{n}.ron"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, &text)?;
        }
        // The file is within the limits and loads as it stands.
        let scenario = entente::scenario::load(&path)?;
        let found = scenario.world.states.len();
        if found != n {
            return Err(format!("{} holds {found} states, not {n}", path.display()).into());
        }
        println!("{} ({} bytes)", path.display(), text.len());
    }
    Ok(())
}
