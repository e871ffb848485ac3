//! Gives the build an identity for partial results: `ENTENTE_BUILD`, a hash of every
//! source file, `Cargo.toml` and `Cargo.lock`. Two builds of one version whose code differs
//! (an unreleased change) can give different numbers, so `simulate merge` refuses shards
//! of a build other than its own; the package version alone cannot tell them apart.
//!
//! FNV-1a (64 bits) over the sorted relative paths and contents: enough to tell builds
//! apart, with no build dependency to compile.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = vec![PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock")];
    collect(Path::new("src"), &mut files);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in &files {
        // Paths with `/` whatever the platform, so one source tree hashes the same anywhere.
        let name = file.to_string_lossy().replace('\\', "/");
        feed(name.as_bytes());
        feed(&[0]);
        let bytes = fs::read(file).unwrap_or_default();
        feed(&(bytes.len() as u64).to_le_bytes());
        feed(&bytes);
    }
    println!("cargo:rustc-env=ENTENTE_BUILD={hash:016x}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
