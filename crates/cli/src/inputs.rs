//! Which files a batch audits: files as named, folders walked recursively.

use std::path::{Path, PathBuf};

/// An input that could not even be listed.
#[derive(Debug)]
pub struct InputError {
    pub path: PathBuf,
    pub reason: String,
}

/// Files to audit, in a stable order (named files first, as named; each folder sorted).
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut errors, &mut Vec::new()),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push(InputError {
                path: path.clone(),
                reason: e.to_string(),
            }),
        }
    }
    (files, errors)
}

/// Whether a file in a folder is one to audit: its extension names a format nianbao reads
/// as a report (`Format::EXTENSIONS`), or it is an `.xml` file whose top says it is a Word
/// document (Word's "XML Document"); other files (manifests, images, sitemaps) are skipped.
fn is_report(path: &Path) -> bool {
    if nianbao_ingest::Format::named(&path.to_string_lossy()).is_some() {
        return true;
    }
    let xml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    xml && nianbao_ingest::wordml::is_word_xml_file(path)
}

/// Walks a folder; `visiting` holds the canonical folders on the current path, so a
/// symlink loop is entered once and not followed forever.
fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
    visiting: &mut Vec<PathBuf>,
) {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if visiting.contains(&canonical) {
        return;
    }
    visiting.push(canonical);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(InputError {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            });
            visiting.pop();
            return;
        }
    };
    // Each entry's type as the listing gives it (no `stat` a file: a batch folder holds
    // thousands); a symlink's is asked of what it points to.
    let mut children: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let entry = e.ok()?;
            let path = entry.path();
            let is_dir = match entry.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => path.is_dir(),
            };
            Some((path, is_dir))
        })
        .collect();
    sort_siblings(&mut children);
    for (child, is_dir) in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if is_dir {
            walk(&child, files, errors, visiting);
        } else if is_report(&child) {
            files.push(child);
        }
    }
    visiting.pop();
}

/// Puts a folder's entries in the order `Path`'s comparison gives them. Entries of one
/// folder differ only in their names, so their paths compare as their bytes do: the same
/// order without splitting every path into components for every comparison (a batch
/// folder's thousands of files took milliseconds of the start to sort).
fn sort_siblings(children: &mut [(PathBuf, bool)]) {
    children.sort_unstable_by(|(a, _), (b, _)| a.as_os_str().cmp(b.as_os_str()));
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    #[test]
    fn siblings_are_sorted_as_paths_are() {
        let names = [
            "a",
            "a.b",
            "a-1",
            "a b",
            "A",
            "a.txt",
            "a.txt.bak",
            "10",
            "9",
            "中文",
            "中",
            "z",
            "_x",
            "0-001.txt",
            "0-001",
            "0",
            "ａ",
            "a\\b",
            "é",
            "e",
            "~",
        ];
        let dir = Path::new("/some/folder");
        // A small xorshift: the same lists every run.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        for _ in 0..200 {
            let mut children: Vec<(PathBuf, bool)> = (0..next(names.len()) + 1)
                .map(|_| (dir.join(names[next(names.len())]), next(2) == 0))
                .collect();
            children.sort_by(|a, b| a.0.cmp(&b.0));
            children.dedup_by(|a, b| a.0 == b.0);
            let by_path: Vec<PathBuf> = children.iter().map(|(p, _)| p.clone()).collect();
            let mut shuffled = children.clone();
            for i in (1..shuffled.len()).rev() {
                shuffled.swap(i, next(i + 1));
            }
            sort_siblings(&mut shuffled);
            let by_bytes: Vec<PathBuf> = shuffled.into_iter().map(|(p, _)| p).collect();
            assert_eq!(by_bytes, by_path);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("nianbao-inputs-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("scratch folder");
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn folders_are_walked_sorted_through_symlinks_and_a_loop_once() {
        let scratch = Scratch::new("walk");
        let root = scratch.0.join("batch");
        let elsewhere = scratch.0.join("elsewhere");
        for dir in [root.join("b"), root.join(".hidden"), elsewhere.clone()] {
            std::fs::create_dir_all(dir).expect("folder");
        }
        let files = [
            "b/2.txt",
            "1.HTML",
            "notes.csv",
            ".hidden/3.txt",
            ".4.md",
            "6.shtml",
            "7.MHT",
        ];
        for file in files {
            std::fs::write(root.join(file), "x").expect("file");
        }
        std::fs::write(elsewhere.join("5.md"), "x").expect("file");
        std::os::unix::fs::symlink(&elsewhere, root.join("c")).expect("folder link");
        std::os::unix::fs::symlink(elsewhere.join("5.md"), root.join("d.md")).expect("file link");
        // A link back up: the walk enters `batch` once.
        std::os::unix::fs::symlink(&root, root.join("b/up")).expect("loop link");

        let (files, errors) = collect(std::slice::from_ref(&root));
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.strip_prefix(&root)
                    .expect("under the batch")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            ["1.HTML", "6.shtml", "7.MHT", "b/2.txt", "c/5.md", "d.md"]
        );
    }

    #[test]
    fn an_xml_file_is_audited_when_it_is_a_word_document() {
        let scratch = Scratch::new("xml");
        let word_2003 = "<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?>\
            <w:wordDocument xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\"><w:body/></w:wordDocument>";
        let flat_opc = "<?xml version=\"1.0\"?><pkg:package \
            xmlns:pkg=\"http://schemas.microsoft.com/office/2006/xmlPackage\"></pkg:package>";
        let sitemap = "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>";
        for (name, xml) in [
            ("a.xml", word_2003),
            ("b.XML", flat_opc),
            ("sitemap.xml", sitemap),
        ] {
            std::fs::write(scratch.0.join(name), xml).expect("file");
        }
        let (files, errors) = collect(std::slice::from_ref(&scratch.0));
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<_> = files.iter().filter_map(|f| f.file_name()).collect();
        assert_eq!(names, ["a.xml", "b.XML"]);
    }
}
