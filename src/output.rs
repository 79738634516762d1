//! Report files (`-o`, `--output-format FORMAT=PATH`), written once the run is over.
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::report::Format;

/// One `--output-format FORMAT=PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let Some((format, path)) = s.split_once('=') else {
            return Err(format!("`{s}` is not FORMAT=PATH (for example sarif=podlint.sarif)"));
        };
        let format = <Format as clap::ValueEnum>::from_str(format, false).map_err(|_| {
            let names: Vec<&str> = <Format as clap::ValueEnum>::value_variants().iter().map(|f| f.name()).collect();
            format!("unknown format `{format}` (expected one of {})", names.join(", "))
        })?;
        if path.is_empty() {
            return Err(format!("no path after `{}=`", format.name()));
        }
        Ok(OutputSpec { format, path: PathBuf::from(path) })
    }
}

/// Writes `bytes` to `path` so that no reader (a CI step uploading the file, a watcher) sees
/// half a report: into a temporary file in the same folder, then renamed over the target, which
/// is atomic within one file system.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let existing = fs::metadata(path).ok();
    // A device or pipe (`/dev/stdout`, a FIFO) cannot be renamed over: write to it.
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return fs::OpenOptions::new().write(true).open(path)?.write_all(bytes);
    }
    // Through a symbolic link, replace the file it points to, not the link.
    let target = match existing {
        Some(_) => fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    let name = target.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = target.with_file_name(temp_name);
    let written = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_explain_mistakes() {
        let spec: OutputSpec = "sarif=out/podlint.sarif".parse().expect("valid");
        assert_eq!(spec, OutputSpec { format: Format::Sarif, path: "out/podlint.sarif".into() });
        let with_equals: OutputSpec = "junit=a=b.xml".parse().expect("valid");
        assert_eq!(with_equals.path, PathBuf::from("a=b.xml"));
        assert!("sarif".parse::<OutputSpec>().unwrap_err().contains("FORMAT=PATH"));
        assert!("xml=a".parse::<OutputSpec>().unwrap_err().contains("unknown format `xml`"));
        assert!("json=".parse::<OutputSpec>().unwrap_err().contains("no path"));
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("podlint-output-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("report.sarif");
        write_atomically(&path, b"one").expect("first write");
        write_atomically(&path, b"two").expect("second write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = fs::read_dir(&dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.sarif")]);
        assert!(write_atomically(&dir.join("missing/report.sarif"), b"x").is_err());
        let _ = fs::remove_dir_all(&dir);
    }
}
