//! Encrypted PDFs that open without a password. Offices often publish reports "protected"
//! against copying or printing: an owner password, and an empty user password, so that
//! every reader opens them. Their strings and streams are still encrypted (RC4 or AES by
//! the standard security handler) with a key made from the empty password; lopdf 0.34 only
//! knows RC4, and reads object streams before they could be decrypted. Here the object
//! streams are kept closed while lopdf loads the file (`keep_object_streams_closed`), every
//! object is decrypted, and the object streams are opened after.
//!
//! A file whose user password is not empty cannot be read: that is said, not guessed at.

use super::nesting::object_stream_too_deep;
use crate::IngestError;
use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, ObjectStream};
use md5::{Digest, Md5};
use sha2::{Sha256, Sha384, Sha512};

/// The type an object stream is given while lopdf loads an encrypted file, so that lopdf
/// does not read its still encrypted content.
const CLOSED_OBJECT_STREAM: &[u8] = b"NbClosedObjStm";

/// The padding of passwords (Algorithm 2): the empty password is all of it.
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

/// Whether the file may be encrypted: its trailer names an /Encrypt dictionary.
pub(crate) fn may_be_encrypted(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"/Encrypt").is_some()
}

/// lopdf's filter of the objects it reads, for a file that may be encrypted: an object
/// stream is renamed so that lopdf keeps it as a plain stream (`open_object_streams`
/// opens it once decrypted).
pub(crate) fn keep_object_streams_closed(
    id: ObjectId,
    object: &mut Object,
) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        if stream.dict.type_is(b"ObjStm") {
            stream
                .dict
                .set("Type", Object::Name(CLOSED_OBJECT_STREAM.to_vec()));
        }
    }
    Some((id, Object::Null))
}

/// Decrypts a file loaded with `keep_object_streams_closed`, then opens its object streams.
pub(crate) fn decrypt(pdf: &mut Pdf) -> Result<(), IngestError> {
    if let Some((encrypt_id, handler)) = security_handler(pdf)? {
        for (&id, object) in pdf.objects.iter_mut() {
            if Some(id) == encrypt_id || is_unencrypted(object, handler.metadata_encrypted) {
                continue;
            }
            handler.decrypt_object(id, object);
        }
    }
    open_object_streams(pdf);
    Ok(())
}

/// The cross-reference streams and, when the file says so, the metadata stream are never
/// encrypted.
fn is_unencrypted(object: &Object, metadata_encrypted: bool) -> bool {
    let Object::Stream(stream) = object else {
        return false;
    };
    stream.dict.type_is(b"XRef") || (!metadata_encrypted && stream.dict.type_is(b"Metadata"))
}

/// Each closed object stream's objects added (never over an object read from the file, as
/// lopdf does), unless they nest too deep.
fn open_object_streams(pdf: &mut Pdf) {
    let closed: Vec<ObjectId> = pdf
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Stream(s) if s.dict.type_is(CLOSED_OBJECT_STREAM)))
        .map(|(id, _)| *id)
        .collect();
    for id in closed {
        let Some(Object::Stream(stream)) = pdf.objects.get_mut(&id) else {
            continue;
        };
        stream.dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        if object_stream_too_deep(id, stream) {
            continue;
        }
        let Ok(opened) = ObjectStream::new(stream) else {
            continue;
        };
        for (id, object) in opened.objects {
            pdf.objects.entry(id).or_insert(object);
        }
    }
}

/// How strings and streams are encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    None,
    Rc4,
    Aes128,
    Aes256,
}

/// The standard security handler opened with the empty user password.
struct Handler {
    key: Vec<u8>,
    strings: Method,
    streams: Method,
    metadata_encrypted: bool,
}

/// The file's security handler, and the object of its dictionary; `None` when the file is
/// not encrypted. An error when it needs a password or a handler not known here.
fn security_handler(pdf: &Pdf) -> Result<Option<(Option<ObjectId>, Handler)>, IngestError> {
    let Ok(entry) = pdf.trailer.get(b"Encrypt") else {
        return Ok(None);
    };
    let encrypt_id = entry.as_reference().ok();
    let dict = match encrypt_id {
        Some(id) => pdf.get_dictionary(id),
        None => entry.as_dict(),
    }
    .map_err(|_| unreadable("its /Encrypt dictionary is missing"))?;
    let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
    if name(b"Filter") != Some(b"Standard".as_slice()) {
        return Err(unreadable(
            "it is encrypted by a security handler other than the standard one",
        ));
    }
    let int = |key: &[u8]| dict.get(key).and_then(Object::as_i64).ok();
    let bytes = |key: &[u8]| {
        dict.get(key)
            .and_then(Object::as_str)
            .ok()
            .unwrap_or_default()
    };
    let (v, r) = (int(b"V").unwrap_or(0), int(b"R").unwrap_or(0));
    let metadata_encrypted = dict
        .get(b"EncryptMetadata")
        .and_then(Object::as_bool)
        .unwrap_or(true);
    let (strings, streams) = methods(dict, v);
    let key = match r {
        2..=4 => {
            let length = match v {
                1 => 40,
                4 => 128,
                _ => int(b"Length").unwrap_or(40),
            };
            let n = (length as usize / 8).clamp(5, 16);
            let first_id = pdf
                .trailer
                .get(b"ID")
                .and_then(Object::as_array)
                .ok()
                .and_then(|ids| ids.first())
                .and_then(|id| id.as_str().ok())
                .unwrap_or_default();
            let permissions = int(b"P").unwrap_or(0) as i32;
            let owner = bytes(b"O");
            let key = rc4_file_key(owner, permissions, first_id, r, n, metadata_encrypted);
            if !opens_with_empty_password(&key, bytes(b"U"), first_id, r) {
                return Err(needs_password());
            }
            key
        }
        5 | 6 if bytes(b"U").len() < 48 || bytes(b"UE").len() < 32 => {
            return Err(unreadable("its /U or /UE entry is damaged"));
        }
        5 | 6 => aes256_file_key(bytes(b"U"), bytes(b"UE"), bytes(b"Perms"), r)
            .ok_or_else(needs_password)?,
        _ => {
            return Err(unreadable(&format!(
                "its encryption (revision {r}) is not known here"
            )))
        }
    };
    let handler = Handler {
        key,
        strings,
        streams,
        metadata_encrypted,
    };
    Ok(Some((encrypt_id, handler)))
}

fn unreadable(why: &str) -> IngestError {
    IngestError::Corrupt(format!("the PDF cannot be decrypted: {why}"))
}

fn needs_password() -> IngestError {
    IngestError::Corrupt("PDF 设有打开密码，无法读取（the PDF needs a password to open）".into())
}

/// The methods of strings and streams: RC4 for V 1 and 2, AES-256 for V 5, and for V 4
/// the crypt filters /StrF and /StmF name (Identity: not encrypted).
fn methods(dict: &Dictionary, v: i64) -> (Method, Method) {
    let filter = |key: &[u8]| -> Method {
        let name = dict
            .get(key)
            .and_then(Object::as_name)
            .unwrap_or(b"Identity");
        if name == b"Identity" {
            return Method::None;
        }
        let method = dict
            .get(b"CF")
            .and_then(Object::as_dict)
            .and_then(|cf| cf.get(name))
            .and_then(Object::as_dict)
            .and_then(|f| f.get(b"CFM"))
            .and_then(Object::as_name)
            .unwrap_or(b"None");
        match method {
            b"V2" => Method::Rc4,
            b"AESV2" => Method::Aes128,
            b"AESV3" => Method::Aes256,
            _ => Method::None,
        }
    };
    match v {
        1 | 2 => (Method::Rc4, Method::Rc4),
        4 | 5 => (filter(b"StrF"), filter(b"StmF")),
        _ => (Method::None, Method::None),
    }
}

/// Algorithm 2: the file key of revisions 2 to 4 for the empty password.
fn rc4_file_key(
    owner: &[u8],
    permissions: i32,
    first_id: &[u8],
    r: i64,
    n: usize,
    metadata_encrypted: bool,
) -> Vec<u8> {
    let mut hash = Md5::new();
    hash.update(PAD);
    hash.update(&owner[..owner.len().min(32)]);
    hash.update(permissions.to_le_bytes());
    hash.update(first_id);
    if r >= 4 && !metadata_encrypted {
        hash.update([0xFF; 4]);
    }
    let mut key = hash.finalize().to_vec();
    if r >= 3 {
        for _ in 0..50 {
            key = Md5::digest(&key[..n]).to_vec();
        }
    }
    key.truncate(n);
    key
}

/// Algorithms 4 and 5: whether the key opens the file (its /U is the empty password's).
fn opens_with_empty_password(key: &[u8], user: &[u8], first_id: &[u8], r: i64) -> bool {
    if r == 2 {
        return user.get(..32) == Some(rc4(key, &PAD).as_slice());
    }
    let mut hash = Md5::new();
    hash.update(PAD);
    hash.update(first_id);
    let mut check = rc4(key, &hash.finalize());
    for i in 1..=19u8 {
        let turned: Vec<u8> = key.iter().map(|b| b ^ i).collect();
        check = rc4(&turned, &check);
    }
    user.get(..16) == Some(check.as_slice())
}

/// Algorithms 2.A and 2.B: the file key of revisions 5 and 6 for the empty password, when
/// the empty password is the user's. The key is made from /U's key salt; /Perms,
/// decrypted by it, says "adb" when it is the file's (Algorithm 13), which spares
/// checking the password by /U's validation salt, the derivation (slow by design, in
/// revision 6) done a second time. Without a /Perms that says so, the password is checked.
fn aes256_file_key(user: &[u8], user_key: &[u8], perms: &[u8], r: i64) -> Option<Vec<u8>> {
    let (hash, validation_salt, key_salt) = (user.get(..32)?, user.get(32..40)?, user.get(40..48)?);
    let hashed = |salt: &[u8]| match r {
        5 => Sha256::digest(salt).to_vec(),
        _ => hash_2b(salt),
    };
    let intermediate = hashed(key_salt);
    let mut key = user_key.get(..32)?.to_vec();
    if !cbc_decrypt(&intermediate, &[0; 16], &mut key) {
        return None;
    }
    if permissions_confirm(&key, perms) || hashed(validation_salt) == hash {
        return Some(key);
    }
    None
}

/// Whether /Perms, decrypted by `key` (one block: CBC with a zero IV is ECB), holds "adb"
/// at bytes 9 to 11.
fn permissions_confirm(key: &[u8], perms: &[u8]) -> bool {
    let Some(block) = perms.get(..16) else {
        return false;
    };
    let mut block = block.to_vec();
    cbc_decrypt(key, &[0; 16], &mut block) && &block[9..12] == b"adb"
}

/// Algorithm 2.B (revision 6) of the empty password with `salt` (no user data).
fn hash_2b(salt: &[u8]) -> Vec<u8> {
    let mut k = Sha256::digest(salt).to_vec();
    let mut round = 0usize;
    loop {
        // K1 (the empty password, K, no user data) 64 times, encrypted in place into E.
        let mut e = k.repeat(64);
        let length = e.len();
        let encrypted =
            cbc::Encryptor::<aes::Aes128>::new_from_slices(&k[..16], &k[16..32]).map(|c| {
                c.encrypt_padded_mut::<NoPadding>(&mut e, length)
                    .map(|_| ())
            });
        if !matches!(encrypted, Ok(Ok(()))) {
            return k;
        }
        let remainder = e[..16].iter().map(|&b| b as u32).sum::<u32>() % 3;
        k = match remainder {
            0 => Sha256::digest(&e).to_vec(),
            1 => Sha384::digest(&e).to_vec(),
            _ => Sha512::digest(&e).to_vec(),
        };
        round += 1;
        if round >= 64 && (*e.last().unwrap_or(&0) as usize) <= round - 32 {
            return k[..32].to_vec();
        }
    }
}

impl Handler {
    /// The object's strings (within it too) and its stream's data decrypted in place.
    fn decrypt_object(&self, id: ObjectId, object: &mut Object) {
        match object {
            Object::Stream(stream) => {
                self.decrypt_strings(id, &mut stream.dict);
                let plain = self.decrypt(id, self.streams, &stream.content);
                stream.set_content(plain);
            }
            Object::Dictionary(dict) => self.decrypt_strings(id, dict),
            other => self.decrypt_value(id, other),
        }
    }

    fn decrypt_strings(&self, id: ObjectId, dict: &mut Dictionary) {
        for (_, value) in dict.iter_mut() {
            self.decrypt_value(id, value);
        }
    }

    fn decrypt_value(&self, id: ObjectId, value: &mut Object) {
        match value {
            Object::String(bytes, _) => *bytes = self.decrypt(id, self.strings, bytes),
            Object::Array(items) => items
                .iter_mut()
                .for_each(|item| self.decrypt_value(id, item)),
            Object::Dictionary(dict) => self.decrypt_strings(id, dict),
            _ => {}
        }
    }

    fn decrypt(&self, id: ObjectId, method: Method, data: &[u8]) -> Vec<u8> {
        match method {
            Method::None => data.to_vec(),
            Method::Rc4 => rc4(&self.object_key(id, false), data),
            Method::Aes128 => aes_cbc(&self.object_key(id, true), data),
            Method::Aes256 => aes_cbc(&self.key, data),
        }
    }

    /// Algorithm 1: an object's key, from the file key, its number and generation.
    fn object_key(&self, (number, generation): ObjectId, aes: bool) -> Vec<u8> {
        let mut hash = Md5::new();
        hash.update(&self.key);
        hash.update(&number.to_le_bytes()[..3]);
        hash.update(&generation.to_le_bytes()[..2]);
        if aes {
            hash.update(b"sAlT");
        }
        let key = hash.finalize();
        key[..(self.key.len() + 5).min(16)].to_vec()
    }
}

/// AES in CBC mode (AES-128 or AES-256 by the key's length), the first 16 bytes the IV,
/// the padding (PKCS #7) removed. Data that is no whole number of blocks is given back as
/// it is (damaged: its reading fails on it).
fn aes_cbc(key: &[u8], data: &[u8]) -> Vec<u8> {
    let (Some(iv), Some(body)) = (data.get(..16), data.get(16..)) else {
        return Vec::new();
    };
    let mut plain = body.to_vec();
    if body.len() % 16 != 0 || !cbc_decrypt(key, iv, &mut plain) {
        return data.to_vec();
    }
    let padding = plain.last().copied().unwrap_or(0) as usize;
    if (1..=16).contains(&padding) && plain.len() >= padding {
        plain.truncate(plain.len() - padding);
    }
    plain
}

/// Decrypts whole blocks in place; false for a key of another length.
fn cbc_decrypt(key: &[u8], iv: &[u8], blocks: &mut [u8]) -> bool {
    match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_mut::<NoPadding>(blocks).is_ok())
            .unwrap_or(false),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_mut::<NoPadding>(blocks).is_ok())
            .unwrap_or(false),
        _ => false,
    }
}

/// RC4: the key stream XORed over the data.
fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len().max(1)]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|&byte| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            byte ^ s[s[i as usize].wrapping_add(s[j as usize]) as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /Perms encrypted by the file key (AES-256, one block) confirms that key only.
    #[test]
    fn permissions_confirm_the_key_that_encrypted_them() {
        use aes::cipher::{BlockEncrypt, KeyInit};
        let key = [7u8; 32];
        let mut block = aes::cipher::generic_array::GenericArray::clone_from_slice(
            b"\xFC\xFF\xFF\xFF\xFF\xFF\xFF\xFFTadbnb00",
        );
        aes::Aes256::new_from_slice(&key)
            .unwrap()
            .encrypt_block(&mut block);
        assert!(permissions_confirm(&key, &block));
        assert!(!permissions_confirm(&[8u8; 32], &block));
        assert!(!permissions_confirm(&key, &block[..15]));
    }

    #[test]
    fn rc4_gives_the_known_answers() {
        // The test vectors of RC4's description (Key/Plaintext, Wiki/pedia, Secret/…).
        assert_eq!(
            rc4(b"Key", b"Plaintext"),
            [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]
        );
        assert_eq!(rc4(b"Wiki", b"pedia"), [0x10, 0x21, 0xBF, 0x04, 0x20]);
        let secret = rc4(b"Secret", b"Attack at dawn");
        assert_eq!(secret[..4], [0x45, 0xA0, 0x1F, 0x64]);
        assert_eq!(rc4(b"Secret", &secret), b"Attack at dawn");
    }
}
