//! A document's origin: the fields besides the scanned ones that say where it comes from
//! (`--url-field`, and the fields that opt-out entries name), read once per document to
//! count content per registrable domain and to leave opted-out documents out.

use crate::input::jsonl::{FieldPath, MAX_FIELDS};
use crate::optout::{Hit, OptOut};
use crate::stats::Counts;
use crate::web::Site;
use crate::{Error, Result};

/// The origin fields of a run and what is done with them.
#[derive(Debug)]
pub struct Origin {
    url_field: Option<FieldPath>,
    opt_out: Option<OptOut>,
    /// The scanned fields, then the URL field, then the opt-out fields: what a JSONL
    /// line is searched for.
    all: Vec<FieldPath>,
    scanned: usize,
    /// For each origin field (URL first), the index in `all` under which its literal is
    /// reported: the first field with the same path.
    slot: Vec<usize>,
}

/// What a document's origin fields say.
#[derive(Debug)]
pub struct Verdict {
    /// With `--url-field`: the parsed URL, or `Err(true)` when it is no URL with a host,
    /// `Err(false)` when the document has none.
    pub site: Option<std::result::Result<Site, bool>>,
    /// The opt-out list that leaves the document out, if any.
    pub hit: Option<Hit>,
}

impl Origin {
    /// The origin of documents whose `scanned` fields are searched. `None` when neither a
    /// URL field nor lists are given.
    ///
    /// # Errors
    /// Lists with domain or URL entries but no URL field; more than
    /// [`MAX_FIELDS`] fields in all.
    pub fn new(
        scanned: &[FieldPath],
        url_field: Option<FieldPath>,
        opt_out: Option<OptOut>,
    ) -> Result<Option<Origin>> {
        if url_field.is_none() && opt_out.is_none() {
            return Ok(None);
        }
        if url_field.is_none() && opt_out.as_ref().is_some_and(OptOut::needs_url) {
            return Err(Error::usage(
                "the opt-out lists have domain or URL entries: name the field that holds each document's URL with --url-field",
            ));
        }
        let mut all = scanned.to_vec();
        all.extend(url_field.iter().cloned());
        if let Some(o) = &opt_out {
            all.extend(o.fields().cloned());
        }
        if all.len() > MAX_FIELDS {
            return Err(Error::usage(format!(
                "at most {MAX_FIELDS} fields in all (--field, --url-field and the fields opt-out entries name)"
            )));
        }
        let slot = (scanned.len()..all.len())
            .map(|k| all.iter().position(|f| *f == all[k]).unwrap_or(k))
            .collect();
        Ok(Some(Origin {
            url_field,
            opt_out,
            all,
            scanned: scanned.len(),
            slot,
        }))
    }

    /// The scanned fields followed by the origin fields.
    pub fn fields(&self) -> &[FieldPath] {
        &self.all
    }

    /// The bit mask of the origin fields in [`Origin::fields`]: they may be missing.
    pub fn optional(&self) -> u64 {
        let n = self.all.len();
        let all = if n == 64 { u64::MAX } else { (1 << n) - 1 };
        all & !((1u64 << self.scanned) - 1)
    }

    /// Number of scanned fields at the start of [`Origin::fields`].
    pub fn scanned(&self) -> usize {
        self.scanned
    }

    /// Whether [`Origin::judge`] reads field `i` of [`Origin::fields`] (a scanned field
    /// only when it is also an origin field).
    pub fn reads(&self, i: usize) -> bool {
        i >= self.scanned || self.slot.contains(&i)
    }

    /// The URL field, if given.
    pub fn url_field(&self) -> Option<&FieldPath> {
        self.url_field.as_ref()
    }

    /// The opt-out lists, if given.
    pub fn opt_out(&self) -> Option<&OptOut> {
        self.opt_out.as_ref()
    }

    /// Judges a document from its field values: `value(i)` is the string in field `i`
    /// of [`Origin::fields`] (`None` when missing or not a string).
    pub fn judge<'a>(&self, value: impl Fn(usize) -> Option<&'a str>) -> Verdict {
        let mut k = 0;
        let site = self.url_field.as_ref().map(|_| {
            k = 1;
            match value(self.slot[0]) {
                Some(url) => Site::parse(url).ok_or(true),
                None => Err(false),
            }
        });
        let hit = self.opt_out.as_ref().and_then(|o| {
            o.check(site.as_ref().and_then(|s| s.as_ref().ok()), |j| {
                value(self.slot[k + j])
            })
        });
        Verdict { site, hit }
    }
}

impl Verdict {
    /// Counts the document: its domain (with `--url-field`) and, when `dropped_by_list`,
    /// the list that left it out. `kept` says whether it is written; `text_bytes` is the
    /// size of its scanned fields.
    pub fn count(&self, counts: &mut Counts, text_bytes: u64, kept: bool) {
        if let Some(site) = &self.site {
            // An opted-out document is not counted under its domain: the report would
            // show which domains the lists name.
            let domain = match (self.hit, site) {
                (Some(_), _) => Ok(crate::web::OPTED_OUT),
                (None, Ok(site)) => Ok(site.domain()),
                (None, Err(bad)) => Err(*bad),
            };
            counts.add_source(domain, text_bytes, kept);
        }
        if let Some(hit) = self.hit {
            counts.opt_out.add(hit.list, hit.kind, text_bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::jsonl;

    fn paths(p: &[&str]) -> Vec<FieldPath> {
        p.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn origin_fields_follow_the_scanned_ones_and_may_be_missing() {
        let o = Origin::new(&paths(&["text"]), Some("url".parse().unwrap()), None)
            .unwrap()
            .unwrap();
        assert_eq!(o.fields().len(), 2);
        assert_eq!(o.optional(), 0b10);
        let mut out = Vec::new();
        let mut found = Vec::new();
        for line in [
            r#"{"text":"a","url":"https://example.org/"}"#,
            r#"{"text":"a"}"#,
            r#"{"text":"a","url":null}"#,
            r#"{"text":"a","url":{"href":"x"}}"#,
            r#"{"text":"a","url":[1,2]}"#,
        ] {
            out.clear();
            jsonl::locate_some(line.as_bytes(), o.fields(), o.optional(), &mut out).unwrap();
            found.push(out.len());
        }
        assert_eq!(found, [2, 1, 1, 1, 1]);
        // A missing scanned field is still an error.
        assert!(jsonl::locate_some(br#"{"url":"x"}"#, o.fields(), o.optional(), &mut out).is_err());
    }

    #[test]
    fn a_url_field_that_is_also_scanned_is_read_once() {
        let o = Origin::new(&paths(&["text", "url"]), Some("url".parse().unwrap()), None)
            .unwrap()
            .unwrap();
        let v = o.judge(|i| (i == 1).then_some("https://www.example.co.uk/x"));
        let site = v.site.unwrap().unwrap();
        assert_eq!(site.domain(), "example.co.uk");
    }

    #[test]
    fn domain_entries_need_a_url_field() {
        let dir = std::env::temp_dir().join(format!("optout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let list = dir.join("l.txt");
        std::fs::write(&list, "example.org\n").unwrap();
        let lists = OptOut::load(&[&list]).unwrap();
        let err = Origin::new(&paths(&["text"]), None, Some(lists)).unwrap_err();
        assert!(err.to_string().contains("--url-field"), "{err}");
        std::fs::write(&list, "author=x\n").unwrap();
        let lists = OptOut::load(&[&list]).unwrap();
        assert!(
            Origin::new(&paths(&["text"]), None, Some(lists))
                .unwrap()
                .is_some()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn verdicts_count_domains_and_lists() {
        let o = Origin::new(&paths(&["text"]), Some("url".parse().unwrap()), None)
            .unwrap()
            .unwrap();
        let mut c = Counts::default();
        o.judge(|_| Some("https://a.example.org/"))
            .count(&mut c, 10, true);
        o.judge(|_| Some("https://b.example.org/"))
            .count(&mut c, 5, false);
        o.judge(|_| Some("no url")).count(&mut c, 7, true);
        o.judge(|_| None).count(&mut c, 7, true);
        assert_eq!(c.domains.sizes["example.org"], [1, 10, 1, 5]);
        assert_eq!(c.domains.sizes[crate::web::BAD_URL], [1, 7, 0, 0]);
        assert_eq!(c.domains.sizes[crate::web::NO_URL], [1, 7, 0, 0]);
        assert_eq!(c.domains.documents, 4);
        assert!(c.opt_out.is_empty());
    }
}
