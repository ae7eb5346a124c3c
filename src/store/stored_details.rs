//! `StoredDetails`: a video's title and creation time as the known list keeps them in memory,
//! in one heap allocation behind one thin pointer (a million titled videos are a million
//! allocations, not two million, and an untitled entry stays 64 bytes). Owns that layout and
//! its `unsafe`; knows nothing of files, imports or rows.

use std::alloc::{self, Layout};
use std::fmt;
use std::ptr::{self, NonNull};

use jiff::Timestamp;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The start of the allocation; the title's bytes follow it.
#[repr(C)]
struct Header {
    created_second: i64,
    /// `NO_TIME` when the creation time is unknown.
    created_nanosecond: i32,
    /// `NO_TITLE` when the title is unknown.
    title_len: u32,
}

const NO_TIME: i32 = i32::MIN;
const NO_TITLE: u32 = u32::MAX;

/// A title or a creation time (at least one of them), immutable once made.
pub struct StoredDetails(NonNull<Header>);

// SAFETY: `StoredDetails` owns its allocation alone (like a `Box<[u8]>`) and never changes it
// after `new` or `clone` wrote it, so moving it to or reading it from another thread is safe.
unsafe impl Send for StoredDetails {}
// SAFETY: as for `Send`: shared references only read bytes nobody writes.
unsafe impl Sync for StoredDetails {}

/// A title of 4 GiB or more, which this layout cannot hold (imports cut titles to
/// `import::record::MAX_TITLE`; only a hand-made `videos.json` could hold one).
#[derive(Debug, PartialEq, Eq)]
pub struct TitleTooLong;

impl fmt::Display for TitleTooLong {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a title of 4 GiB or more")
    }
}

impl StoredDetails {
    /// `None` when there is neither a title nor a creation time: no allocation for nothing.
    pub fn new(
        title: Option<&str>,
        created_at: Option<Timestamp>,
    ) -> Result<Option<Self>, TitleTooLong> {
        if title.is_none() && created_at.is_none() {
            return Ok(None);
        }
        let title_len = match title {
            None => NO_TITLE,
            Some(title) => u32::try_from(title.len())
                .ok()
                .filter(|&len| len != NO_TITLE)
                .ok_or(TitleTooLong)?,
        };
        let layout = layout(title.map_or(0, str::len)).ok_or(TitleTooLong)?;
        let (created_second, created_nanosecond) =
            created_at.map_or((0, NO_TIME), |at| (at.as_second(), at.subsec_nanosecond()));
        let header = allocate(layout);
        // SAFETY: `header` points to a fresh allocation of `layout`: a `Header` (it is
        // aligned for one) followed by room for the title's bytes, which cannot overlap it.
        unsafe {
            header.as_ptr().write(Header {
                created_second,
                created_nanosecond,
                title_len,
            });
            if let Some(title) = title {
                ptr::copy_nonoverlapping(title.as_ptr(), title_start(header), title.len());
            }
        }
        Ok(Some(Self(header)))
    }

    fn header(&self) -> &Header {
        // SAFETY: `self.0` points to the `Header` that `new` or `clone` wrote, alive until
        // `drop`.
        unsafe { self.0.as_ref() }
    }

    pub fn title(&self) -> Option<&str> {
        let len = self.header().title_len;
        if len == NO_TITLE {
            return None;
        }
        // SAFETY: `new` copied `len` bytes of a `str` (so UTF-8) right after the header, and
        // nothing writes them while `self` lives.
        unsafe {
            let bytes = std::slice::from_raw_parts(title_start(self.0), len as usize);
            Some(std::str::from_utf8_unchecked(bytes))
        }
    }

    pub fn created_at(&self) -> Option<Timestamp> {
        let header = self.header();
        if header.created_nanosecond == NO_TIME {
            return None;
        }
        // Always `Ok`: the two parts came from a `Timestamp` (the test below round-trips
        // the smallest and largest).
        Timestamp::new(header.created_second, header.created_nanosecond).ok()
    }

    fn layout(&self) -> Layout {
        let len = self.header().title_len;
        let len = if len == NO_TITLE { 0 } else { len as usize };
        // SAFETY: `new` made this very layout from this length without an error.
        unsafe {
            Layout::from_size_align_unchecked(
                size_of::<Header>() + len,
                std::mem::align_of::<Header>(),
            )
        }
    }
}

/// A header and `title_len` bytes; `None` when that overflows (only on a 32-bit target).
fn layout(title_len: usize) -> Option<Layout> {
    let size = size_of::<Header>().checked_add(title_len)?;
    Layout::from_size_align(size, std::mem::align_of::<Header>()).ok()
}

/// A fresh allocation of `layout`, which holds at least a `Header` (so is not empty).
fn allocate(layout: Layout) -> NonNull<Header> {
    // SAFETY: `layout` is never zero-sized: it holds a `Header`.
    let raw = unsafe { alloc::alloc(layout) };
    NonNull::new(raw.cast::<Header>()).unwrap_or_else(|| alloc::handle_alloc_error(layout))
}

/// Where the title's bytes start: right after the header.
fn title_start(header: NonNull<Header>) -> *mut u8 {
    // SAFETY: one past the header is inside (or one past the end of) the same allocation.
    unsafe { header.as_ptr().add(1).cast::<u8>() }
}

impl Drop for StoredDetails {
    fn drop(&mut self) {
        let layout = self.layout();
        // SAFETY: `self.0` was allocated with this layout (`new`, `clone`) and is freed once.
        unsafe { alloc::dealloc(self.0.as_ptr().cast::<u8>(), layout) }
    }
}

impl Clone for StoredDetails {
    fn clone(&self) -> Self {
        let layout = self.layout();
        let copy = allocate(layout);
        // SAFETY: both allocations have `layout`'s size, every byte of the source was
        // written by `new`, and a fresh allocation cannot overlap it.
        unsafe {
            ptr::copy_nonoverlapping(
                self.0.as_ptr().cast::<u8>(),
                copy.as_ptr().cast::<u8>(),
                layout.size(),
            );
        }
        Self(copy)
    }
}

impl PartialEq for StoredDetails {
    fn eq(&self, other: &Self) -> bool {
        self.title() == other.title() && self.created_at() == other.created_at()
    }
}

impl Eq for StoredDetails {}

impl fmt::Debug for StoredDetails {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("StoredDetails")
            .field("title", &self.title())
            .field("created_at", &self.created_at())
            .finish()
    }
}

/// As `videos.json` has them: `title` and `created_at`, each left out when unknown.
impl Serialize for StoredDetails {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (title, created_at) = (self.title(), self.created_at());
        let fields = usize::from(title.is_some()) + usize::from(created_at.is_some());
        let mut out = serializer.serialize_struct("StoredDetails", fields)?;
        if let Some(title) = title {
            out.serialize_field("title", title)?;
        }
        if let Some(created_at) = created_at {
            out.serialize_field("created_at", &created_at)?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(title: Option<&str>, created_at: Option<Timestamp>) -> StoredDetails {
        StoredDetails::new(title, created_at).unwrap().unwrap()
    }

    #[test]
    fn nothing_to_keep_allocates_nothing() {
        assert_eq!(StoredDetails::new(None, None), Ok(None));
    }

    #[test]
    fn each_part_reads_back_as_given_including_the_empty_title_and_the_extreme_times() {
        let times = [
            None,
            Some(Timestamp::MIN),
            Some(Timestamp::MAX),
            Some(Timestamp::UNIX_EPOCH),
            Some("1969-12-31T23:59:59.5Z".parse().unwrap()),
            Some("2024-05-01T10:20:30.123456789Z".parse().unwrap()),
        ];
        for title in [
            None,
            Some(""),
            Some("Final cut"),
            Some("café 🎬 ".repeat(40).as_str()),
        ] {
            for created_at in times {
                if title.is_none() && created_at.is_none() {
                    continue;
                }
                let details = stored(title, created_at);
                assert_eq!((details.title(), details.created_at()), (title, created_at));
                let copy = details.clone();
                drop(details);
                assert_eq!((copy.title(), copy.created_at()), (title, created_at));
            }
        }
    }

    #[test]
    fn equal_when_both_parts_are() {
        let at = Some(Timestamp::UNIX_EPOCH);
        assert_eq!(stored(Some("a"), at), stored(Some("a"), at));
        assert_ne!(stored(Some("a"), at), stored(Some("b"), at));
        assert_ne!(stored(Some("a"), at), stored(Some("a"), None));
        assert_ne!(stored(Some(""), at), stored(None, at));
    }

    #[test]
    fn serializes_the_fields_it_has_as_videos_json_writes_them() {
        let json = |details: &StoredDetails| serde_json::to_string(details).unwrap();
        assert_eq!(
            json(&stored(Some("a \"b\""), Some(Timestamp::UNIX_EPOCH))),
            r#"{"title":"a \"b\"","created_at":"1970-01-01T00:00:00Z"}"#
        );
        assert_eq!(json(&stored(Some("a"), None)), r#"{"title":"a"}"#);
    }

    #[test]
    fn one_pointer_wide_so_an_absent_one_costs_an_entry_eight_bytes() {
        assert_eq!(size_of::<Option<StoredDetails>>(), size_of::<usize>());
    }
}
