//! Zip archives of XML parts (DOCX, OFD), read within limits against zip bombs.

use crate::docx::ZipLimits;
use crate::IngestError;
use std::io::{Cursor, Read};

pub(crate) type Archive<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// The value of attribute `name` (by local name, any prefix) of an XML element.
pub(crate) fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The archive in `bytes`, a `what` (DOCX, OFD) with no more entries than `limits` allow.
pub(crate) fn open<'b>(
    bytes: &'b [u8],
    limits: ZipLimits,
    what: &str,
) -> Result<Archive<'b>, IngestError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Corrupt(format!("not a readable {what} (zip): {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(IngestError::Limit(format!(
            "{} zip entries, more than {}",
            archive.len(),
            limits.max_entries
        )));
    }
    Ok(archive)
}

/// The text of entry `name`, or `None` when the archive has no such entry; an entry that
/// expands past `limits` is an error, whatever its header declares.
pub(crate) fn entry_text(
    archive: &mut Archive,
    name: &str,
    limits: ZipLimits,
) -> Result<Option<String>, IngestError> {
    match entry_bytes(archive, name, limits)? {
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| IngestError::Corrupt(format!("{name}: {e}"))),
        None => Ok(None),
    }
}

/// The bytes of entry `name`, as [`entry_text`] reads its text.
pub(crate) fn entry_bytes(
    archive: &mut Archive,
    name: &str,
    limits: ZipLimits,
) -> Result<Option<Vec<u8>>, IngestError> {
    let Ok(mut entry) = archive.by_name(name) else {
        return Ok(None);
    };
    let declared = entry.size();
    let compressed = entry.compressed_size().max(1);
    if declared > limits.max_entry_bytes || declared / compressed > limits.max_ratio {
        return Err(IngestError::Limit(format!(
            "{name} expands to {declared} bytes from {compressed} (limits: {} bytes, ratio {})",
            limits.max_entry_bytes, limits.max_ratio
        )));
    }
    // Never trust the declared size: read at most the limit.
    read_at_most(entry.by_ref(), limits.max_entry_bytes, name).map(Some)
}

/// What `reader` gives, `what` (a part's name), when it is at most `limit` bytes; more is
/// an error, and no more than one byte past the limit is read.
pub(crate) fn read_at_most(
    reader: impl Read,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::Corrupt(format!("{what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::Limit(format!("{what} is over {limit} bytes")));
    }
    Ok(bytes)
}
