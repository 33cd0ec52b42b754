//! The string columns `--field` names, found in a shard's Arrow schema, read as one text
//! per value, and put back with new values.
//!
//! A field is a top-level column or a struct field by dotted path (`meta.title`); its
//! type is a string type (`Utf8`, `LargeUtf8`, `Utf8View`) or a list of one (each element
//! is scanned). A column whose own name holds a dot is found by its whole name first.

use crate::input::jsonl::FieldPath;
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, GenericListArray, GenericStringArray, OffsetSizeTrait, StringViewArray,
    StructArray, builder::GenericStringBuilder, builder::StringViewBuilder,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Schema};
use std::ops::Range;
use std::sync::Arc;

/// A scanned column: where it sits in the schema and how its strings are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// The field as given (`meta.title`), for messages and `scan` output.
    pub name: String,
    /// Child indices from the top-level column down through structs.
    pub path: Vec<usize>,
    /// A list of strings (each element a text) rather than one string per row.
    pub list: bool,
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Finds every field in `schema`.
///
/// # Errors
/// A field that is not there (the message lists the columns that are), or whose type is
/// neither a string nor a list of strings. Messages name columns and types only.
pub(crate) fn resolve(schema: &Schema, fields: &[FieldPath]) -> Result<Vec<Target>, String> {
    fields.iter().map(|f| resolve_one(schema, f)).collect()
}

/// Finds one field in `schema`; errors as [`resolve`].
pub(crate) fn resolve_one(schema: &Schema, field: &FieldPath) -> Result<Target, String> {
    let name = field.as_str();
    let missing = || {
        let columns: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        format!(
            "column {name:?} is not in the shard (its columns: {})",
            columns.join(", ")
        )
    };
    let (path, ty) = match schema.index_of(name) {
        Ok(i) => (vec![i], schema.field(i).data_type()),
        Err(_) => {
            let mut parts = field.parts();
            let first = parts.next().expect("a path has a part");
            let i = schema.index_of(first).map_err(|_| missing())?;
            let mut path = vec![i];
            let mut ty = schema.field(i).data_type();
            for part in parts {
                let DataType::Struct(children) = ty else {
                    return Err(missing());
                };
                let (k, child) = children.find(part).ok_or_else(missing)?;
                path.push(k);
                ty = child.data_type();
            }
            (path, ty)
        }
    };
    let list = match ty {
        t if is_string(t) => false,
        DataType::List(item) | DataType::LargeList(item) if is_string(item.data_type()) => true,
        other => {
            return Err(format!(
                "column {name:?} is {other}, not a string column (Utf8, LargeUtf8, Utf8View) or a list of strings"
            ));
        }
    };
    Ok(Target {
        name: name.to_owned(),
        path,
        list,
    })
}

/// The strings of one array, whatever their offset width.
pub(crate) enum Strings<'a> {
    /// `Utf8`.
    Small(&'a GenericStringArray<i32>),
    /// `LargeUtf8`.
    Large(&'a GenericStringArray<i64>),
    /// `Utf8View`.
    View(&'a StringViewArray),
}

impl<'a> Strings<'a> {
    fn of(array: &'a ArrayRef) -> Strings<'a> {
        match array.data_type() {
            DataType::Utf8 => Strings::Small(array.as_string::<i32>()),
            DataType::LargeUtf8 => Strings::Large(array.as_string::<i64>()),
            DataType::Utf8View => Strings::View(array.as_string_view()),
            t => unreachable!("resolve admits string types only, not {t}"),
        }
    }

    /// Value `k`, or `None` when it is null.
    pub fn get(&self, k: usize) -> Option<&'a str> {
        match self {
            Strings::Small(a) => a.is_valid(k).then(|| a.value(k)),
            Strings::Large(a) => a.is_valid(k).then(|| a.value(k)),
            Strings::View(a) => a.is_valid(k).then(|| a.value(k)),
        }
    }
}

/// One scanned column of one batch: for each row, the indices of its texts.
pub(crate) struct Column<'a> {
    strings: Strings<'a>,
    /// For a list: each row's element range in `strings`.
    items: Option<Items<'a>>,
    /// Rows that hold no text: the column's value or a parent struct is null.
    nulls: Option<NullBuffer>,
}

enum Items<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
}

impl<'a> Column<'a> {
    /// The column `target` names in `batch` (whose schema it was resolved against).
    pub fn of(batch: &'a arrow_array::RecordBatch, target: &Target) -> Column<'a> {
        let mut array = batch.column(target.path[0]);
        let mut nulls = array.logical_nulls();
        for &k in &target.path[1..] {
            array = array.as_struct().column(k);
            nulls = NullBuffer::union(nulls.as_ref(), array.logical_nulls().as_ref());
        }
        let (strings, items) = if target.list {
            match array.data_type() {
                DataType::List(_) => {
                    let l = array.as_list::<i32>();
                    (
                        Strings::of(l.values()),
                        Some(Items::Small(l.value_offsets())),
                    )
                }
                _ => {
                    let l = array.as_list::<i64>();
                    (
                        Strings::of(l.values()),
                        Some(Items::Large(l.value_offsets())),
                    )
                }
            }
        } else {
            (Strings::of(array), None)
        };
        Column {
            strings,
            items,
            nulls,
        }
    }

    /// The indices of row `row`'s texts in [`Column::strings`] (null ones included: `get`
    /// skips them).
    pub fn texts(&self, row: usize) -> Range<usize> {
        if self.nulls.as_ref().is_some_and(|n| n.is_null(row)) {
            return 0..0;
        }
        match &self.items {
            None => row..row + 1,
            Some(Items::Small(o)) => o[row] as usize..o[row + 1] as usize,
            Some(Items::Large(o)) => o[row] as usize..o[row + 1] as usize,
        }
    }

    /// The strings the indices of [`Column::texts`] point into.
    pub fn strings(&self) -> &Strings<'a> {
        &self.strings
    }

    /// Total bytes of the column's string data (null slots hold none), to size chunks.
    pub fn bytes(&self) -> usize {
        match &self.strings {
            Strings::Small(a) => a.values().len(),
            Strings::Large(a) => a.values().len(),
            Strings::View(a) => a.total_buffer_bytes_used() + a.len() * 12,
        }
    }
}

/// `batch` with the column of `target` holding `changes` (index in the strings, new
/// text; sorted by index) instead of those values. Types, nulls and every other value
/// stay as they are.
///
/// # Errors
/// The new values no longer fit a `Utf8` column (2 GiB of text in one row group).
pub(crate) fn replace(
    batch: &arrow_array::RecordBatch,
    target: &Target,
    changes: &[(usize, &str)],
) -> Result<arrow_array::RecordBatch, String> {
    let top = batch.column(target.path[0]);
    let column = rebuild(top, &target.path[1..], target.list, changes)
        .map_err(|why| format!("column {:?}: {why}", target.name))?;
    let mut columns = batch.columns().to_vec();
    columns[target.path[0]] = column;
    Ok(arrow_array::RecordBatch::try_new(batch.schema(), columns)
        .expect("the same schema with an array of the same type"))
}

fn rebuild(
    array: &ArrayRef,
    path: &[usize],
    list: bool,
    changes: &[(usize, &str)],
) -> Result<ArrayRef, String> {
    if let Some((&k, rest)) = path.split_first() {
        let s = array.as_struct();
        let mut children = s.columns().to_vec();
        children[k] = rebuild(&children[k], rest, list, changes)?;
        return Ok(Arc::new(StructArray::new(
            s.fields().clone(),
            children,
            s.nulls().cloned(),
        )));
    }
    if !list {
        return strings_with(array, changes);
    }
    Ok(match array.data_type() {
        DataType::List(_) => list_with::<i32>(array, changes)?,
        _ => list_with::<i64>(array, changes)?,
    })
}

fn list_with<O: OffsetSizeTrait>(
    array: &ArrayRef,
    changes: &[(usize, &str)],
) -> Result<ArrayRef, String> {
    let l = array.as_list::<O>();
    let (DataType::List(item) | DataType::LargeList(item)) = l.data_type() else {
        unreachable!("a list type");
    };
    let values = strings_with(l.values(), changes)?;
    Ok(Arc::new(GenericListArray::<O>::new(
        item.clone(),
        l.offsets().clone(),
        values,
        l.nulls().cloned(),
    )))
}

/// A string array of `array`'s type with `changes` applied.
fn strings_with(array: &ArrayRef, changes: &[(usize, &str)]) -> Result<ArrayRef, String> {
    let old = Strings::of(array);
    match &old {
        Strings::Small(a) => offsets_with(a, &old, changes),
        Strings::Large(a) => offsets_with(a, &old, changes),
        Strings::View(a) => {
            let mut b = StringViewBuilder::with_capacity(a.len());
            copy_with(&old, a.len(), changes, |v| b.append_option(v));
            Ok(Arc::new(b.finish()))
        }
    }
}

/// `a` (which `old` reads) with `changes` applied, checking that the new text fits the
/// type's offsets.
fn offsets_with<O: OffsetSizeTrait>(
    a: &GenericStringArray<O>,
    old: &Strings,
    changes: &[(usize, &str)],
) -> Result<ArrayRef, String> {
    let offsets = a.value_offsets();
    let mut bytes = offsets[a.len()].as_usize() - offsets[0].as_usize();
    for &(k, new) in changes {
        bytes = bytes + new.len() - a.value(k).len();
    }
    if O::from_usize(bytes).is_none() {
        return Err(format!(
            "the redacted text of one row group is {bytes} bytes, more than its type {} holds",
            a.data_type()
        ));
    }
    let mut b = GenericStringBuilder::<O>::with_capacity(a.len(), bytes);
    copy_with(old, a.len(), changes, |v| b.append_option(v));
    Ok(Arc::new(b.finish()))
}

/// Calls `put` with each of the `len` values of `old`: the changed text where `changes`
/// has one, else the old value (`None` for a null).
fn copy_with<'s>(
    old: &Strings<'s>,
    len: usize,
    changes: &[(usize, &'s str)],
    mut put: impl FnMut(Option<&'s str>),
) {
    let mut next = changes.iter().peekable();
    for k in 0..len {
        match next.next_if(|(at, _)| *at == k) {
            Some(&(_, new)) => put(Some(new)),
            None => put(old.get(k)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ListArray, RecordBatch, StringArray, builder::ListBuilder};
    use arrow_schema::{Field, Fields};

    fn batch() -> RecordBatch {
        let text = StringArray::from(vec![Some("a b"), None, Some("c")]);
        let title = StringArray::from(vec![Some("t1"), Some("t2"), None]);
        let meta_fields = Fields::from(vec![Field::new("title", DataType::Utf8, true)]);
        let meta = StructArray::new(
            meta_fields.clone(),
            vec![Arc::new(title) as ArrayRef],
            Some(NullBuffer::from(vec![true, false, true])),
        );
        let mut tags = ListBuilder::new(arrow_array::builder::StringBuilder::new());
        tags.values().append_value("x");
        tags.values().append_value("y");
        tags.append(true);
        tags.append(false);
        tags.values().append_value("z");
        tags.append(true);
        let tags: ListArray = tags.finish();
        let schema = Schema::new(vec![
            Field::new("text", DataType::Utf8, true),
            Field::new("meta", DataType::Struct(meta_fields), true),
            Field::new("tags", tags.data_type().clone(), true),
            Field::new("n", DataType::Int64, false),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(text),
                Arc::new(meta),
                Arc::new(tags),
                Arc::new(arrow_array::Int64Array::from(vec![1, 2, 3])),
            ],
        )
        .unwrap()
    }

    fn fields(names: &[&str]) -> Vec<FieldPath> {
        names.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn texts<'a>(c: &Column<'a>, row: usize) -> Vec<&'a str> {
        c.texts(row).filter_map(|k| c.strings().get(k)).collect()
    }

    #[test]
    fn resolves_columns_struct_fields_and_lists() {
        let b = batch();
        let t = resolve(&b.schema(), &fields(&["text", "meta.title", "tags"])).unwrap();
        assert_eq!(t[1].path, vec![1, 0]);
        assert!(t[2].list && !t[0].list);
        let text = Column::of(&b, &t[0]);
        assert_eq!(texts(&text, 0), ["a b"]);
        assert!(texts(&text, 1).is_empty());
        // Row 1's struct is null: its title holds no text, whatever the child says.
        let title = Column::of(&b, &t[1]);
        assert_eq!(texts(&title, 0), ["t1"]);
        assert!(texts(&title, 1).is_empty());
        let tags = Column::of(&b, &t[2]);
        assert_eq!(texts(&tags, 0), ["x", "y"]);
        assert!(texts(&tags, 1).is_empty());
        assert_eq!(texts(&tags, 2), ["z"]);
    }

    #[test]
    fn a_missing_or_non_string_column_is_named() {
        let s = batch().schema();
        let e = resolve(&s, &fields(&["body"])).unwrap_err();
        assert!(
            e.contains("\"body\"") && e.contains("text, meta, tags, n"),
            "{e}"
        );
        let e = resolve(&s, &fields(&["n"])).unwrap_err();
        assert!(e.contains("\"n\" is Int64"), "{e}");
        let e = resolve(&s, &fields(&["meta"])).unwrap_err();
        assert!(e.contains("not a string column"), "{e}");
        assert!(resolve(&s, &fields(&["text.x"])).is_err());
    }

    #[test]
    fn replace_changes_only_the_given_values() {
        let b = batch();
        let t = resolve(&b.schema(), &fields(&["text", "meta.title", "tags"])).unwrap();
        let b2 = replace(&b, &t[0], &[(2, "[X]")]).unwrap();
        let b2 = replace(&b2, &t[1], &[(0, "[T]")]).unwrap();
        let b2 = replace(&b2, &t[2], &[(1, "[Y]")]).unwrap();
        assert_eq!(b2.schema(), b.schema());
        assert_eq!(texts(&Column::of(&b2, &t[0]), 2), ["[X]"]);
        assert!(b2.column(0).is_null(1));
        assert_eq!(texts(&Column::of(&b2, &t[1]), 0), ["[T]"]);
        assert!(b2.column(1).is_null(1));
        assert_eq!(texts(&Column::of(&b2, &t[2]), 0), ["x", "[Y]"]);
        assert!(b2.column(2).is_null(1));
        assert_eq!(b2.column(3), b.column(3));
    }
}
