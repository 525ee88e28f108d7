//! CTranslate2's `model.bin`, read: a little-endian header (binary version, the spec's name, its
//! revision), then each variable — name, shape, item type, byte count, data — then aliases (one
//! name standing for another, as Whisper's output projection stands for its token embeddings).
//! Every length is checked against what the file holds before anything is kept, so a truncated
//! or foreign file is refused in words, never read past its end.

use std::collections::HashMap;
use std::ops::Range;

/// The layout CTranslate2 3.x and 4.x write.
pub const BINARY_VERSION: u32 = 6;

/// How a variable's items are stored (CTranslate2's `DataType`, in its order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl ItemType {
    fn from_id(id: u8) -> Option<Self> {
        [
            ItemType::F32,
            ItemType::I8,
            ItemType::I16,
            ItemType::I32,
            ItemType::F16,
            ItemType::BF16,
        ]
        .get(usize::from(id))
        .copied()
    }

    pub fn id(self) -> u8 {
        match self {
            ItemType::F32 => 0,
            ItemType::I8 => 1,
            ItemType::I16 => 2,
            ItemType::I32 => 3,
            ItemType::F16 => 4,
            ItemType::BF16 => 5,
        }
    }

    pub fn size(self) -> usize {
        match self {
            ItemType::I8 => 1,
            ItemType::I16 | ItemType::F16 | ItemType::BF16 => 2,
            ItemType::F32 | ItemType::I32 => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub shape: Vec<usize>,
    pub item: ItemType,
    /// Where its data is in the file.
    data: Range<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Ct2Error {
    #[error("the file ends at byte {at} while reading {what}: it is cut short")]
    Truncated { at: usize, what: String },
    #[error(
        "binary version {0}: this is not a CTranslate2 model, or one from a version faqtory does \
         not read (it reads version {BINARY_VERSION}, written by CTranslate2 3 and 4)"
    )]
    Version(u32),
    #[error("{0}")]
    Malformed(String),
}

/// A whole `model.bin` in memory, its variables pointing into it.
pub struct Ct2Model {
    bytes: Vec<u8>,
    pub spec: String,
    pub revision: u32,
    pub variables: Vec<Variable>,
    by_name: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize, what: &str) -> Result<&'a [u8], Ct2Error> {
        let end = self
            .at
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| Ct2Error::Truncated {
                at: self.bytes.len(),
                what: what.to_owned(),
            })?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u8(&mut self, what: &str) -> Result<u8, Ct2Error> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, Ct2Error> {
        let bytes = self.take(2, what)?;
        Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Ct2Error> {
        let bytes = self.take(4, what)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// A length (counting its closing NUL), then UTF-8 and the NUL.
    fn string(&mut self, what: &str) -> Result<String, Ct2Error> {
        let length = usize::from(self.u16(what)?);
        let bytes = self.take(length, what)?;
        let text = bytes.strip_suffix(&[0]).ok_or_else(|| {
            Ct2Error::Malformed(format!("{what} at byte {} does not end in NUL", self.at))
        })?;
        String::from_utf8(text.to_vec())
            .map_err(|_| Ct2Error::Malformed(format!("{what} at byte {} is not UTF-8", self.at)))
    }
}

impl Ct2Model {
    pub fn read(bytes: Vec<u8>) -> Result<Self, Ct2Error> {
        let mut reader = Reader {
            bytes: &bytes,
            at: 0,
        };
        let version = reader.u32("the binary version")?;
        if version != BINARY_VERSION {
            return Err(Ct2Error::Version(version));
        }
        let spec = reader.string("the model's spec")?;
        let revision = reader.u32("the spec's revision")?;
        let count = reader.u32("the number of variables")?;
        let mut variables = Vec::new();
        for _ in 0..count {
            variables.push(read_variable(&mut reader)?);
        }
        let alias_count = reader.u32("the number of aliases")?;
        let mut aliases = HashMap::new();
        for _ in 0..alias_count {
            let alias = reader.string("an alias")?;
            let target = reader.string("an alias's variable")?;
            aliases.insert(alias, target);
        }
        let by_name = variables
            .iter()
            .enumerate()
            .map(|(index, variable)| (variable.name.clone(), index))
            .collect();
        Ok(Self {
            bytes,
            spec,
            revision,
            variables,
            by_name,
            aliases,
        })
    }

    /// The variable of that name, following an alias.
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        let name = self.aliases.get(name).map_or(name, String::as_str);
        self.by_name.get(name).map(|index| &self.variables[*index])
    }

    pub fn data(&self, variable: &Variable) -> &[u8] {
        &self.bytes[variable.data.clone()]
    }

    /// A scalar integer setting (`encoder/num_heads`, say).
    pub fn integer(&self, name: &str) -> Option<i64> {
        let variable = self.variable(name)?;
        if !variable.shape.is_empty() {
            return None;
        }
        let data = self.data(variable);
        match variable.item {
            ItemType::I8 => Some(i64::from(i8::from_le_bytes([data[0]]))),
            ItemType::I16 => Some(i64::from(i16::from_le_bytes([data[0], data[1]]))),
            ItemType::I32 => Some(i64::from(i32::from_le_bytes([
                data[0], data[1], data[2], data[3],
            ]))),
            _ => None,
        }
    }
}

fn read_variable(reader: &mut Reader<'_>) -> Result<Variable, Ct2Error> {
    let name = reader.string("a variable's name")?;
    let rank = reader.u8(&format!("the rank of {name}"))?;
    let mut shape = Vec::with_capacity(usize::from(rank));
    for _ in 0..rank {
        shape.push(reader.u32(&format!("the shape of {name}"))? as usize);
    }
    let type_id = reader.u8(&format!("the item type of {name}"))?;
    let item = ItemType::from_id(type_id).ok_or_else(|| {
        Ct2Error::Malformed(format!(
            "{name} has item type {type_id}, which is none known"
        ))
    })?;
    let byte_count = reader.u32(&format!("the size of {name}"))? as usize;
    let expected = shape
        .iter()
        .try_fold(item.size(), |total, dim| total.checked_mul(*dim));
    if expected != Some(byte_count) {
        return Err(Ct2Error::Malformed(format!(
            "{name} says {byte_count} bytes for shape {shape:?} of {} bytes each",
            item.size()
        )));
    }
    let start = reader.at;
    reader.take(byte_count, &format!("the data of {name}"))?;
    Ok(Variable {
        name,
        shape,
        item,
        data: start..start + byte_count,
    })
}

/// Writes a `model.bin` (for the tests' tiny models): `(name, shape, item type, data)` and
/// aliases.
pub fn write(
    spec: &str,
    variables: &[(&str, Vec<usize>, ItemType, Vec<u8>)],
    aliases: &[(&str, &str)],
) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, text: &str) {
        let length = u16::try_from(text.len() + 1).unwrap_or(u16::MAX);
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(text.as_bytes());
        out.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&BINARY_VERSION.to_le_bytes());
    string(&mut out, spec);
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&(variables.len() as u32).to_le_bytes());
    for (name, shape, item, data) in variables {
        string(&mut out, name);
        out.push(shape.len() as u8);
        for dim in shape {
            out.extend_from_slice(&(*dim as u32).to_le_bytes());
        }
        out.push(item.id());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
    for (alias, target) in aliases {
        string(&mut out, alias);
        string(&mut out, target);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Vec<u8> {
        write(
            "WhisperSpec",
            &[
                (
                    "encoder/num_heads",
                    vec![],
                    ItemType::I16,
                    2i16.to_le_bytes().to_vec(),
                ),
                (
                    "decoder/embeddings/weight",
                    vec![3, 2],
                    ItemType::F32,
                    [1f32, 2., 3., 4., 5., 6.]
                        .iter()
                        .flat_map(|value| value.to_le_bytes())
                        .collect(),
                ),
                (
                    "encoder/conv1/bias",
                    vec![2],
                    ItemType::F16,
                    vec![0, 60, 0, 64],
                ),
            ],
            &[("decoder/projection/weight", "decoder/embeddings/weight")],
        )
    }

    #[test]
    fn names_shapes_types_data_and_aliases_read_back() {
        let model = Ct2Model::read(tiny()).unwrap();
        assert_eq!(model.spec, "WhisperSpec");
        assert_eq!(model.revision, 1);
        assert_eq!(model.variables.len(), 3);
        assert_eq!(model.integer("encoder/num_heads"), Some(2));
        let embeddings = model.variable("decoder/embeddings/weight").unwrap();
        assert_eq!(embeddings.shape, vec![3, 2]);
        assert_eq!(embeddings.item, ItemType::F32);
        assert_eq!(&model.data(embeddings)[16..20], &5f32.to_le_bytes());
        let projection = model.variable("decoder/projection/weight").unwrap();
        assert_eq!(projection.name, "decoder/embeddings/weight");
        let bias = model.variable("encoder/conv1/bias").unwrap();
        assert_eq!(
            (bias.item, model.data(bias)),
            (ItemType::F16, &[0u8, 60, 0, 64][..])
        );
        assert!(model.variable("nothing").is_none());
    }

    #[test]
    fn a_cut_or_foreign_file_is_refused_in_words() {
        let whole = tiny();
        for cut in [0, 3, 10, 40, whole.len() - 1] {
            let refused = Ct2Model::read(whole[..cut].to_vec()).err().unwrap();
            assert!(
                matches!(refused, Ct2Error::Truncated { .. }),
                "{cut}: {refused}"
            );
        }
        let mut other = whole.clone();
        other[0] = 5;
        assert_eq!(Ct2Model::read(other).err(), Some(Ct2Error::Version(5)));
        assert!(Ct2Model::read(b"PK\x03\x04 a zip, not a model".to_vec()).is_err());

        let lying = write(
            "X",
            &[("v", vec![1000, 1000], ItemType::F32, vec![0; 8])],
            &[],
        );
        let refused = Ct2Model::read(lying).err().unwrap().to_string();
        assert!(
            refused.contains("8 bytes for shape [1000, 1000]"),
            "{refused}"
        );
        let unknown = write("X", &[("v", vec![2], ItemType::I8, vec![0; 2])], &[]);
        let mut unknown = unknown;
        let type_at = unknown.len() - 4 - 2 - 4 - 1;
        unknown[type_at] = 9;
        let refused = Ct2Model::read(unknown).err().unwrap().to_string();
        assert!(refused.contains("item type 9"), "{refused}");
    }
}
