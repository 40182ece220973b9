//! Direct canonical JSON writer. One job: produce exactly the bytes of
//! `event::canonical(&serde_json::to_value(x)?)` for any `Serialize` value, without building a
//! `serde_json::Value` tree and without per-value allocations (buffers are reused).
//!
//! How it stays byte-identical to the reference (`serde_json::to_value` + key sort):
//! - it is a serde `Serializer`, so every type (and every event or command variant added
//!   later) is encoded through its own `Serialize` impl; nothing here names a variant;
//! - objects (structs, maps, struct variants) write their values first, remember
//!   `(key, value range)`, and on `end` sort the keys by byte order and emit
//!   `{"k":v,…}` — the same order as sorting `String` keys;
//! - scalars are written the way `serde_json` writes the corresponding `Value` (integers in
//!   plain decimal, strings with serde_json's escapes, `None`/unit as `null`, unit variants as
//!   their name, newtype/tuple/struct variants as a one-key object);
//! - anything whose `Value` form is not obviously reproduced (floats, 128-bit integers, byte
//!   strings, raw values, exotic map keys, duplicate keys) is refused with
//!   [`CanonicalError::Unsupported`]; callers then fall back to the reference path, so the
//!   output is identical either way.
//!
//! `tests` in `event.rs` and `tests/registry_canonical.rs` compare this writer with the
//! reference on every event of a large synth workload and on every command.

use std::cell::RefCell;
use std::fmt::{self, Display, Write as _};

use serde::Serialize;
use serde::ser::{self, Impossible};
use thiserror::Error;

/// Why the direct writer declined a value (callers fall back to the `Value` path).
#[derive(Debug, Error)]
pub enum CanonicalError {
    #[error("{0}")]
    Custom(String),
    #[error("not handled by the direct canonical writer: {0}")]
    Unsupported(&'static str),
}

impl ser::Error for CanonicalError {
    fn custom<T: Display>(msg: T) -> Self {
        CanonicalError::Custom(msg.to_string())
    }
}

type Res<T = ()> = Result<T, CanonicalError>;

#[derive(Debug, Clone, Copy)]
enum Key {
    Static(&'static str),
    /// Range in `keybuf` (map keys).
    Dyn(usize, usize),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Key,
    start: usize,
    end: usize,
}

/// An object under construction: where its values start in `out` and its entries start.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    out_base: usize,
    ent_base: usize,
    key_base: usize,
}

/// Reusable writer state. `out` holds the encoded bytes.
#[derive(Debug, Default)]
pub struct CanonicalWriter {
    pub out: Vec<u8>,
    entries: Vec<Entry>,
    keybuf: Vec<u8>,
    scratch: Vec<u8>,
    tmp: String,
    /// The next `serialize_struct` leaves its fields in the enclosing frame (see `merge`).
    merge_next: bool,
}

thread_local! {
    static WRITER: RefCell<CanonicalWriter> = RefCell::new(CanonicalWriter::default());
}

/// Run `f` with this thread's reusable writer (a fresh one when it is already in use).
pub fn with_writer<R>(f: impl FnOnce(&mut CanonicalWriter) -> R) -> R {
    let shared = WRITER
        .try_with(|cell| {
            cell.try_borrow_mut()
                .map(|mut w| std::mem::take(&mut *w))
                .ok()
        })
        .ok()
        .flatten();
    let mut w = shared.unwrap_or_default();
    w.reset();
    let r = f(&mut w);
    let _ = WRITER.try_with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = w;
        }
    });
    r
}

/// Canonical bytes of `v` appended to `out`.
pub fn to_canonical<T: Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) -> Res {
    with_writer(|w| {
        v.serialize(&mut *w)?;
        out.extend_from_slice(&w.out);
        Ok(())
    })
}

impl CanonicalWriter {
    pub fn reset(&mut self) {
        self.out.clear();
        self.entries.clear();
        self.keybuf.clear();
        self.merge_next = false;
    }

    /// Start an object whose fields are added with [`CanonicalWriter::field`].
    pub fn begin_object(&mut self) -> Frame {
        Frame {
            out_base: self.out.len(),
            ent_base: self.entries.len(),
            key_base: self.keybuf.len(),
        }
    }

    /// Add one field to the innermost open object.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Res {
        let start = self.out.len();
        v.serialize(&mut *self)?;
        self.entries.push(Entry {
            key: Key::Static(key),
            start,
            end: self.out.len(),
        });
        Ok(())
    }

    /// Serialize a struct-shaped value whose fields become fields of the innermost open
    /// object (used to splice an event's `type`/`body` into the envelope). Returns the index
    /// of its first entry (see [`CanonicalWriter::keys_from`]).
    pub fn merge<T: Serialize + ?Sized>(&mut self, v: &T) -> Res<usize> {
        let before = self.entries.len();
        self.merge_next = true;
        v.serialize(&mut *self)?;
        if self.merge_next {
            self.merge_next = false;
            return Err(CanonicalError::Unsupported("merged value is not a struct"));
        }
        Ok(before)
    }

    /// Keys of the open object's entries from index `from` on (struct keys only).
    pub fn keys_from(&self, from: usize) -> impl Iterator<Item = Option<&'static str>> + '_ {
        self.entries
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .map(|e| match e.key {
                Key::Static(k) => Some(k),
                Key::Dyn(..) => None,
            })
    }

    /// Add a `null` field (for keys the reference path would fill with `Value::Null`).
    pub fn null_field(&mut self, key: &'static str) {
        let start = self.out.len();
        self.out.extend_from_slice(b"null");
        self.entries.push(Entry {
            key: Key::Static(key),
            start,
            end: self.out.len(),
        });
    }

    /// Close an object: sort its keys (byte order) and emit `{"k":v,…}` in place.
    pub fn end_object(&mut self, f: Frame) -> Res {
        let CanonicalWriter {
            out,
            entries,
            keybuf,
            scratch,
            ..
        } = self;
        let key_bytes = |k: &Key| -> &[u8] {
            match *k {
                Key::Static(s) => s.as_bytes(),
                Key::Dyn(a, b) => &keybuf[a..b],
            }
        };
        let ents = &mut entries[f.ent_base..];
        if !ents
            .windows(2)
            .all(|w| key_cmp(key_bytes(&w[0].key), key_bytes(&w[1].key)).is_lt())
        {
            ents.sort_unstable_by(|a, b| key_cmp(key_bytes(&a.key), key_bytes(&b.key)));
            if ents
                .windows(2)
                .any(|w| key_bytes(&w[0].key) == key_bytes(&w[1].key))
            {
                return Err(CanonicalError::Unsupported("duplicate key"));
            }
        }
        scratch.clear();
        scratch.extend_from_slice(&out[f.out_base..]);
        out.truncate(f.out_base);
        out.push(b'{');
        for (i, e) in ents.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match e.key {
                Key::Static(s) => write_str(out, s),
                Key::Dyn(a, b) => match std::str::from_utf8(&keybuf[a..b]) {
                    Ok(s) => write_str(out, s),
                    Err(_) => return Err(CanonicalError::Unsupported("non-UTF-8 key")),
                },
            }
            out.push(b':');
            out.extend_from_slice(&scratch[e.start - f.out_base..e.end - f.out_base]);
        }
        out.push(b'}');
        entries.truncate(f.ent_base);
        keybuf.truncate(f.key_base);
        Ok(())
    }

    fn uint(&mut self, v: u64) {
        let mut b = itoa::Buffer::new();
        self.out.extend_from_slice(b.format(v).as_bytes());
    }
    fn int(&mut self, v: i64) {
        let mut b = itoa::Buffer::new();
        self.out.extend_from_slice(b.format(v).as_bytes());
    }
    fn take_merge(&mut self) -> Res {
        if self.merge_next {
            return Err(CanonicalError::Unsupported("merged value is not a struct"));
        }
        Ok(())
    }
}

/// Byte-order comparison of short keys (same order as `<[u8]>::cmp`, without a libc call).
#[inline]
fn key_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// True when any byte of the word is `"`, `\` or a control character (SWAR).
#[inline]
fn word_needs_escape(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let lt_0x20 = w.wrapping_sub(LO * 0x20) & !w & HI;
    (lt_0x20 | has_zero(w ^ (LO * b'"' as u64)) | has_zero(w ^ (LO * b'\\' as u64))) != 0
}

/// Bytes that need an escape: control characters, `"` and `\\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// serde_json's string escaping: `"` `\` and control characters; lowercase `\u00xx`.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Fast path: skip whole 8-byte words that need no escape.
    let mut clean = 0;
    while clean + 8 <= bytes.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[clean..clean + 8]);
        if word_needs_escape(u64::from_le_bytes(w)) {
            break;
        }
        clean += 8;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        if !NEEDS_ESCAPE[b as usize] {
            continue;
        }
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 15) as usize]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Compound serializer for objects (structs, maps, struct variants).
pub struct ObjectSer<'a> {
    w: &'a mut CanonicalWriter,
    frame: Frame,
    /// Leave the fields in the enclosing frame (see [`CanonicalWriter::merge`]).
    merge: bool,
    /// Close a one-key wrapper object `{"Variant":…}` after the object.
    close_wrapper: bool,
    pending_key: Option<(usize, usize)>,
}

impl ObjectSer<'_> {
    fn finish(self) -> Res {
        if !self.merge {
            self.w.end_object(self.frame)?;
        }
        if self.close_wrapper {
            self.w.out.push(b'}');
        }
        Ok(())
    }
}

/// Compound serializer for arrays (sequences, tuples, tuple variants).
pub struct ArraySer<'a> {
    w: &'a mut CanonicalWriter,
    first: bool,
    close_wrapper: bool,
}

impl ArraySer<'_> {
    fn elem<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        v.serialize(&mut *self.w)
    }
    fn finish(self) -> Res {
        self.w.out.push(b']');
        if self.close_wrapper {
            self.w.out.push(b'}');
        }
        Ok(())
    }
}

const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl<'a> ser::Serializer for &'a mut CanonicalWriter {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = ArraySer<'a>;
    type SerializeTuple = ArraySer<'a>;
    type SerializeTupleStruct = ArraySer<'a>;
    type SerializeTupleVariant = ArraySer<'a>;
    type SerializeMap = ObjectSer<'a>;
    type SerializeStruct = ObjectSer<'a>;
    type SerializeStructVariant = ObjectSer<'a>;

    fn serialize_bool(self, v: bool) -> Res {
        self.take_merge()?;
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i64(v as i64)
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i64(v as i64)
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i64(v as i64)
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.take_merge()?;
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u64(v as u64)
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u64(v as u64)
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u64(v as u64)
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.take_merge()?;
        self.uint(v);
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Res {
        Err(CanonicalError::Unsupported("i128"))
    }
    fn serialize_u128(self, _: u128) -> Res {
        Err(CanonicalError::Unsupported("u128"))
    }
    fn serialize_f32(self, _: f32) -> Res {
        Err(CanonicalError::Unsupported("float"))
    }
    fn serialize_f64(self, _: f64) -> Res {
        Err(CanonicalError::Unsupported("float"))
    }
    fn serialize_char(self, v: char) -> Res {
        let mut b = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut b))
    }
    fn serialize_str(self, v: &str) -> Res {
        self.take_merge()?;
        write_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Res {
        Err(CanonicalError::Unsupported("bytes"))
    }
    fn serialize_none(self) -> Res {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.take_merge()?;
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Res {
        self.take_merge()?;
        self.out.push(b'{');
        write_str(&mut self.out, variant);
        self.out.push(b':');
        v.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Res<ArraySer<'a>> {
        self.take_merge()?;
        self.out.push(b'[');
        Ok(ArraySer {
            w: self,
            first: true,
            close_wrapper: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Res<ArraySer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Res<ArraySer<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Res<ArraySer<'a>> {
        self.take_merge()?;
        self.out.push(b'{');
        write_str(&mut self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(ArraySer {
            w: self,
            first: true,
            close_wrapper: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Res<ObjectSer<'a>> {
        self.take_merge()?;
        let frame = self.begin_object();
        Ok(ObjectSer {
            w: self,
            frame,
            merge: false,
            close_wrapper: false,
            pending_key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Res<ObjectSer<'a>> {
        if name == RAW_VALUE_TOKEN {
            return Err(CanonicalError::Unsupported("raw value"));
        }
        let merge = std::mem::take(&mut self.merge_next);
        let frame = self.begin_object();
        Ok(ObjectSer {
            w: self,
            frame,
            merge,
            close_wrapper: false,
            pending_key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Res<ObjectSer<'a>> {
        self.take_merge()?;
        self.out.push(b'{');
        write_str(&mut self.out, variant);
        self.out.push(b':');
        let frame = self.begin_object();
        Ok(ObjectSer {
            w: self,
            frame,
            merge: false,
            close_wrapper: true,
            pending_key: None,
        })
    }
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> Res {
        self.take_merge()?;
        let mut tmp = std::mem::take(&mut self.tmp);
        tmp.clear();
        let r = write!(tmp, "{v}");
        if r.is_ok() {
            write_str(&mut self.out, &tmp);
        }
        self.tmp = tmp;
        r.map_err(|_| CanonicalError::Custom("Display failed".into()))
    }
}

impl ser::SerializeSeq for ArraySer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        self.elem(v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}
impl ser::SerializeTuple for ArraySer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        self.elem(v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}
impl ser::SerializeTupleStruct for ArraySer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        self.elem(v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}
impl ser::SerializeTupleVariant for ArraySer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        self.elem(v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}

impl ser::SerializeStruct for ObjectSer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Res {
        self.w.field(key, v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}
impl ser::SerializeStructVariant for ObjectSer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Res {
        self.w.field(key, v)
    }
    fn end(self) -> Res {
        self.finish()
    }
}
impl ser::SerializeMap for ObjectSer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        let a = self.w.keybuf.len();
        key.serialize(KeySer {
            buf: &mut self.w.keybuf,
        })?;
        self.pending_key = Some((a, self.w.keybuf.len()));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        let Some((a, b)) = self.pending_key.take() else {
            return Err(CanonicalError::Unsupported("map value without key"));
        };
        let start = self.w.out.len();
        v.serialize(&mut *self.w)?;
        self.w.entries.push(Entry {
            key: Key::Dyn(a, b),
            start,
            end: self.w.out.len(),
        });
        Ok(())
    }
    fn end(self) -> Res {
        self.finish()
    }
}

/// Map keys as `serde_json::to_value` accepts them: strings, chars, integers (as decimal
/// strings), unit variants and newtype structs around those. Raw (unescaped) bytes.
struct KeySer<'a> {
    buf: &'a mut Vec<u8>,
}

macro_rules! key_int {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Res {
            let mut b = itoa::Buffer::new();
            self.buf.extend_from_slice(b.format(v).as_bytes());
            Ok(())
        }
    )*};
}

macro_rules! key_unsupported {
    ($($f:ident($($t:ty),*)),*) => {$(
        fn $f(self, $(_: $t),*) -> Res {
            Err(CanonicalError::Unsupported("map key type"))
        }
    )*};
}

impl ser::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = Impossible<(), CanonicalError>;
    type SerializeTuple = Impossible<(), CanonicalError>;
    type SerializeTupleStruct = Impossible<(), CanonicalError>;
    type SerializeTupleVariant = Impossible<(), CanonicalError>;
    type SerializeMap = Impossible<(), CanonicalError>;
    type SerializeStruct = Impossible<(), CanonicalError>;
    type SerializeStructVariant = Impossible<(), CanonicalError>;

    key_int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    key_unsupported!(
        serialize_bool(bool),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_i128(i128),
        serialize_u128(u128),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str)
    );

    fn serialize_char(self, v: char) -> Res {
        let mut b = [0u8; 4];
        self.buf.extend_from_slice(v.encode_utf8(&mut b).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Res {
        self.buf.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Res {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Res {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Res<Self::SerializeSeq> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_tuple(self, _: usize) -> Res<Self::SerializeTuple> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Res<Self::SerializeTupleStruct> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Res<Self::SerializeTupleVariant> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_map(self, _: Option<usize>) -> Res<Self::SerializeMap> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Res<Self::SerializeStruct> {
        Err(CanonicalError::Unsupported("map key type"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Res<Self::SerializeStructVariant> {
        Err(CanonicalError::Unsupported("map key type"))
    }
}

impl fmt::Debug for ObjectSer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectSer")
            .field("frame", &self.frame)
            .finish()
    }
}
