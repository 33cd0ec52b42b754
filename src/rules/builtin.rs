//! The built-in rule files, compiled into the binary.

/// `(path under patterns/, contents)` of every built-in rule file, in load order.
///
/// A test checks that this list holds exactly the `.toml` files under `patterns/`, so a
/// new file cannot be silently left out of the binary.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("words.toml", include_str!("../../patterns/words.toml")),
    ("contact.toml", include_str!("../../patterns/contact.toml")),
    ("network.toml", include_str!("../../patterns/network.toml")),
    (
        "financial.toml",
        include_str!("../../patterns/financial.toml"),
    ),
    ("secrets.toml", include_str!("../../patterns/secrets.toml")),
    (
        "first_names.toml",
        include_str!("../../patterns/first_names.toml"),
    ),
    ("person.toml", include_str!("../../patterns/person.toml")),
    (
        "national_ids/be.toml",
        include_str!("../../patterns/national_ids/be.toml"),
    ),
    (
        "national_ids/br.toml",
        include_str!("../../patterns/national_ids/br.toml"),
    ),
    (
        "national_ids/de.toml",
        include_str!("../../patterns/national_ids/de.toml"),
    ),
    (
        "national_ids/dk.toml",
        include_str!("../../patterns/national_ids/dk.toml"),
    ),
    (
        "national_ids/es.toml",
        include_str!("../../patterns/national_ids/es.toml"),
    ),
    (
        "national_ids/fi.toml",
        include_str!("../../patterns/national_ids/fi.toml"),
    ),
    (
        "national_ids/fr.toml",
        include_str!("../../patterns/national_ids/fr.toml"),
    ),
    (
        "national_ids/in.toml",
        include_str!("../../patterns/national_ids/in.toml"),
    ),
    (
        "national_ids/it.toml",
        include_str!("../../patterns/national_ids/it.toml"),
    ),
    (
        "national_ids/nl.toml",
        include_str!("../../patterns/national_ids/nl.toml"),
    ),
    (
        "national_ids/pl.toml",
        include_str!("../../patterns/national_ids/pl.toml"),
    ),
    (
        "national_ids/pt.toml",
        include_str!("../../patterns/national_ids/pt.toml"),
    ),
    (
        "national_ids/se.toml",
        include_str!("../../patterns/national_ids/se.toml"),
    ),
    (
        "national_ids/uk.toml",
        include_str!("../../patterns/national_ids/uk.toml"),
    ),
];

/// The built-in allow list, kept unless a user turns it off: reserved documentation
/// domains (RFC 2606 / RFC 6761) and the service accounts of clone URLs, one literal a line.
pub const DEFAULT_ALLOW: &str = include_str!("../../patterns/allow/default.txt");

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn toml_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                toml_files(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn lists_exactly_the_files_under_patterns() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
        let mut on_disk = Vec::new();
        toml_files(&base, &base, &mut on_disk);
        on_disk.sort();
        let mut listed: Vec<String> = BUILTIN_FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }
}
