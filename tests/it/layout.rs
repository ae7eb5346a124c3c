//! The shape of this test binary: every test file is one of its modules. With
//! `autotests = false`, a file `main.rs` does not name is never built, so its tests would
//! silently not run.

use std::fs;
use std::path::Path;

/// The `.rs` files of `folder`, without the extension, sorted.
fn modules_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap_or_else(|err| panic!("read {}: {err}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn every_test_file_is_a_module_of_the_one_test_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    assert_eq!(
        modules_in(&tests),
        Vec::<String>::new(),
        "tests/*.rs are not built (autotests = false): move them into tests/it/ and name \
         them in tests/it/main.rs"
    );
    let it = tests.join("it");
    let main = fs::read_to_string(it.join("main.rs")).expect("tests/it/main.rs");
    for name in modules_in(&it).iter().filter(|name| *name != "main") {
        assert!(
            main.lines().any(|line| line == format!("mod {name};")),
            "tests/it/{name}.rs is never built: add `mod {name};` to tests/it/main.rs"
        );
    }
    let support = fs::read_to_string(it.join("support/mod.rs")).expect("support/mod.rs");
    for name in modules_in(&it.join("support"))
        .iter()
        .filter(|name| *name != "mod")
    {
        assert!(
            support
                .lines()
                .any(|line| line == format!("pub mod {name};")),
            "tests/it/support/{name}.rs is never built: add `pub mod {name};` to \
             tests/it/support/mod.rs"
        );
    }
}
