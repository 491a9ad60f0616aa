//! RTF as Word and WPS write Chinese documents: in the code page (`\ansicpg936`), each
//! character as its GBK bytes (`\'b1\'a8`), where LibreOffice writes `\uN` with a `?`
//! fallback. The lab's RTF is LibreOffice's; this layout rewrites its characters so.

use crate::LabError;
use std::path::Path;

/// Rewrites the RTF file at `path` with its characters as GBK bytes.
pub fn rewrite_in_code_page(path: &Path) -> Result<(), LabError> {
    let rtf = std::fs::read_to_string(path).map_err(|e| LabError::Io(path.to_path_buf(), e))?;
    std::fs::write(path, in_code_page(&rtf)).map_err(|e| LabError::Io(path.to_path_buf(), e))
}

/// The RTF with `\ansicpg936` declared and every `\uN\'3f` whose character GBK encodes
/// written as that character's bytes.
fn in_code_page(rtf: &str) -> String {
    let mut out = String::with_capacity(rtf.len());
    let mut rest = rtf.replacen("\\ansi", "\\ansi\\ansicpg936", 1);
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let digits = after
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
            .map_or(after.len(), |(i, _)| i);
        let code = after[..digits].parse::<i32>().ok();
        let fallback = &after[digits..];
        let bytes = code
            .map(|n| if n < 0 { n + 65536 } else { n })
            .and_then(|n| char::from_u32(n as u32))
            .filter(|c| !c.is_ascii() && fallback.starts_with("\\'3f"))
            .and_then(|c| {
                let text = c.to_string();
                let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
                (!unmappable).then(|| bytes.into_owned())
            });
        match bytes {
            Some(bytes) => {
                for b in bytes {
                    out.push_str(&format!("\\'{b:02x}"));
                }
                rest = fallback["\\'3f".len()..].to_string();
            }
            None => {
                out.push_str("\\u");
                rest = after.to_string();
            }
        }
    }
    out.push_str(&rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_become_gbk_bytes_and_the_rest_stays() {
        let rtf = "{\\rtf1\\ansi\\deff0 \\u24180\\'3f 2023\\u-3\\'3f\\ul x\\uc1}";
        assert_eq!(
            super::in_code_page(rtf),
            "{\\rtf1\\ansi\\ansicpg936\\deff0 \\'c4\\'ea 2023\\u-3\\'3f\\ul x\\uc1}"
        );
    }
}
