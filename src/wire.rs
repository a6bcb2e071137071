//! The wire: how results cross from Rust to JavaScript as one string, decoded by `js/wire.js`.
//!
//! Building a JS object field by field from Rust costs a boundary crossing per value, and JSON
//! costs a text parse; both were most of a `validateRegistryUrl` call. Here a serde
//! [`Serializer`](ser::Serializer) writes values into one UTF-8 buffer, which the JS side turns
//! into one string (one `TextDecoder` call) and reads with `charCodeAt` and `slice`. The serde
//! derives on the result types stay the single description of their shape.
//!
//! Everything but string contents is ASCII, because V8 decodes ASCII UTF-8 several times faster
//! than anything else. A `uint` is a little-endian varint of 6-bit groups, each unit
//! `0x40 | group` while more follow, so values below 64 take one unit.
//!
//! | tag | payload |
//! |---|---|
//! | 0 null, 1 false, 2 true | — |
//! | 3 number | uint |
//! | 4 negative number | uint (the magnitude) |
//! | 5 float | the `f64` bits as four uints of 16 bits, most significant first |
//! | 6 string | uint length in UTF-16 units, then the string |
//! | 7 sequence | values, then tag 9 |
//! | 8 object | name (the type), then (name of the key, value) pairs, then tag 9 |
//! | 10 map | (string value, value) pairs, then tag 9 |
//!
//! A name (struct names and field keys, all `&'static str`) is a uint, its id plus 16, so it
//! never reads as tag 9. Names travel once per module instance: an id equal to the number of
//! names known so far is followed by the name as a uint length and its bytes, and both sides
//! append it to their table. The JS table is owned by the Rust side ([`Names`] and its JS twin
//! in the façade), so two module instances never share one.

use serde::ser::{self, Serialize};
use std::fmt;

/// Tags (see the module doc).
pub(crate) mod tag {
    pub const NULL: u32 = 0;
    pub const FALSE: u32 = 1;
    pub const TRUE: u32 = 2;
    pub const NUMBER: u32 = 3;
    pub const NEGATIVE: u32 = 4;
    pub const FLOAT: u32 = 5;
    pub const STRING: u32 = 6;
    pub const SEQUENCE: u32 = 7;
    pub const OBJECT: u32 = 8;
    pub const END: u32 = 9;
    pub const MAP: u32 = 10;
    /// Added to a name's id.
    pub const NAME_BASE: u32 = 16;
}

/// The names sent so far, in id order, and an open-addressing table from a name's address to
/// its id (names are static literals, so an address always means the same name).
pub(crate) struct Names {
    known: Vec<&'static str>,
    by_address: [(usize, u32); SLOTS],
}

/// Room for the addresses of every name (a few dozen) at a low load factor.
const SLOTS: usize = 256;

impl Default for Names {
    fn default() -> Self {
        Names {
            known: Vec::new(),
            by_address: [(0, 0); SLOTS],
        }
    }
}

impl Names {
    /// The id of `name`, and whether it is new (then it has been added).
    fn id(&mut self, name: &'static str) -> (u32, bool) {
        // Literals with the same text may sit at several addresses: the key is address and
        // length, and a new address is looked up by text before it gets a new id.
        let key = (name.as_ptr() as usize) ^ (name.len() << 24);
        let mut slot = (key >> 2).wrapping_mul(0x9E37_79B9) >> 8;
        for _ in 0..SLOTS {
            slot %= SLOTS;
            match self.by_address.get(slot) {
                Some(&(k, id)) if k == key => return (id, false),
                Some(&(0, _)) => break,
                _ => slot += 1,
            }
        }
        let (id, new) = match self.known.iter().position(|n| *n == name) {
            Some(at) => (at, false),
            None => {
                self.known.push(name);
                (self.known.len() - 1, true)
            }
        };
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        // A full table (never, with our few names) only means the next lookup searches again.
        if let Some(entry) = self.by_address.get_mut(slot).filter(|e| e.0 == 0) {
            *entry = (key, id);
        }
        (id, new)
    }
}

/// Encodes `value` as UTF-8 into `out` (cleared first, so one buffer serves every call);
/// `names` must be the table whose JS twin decodes the result.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T, names: &mut Names, out: &mut Vec<u8>) {
    out.clear();
    let mut wire = Wire { out, names };
    // Our Serializer never fails: every serde data model item has an encoding.
    let _ = value.serialize(&mut wire);
}

struct Wire<'a> {
    out: &'a mut Vec<u8>,
    names: &'a mut Names,
}

/// Never produced; serde requires an error type.
#[derive(Debug)]
pub(crate) struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("wire encoding failed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

/// One ASCII unit: callers keep `unit` below 0x80.
fn unit(out: &mut Vec<u8>, unit: u32) {
    out.push((unit & 0x7F) as u8);
}

impl Wire<'_> {
    fn uint(&mut self, value: u32) {
        let mut rest = value;
        while rest >= 0x40 {
            unit(self.out, 0x40 | (rest & 0x3F));
            rest >>= 6;
        }
        unit(self.out, rest);
    }

    fn number(&mut self, value: u64) {
        match u32::try_from(value) {
            Ok(small) => {
                unit(self.out, tag::NUMBER);
                self.uint(small);
            }
            // Beyond u32 (never in our results): exact as a float up to 2^53, like JS numbers.
            Err(_) => self.float(value as f64),
        }
    }

    fn float(&mut self, value: f64) {
        unit(self.out, tag::FLOAT);
        let bits = value.to_bits();
        for shift in [48u32, 32, 16, 0] {
            self.uint(((bits >> shift) & 0xFFFF) as u32);
        }
    }

    fn string(&mut self, value: &str) {
        unit(self.out, tag::STRING);
        // The length counts UTF-16 units: what JS `slice` counts.
        let units = if value.is_ascii() {
            value.len()
        } else {
            value.encode_utf16().count()
        };
        self.uint(u32::try_from(units).unwrap_or(u32::MAX));
        self.out.extend_from_slice(value.as_bytes());
    }

    /// A name's id, defining it on first use.
    fn name(&mut self, name: &'static str) {
        let (id, new) = self.names.id(name);
        self.uint(id.saturating_add(tag::NAME_BASE));
        if new {
            // Names are ASCII identifiers.
            self.uint(u32::try_from(name.len()).unwrap_or(u32::MAX));
            self.out.extend_from_slice(name.as_bytes());
        }
    }

    fn end(&mut self) {
        unit(self.out, tag::END);
    }
}

impl<'a, 'n> ser::Serializer for &'a mut Wire<'n> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        unit(self.out, if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Never> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Never> {
        match u32::try_from(v.unsigned_abs()) {
            Ok(magnitude) if v < 0 => {
                unit(self.out, tag::NEGATIVE);
                self.uint(magnitude);
            }
            Ok(_) => self.number(v.unsigned_abs()),
            Err(_) => self.float(v as f64),
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Never> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Never> {
        self.number(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        // JSON-compatible: non-finite numbers become null, as JSON.stringify does.
        if v.is_finite() {
            self.float(v);
        } else {
            unit(self.out, tag::NULL);
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        unit(self.out, tag::SEQUENCE);
        for byte in v {
            self.number((*byte).into());
        }
        self.end();
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        unit(self.out, tag::NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        unit(self.out, tag::NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Never> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        // `{ variant: value }`, as serde_json writes it.
        unit(self.out, tag::OBJECT);
        self.name(name);
        self.name(variant);
        value.serialize(&mut *self)?;
        self.end();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        unit(self.out, tag::SEQUENCE);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        unit(self.out, tag::OBJECT);
        self.name(name);
        self.name(variant);
        unit(self.out, tag::SEQUENCE);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        unit(self.out, tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Never> {
        unit(self.out, tag::OBJECT);
        self.name(name);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        unit(self.out, tag::OBJECT);
        self.name(name);
        self.name(variant);
        unit(self.out, tag::OBJECT);
        self.name(variant);
        Ok(self)
    }
}

/// The compound serializers: each writes its values (after their key, for structs) and closes
/// with `ends` END tags (variants close their inner value and the `{ variant: … }` object).
macro_rules! compound {
    ($($trait:ident :: $method:ident => $ends:literal),* $(,)?) => {$(
        impl ser::$trait for &mut Wire<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                for _ in 0..$ends {
                    Wire::end(self);
                }
                Ok(())
            }
        }
    )*};
    ($($trait:ident => $ends:literal),* $(,)?) => {$(
        impl ser::$trait for &mut Wire<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Never> {
                self.name(key);
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                for _ in 0..$ends {
                    Wire::end(self);
                }
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element => 1,
    SerializeTuple::serialize_element => 1,
    SerializeTupleStruct::serialize_field => 1,
    SerializeTupleVariant::serialize_field => 2,
);
compound!(SerializeStruct => 1, SerializeStructVariant => 2);

impl ser::SerializeMap for &mut Wire<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Wire::end(self);
        Ok(())
    }
}
