//! The pictures family's web pages saved with their pictures, as an office saves a
//! report's page from its CMS: "save page, complete" (the page, and its pictures in a
//! folder beside it named after it, as browsers save them), or a single file web page (MHT)
//! holding both, as Word saves one.

use std::path::{Path, PathBuf};

/// Saves each lab page (`pages`: the page, with its pictures beside it, and the case's
/// file) as its case's file: a page and its folder for `.html`, an archive for `.mht`; the
/// error names the first page that failed.
pub fn save_all(pages: &[(PathBuf, PathBuf)]) -> Result<(), crate::LabError> {
    for (page, file) in pages {
        save(page, file).map_err(crate::LabError::Converter)?;
    }
    Ok(())
}

fn save(page: &Path, file: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let folder = page.parent().unwrap_or(Path::new("."));
    let names = picture_names(&html);
    let read = |name: &String| {
        let path = folder.join(name);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    match file.extension().and_then(|e| e.to_str()) {
        Some("mht") => {
            let mut pictures = Vec::new();
            for name in &names {
                let kind = match name.ends_with(".png") {
                    true => "image/png",
                    false => "image/jpeg",
                };
                pictures.push((name.clone(), kind, read(name)?));
            }
            let html = with_pictures_in(&html, &names, super::mht::PICTURES_FOLDER);
            write(file, &super::mht::wrap(&html, &pictures))
        }
        _ => {
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let files = format!("{stem}_files");
            let files_dir = file.with_file_name(&files);
            std::fs::create_dir_all(&files_dir)
                .map_err(|e| format!("{}: {e}", files_dir.display()))?;
            for name in &names {
                write(&files_dir.join(name), &read(name)?)?;
            }
            write(file, with_pictures_in(&html, &names, &files).as_bytes())
        }
    }
}

/// The file names the page's pictures have (`<img src="…">`, beside the page).
fn picture_names(html: &str) -> Vec<String> {
    html.split("<img src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The page with its pictures named as files in `folder`.
fn with_pictures_in(html: &str, names: &[String], folder: &str) -> String {
    let mut out = html.to_string();
    for name in names {
        out = out.replace(
            &format!("<img src=\"{name}\""),
            &format!("<img src=\"{folder}/{name}\""),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_renamed_into_their_folder() {
        let html =
            "<p><img src=\"a-table-1.png\" style=\"x\"></p><p><img src=\"a-table-2.jpg\"></p>";
        let names = picture_names(html);
        assert_eq!(names, ["a-table-1.png", "a-table-2.jpg"]);
        assert_eq!(
            with_pictures_in(html, &names, "a_files"),
            "<p><img src=\"a_files/a-table-1.png\" style=\"x\"></p><p><img src=\"a_files/a-table-2.jpg\"></p>"
        );
    }
}
