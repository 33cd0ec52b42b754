//! Text-and-data-mining opt-out lists (`--opt-out FILE`): documents whose source asked
//! not to be used are left out of the output and counted per list and per kind of entry.
//!
//! A list has one entry per line; blank lines and lines starting with `#` are skipped:
//! - a domain, `example.org`: documents whose URL host is that name or below it
//!   (`www.example.org`), never a look-alike (`notexample.org`, `example.org.evil.net`);
//!   host names compare as a browser would (case, punycode, trailing dot);
//! - a URL prefix, `https://example.org/blog/`: documents on that host (ports and scheme
//!   aside) whose path starts with that path, compared literally (after the URL
//!   standard's percent-encoding);
//! - a field value, `repo_name=jdoe/*` or `author=jdoe`: documents whose field (a dotted
//!   path) holds exactly that string, or starts with it when the value ends in `*`.
//!
//! Lookups are hash-set probes (a handful per document, whatever the size of the lists):
//! lists of millions of entries load in seconds. An entry may name a person, so nothing
//! here ever shows an entry: errors name the file and the line, reports name a list by
//! file name, entries and sha256.

use crate::input::jsonl::FieldPath;
use crate::web::{self, Site};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A hash map with a fast hasher for short keys, seeded (the keys come from the user's
/// own lists, so flooding is not a concern).
type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

fn map<K, V>() -> HashMap<K, V> {
    HashMap::with_hasher(ahash::RandomState::with_seeds(0x5eed, 0x0b7, 0x0a7, 0x11))
}

/// The kind of entry a document matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A domain and its subdomains.
    Domain,
    /// A URL prefix.
    Url,
    /// A value of a named field.
    Field,
}

/// One list as the report names it: never its entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInfo {
    /// The file name (not the directory, which differs from machine to machine).
    pub file: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// sha256 of the file.
    pub sha256: String,
    /// Domain entries.
    pub domains: u64,
    /// URL-prefix entries.
    pub urls: u64,
    /// Field-value entries.
    pub fields: u64,
}

impl ListInfo {
    /// All entries of the list.
    pub fn entries(&self) -> u64 {
        self.domains + self.urls + self.fields
    }
}

/// Domain names packed into one buffer and found through a table of their offsets:
/// no allocation per entry, so lists of millions load quickly and are freed at once.
struct DomainSet {
    names: Vec<u8>,
    /// `(start, length, list)` of each name in `names`.
    table: hashbrown::HashTable<(u32, u32, u32)>,
    hasher: ahash::RandomState,
}

impl std::fmt::Debug for DomainSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DomainSet({} names)", self.table.len())
    }
}

impl DomainSet {
    fn new() -> DomainSet {
        DomainSet {
            names: Vec::new(),
            table: hashbrown::HashTable::new(),
            hasher: ahash::RandomState::with_seeds(0x5eed, 0x0b7, 0x0a7, 0x11),
        }
    }

    fn reserve(&mut self, entries: usize, bytes: usize) {
        let DomainSet {
            names,
            table,
            hasher,
        } = self;
        names.reserve(bytes);
        table.reserve(entries, |e| hasher.hash_one(slice(names, e)));
    }

    /// Adds `name` (normalised, hashed with `hasher`) for `list` unless it is there
    /// already (the first list keeps it).
    fn insert(&mut self, name: &[u8], hash: u64, list: usize) -> Result<()> {
        let DomainSet {
            names,
            table,
            hasher,
        } = self;
        let entry = table.entry(
            hash,
            |e| slice(names, e) == name,
            |e| hasher.hash_one(slice(names, e)),
        );
        if let hashbrown::hash_table::Entry::Vacant(v) = entry {
            let start = u32::try_from(names.len())
                .map_err(|_| Error::usage("opt-out lists: more than 4 GB of domain names"))?;
            v.insert((start, name.len() as u32, list as u32));
            names.extend_from_slice(name);
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(name.as_bytes());
        self.table
            .find(hash, |e| slice(&self.names, e) == name.as_bytes())
            .map(|e| e.2 as usize)
    }

    fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

fn slice<'a>(names: &'a [u8], &(start, len, _): &(u32, u32, u32)) -> &'a [u8] {
    &names[start as usize..(start + len) as usize]
}

/// Cuts `text` into parts of about `size` bytes that end at line ends, each with the
/// number of its first line (from 1).
fn parts(text: &str, size: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut at, mut line) = (0, 1);
    while at < text.len() {
        let want = (at + size).min(text.len());
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[want..]).map_or(text.len(), |i| want + i + 1);
        let end = if want == text.len() { text.len() } else { end };
        out.push((line, &text[at..end]));
        line += memchr::memchr_iter(b'\n', &text.as_bytes()[at..end]).count();
        at = end;
    }
    out
}

/// The entries of one part of a list, read on one thread.
#[derive(Default)]
struct Part {
    /// Normalised domain names, packed.
    names: Vec<u8>,
    /// `(start, length, hash)` of each domain in `names`.
    domains: Vec<(u32, u32, u64)>,
    urls: Vec<Site>,
    fields: Vec<(FieldPath, String)>,
    /// The first bad line: its number and why.
    error: Option<(usize, &'static str)>,
}

impl Part {
    fn read(text: &str, first_line: usize, hasher: &ahash::RandomState) -> Part {
        let mut p = Part::default();
        // Line by line with memchr: `str::lines` costs a fifth of the load on lists of
        // millions of short lines.
        let bytes = text.as_bytes();
        let (mut at, mut n) = (0, first_line);
        while at < text.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
            let line = text[at..end].trim_ascii();
            at = end + 1;
            if let Err(why) = p.entry(line, hasher) {
                p.error = Some((n, why));
                return p;
            }
            n += 1;
        }
        p
    }

    /// Reads one line.
    fn entry(
        &mut self,
        line: &str,
        hasher: &ahash::RandomState,
    ) -> std::result::Result<(), &'static str> {
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        // One pass tells the kind: a URL has "://" before any '=', a field entry an '=',
        // a domain neither.
        let mark = memchr::memchr2(b':', b'=', line.as_bytes());
        if mark.is_some_and(|i| line[i..].starts_with("://")) {
            self.urls
                .push(Site::parse(line).ok_or("not a URL with a host")?);
        } else if let Some((field, value)) = mark.and_then(|_| line.split_once('=')) {
            let field: FieldPath = field
                .trim()
                .parse()
                .map_err(|_| "the field name before '=' is empty or has an empty part")?;
            if value.is_empty() || value == "*" {
                return Err("a field entry needs a value after '='");
            }
            self.fields.push((field, value.to_owned()));
        } else {
            let start = self.names.len();
            if !web::normalise_host_into(line, &mut self.names) {
                return Err("not a domain, a URL prefix or field=value");
            }
            let name = &self.names[start..];
            self.domains
                .push((start as u32, name.len() as u32, hasher.hash_one(name)));
        }
        Ok(())
    }
}

/// Which list a document matched, and through which kind of entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the list, in the order given.
    pub list: usize,
    /// The kind of entry.
    pub kind: Kind,
}

/// The values of one field that opt a document out.
#[derive(Debug)]
struct FieldValues {
    field: Option<FieldPath>,
    exact: HashMap<Box<str>, usize>,
    prefixes: HashMap<Box<str>, usize>,
    /// The distinct lengths of `prefixes`, ascending: a value is probed once per length.
    lengths: Vec<usize>,
}

impl FieldValues {
    fn check(&self, value: &str) -> Option<usize> {
        let mut best = self.exact.get(value).copied();
        for &n in &self.lengths {
            if n > value.len() {
                break;
            }
            if value.is_char_boundary(n)
                && let Some(&list) = self.prefixes.get(&value[..n])
            {
                best = Some(best.map_or(list, |b| b.min(list)));
            }
        }
        best
    }
}

/// Every list given, merged into lookups that remember the first list of each entry.
#[derive(Debug)]
pub struct OptOut {
    lists: Vec<ListInfo>,
    domains: DomainSet,
    /// Per host: path prefixes and their list.
    prefixes: HashMap<Box<str>, Vec<(Box<str>, usize)>>,
    fields: Vec<FieldValues>,
}

impl Default for OptOut {
    fn default() -> OptOut {
        OptOut {
            lists: Vec::new(),
            domains: DomainSet::new(),
            prefixes: map(),
            fields: Vec::new(),
        }
    }
}

impl OptOut {
    /// Loads the lists at `paths`, in order.
    ///
    /// # Errors
    /// A file that cannot be read or is not UTF-8, or a line that is no domain, URL
    /// prefix or `field=value`: the error names the file and the line, not the entry.
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<OptOut> {
        let mut o = OptOut::default();
        for p in paths {
            let p = p.as_ref();
            let bytes = std::fs::read(p).map_err(|e| Error::io(Some(p.to_owned()), e))?;
            let name = p
                .file_name()
                .unwrap_or(p.as_os_str())
                .to_string_lossy()
                .into_owned();
            let text = std::str::from_utf8(&bytes).map_err(|e| {
                Error::usage(format!(
                    "opt-out list {}: not UTF-8 (byte {})",
                    p.display(),
                    e.valid_up_to()
                ))
            })?;
            o.add(&p.display().to_string(), name, text, &bytes)?;
        }
        o.lengths_sorted();
        Ok(o)
    }

    /// Adds one list read from `text` (`bytes` is the file, for its size and sha256);
    /// `source` names it in errors, `file` in reports.
    fn add(&mut self, source: &str, file: String, text: &str, bytes: &[u8]) -> Result<()> {
        let list = self.lists.len();
        let mut info = ListInfo {
            file,
            bytes: bytes.len() as u64,
            sha256: crate::checksum::hex(&Sha256::digest(bytes)),
            domains: 0,
            urls: 0,
            fields: 0,
        };
        // Most entries are domains: room for one per line up front, no rehashing.
        self.domains
            .reserve(memchr::memchr_iter(b'\n', bytes).count() + 1, bytes.len());
        // Lines are read in parallel, in parts of whole lines; entries are added in order
        // (only the first error, by line, is reported).
        let parts = parts(text, 1 << 20);
        let read: Vec<Part> = {
            use rayon::prelude::*;
            parts
                .par_iter()
                .map(|&(first_line, part)| Part::read(part, first_line, &self.domains.hasher))
                .collect()
        };
        for part in read {
            if let Some((n, why)) = part.error {
                return Err(Error::usage(format!(
                    "opt-out list {source}, line {n}: {why}"
                )));
            }
            for &(start, len, hash) in &part.domains {
                let name = &part.names[start as usize..(start + len) as usize];
                self.domains.insert(name, hash, list)?;
            }
            info.domains += part.domains.len() as u64;
            for site in part.urls {
                let paths = self.prefixes.entry(site.host.into()).or_default();
                paths.push((site.rest.into(), list));
                info.urls += 1;
            }
            for (field, value) in part.fields {
                let k = match self
                    .fields
                    .iter()
                    .position(|f| f.field.as_ref() == Some(&field))
                {
                    Some(k) => k,
                    None => {
                        self.fields.push(FieldValues {
                            field: Some(field),
                            exact: map(),
                            prefixes: map(),
                            lengths: Vec::new(),
                        });
                        self.fields.len() - 1
                    }
                };
                let values = &mut self.fields[k];
                match value.strip_suffix('*') {
                    Some(prefix) => values.prefixes.entry(prefix.into()).or_insert(list),
                    None => values.exact.entry(value.into()).or_insert(list),
                };
                info.fields += 1;
            }
        }
        self.lists.push(info);
        Ok(())
    }

    fn lengths_sorted(&mut self) {
        for f in &mut self.fields {
            let mut l: Vec<usize> = f.prefixes.keys().map(|p| p.len()).collect();
            l.sort_unstable();
            l.dedup();
            f.lengths = l;
        }
    }

    /// The lists, in the order given.
    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    /// Whether some entry is a domain or a URL prefix (then documents need a URL).
    pub fn needs_url(&self) -> bool {
        !self.domains.is_empty() || !self.prefixes.is_empty()
    }

    /// The fields that field-value entries name, in the order first seen.
    pub fn fields(&self) -> impl Iterator<Item = &FieldPath> {
        self.fields.iter().filter_map(|f| f.field.as_ref())
    }

    /// The list a document opts out by, if any: `site` is its parsed URL, `value(k)`
    /// the string value of the `k`-th of [`OptOut::fields`] (`None` when it has none).
    /// When several entries match, the first list given wins, and within a list a
    /// domain entry before a URL prefix before a field value.
    pub fn check<'a>(
        &self,
        site: Option<&Site>,
        value: impl Fn(usize) -> Option<&'a str>,
    ) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        let mut offer = |list: usize, kind: Kind| {
            if best.is_none_or(|b| list < b.list) {
                best = Some(Hit { list, kind });
            }
        };
        if let Some(site) = site {
            if !self.domains.is_empty() {
                for name in site.host_and_parents() {
                    if let Some(list) = self.domains.get(name) {
                        offer(list, Kind::Domain);
                    }
                }
            }
            if let Some(paths) = self.prefixes.get(site.host.as_str()) {
                for (prefix, list) in paths {
                    if site.rest.starts_with(&**prefix) {
                        offer(*list, Kind::Url);
                    }
                }
            }
        }
        for (k, f) in self.fields.iter().enumerate() {
            if let Some(list) = value(k).and_then(|v| f.check(v)) {
                offer(list, Kind::Field);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(texts: &[&str]) -> OptOut {
        let mut o = OptOut::default();
        for (i, t) in texts.iter().enumerate() {
            o.add(&format!("l{i}"), format!("l{i}.txt"), t, t.as_bytes())
                .unwrap();
        }
        o.lengths_sorted();
        o
    }

    fn hit(o: &OptOut, url: &str) -> Option<(usize, Kind)> {
        o.check(Site::parse(url).as_ref(), |_| None)
            .map(|h| (h.list, h.kind))
    }

    #[test]
    fn domains_cover_their_subdomains_and_nothing_else() {
        let o = lists(&["# a comment\n\nExample.ORG\nbücher.example\n"]);
        let yes = Some((0, Kind::Domain));
        assert_eq!(hit(&o, "https://example.org/"), yes);
        assert_eq!(hit(&o, "http://www.Example.org:8080/x"), yes);
        assert_eq!(hit(&o, "https://a.b.example.org./"), yes);
        assert_eq!(hit(&o, "https://xn--bcher-kva.example/"), yes);
        assert_eq!(hit(&o, "https://BÜCHER.example/"), yes);
        for no in [
            "https://notexample.org/",
            "https://example.org.evil.net/",
            "https://example.com/",
            "https://example.org@evil.net/",
            "https://evil.net/?u=https://example.org/",
        ] {
            assert_eq!(hit(&o, no), None, "{no}");
        }
        // Userinfo naming the evil host does not hide an opted-out one.
        assert_eq!(hit(&o, "https://evil.net@example.org/"), yes);
    }

    #[test]
    fn url_prefixes_are_literal_paths_on_one_host() {
        let o = lists(&["https://Example.org/blog/\nhttp://example.org:8080/a b/"]);
        let yes = Some((0, Kind::Url));
        assert_eq!(hit(&o, "https://example.org/blog/post-1"), yes);
        assert_eq!(hit(&o, "http://EXAMPLE.org/blog/"), yes);
        assert_eq!(hit(&o, "https://example.org/a%20b/c"), yes);
        assert_eq!(hit(&o, "https://example.org/Blog/post"), None);
        assert_eq!(hit(&o, "https://example.org/blogger"), None);
        assert_eq!(hit(&o, "https://www.example.org/blog/x"), None);
    }

    #[test]
    fn field_values_are_exact_or_prefixes() {
        let o = lists(&["repo_name=jdoe/*\nauthor=jdoe\nmeta.owner=ACME"]);
        let f: Vec<&str> = o.fields().map(FieldPath::as_str).collect();
        assert_eq!(f, ["repo_name", "author", "meta.owner"]);
        let check =
            |vals: [Option<&'static str>; 3]| o.check(None, |k| vals[k]).map(|h| (h.list, h.kind));
        let yes = Some((0, Kind::Field));
        assert_eq!(check([Some("jdoe/tools"), None, None]), yes);
        assert_eq!(check([Some("jdoe/"), None, None]), yes);
        assert_eq!(check([Some("jdoe"), None, None]), None);
        assert_eq!(check([None, Some("jdoe"), None]), yes);
        assert_eq!(check([None, Some("jdoe2"), None]), None);
        assert_eq!(check([None, Some("JDOE"), None]), None);
        assert_eq!(check([None, None, Some("ACME")]), yes);
        assert_eq!(check([None, None, None]), None);
    }

    #[test]
    fn the_first_list_given_wins() {
        let o = lists(&["https://example.org/a/", "example.org\nauthor=x"]);
        assert_eq!(hit(&o, "https://example.org/a/1"), Some((0, Kind::Url)));
        assert_eq!(hit(&o, "https://example.org/b"), Some((1, Kind::Domain)));
        assert_eq!(o.lists()[1].entries(), 2);
        assert_eq!((o.lists()[1].domains, o.lists()[1].fields), (1, 1));
    }

    #[test]
    fn errors_name_the_line_and_never_the_entry() {
        let mut o = OptOut::default();
        let text = "example.org\njane doe's site\n";
        let err = o
            .add("mine.txt", "mine.txt".into(), text, text.as_bytes())
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("mine.txt, line 2"), "{msg}");
        assert!(!msg.contains("jane"), "{msg}");
        for bad in ["=x", "author=", "author=*", "https://[::zz]/"] {
            let mut o = OptOut::default();
            assert!(
                o.add("l", "l".into(), bad, bad.as_bytes()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn parts_end_at_line_ends_and_know_their_first_line() {
        let text = "a\nbb\nccc\n\nd";
        let p = parts(text, 3);
        let joined: String = p.iter().map(|(_, t)| *t).collect();
        assert_eq!(joined, text);
        for (_, t) in &p[..p.len() - 1] {
            assert!(t.ends_with('\n'), "{t:?}");
        }
        let firsts: Vec<usize> = p.iter().map(|(n, _)| *n).collect();
        assert_eq!(firsts, [1, 3, 4]);
        assert_eq!(parts("", 3), []);
    }

    #[test]
    fn an_error_far_down_a_long_list_names_its_line() {
        let mut text = String::new();
        for i in 0..300_000 {
            text.push_str(&format!("site{i}.example\n"));
        }
        text.push_str("not a domain\n");
        let mut o = OptOut::default();
        let err = o
            .add("big", "big".into(), &text, text.as_bytes())
            .unwrap_err();
        assert!(err.to_string().contains("big, line 300001:"), "{err}");
    }

    #[test]
    fn large_lists_load_and_match() {
        let mut text = String::new();
        for i in 0..100_000 {
            text.push_str(&format!("site{i}.example\n"));
        }
        let o = lists(&[&text]);
        assert_eq!(o.lists()[0].domains, 100_000);
        assert_eq!(
            hit(&o, "https://www.site99999.example/"),
            Some((0, Kind::Domain))
        );
        assert_eq!(hit(&o, "https://site100000.example/"), None);
    }
}
